/**
 * `TrunkBook`: the trunks of one server — PJSIP and chan_sip registrations, PJSIP trunk endpoints, DAHDI spans —
 * kept from their list actions and events. Like the other books, events seen while a re-snapshot is in flight win
 * over the (older) list replies.
 */
import type { ChangeSink } from './fields.js';
import { raw, str } from './fields.js';
import { copy, TrunkEntries, type TrunkEntry } from './trunk-entries.js';
import {
  commaList,
  contactsState,
  pjsipRegistrationState,
  readContact,
  readRegistration,
  readSipRegistry,
  sipRegistrationState,
  sipRegistryName,
} from './trunk-parse.js';
import { SpanBook } from './trunk-spans.js';
import type {
  PbxTrunk,
  PbxTrunkEndpoint,
  PbxTrunkKind,
  PbxTrunkOptions,
  PbxTrunkState,
} from './trunk-types.js';
import type { PbxMessage } from './types.js';

/** Default of `registeringTimeoutMs`: longer than a SIP transaction timeout (32 s), see the trunk fixture. */
const REGISTERING_TIMEOUT_MS = 60_000;
/** Bound of the `Registry` events kept for registrations the model does not know yet. */
const MAX_LATE = 256;

/** A `Registry` event that named a registration not known yet. */
interface LateRegistry {
  status: string;
  cause?: string;
}

/** Trunks of one server. */
export class TrunkBook {
  private readonly t: TrunkEntries;
  private readonly spanBook: SpanBook;
  private readonly late = new Map<string, LateRegistry>();
  private readonly configured: ReadonlySet<string>;
  private readonly registeringMs: number;

  /**
   * @param sink where changes go
   * @param options trunk endpoints and DAHDI spans to watch, registering timeout
   */
  constructor(sink: ChangeSink, options: PbxTrunkOptions = {}) {
    this.t = new TrunkEntries(sink);
    this.configured = new Set(options.endpoints ?? []);
    const spans = new Map(Object.entries(options.dahdiSpans ?? {}).map(([k, v]) => [Number(k), v] as const));
    this.spanBook = new SpanBook(this.t, spans);
    this.registeringMs = options.registeringTimeoutMs ?? REGISTERING_TIMEOUT_MS;
  }

  /** Copies of every trunk. */
  list(): PbxTrunk[] {
    return this.t.list();
  }

  /** A copy of one trunk. */
  get(id: string): PbxTrunk | undefined {
    return this.t.get(id);
  }

  /** A re-snapshot starts. */
  beginSnapshot(): void {
    this.t.fresh = new Set();
  }

  /** The re-snapshot is over. */
  endSnapshot(): void {
    this.t.fresh = undefined;
    this.late.clear();
  }

  // ---- registrations ----------------------------------------------------------------------------------------

  /** `Registry` event: PJSIP (`Username` = client URI, `Domain` = server URI) or chan_sip (user, host, `Cause`). */
  registry(m: PbxMessage, now: number): void {
    const tech = (raw(m, 'ChannelType', 'ChannelDriver') ?? '').trim().toUpperCase();
    const user = raw(m, 'Username');
    const domain = raw(m, 'Domain');
    const status = raw(m, 'Status') ?? '';
    if (!user || !domain || (tech !== 'PJSIP' && tech !== 'SIP')) return;
    const cause = str(m, 'Cause');
    const e =
      tech === 'PJSIP'
        ? this.pjsipByUris(user, domain)
        : this.t.byName('sip-registration', sipRegistryName(user, domain));
    if (!e) {
      if (this.late.size >= MAX_LATE) this.late.delete(this.late.keys().next().value as string);
      this.late.set(lateKey(tech, user, domain), cause === undefined ? { status } : { status, cause });
      return;
    }
    this.registryState(e, tech, status, cause, now);
    this.t.emit(e, false);
  }

