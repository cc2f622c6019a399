/**
 * SIP NOTIFY for phones, as data: the `PJSIPNotify` / `SIPnotify` parameters (checked at the edge: CR, LF and other
 * control characters refused, commas refused in `Variable` values because Asterisk's manager splits them there) and
 * the resync / reboot event each phone brand documents.
 */
import { AmiTypedInputError } from './errors.js';
import type { AmiParams } from './runner.js';

/** Phone brands with a known resync / reboot NOTIFY. */
export type PhoneBrand = 'yealink' | 'snom' | 'polycom' | 'grandstream';

/** What the NOTIFY asks: re-read the provisioning files, or reboot (and re-read them). */
export type PhoneNotifyKind = 'resync' | 'reboot';

/** The NOTIFY of one brand and kind. */
export interface PhoneNotify {
  /** Brand. */
  brand: PhoneBrand;
  /** Kind. */
  kind: PhoneNotifyKind;
  /** The `Event` header the phone acts on. */
  event: string;
  /** `Variable` headers for `PJSIPNotify` / `SIPnotify` (`Event=…`). */
  variables: string[];
  /** The `pjsip_notify.conf` section with the same headers (see {@link NOTIFY_CONF_SECTIONS}). */
  option: string;
  /** What the phone does with it, and what Switchboard could not check. */
  note: string;
}

const TABLE: Record<PhoneBrand, Record<PhoneNotifyKind, { event: string; note: string }>> = {
  yealink: {
    resync: {
      event: 'check-sync;reboot=false',
      note: 'Yealink: re-reads its configuration without rebooting.',
    },
    reboot: { event: 'check-sync;reboot=true', note: 'Yealink: reboots and re-reads its configuration.' },
  },
  snom: {
    resync: { event: 'check-sync;reboot=false', note: 'Snom: re-reads its settings without rebooting.' },
    reboot: {
      event: 'check-sync;reboot=true',
      note: 'Snom: reboots (Asterisk sample sip_notify.conf snom-reboot).',
    },
  },
  polycom: {
    resync: {
      event: 'check-sync',
      note: 'Polycom: reboots only if the files changed when voIpProt.SIP.specialEvent.checkSync.alwaysReboot=0.',
    },
    reboot: {
      event: 'check-sync',
      note: 'Polycom: the same event; it always reboots when voIpProt.SIP.specialEvent.checkSync.alwaysReboot=1.',
    },
  },
  grandstream: {
    resync: {
      event: 'check-sync',
      note: 'Grandstream: re-provisions and reboots on check-sync (no distinct resync event; not checked on a phone here).',
    },
    reboot: {
      event: 'check-sync',
      note: 'Grandstream: check-sync re-provisions and reboots (not checked on a phone here).',
    },
  },
};

/** Section name of a brand's NOTIFY in `pjsip_notify.conf` (`yealink-check-cfg`, `snom-reboot`…). */
function section(brand: PhoneBrand, kind: PhoneNotifyKind): string {
  return kind === 'resync' ? `${brand}-check-cfg` : `${brand}-reboot`;
}

/** The resync or reboot NOTIFY of a brand, as `Variable`s and as the `pjsip_notify.conf` option name. */
export function notifyFor(brand: PhoneBrand, kind: PhoneNotifyKind): PhoneNotify {
  const row = TABLE[brand]?.[kind];
  if (!row)
    throw new AmiTypedInputError(`notifyFor: unknown brand or kind (${String(brand)}, ${String(kind)})`);
  return {
    brand,
    kind,
    event: row.event,
    variables: [`Event=${row.event}`],
    option: section(brand, kind),
    note: row.note,
  };
}

/**
 * The `pjsip_notify.conf` sections for every brand and kind (`Event=>…`, `Content-Length=>0`), for creating the file
 * when `res_pjsip_notify` declined to load without it (`CreateConfig` + `UpdateConfig` + `ModuleLoad`). The
 * `yealink-check-cfg` and `polycom-check-cfg` sections are those of the tested `config/pjsip_notify.conf`.
 */
export const NOTIFY_CONF_SECTIONS: ReadonlyArray<{
  section: string;
  lines: ReadonlyArray<readonly [string, string]>;
}> = (Object.keys(TABLE) as PhoneBrand[]).flatMap((brand) =>
  (['resync', 'reboot'] as const).map((kind) => ({
    section: section(brand, kind),
    lines: [
      ['Event', TABLE[brand][kind].event],
      ['Content-Length', '0'],
    ] as const,
  })),
);

/** Where a `PJSIPNotify` goes: an endpoint (all its contacts), a URI, or a channel's dialog. */
export type PjsipNotifyTarget = { endpoint: string } | { uri: string } | { channel: string };

/** What a `PJSIPNotify` carries: a `pjsip_notify.conf` option, or headers as `Variable`s. */
export type NotifyContent =
  | { option: string }
  | { variables: ReadonlyArray<string> | Readonly<Record<string, string>> };

/** Refuses CR, LF and other control characters (and empty values) before anything is built. */
function clean(field: string, v: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw new AmiTypedInputError(`${field} is empty`);
  if (/[\u0000-\u001f\u007f]/.test(v)) throw new AmiTypedInputError(`${field} contains a control character`);
  return v;
}

/** `name=value` Variable headers, each checked (no comma: Asterisk's manager splits Variable values at commas). */
export function notifyVariables(v: ReadonlyArray<string> | Readonly<Record<string, string>>): string[] {
  const list = Array.isArray(v)
    ? (v as ReadonlyArray<string>)
    : Object.entries(v as Record<string, string>).map(([k, x]) => `${k}=${x}`);
  if (list.length === 0) throw new AmiTypedInputError('Variable: at least one header is needed');
  return list.map((s) => {
    clean('Variable', s);
    const eq = s.indexOf('=');
    if (eq <= 0) throw new AmiTypedInputError('Variable must be name=value');
    if (s.includes(','))
      throw new AmiTypedInputError('Variable cannot contain a comma (Asterisk splits it there)');
    return s;
  });
}

/** Parameters of `PJSIPNotify` (res_pjsip_notify.c): one target, then `Option` or repeated `Variable` headers. */
export function pjsipNotifyParams(target: PjsipNotifyTarget, content: NotifyContent): AmiParams {
  const keys = Object.keys(target);
  if (keys.length !== 1) throw new AmiTypedInputError('PJSIPNotify: exactly one of endpoint, uri or channel');
  const p: AmiParams = {};
  if ('endpoint' in target) p.Endpoint = clean('Endpoint', target.endpoint);
  else if ('uri' in target) p.URI = clean('URI', target.uri);
  else if ('channel' in target) p.Channel = clean('Channel', target.channel);
  else throw new AmiTypedInputError('PJSIPNotify: exactly one of endpoint, uri or channel');
  if ('option' in content && 'variables' in content)
    throw new AmiTypedInputError('PJSIPNotify: option or variables, not both');
  if ('option' in content) p.Option = clean('Option', content.option);
  else p.Variable = notifyVariables(content.variables);
  return p;
}

/** Parameters of chan_sip's `SIPnotify`: the peer (`Channel`) and repeated `Variable` headers. */
export function sipNotifyParams(
  peer: string,
  variables: ReadonlyArray<string> | Readonly<Record<string, string>>,
  callId?: string,
): AmiParams {
  const p: AmiParams = { Channel: clean('Channel', peer), Variable: notifyVariables(variables) };
  if (callId !== undefined) p['Call-ID'] = clean('Call-ID', callId);
  return p;
}
