/**
 * `AmiTrunkActions`: `AmiActions` plus the actions of trunks and lines and of phone NOTIFY — outbound registrations
 * (PJSIP and chan_sip), PRI spans, DAHDI channels, `PJSIPNotify` / `SIPnotify`, and a `ListCommands` probe. (CoreSettings,
 * CoreStatus, ListCommands, ModuleLoad and CreateConfig are already typed in `AmiActions`.)
 */
import { AmiActions } from './actions.js';
import { AmiTypedInputError } from './errors.js';
import {
  type NotifyContent,
  notifyFor,
  type PhoneBrand,
  type PhoneNotifyKind,
  type PjsipNotifyTarget,
  pjsipNotifyParams,
  sipNotifyParams,
} from './notify.js';
import {
  type DahdiChannel,
  type PjsipOutboundRegistration,
  type PriSpan,
  parseDahdiChannel,
  parseOutboundRegistration,
  parsePriSpan,
  parseSipRegistryEntry,
  type SipRegistryEntry,
} from './results-trunks.js';
import type { AmiCallOptions, AmiPacket } from './runner.js';

export * from './events-trunks.js';
export * from './notify.js';
export * from './results-trunks.js';

/** A name that goes into a header: non-empty, no control characters. */
function name(field: string, v: string): string {
  if (typeof v !== 'string' || v.trim() === '' || /[\u0000-\u001f\u007f]/.test(v))
    throw new AmiTypedInputError(`${field} must be a non-empty name without control characters`);
  return v;
}

/** A positive integer header (span, DAHDI channel). */
function positive(field: string, v: number | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || v <= 0) throw new AmiTypedInputError(`${field} must be a positive integer`);
  return v;
}

/** Item filter by event name (case-insensitive). */
function isEvent(ev: string): (m: AmiPacket) => boolean {
  const lower = ev.toLowerCase();
  return (m) => m.event?.toLowerCase() === lower;
}

/** Typed actions, trunk and NOTIFY ones included. */
export class AmiTrunkActions extends AmiActions {
  /** PJSIP outbound registrations (the `AuthDetail` items in the same list are skipped: they hold passwords). */
  async pjsipShowRegistrationsOutbound(opts?: AmiCallOptions): Promise<PjsipOutboundRegistration[]> {
    return (await this.call('PJSIPShowRegistrationsOutbound', undefined, opts)).items
      .filter(isEvent('OutboundRegistrationDetail'))
      .map(parseOutboundRegistration);
  }

  /** Sends a REGISTER now (Asterisk unregisters first when registered); resolves with Asterisk's message. */
  async pjsipRegister(registration: string): Promise<string> {
    const r = await this.call('PJSIPRegister', { Registration: name('Registration', registration) });
    return r.message.get('Message') ?? '';
  }

  /** Unregisters and stops re-registering until the next `PJSIPRegister` or reload. */
  async pjsipUnregister(registration: string): Promise<string> {
    const r = await this.call('PJSIPUnregister', { Registration: name('Registration', registration) });
    return r.message.get('Message') ?? '';
  }

  /** chan_sip registrations (`Response: Error` on a server without chan_sip rejects). */
  async sipShowRegistry(opts?: AmiCallOptions): Promise<SipRegistryEntry[]> {
    return (await this.call('SIPshowregistry', undefined, opts)).items
      .filter(isEvent('RegistryEntry'))
      .map(parseSipRegistryEntry);
  }

  /** PRI spans (one item per D-channel); `span` limits to one span. */
  async priShowSpans(span?: number, opts?: AmiCallOptions): Promise<PriSpan[]> {
    return (await this.call('PRIShowSpans', { Span: positive('Span', span) }, opts)).items
      .filter(isEvent('PRIShowSpans'))
      .map(parsePriSpan);
  }

  /** DAHDI channels with their alarm; `dahdiChannel` limits to one. */
  async dahdiShowChannels(dahdiChannel?: number, opts?: AmiCallOptions): Promise<DahdiChannel[]> {
    return (
      await this.call('DAHDIShowChannels', { DAHDIChannel: positive('DAHDIChannel', dahdiChannel) }, opts)
    ).items
      .filter(isEvent('DAHDIShowChannels'))
      .map(parseDahdiChannel);
  }

  /**
   * Sends a SIP NOTIFY through res_pjsip_notify: to an endpoint, a URI or a channel, with a `pjsip_notify.conf`
   * option or `Variable` headers. Asterisk answers `NOTIFY sent` and never reports what the phone replied.
   */
  async pjsipNotify(target: PjsipNotifyTarget, content: NotifyContent): Promise<string> {
    const r = await this.call('PJSIPNotify', pjsipNotifyParams(target, content));
    return r.message.get('Message') ?? '';
  }

  /** chan_sip `SIPnotify` to a peer with `Variable` headers. */
  async sipNotify(
    peer: string,
    variables: ReadonlyArray<string> | Readonly<Record<string, string>>,
    callId?: string,
  ): Promise<string> {
    const r = await this.call('SIPnotify', sipNotifyParams(peer, variables, callId));
    return r.message.get('Message') ?? '';
  }

  /** Resync or reboot one PJSIP phone with its brand's NOTIFY (as `Variable`s: no pjsip_notify.conf section needed). */
  async notifyPhone(endpoint: string, brand: PhoneBrand, kind: PhoneNotifyKind): Promise<string> {
    return this.pjsipNotify({ endpoint }, { variables: notifyFor(brand, kind).variables });
  }

  /**
   * Whether the server knows an action (from `ListCommands`): e.g. `PJSIPNotify` is missing when res_pjsip_notify
   * declined to load for want of `pjsip_notify.conf`.
   */
  async hasCommand(action: string): Promise<boolean> {
    const all = await this.listCommands();
    const want = action.toLowerCase();
    return Object.keys(all).some((k) => k.toLowerCase() === want);
  }
}