  /** Applies `PJSIPShowRegistrationsOutbound` (`PJSIP`) or `SIPshowregistry` (`SIP`) items; others are skipped. */
  applyRegistrations(items: PbxMessage[], tech: 'PJSIP' | 'SIP', now: number): void {
    const kind: PbxTrunkKind = tech === 'PJSIP' ? 'pjsip-registration' : 'sip-registration';
    const want = tech === 'PJSIP' ? 'outboundregistrationdetail' : 'registryentry';
    const seen = new Set<string>();
    for (const m of items) {
      // `AuthDetail` items ride in the same list (with the password): never read.
      if (m.event?.toLowerCase() !== want) continue;
      const r = tech === 'PJSIP' ? readRegistration(m) : readSipRegistry(m);
      if (!r.name) continue;
      const state = tech === 'PJSIP' ? pjsipRegistrationState(r.status) : sipRegistrationState(r.status);
      const { e, added } = this.t.ensure(kind, r.name, state, now, r.status);
      seen.add(e.t.id);
      if ('serverUri' in r.detail) e.t.registration = r.detail;
      else e.t.sipRegistry = r.detail;
      const late = this.late.get(this.lateKeyOf(e));
      if (late) {
        this.late.delete(this.lateKeyOf(e));
        this.registryState(e, tech, late.status, late.cause, now);
      } else if (!added && !this.t.fresh?.has(e.t.id) && !this.stillRegistering(e, now)) {
        e.pending = undefined;
        this.t.set(e, state, r.status, r.status, now);
      }
      this.t.emit(e, added);
    }
    this.t.prune(kind, seen);
  }

  /** Marks a registration `registering` (a REGISTER was just asked for); returns the trunk, or undefined. */
  markRegistering(id: string, reason: string, now: number): PbxTrunk | undefined {
    const e = this.t.map.get(id);
    if (!e) return undefined;
    e.pending = now;
    this.t.fresh?.add(id);
    this.t.set(e, 'registering', reason, e.t.status, now);
    this.t.emit(e, false);
    return copy(e.t);
  }

  /** Ends a `registering` mark that Asterisk refused (`reason` = its message); the last known state is restored. */
  registerFailed(id: string, state: PbxTrunkState, reason: string, now: number): void {
    const e = this.t.map.get(id);
    if (!e || e.pending === undefined) return;
    e.pending = undefined;
    this.t.set(e, state, reason, e.t.status, now);
    this.t.emit(e, false);
  }

  /** Forgets a pending `registering` mark (an unregister was asked for: its `Unregistered` must count). */
  clearPending(id: string): void {
    const e = this.t.map.get(id);
    if (e) e.pending = undefined;
  }

  private registryState(
    e: TrunkEntry,
    tech: string,
    status: string,
    cause: string | undefined,
    now: number,
  ): void {
    const state = tech === 'PJSIP' ? pjsipRegistrationState(status) : sipRegistrationState(status);
    this.t.fresh?.add(e.t.id);
    // PJSIPRegister of a registered (or rejected) trunk first unregisters it: that `Unregistered` is a step of the
    // attempt (see the trunk fixture), not its outcome.
    if (e.pending !== undefined && state === 'unregistered') {
      e.t.status = status;
      return;
    }
    e.pending = undefined;
    this.t.set(e, state, cause ?? status, status, now);
  }

  private stillRegistering(e: TrunkEntry, now: number): boolean {
    return e.pending !== undefined && now - e.pending < this.registeringMs;
  }

  private pjsipByUris(clientUri: string, serverUri: string): TrunkEntry | undefined {
    for (const e of this.t.map.values()) {
      const r = e.t.registration;
      if (e.t.kind === 'pjsip-registration' && r?.clientUri === clientUri && r.serverUri === serverUri)
        return e;
    }
    return undefined;
  }

  private lateKeyOf(e: TrunkEntry): string {
    if (e.t.registration) return lateKey('PJSIP', e.t.registration.clientUri, e.t.registration.serverUri);
    return lateKey('SIP', e.t.sipRegistry?.username ?? '', e.t.sipRegistry?.host ?? '');
  }

  // ---- PJSIP trunk endpoints --------------------------------------------------------------------------------

  /**
   * Which PJSIP endpoints are trunks: the configured ones, the `Endpoint` of an outbound registration, and every
   * endpoint sharing an `outbound_auth` with a registration (how a registered trunk is usually written).
   */
  trunkEndpoints(endpointItems: PbxMessage[]): Map<string, PbxTrunkEndpoint['reason']> {
    const out = new Map<string, PbxTrunkEndpoint['reason']>();
    for (const n of this.configured) out.set(n, 'configured');
    const auths = new Set<string>();
    for (const e of this.t.map.values()) {
      const r = e.t.registration;
      if (!r) continue;
      if (r.endpoint && !out.has(r.endpoint)) out.set(r.endpoint, 'registration-endpoint');
      if (r.outboundAuth) auths.add(r.outboundAuth);
    }
    for (const m of endpointItems) {
      const name = str(m, 'ObjectName');
      if (!name || out.has(name)) continue;
      if (commaList(raw(m, 'OutboundAuths')).some((a) => auths.has(a))) out.set(name, 'registration-auth');
    }
    return out;
  }

