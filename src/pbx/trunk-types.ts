/** Public types of trunks and lines: SIP registrations, PJSIP trunk endpoints and DAHDI E1/T1 spans. */

/** What kind of line a trunk is, and so where its state comes from. */
export type PbxTrunkKind = 'pjsip-registration' | 'sip-registration' | 'pjsip-endpoint' | 'dahdi-span';

/**
 * State of a trunk. Registrations: `registered`, `registering` (a REGISTER is in flight: from `PJSIPRegister` until
 * the next `Registry` event), `rejected` (refused or no answer), `unregistered`. Endpoints: `reachable` /
 * `unreachable` (qualify). Spans: `up` / `alarm`.
 */
export type PbxTrunkState =
  | 'registered'
  | 'registering'
  | 'rejected'
  | 'unregistered'
  | 'reachable'
  | 'unreachable'
  | 'up'
  | 'alarm';

/** Details of a PJSIP outbound registration (`OutboundRegistrationDetail`; its `AuthDetail` is never kept). */
export interface PbxTrunkRegistration {
  /** Registrar, e.g. `sip:127.0.0.1:5262` (the `Domain` of its `Registry` events). */
  serverUri: string;
  /** Address of record, e.g. `sip:trunk-master@127.0.0.1:5262` (the `Username` of its `Registry` events). */
  clientUri: string;
  /** Endpoint named by the registration for incoming calls, when set. */
  endpoint?: string;
  /** Its `outbound_auth` section name (never the credentials). */
  outboundAuth?: string;
  /** Transport. */
  transport?: string;
  /** Requested expiration (s). */
  expiration?: number;
  /** `NextReg` as Asterisk reports it (s until the next REGISTER; 0 when none is scheduled). */
  nextReg?: number;
}

/** Details of a chan_sip registration (`RegistryEntry` of `SIPshowregistry`). */
export interface PbxTrunkSipRegistry {
  /** Registrar host. */
  host: string;
  /** Registrar port. */
  port?: number;
  /** User registered. */
  username: string;
  /** Registration domain (the host when not set). */
  domain?: string;
  /** Refresh interval (s). */
  refresh?: number;
  /** Epoch seconds of the last successful registration (0 = never). */
  registrationTime?: number;
}

/** One contact of a PJSIP trunk endpoint and its qualify status. */
export interface PbxTrunkContact {
  /** Contact URI. */
  uri: string;
  /** `Reachable`, `Unreachable`, `NonQualified`, `Unknown`… as Asterisk spells it. */
  status: string;
  /** Round trip of the last qualify (µs), when known. */
  roundtripUsec?: number;
}

/** Details of a PJSIP endpoint used as a trunk. */
export interface PbxTrunkEndpoint {
  /** Why the model treats it as a trunk. */
  reason: 'configured' | 'registration-endpoint' | 'registration-auth';
  /** Contacts and their qualify status. */
  contacts: PbxTrunkContact[];
}

/** One D-channel of a PRI span (`PRIShowSpans` item). */
export interface PbxTrunkDChannel {
  /** DAHDI channel number of the D-channel. */
  dchannel: number;
  /** `Primary`, `Secondary`… */
  order?: string;
  /** The D-channel in use. */
  active: boolean;
  /** In alarm. */
  alarm: boolean;
  /** Layer 2 up. */
  up: boolean;
}

/** Details of a DAHDI span. */
export interface PbxTrunkSpan {
  /** Span number. */
  span: number;
  /** D-channels (PRI spans only). */
  dchannels: PbxTrunkDChannel[];
  /** DAHDI channels of the span (when its channel range is configured). */
  channelsTotal?: number;
  /** Of those, channels not in alarm. */
  channelsUp?: number;
  /** Of those, channels with a call (an Asterisk channel attached). */
  channelsInUse?: number;
}

/** A trunk or line of one server. Times are epoch milliseconds. */
export interface PbxTrunk {
  /** Globally unique id: `<server>/<kind>/<name>`. */
  id: string;
  /** Server id. */
  server: string;
  /** Registration name, `user@host` (chan_sip), endpoint name, or span number. */
  name: string;
  /** Kind. */
  kind: PbxTrunkKind;
  /** State now. */
  state: PbxTrunkState;
  /** State before the last state change (absent when first seen). */
  previousState?: PbxTrunkState;
  /** When the state last changed (or when the model first saw the trunk). */
  since: number;
  /** Last reason: Asterisk's status or cause text, the alarm text, `PJSIPRegister sent`… */
  reason?: string;
  /** The status word Asterisk last reported, as spelled (`Rejected`, `Request Sent`, `Red Alarm`…). */
  status?: string;
  /** PJSIP outbound registration details. */
  registration?: PbxTrunkRegistration;
  /** chan_sip registration details. */
  sipRegistry?: PbxTrunkSipRegistry;
  /** PJSIP trunk endpoint details. */
  endpoint?: PbxTrunkEndpoint;
  /** DAHDI span details. */
  span?: PbxTrunkSpan;
}

/** How a model finds trunks beyond what Asterisk lists on its own. */
export interface PbxTrunkOptions {
  /** PJSIP endpoints to watch as trunks (besides those recognised from the outbound registrations). */
  endpoints?: readonly string[];
  /**
   * DAHDI spans to watch even without PRI (e.g. MFC/R2 E1), with their first and last DAHDI channel numbers:
   * `{ 1: [1, 31] }`. The range also lets the model count the span's channels up and in use.
   */
  dahdiSpans?: Readonly<Record<number, readonly [first: number, last: number]>>;
  /** How long `registering` outlives a silent Asterisk before list replies may overrule it (default 60,000 ms). */
  registeringTimeoutMs?: number;
}
