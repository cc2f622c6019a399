/** Typed list items of the PJSIP / chan_sip and hint-state actions. */
import { bool, num, opt, req } from './fields.js';
import type { AmiPacket } from './runner.js';

/** A PJSIP endpoint from `PJSIPShowEndpoints`. */
export interface PjsipEndpoint {
  /** Endpoint name. */
  name: string;
  /** Transport. */
  transport?: string | undefined;
  /** AORs (comma list). */
  aors: string[];
  /** Inbound auth sections. */
  auths: string[];
  /** Outbound auth sections. */
  outboundAuths: string[];
  /** Registered contacts, `aor/uri` (the trailing comma Asterisk writes is dropped). */
  contacts: string[];
  /** Device state text, e.g. `Not in use`, `Unavailable`. */
  deviceState?: string | undefined;
  /** Active channels. */
  activeChannels?: number | undefined;
}

/** Comma list to array, dropping empty entries (Asterisk leaves a trailing comma). */
function list(v: string | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Parses an `EndpointList` item. */
export function parsePjsipEndpoint(m: AmiPacket): PjsipEndpoint {
  return {
    name: req(m, 'ObjectName'),
    transport: opt(m, 'Transport'),
    aors: list(m.get('Aor')),
    auths: list(m.get('Auths')),
    outboundAuths: list(m.get('OutboundAuths')),
    contacts: m.getAll('Contacts').flatMap(list),
    deviceState: opt(m, 'DeviceState'),
    activeChannels: num(m.get('ActiveChannels')),
  };
}

/** A PJSIP contact from `PJSIPShowContacts`. */
export interface PjsipContact {
  /** Sorcery id, e.g. `alonso;@<hash>`. */
  id: string;
  /** The AOR part of the id. */
  aor: string;
  /** Endpoint. */
  endpoint?: string | undefined;
  /** Contact URI. */
  uri?: string | undefined;
  /** `Reachable`, `Unreachable`, `Unknown`, `NonQualified`, `Removed`. */
  status?: string | undefined;
  /** Round trip (µs); `N/A` → undefined. */
  roundtripUsec?: number | undefined;
  /** Expiry, epoch seconds. */
  expirationTime?: number | undefined;
  /** The phone's User-Agent. */
  userAgent?: string | undefined;
  /** Via address. */
  viaAddr?: string | undefined;
  /** SIP Call-ID of the registration. */
  callId?: string | undefined;
  /** Qualify frequency (s). */
  qualifyFrequency?: number | undefined;
}

/** Parses a `ContactList` item. */
export function parsePjsipContact(m: AmiPacket): PjsipContact {
  const id = req(m, 'ObjectName');
  const cut = id.indexOf(';@');
  return {
    id,
    aor: cut >= 0 ? id.slice(0, cut) : id,
    endpoint: opt(m, 'Endpoint'),
    uri: opt(m, 'Uri'),
    status: opt(m, 'Status'),
    roundtripUsec: num(m.get('RoundtripUsec')),
    expirationTime: num(m.get('ExpirationTime')),
    userAgent: opt(m, 'UserAgent'),
    viaAddr: opt(m, 'ViaAddr'),
    callId: opt(m, 'CallId'),
    qualifyFrequency: num(m.get('QualifyFrequency')),
  };
}

/** A chan_sip peer from `SIPpeers` (`PeerEntry`, Asterisk ≤ 20). */
export interface SipPeer {
  /** Peer name. */
  name: string;
  /** `SIP`. */
  channelType?: string | undefined;
  /** `peer` or `user`. */
  chanObjectType?: string | undefined;
  /** IP address (`-none-` → undefined). */
  ipAddress?: string | undefined;
  /** Port (0 when unregistered). */
  ipPort?: number | undefined;
  /** Dynamic host. */
  dynamic?: boolean | undefined;
  /** Status text, e.g. `OK (5 ms)`, `UNKNOWN`. */
  status?: string | undefined;
  /** Description. */
  description?: string | undefined;
  /** Account code. */
  accountCode?: string | undefined;
}

/** Parses a `PeerEntry` item. */
export function parseSipPeer(m: AmiPacket): SipPeer {
  const ip = opt(m, 'IPaddress');
  return {
    name: req(m, 'ObjectName'),
    channelType: opt(m, 'Channeltype'),
    chanObjectType: opt(m, 'ChanObjectType'),
    ipAddress: ip === '-none-' ? undefined : ip,
    ipPort: num(m.get('IPport')),
    dynamic: bool(m.get('Dynamic')),
    status: opt(m, 'Status'),
    description: opt(m, 'Description'),
    accountCode: opt(m, 'Accountcode'),
  };
}

/** Extension hint state (`ExtensionState` reply, `ExtensionStatus` items/events). */
export interface ExtensionState {
  /** Extension. */
  exten: string;
  /** Context. */
  context: string;
  /** Hint, e.g. `PJSIP/alonso`. */
  hint?: string | undefined;
  /** -2 removed, -1 deactivated, 0 idle, 1 in use, 2 busy, 4 unavailable, 8 ringing, 16 hold… */
  status?: number | undefined;
  /** `Idle`, `InUse`, `Ringing`… */
  statusText?: string | undefined;
}

/** Parses an ExtensionState reply or `ExtensionStatus` packet. */
export function parseExtensionState(m: AmiPacket): ExtensionState {
  return {
    exten: req(m, 'Exten'),
    context: req(m, 'Context'),
    hint: opt(m, 'Hint'),
    status: num(m.get('Status')),
    statusText: opt(m, 'StatusText'),
  };
}
