/**
 * Pure readers for the trunk messages: Asterisk's status words mapped to trunk states, and list items to trunk
 * details. Every mapping names the Asterisk source it follows.
 */
import { compact, int, raw, str } from './fields.js';
import type {
  PbxTrunkContact,
  PbxTrunkDChannel,
  PbxTrunkRegistration,
  PbxTrunkSipRegistry,
  PbxTrunkState,
} from './trunk-types.js';
import type { PbxMessage } from './types.js';

/**
 * PJSIP registration `Status` → state. res_pjsip_outbound_registration.c (`sip_outbound_registration_status_str`)
 * writes `Unregistered`, `Registered`, `Rejected` (temporary and permanent) and `Stopped`; stasis_system.c documents
 * `Failed` for the `Registry` event; `Registering` is accepted should a version report the attempt itself.
 */
export function pjsipRegistrationState(status: string): PbxTrunkState {
  switch (status.trim().toLowerCase()) {
    case 'registered':
      return 'registered';
    case 'rejected':
    case 'failed':
      return 'rejected';
    case 'registering':
      return 'registering';
    default:
      // `Unregistered`, `Stopped`, and anything unknown: not registered (the word is kept in `status`).
      return 'unregistered';
  }
}

/**
 * chan_sip registration state text → state. chan_sip.c `regstate2str`: `Registered`, `Unregistered`,
 * `Request Sent` and `Auth. Sent` (a REGISTER in flight), `Rejected`, `Failed`, `Timeout`, `No Authentication`,
 * `Unknown`.
 */
export function sipRegistrationState(status: string): PbxTrunkState {
  switch (status.trim().toLowerCase()) {
    case 'registered':
      return 'registered';
    case 'request sent':
    case 'auth. sent':
      return 'registering';
    case 'rejected':
    case 'failed':
    case 'timeout':
    case 'no authentication':
      return 'rejected';
    default:
      return 'unregistered';
  }
}

/** `Yes`/`No` of chan_dahdi and sig_pri list items. */
function yes(m: PbxMessage, name: string): boolean {
  return /^(yes|true|1)$/i.test((raw(m, name) ?? '').trim());
}

/** chan_dahdi.c `alarm2str(0)`: the text of a channel without alarm. */
export const DAHDI_NO_ALARM = 'No Alarm';

/** Whether a chan_dahdi alarm text means an alarm (`No Alarm` and empty do not). */
export function isDahdiAlarm(text: string | undefined): boolean {
  return text !== undefined && text.trim() !== '' && text.trim().toLowerCase() !== 'no alarm';
}

/** An `OutboundRegistrationDetail` item (res_pjsip_outbound_registration.c `ami_outbound_registration_detail`). */
export function readRegistration(m: PbxMessage): {
  name: string;
  status: string;
  detail: PbxTrunkRegistration;
} {
  return {
    name: raw(m, 'ObjectName') ?? '',
    status: raw(m, 'Status') ?? '',
    detail: compact({
      serverUri: raw(m, 'ServerUri') ?? '',
      clientUri: raw(m, 'ClientUri') ?? '',
      endpoint: str(m, 'Endpoint'),
      outboundAuth: str(m, 'OutboundAuth'),
      transport: str(m, 'Transport'),
      expiration: int(m, 'Expiration'),
      nextReg: int(m, 'NextReg'),
    }),
  };
}

/** A `RegistryEntry` item of `SIPshowregistry` (chan_sip.c `manager_show_registry`). */
export function readSipRegistry(m: PbxMessage): {
  name: string;
  status: string;
  detail: PbxTrunkSipRegistry;
} {
  const host = raw(m, 'Host') ?? '';
  const username = raw(m, 'Username') ?? '';
  return {
    name: sipRegistryName(username, host),
    status: raw(m, 'State') ?? '',
    detail: compact({
      host,
      port: int(m, 'Port'),
      username,
      domain: str(m, 'Domain'),
      refresh: int(m, 'Refresh'),
      registrationTime: int(m, 'RegistrationTime'),
    }),
  };
}

/** Trunk name of a chan_sip registration: `user@host` (its `Registry` events carry the same two values). */
export function sipRegistryName(username: string, host: string): string {
  return `${username}@${host}`;
}

/** A `PRIShowSpans` item (sig_pri.c `sig_pri_ami_show_spans`: Span, DChannel, Order, Active, Alarm, Up). */
export function readDChannel(m: PbxMessage): { span: number; d: PbxTrunkDChannel } | undefined {
  const span = int(m, 'Span');
  const dchannel = int(m, 'DChannel');
  if (span === undefined || dchannel === undefined) return undefined;
  return {
    span,
    d: compact({
      dchannel,
      order: str(m, 'Order'),
      active: yes(m, 'Active'),
      alarm: yes(m, 'Alarm'),
      up: yes(m, 'Up'),
    }),
  };
}

/** A contact of `ContactStatusDetail` (PJSIPShowEndpoint) or a `ContactStatus` event. */
export function readContact(m: PbxMessage): PbxTrunkContact | undefined {
  const uri = str(m, 'URI', 'Uri');
  if (!uri) return undefined;
  return compact({
    uri,
    status: raw(m, 'Status', 'ContactStatus') ?? 'Unknown',
    roundtripUsec: int(m, 'RoundtripUsec'),
  });
}

/** Comma list (Asterisk leaves a trailing comma). */
export function commaList(v: string | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Endpoint qualify state from its contacts: one `Reachable` contact is enough; only `Unreachable` ones, or none, is
 * unreachable. Contacts that are not qualified (`NonQualified`, `Unknown`) count as reachable (Asterisk does not
 * check them), and the reason says so.
 */
export function contactsState(contacts: readonly PbxTrunkContact[]): {
  state: PbxTrunkState;
  reason: string;
} {
  if (contacts.length === 0) return { state: 'unreachable', reason: 'No contacts' };
  const st = contacts.map((c) => c.status.toLowerCase());
  if (st.includes('reachable')) return { state: 'reachable', reason: 'Reachable' };
  if (st.every((s) => s === 'unreachable')) return { state: 'unreachable', reason: 'Unreachable' };
  const words = [...new Set(contacts.map((c) => c.status))].join(', ');
  return { state: 'reachable', reason: `Not qualified (${words})` };
}
