/** Typed list items of the trunk actions: PJSIP and chan_sip registrations, PRI spans, DAHDI channels. */
import { bool, num, opt, req } from './fields.js';
import type { AmiPacket } from './runner.js';

/**
 * A PJSIP outbound registration (`OutboundRegistrationDetail` of `PJSIPShowRegistrationsOutbound`). The list also
 * carries `AuthDetail` items (with the password, although `ListItems` does not count them): they are never parsed.
 */
export interface PjsipOutboundRegistration {
  /** Registration name (`ObjectName`). */
  name: string;
  /** `Registered`, `Unregistered`, `Rejected`, `Stopped` (res_pjsip_outbound_registration.c). */
  status: string;
  /** Registrar URI. */
  serverUri: string;
  /** Address of record. */
  clientUri: string;
  /** Endpoint for incoming calls (empty → undefined). */
  endpoint?: string | undefined;
  /** `outbound_auth` section names (never credentials). */
  outboundAuth?: string | undefined;
  /** Transport. */
  transport?: string | undefined;
  /** Contact user. */
  contactUser?: string | undefined;
  /** Outbound proxy. */
  outboundProxy?: string | undefined;
  /** Requested expiration (s). */
  expiration?: number | undefined;
  /** Retry interval (s). */
  retryInterval?: number | undefined;
  /** Retry interval after 403 (s). */
  forbiddenRetryInterval?: number | undefined;
  /** Maximum retries. */
  maxRetries?: number | undefined;
  /** `NextReg` (s until the next REGISTER; 0 = none scheduled). */
  nextReg?: number | undefined;
  /** Line support. */
  line?: boolean | undefined;
}

/** Parses an `OutboundRegistrationDetail` item. */
export function parseOutboundRegistration(m: AmiPacket): PjsipOutboundRegistration {
  return {
    name: req(m, 'ObjectName'),
    status: req(m, 'Status'),
    serverUri: req(m, 'ServerUri'),
    clientUri: req(m, 'ClientUri'),
    endpoint: opt(m, 'Endpoint'),
    outboundAuth: opt(m, 'OutboundAuth'),
    transport: opt(m, 'Transport'),
    contactUser: opt(m, 'ContactUser'),
    outboundProxy: opt(m, 'OutboundProxy'),
    expiration: num(m.get('Expiration')),
    retryInterval: num(m.get('RetryInterval')),
    forbiddenRetryInterval: num(m.get('ForbiddenRetryInterval')),
    maxRetries: num(m.get('MaxRetries')),
    nextReg: num(m.get('NextReg')),
    line: bool(m.get('Line')),
  };
}

/** A chan_sip registration (`RegistryEntry` of `SIPshowregistry`, chan_sip.c `manager_show_registry`). */
export interface SipRegistryEntry {
  /** Registrar host. */
  host: string;
  /** Registrar port. */
  port?: number | undefined;
  /** User. */
  username: string;
  /** Registration domain. */
  domain?: string | undefined;
  /** Domain port. */
  domainPort?: number | undefined;
  /** Refresh (s). */
  refresh?: number | undefined;
  /** chan_sip `regstate2str`: `Registered`, `Request Sent`, `Auth. Sent`, `Rejected`, `Failed`, `Timeout`… */
  state: string;
  /** Epoch seconds of the last registration (0 = never). */
  registrationTime?: number | undefined;
}

/** Parses a `RegistryEntry` item. */
export function parseSipRegistryEntry(m: AmiPacket): SipRegistryEntry {
  return {
    host: req(m, 'Host'),
    port: num(m.get('Port')),
    username: req(m, 'Username'),
    domain: opt(m, 'Domain'),
    domainPort: num(m.get('DomainPort')),
    refresh: num(m.get('Refresh')),
    state: req(m, 'State'),
    registrationTime: num(m.get('RegistrationTime')),
  };
}

/** One D-channel of a PRI span (`PRIShowSpans` item, sig_pri.c `sig_pri_ami_show_spans`). */
export interface PriSpan {
  /** Span number. */
  span: number;
  /** D-channel number. */
  dchannel: number;
  /** `Primary`, `Secondary`, `Tertiary`, `Quaternary`. */
  order?: string | undefined;
  /** The active D-channel. */
  active: boolean;
  /** In alarm. */
  alarm: boolean;
  /** Layer 2 up. */
  up: boolean;
}

/** Parses a `PRIShowSpans` item. */
export function parsePriSpan(m: AmiPacket): PriSpan {
  return {
    span: num(m.get('Span')) ?? 0,
    dchannel: num(m.get('DChannel')) ?? 0,
    order: opt(m, 'Order'),
    active: bool(m.get('Active')) ?? false,
    alarm: bool(m.get('Alarm')) ?? false,
    up: bool(m.get('Up')) ?? false,
  };
}

/** A DAHDI channel (`DAHDIShowChannels` item, chan_dahdi.c `action_dahdishowchannels`). */
export interface DahdiChannel {
  /** DAHDI channel number (not an Asterisk channel name). */
  dahdiChannel: number;
  /** Signalling, e.g. `ISDN PRI`, `MFC/R2`, `FXS Kewlstart`. */
  signalling: string;
  /** Signalling code. */
  signallingCode?: number | undefined;
  /** Context. */
  context?: string | undefined;
  /** Do not disturb. */
  dnd: boolean;
  /** chan_dahdi `alarm2str`: `No Alarm`, `Red Alarm`, `Yellow Alarm`, `Blue Alarm`, `Recovering`, `Not Open`… */
  alarm: string;
  /** Whether `alarm` is an alarm. */
  inAlarm: boolean;
  /** Description. */
  description?: string | undefined;
  /** Asterisk channel in a call on it. */
  channel?: string | undefined;
  /** Its uniqueid. */
  uniqueid?: string | undefined;
  /** Its account code. */
  accountCode?: string | undefined;
}

/** Parses a `DAHDIShowChannels` item. */
export function parseDahdiChannel(m: AmiPacket): DahdiChannel {
  const alarm = req(m, 'Alarm');
  return {
    dahdiChannel: num(m.get('DAHDIChannel')) ?? 0,
    signalling: req(m, 'Signalling'),
    signallingCode: num(m.get('SignallingCode')),
    context: opt(m, 'Context'),
    dnd: /^enabled$/i.test(req(m, 'DND')),
    alarm,
    inAlarm: alarm !== '' && !/^no alarm$/i.test(alarm),
    description: opt(m, 'Description'),
    channel: opt(m, 'Channel'),
    uniqueid: opt(m, 'Uniqueid'),
    accountCode: opt(m, 'AccountCode'),
  };
}