  /**
   * Applies the trunk endpoints: contacts from `ContactStatusDetail` items (PJSIPShowEndpoint) when there are any,
   * else from the `EndpointList` item; endpoints no longer trunks are removed.
   */
  applyTrunkEndpoints(
    names: Map<string, PbxTrunkEndpoint['reason']>,
    endpointItems: PbxMessage[],
    details: Map<string, PbxMessage[]>,
    now: number,
  ): void {
    const seen = new Set<string>();
    const listed = new Map(endpointItems.map((m) => [str(m, 'ObjectName') ?? '', m]));
    for (const [name, why] of names) {
      const contacts = new Map<string, { uri: string; status: string; roundtripUsec?: number }>();
      const d = details.get(name);
      if (d && d.length > 0) {
        for (const m of d) {
          const c = m.event?.toLowerCase() === 'contactstatusdetail' ? readContact(m) : undefined;
          if (c) contacts.set(c.uri, c);
        }
      } else {
        const item = listed.get(name);
        const unavailable = /^unavailable$/i.test(item?.get('DeviceState') ?? '');
        for (const c of commaList(item?.get('Contacts'))) {
          const uri = c.slice(c.indexOf('/') + 1);
          contacts.set(uri, { uri, status: unavailable ? 'Unreachable' : 'Unknown' });
        }
      }
      const cs = contactsState([...contacts.values()]);
      const { e, added } = this.t.ensure('pjsip-endpoint', name, cs.state, now, undefined, cs.reason);
      seen.add(e.t.id);
      if (added || !this.t.fresh?.has(e.t.id)) {
        e.contacts = contacts;
        this.endpointState(e, now);
      }
      if (e.t.endpoint) e.t.endpoint.reason = why;
      this.t.emit(e, added);
    }
    this.t.prune('pjsip-endpoint', seen);
  }

  /** `ContactStatus` event: one contact of a trunk endpoint came, went or changed its qualify status. */
  contactStatus(m: PbxMessage, now: number): void {
    // Asterisk 13's first ContactStatus had no EndpointName; the AOR is named like the endpoint there.
    const name = str(m, 'EndpointName', 'AOR');
    const e = name === undefined ? undefined : this.t.byName('pjsip-endpoint', name);
    const c = readContact(m);
    if (!e || !c) return;
    this.t.fresh?.add(e.t.id);
    e.contacts ??= new Map();
    const old = e.contacts.get(c.uri);
    if (/^removed$/i.test(c.status)) e.contacts.delete(c.uri);
    // `Created` / `Updated` say nothing of reachability: the contact keeps what it had.
    else if (/^(created|updated)$/i.test(c.status))
      e.contacts.set(c.uri, { ...c, status: old?.status ?? 'Unknown' });
    else e.contacts.set(c.uri, c);
    this.endpointState(e, now);
    this.t.emit(e, false);
  }

  private endpointState(e: TrunkEntry, now: number): void {
    const list = [...(e.contacts?.values() ?? [])];
    e.t.endpoint = { reason: e.t.endpoint?.reason ?? 'configured', contacts: list.map((c) => ({ ...c })) };
    const cs = contactsState(list);
    this.t.set(e, cs.state, cs.reason, list[0]?.status, now);
  }

  // ---- DAHDI spans (trunk-spans.ts) --------------------------------------------------------------------------

  /** Applies `PRIShowSpans` and `DAHDIShowChannels` items; configured spans are always there. */
  applyDahdi(priItems: PbxMessage[], channelItems: PbxMessage[], now: number): void {
    this.spanBook.applyDahdi(priItems, channelItems, now);
  }

  /** `SpanAlarm` / `SpanAlarmClear`. */
  spanAlarm(m: PbxMessage, on: boolean, now: number): void {
    this.spanBook.spanAlarm(m, on, now);
  }

  /** `Alarm` / `AlarmClear` of one DAHDI channel. */
  channelAlarm(m: PbxMessage, on: boolean, now: number): void {
    this.spanBook.channelAlarm(m, on, now);
  }
}

function lateKey(tech: string, user: string, domain: string): string {
  return `${tech}\0${user}\0${domain}`;
}
