/**
 * Typed trunk events: `Registry` (main/stasis_system.c `system_registry_to_ami`; chan_sip ≤ 11 wrote it itself) and
 * the DAHDI alarms `Alarm` / `AlarmClear` / `SpanAlarm` / `SpanAlarmClear` (chan_dahdi.c `handle_alarms`,
 * `handle_clear_alarms`). `parseTrunkEvent` returns undefined for any other event.
 */
import type { AmiEventBase } from './event-base.js';
import { num, opt, req } from './fields.js';
import type { AmiPacket } from './runner.js';

/** `Registry`: an outbound registration's outcome. */
export interface RegistryEvent extends AmiEventBase<'Registry'> {
  /** `PJSIP`, `SIP`, `IAX2` (`ChannelDriver` on very old chan_sip). */
  channelType: string;
  /** PJSIP: the client URI; chan_sip: the user. */
  username: string;
  /** PJSIP: the server URI; chan_sip: the host. */
  domain: string;
  /** `Registered`, `Unregistered`, `Rejected`, `Failed`… */
  status: string;
  /** Why it was rejected, when Asterisk says (written only when set). */
  cause?: string | undefined;
}

/** `Alarm` / `AlarmClear`: one DAHDI channel. */
export interface DahdiChannelAlarmEvent extends AmiEventBase<'Alarm' | 'AlarmClear'> {
  /** DAHDI channel number (not an Asterisk channel). */
  dahdiChannel: number;
  /** Alarm text (`Red Alarm`…); absent on `AlarmClear`. */
  alarm?: string | undefined;
}

/** `SpanAlarm` / `SpanAlarmClear`: one DAHDI span. */
export interface DahdiSpanAlarmEvent extends AmiEventBase<'SpanAlarm' | 'SpanAlarmClear'> {
  /** Span number. */
  span: number;
  /** Alarm text; absent on `SpanAlarmClear`. */
  alarm?: string | undefined;
}

/** Any trunk event. */
export type AmiTrunkEvent = RegistryEvent | DahdiChannelAlarmEvent | DahdiSpanAlarmEvent;

function base<T extends string>(m: AmiPacket, type: T) {
  return { type, name: m.event ?? type, legacy: false, privilege: opt(m, 'Privilege'), raw: m };
}

/** The typed form of a trunk event, or undefined when `m` is not one. */
export function parseTrunkEvent(m: AmiPacket): AmiTrunkEvent | undefined {
  switch (m.event?.toLowerCase()) {
    case 'registry': {
      const legacy = m.get('ChannelType') === undefined && m.get('ChannelDriver') !== undefined;
      return {
        ...base(m, 'Registry'),
        legacy,
        channelType: m.get('ChannelType') ?? req(m, 'ChannelDriver'),
        username: req(m, 'Username'),
        domain: req(m, 'Domain'),
        status: req(m, 'Status'),
        cause: opt(m, 'Cause'),
      };
    }
    case 'alarm':
    case 'alarmclear':
      return {
        ...base(m, m.event?.toLowerCase() === 'alarm' ? 'Alarm' : 'AlarmClear'),
        dahdiChannel: num(m.get('DAHDIChannel')) ?? 0,
        alarm: opt(m, 'Alarm'),
      };
    case 'spanalarm':
    case 'spanalarmclear':
      return {
        ...base(m, m.event?.toLowerCase() === 'spanalarm' ? 'SpanAlarm' : 'SpanAlarmClear'),
        span: num(m.get('Span')) ?? 0,
        alarm: opt(m, 'Alarm'),
      };
    default:
      return undefined;
  }
}
