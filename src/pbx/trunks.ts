/**
 * `TrunkBook`: the trunks of one server — PJSIP and chan_sip registrations, PJSIP trunk endpoints, DAHDI spans —
 * kept from their list actions and events. Like the other books, events seen while a re-snapshot is in flight win
 * over the (older) list replies.
 */
import type { ChangeSink } from './fields.js';
import { int, raw, str } from './fields.js';
import {
  commaList,
  contactsState,
  DAHDI_NO_ALARM,
  isDahdiAlarm,
  pjsipRegistrationState,
  readContact,
  readDChannel,
  readRegistration,
  readSipRegistry,
  sipRegistrationState,
  sipRegistryName,
} from './trunk-parse.js';
import type {
  PbxTrunk,
  PbxTrunkDChannel,
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

interface Entry {
  t: PbxTrunk;
  /** Last emitted JSON (an update is emitted only when something changed). */
  last: string;
  /** When `registering` was set by `markRegistering` (cleared by the next `Registry`). */
  pending?: number;
  /** Endpoint contacts by URI. */
  contacts?: Map<string, { uri: string; status: string; roundtripUsec?: number }>;
  /** Span seen in an event or configured: list replies never remove it. */
  sticky?: boolean;
  /** What put a span in alarm (channel alarms only clear what channel alarms set). */
  alarmBy?: 'span' | 'channels' | 'pri';
}

/** A `Registry` event that named a registration not known yet. */
interface LateRegistry {
  status: string;
  cause?: string;
}

/** Trunks of one server. */
export class TrunkBook {
  private readonly entries = new Map<string, Entry>();
  /** DAHDI channel number → alarm text (`No Alarm` when fine) and whether a call uses it. */
  private readonly dahdi = new Map<number, { alarm: string; inUse: boolean }>();
  private readonly late = new Map<string, LateRegistry>();
  /** While a re-snapshot is in flight: trunk ids (and `ch:<n>` DAHDI channels) changed by newer events. */
  private fresh: Set<string> | undefined;
  private readonly configured: ReadonlySet<string>;
  private readonly spans: ReadonlyMap<number, readonly [number, number]>;
  private readonly registeringMs: number;

  /**
   * @param sink where changes go
   * @param options trunk endpoints and DAHDI spans to watch, registering timeout
   */
  constructor(
    private readonly sink: ChangeSink,
    options: PbxTrunkOptions = {},
  ) {
    this.configured = new Set(options.endpoints ?? []);
    this.spans = new Map(Object.entries(options.dahdiSpans ?? {}).map(([k, v]) => [Number(k), v]));
    this.registeringMs = options.registeringTimeoutMs ?? REGISTERING_TIMEOUT_MS;
  }

  /** Copies of every trunk. */
  list(): PbxTrunk[] {
    return [...this.entries.values()].map((e) => copy(e.t));
  }

  /** A copy of one trunk. */
  get(id: string): PbxTrunk | undefined {
    const e = this.entries.get(id);
    return e ? copy(e.t) : undefined;
  }

  /** A re-snapshot starts. */
  beginSnapshot(): void {
    this.fresh = new Set();
  }

  /** The re-snapshot is over. */
  endSnapshot(): void {
    this.fresh = undefined;
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
        : this.byName('sip-registration', sipRegistryName(user, domain));
    if (!e) {
      if (this.late.size >= MAX_LATE) this.late.delete(this.late.keys().next().value as string);
      this.late.set(lateKey(tech, user, domain), cause === undefined ? { status } : { status, cause });
      return;
    }
    this.registryState(e, tech, status, cause, now);
    this.emit(e, false);
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
      const { e, added } = this.ensure(kind, r.name, state, now, r.status);
      seen.add(e.t.id);
      if ('serverUri' in r.detail) e.t.registration = r.detail;
      else e.t.sipRegistry = r.detail;
      const late = this.late.get(this.lateKeyOf(e));
      if (late) {
        this.late.delete(this.lateKeyOf(e));
        this.registryState(e, tech, late.status, late.cause, now);
      } else if (!added && !this.fresh?.has(e.t.id) && !this.stillRegistering(e, now)) {
        e.pending = undefined;
        this.set(e, state, r.status, r.status, now);
      }
      this.emit(e, added);
    }
    this.prune(kind, seen);
  }

  /** Marks a registration `registering` (a REGISTER was just asked for); returns the trunk, or undefined. */
  markRegistering(id: string, reason: string, now: number): PbxTrunk | undefined {
    const e = this.entries.get(id);
    if (!e) return undefined;
    e.pending = now;
    this.fresh?.add(id);
    this.set(e, 'registering', reason, e.t.status, now);
    this.emit(e, false);
    return copy(e.t);
  }

  /** Ends a `registering` mark that Asterisk refused (`reason` = its message); the last known state is restored. */
  registerFailed(id: string, state: PbxTrunkState, reason: string, now: number): void {
    const e = this.entries.get(id);
    if (!e || e.pending === undefined) return;
    e.pending = undefined;
    this.set(e, state, reason, e.t.status, now);
    this.emit(e, false);
  }

  /** Forgets a pending `registering` mark (an unregister was asked for: its `Unregistered` must count). */
  clearPending(id: string): void {
    const e = this.entries.get(id);
    if (e) e.pending = undefined;
  }

  private registryState(
    e: Entry,
    tech: string,
    status: string,
    cause: string | undefined,
    now: number,
  ): void {
    const state = tech === 'PJSIP' ? pjsipRegistrationState(status) : sipRegistrationState(status);
    this.fresh?.add(e.t.id);
    // PJSIPRegister of a registered (or rejected) trunk first unregisters it: that `Unregistered` is a step of the
    // attempt (see the trunk fixture), not its outcome.
    if (e.pending !== undefined && state === 'unregistered') {
      e.t.status = status;
      return;
    }
    e.pending = undefined;
    this.set(e, state, cause ?? status, status, now);
  }

  private stillRegistering(e: Entry, now: number): boolean {
    return e.pending !== undefined && now - e.pending < this.registeringMs;
  }

  private pjsipByUris(clientUri: string, serverUri: string): Entry | undefined {
    for (const e of this.entries.values()) {
      const r = e.t.registration;
      if (e.t.kind === 'pjsip-registration' && r?.clientUri === clientUri && r.serverUri === serverUri)
        return e;
    }
    return undefined;
  }

  private lateKeyOf(e: Entry): string {
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
    for (const e of this.entries.values()) {
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
      const { e, added } = this.ensure('pjsip-endpoint', name, cs.state, now, undefined, cs.reason);
      seen.add(e.t.id);
      if (added || !this.fresh?.has(e.t.id)) {
        e.contacts = contacts;
        this.endpointState(e, now);
      }
      if (e.t.endpoint) e.t.endpoint.reason = why;
      this.emit(e, added);
    }
    this.prune('pjsip-endpoint', seen);
  }

  /** `ContactStatus` event: one contact of a trunk endpoint came, went or changed its qualify status. */
  contactStatus(m: PbxMessage, now: number): void {
    const name = str(m, 'EndpointName');
    const e = name === undefined ? undefined : this.byName('pjsip-endpoint', name);
    const c = readContact(m);
    if (!e || !c) return;
    this.fresh?.add(e.t.id);
    e.contacts ??= new Map();
    const old = e.contacts.get(c.uri);
    if (/^removed$/i.test(c.status)) e.contacts.delete(c.uri);
    // `Created` / `Updated` say nothing of reachability: the contact keeps what it had.
    else if (/^(created|updated)$/i.test(c.status))
      e.contacts.set(c.uri, { ...c, status: old?.status ?? 'Unknown' });
    else e.contacts.set(c.uri, c);
    this.endpointState(e, now);
    this.emit(e, false);
  }

  private endpointState(e: Entry, now: number): void {
    const list = [...(e.contacts?.values() ?? [])];
    e.t.endpoint = { reason: e.t.endpoint?.reason ?? 'configured', contacts: list.map((c) => ({ ...c })) };
    const cs = contactsState(list);
    this.set(e, cs.state, cs.reason, list[0]?.status, now);
  }

  // ---- DAHDI spans -------------------------------------------------------------------------------------------

  /** Applies `PRIShowSpans` and `DAHDIShowChannels` items; configured spans are always there. */
  applyDahdi(priItems: PbxMessage[], channelItems: PbxMessage[], now: number): void {
    for (const n of [...this.dahdi.keys()]) if (!this.fresh?.has(`ch:${n}`)) this.dahdi.delete(n);
    for (const m of channelItems) {
      const n = int(m, 'DAHDIChannel');
      if (n === undefined || m.event?.toLowerCase() !== 'dahdishowchannels' || this.fresh?.has(`ch:${n}`))
        continue;
      this.dahdi.set(n, { alarm: raw(m, 'Alarm') ?? DAHDI_NO_ALARM, inUse: str(m, 'Channel') !== undefined });
    }
    const pri = new Map<number, PbxTrunkDChannel[]>();
    for (const m of priItems) {
      const r = m.event?.toLowerCase() === 'prishowspans' ? readDChannel(m) : undefined;
      if (r) pri.set(r.span, [...(pri.get(r.span) ?? []), r.d]);
    }
    const seen = new Set<string>();
    for (const span of new Set([...pri.keys(), ...this.spans.keys()])) {
      const { e, added } = this.ensure('dahdi-span', String(span), 'up', now);
      seen.add(e.t.id);
      if (this.spans.has(span)) e.sticky = true;
      e.t.span = { ...this.spanCounts(span), dchannels: pri.get(span) ?? [] };
      if (added || !this.fresh?.has(e.t.id)) this.spanFromLists(e, now);
      this.emit(e, added);
    }
    this.prune('dahdi-span', seen, (e) => e.sticky === true);
  }

  /** `SpanAlarm` (`Span`, `Alarm`) or `SpanAlarmClear` (`Span`): chan_dahdi.c `handle_alarms` / `handle_clear_alarms`. */
  spanAlarm(m: PbxMessage, on: boolean, now: number): void {
    const span = int(m, 'Span');
    if (span === undefined) return;
    const alarm = raw(m, 'Alarm') ?? '';
    const { e, added } = this.ensure(
      'dahdi-span',
      String(span),
      on ? 'alarm' : 'up',
      now,
      on ? alarm : undefined,
    );
    e.sticky = true;
    e.t.span ??= { dchannels: [], ...this.spanCounts(span) };
    this.fresh?.add(e.t.id);
    if (on) {
      e.alarmBy = 'span';
      this.set(e, 'alarm', alarm, alarm, now);
    } else {
      e.alarmBy = undefined;
      this.set(e, 'up', 'Alarm cleared', DAHDI_NO_ALARM, now);
    }
    this.emit(e, added);
  }

  /** `Alarm` (`DAHDIChannel`, `Alarm`) or `AlarmClear` (`DAHDIChannel`) of one DAHDI channel. */
  channelAlarm(m: PbxMessage, on: boolean, now: number): void {
    const n = int(m, 'DAHDIChannel');
    if (n === undefined) return;
    this.fresh?.add(`ch:${n}`);
    const old = this.dahdi.get(n);
    this.dahdi.set(n, {
      alarm: on ? (raw(m, 'Alarm') ?? 'Unknown Alarm') : DAHDI_NO_ALARM,
      inUse: old?.inUse ?? false,
    });
    for (const [span, [first, last]] of this.spans) {
      if (n < first || n > last) continue;
      const e = this.byName('dahdi-span', String(span));
      if (!e) continue;
      this.fresh?.add(e.t.id);
      e.t.span = { ...this.spanCounts(span), dchannels: e.t.span?.dchannels ?? [] };
      const down = this.channelsDown(span);
      if (down !== undefined && e.t.state !== 'alarm') {
        e.alarmBy = 'channels';
        this.set(e, 'alarm', down, down, now);
      } else if (down === undefined && e.t.state === 'alarm' && e.alarmBy === 'channels') {
        e.alarmBy = undefined;
        this.set(e, 'up', 'Alarm cleared', DAHDI_NO_ALARM, now);
      }
      this.emit(e, false);
    }
  }

  private spanFromLists(e: Entry, now: number): void {
    const span = Number(e.t.name);
    const down = this.channelsDown(span);
    const d = e.t.span?.dchannels ?? [];
    if (down !== undefined) {
      e.alarmBy = 'channels';
      this.set(e, 'alarm', down, down, now);
    } else if (d.length > 0 && d.every((x) => x.alarm)) {
      e.alarmBy = 'pri';
      this.set(e, 'alarm', 'D-channel in alarm', 'Alarm', now);
    } else if (d.length > 0 && !d.some((x) => x.up)) {
      e.alarmBy = 'pri';
      this.set(e, 'alarm', 'D-channel down', 'Down', now);
    } else if (e.t.state === 'alarm' && e.alarmBy === 'span') {
      // A SpanAlarm without its clear: the lists cannot tell better (no range, no PRI) unless they show it up.
      if (d.length === 0 && !this.spans.has(span)) return;
      e.alarmBy = undefined;
      this.set(e, 'up', 'Up', 'Up', now);
    } else {
      e.alarmBy = undefined;
      this.set(e, 'up', e.t.state === 'alarm' ? 'Up' : undefined, undefined, now);
    }
  }

  /** The common alarm text when every channel of a configured span is in alarm, else undefined. */
  private channelsDown(span: number): string | undefined {
    const range = this.spans.get(span);
    if (!range) return undefined;
    let text: string | undefined;
    let any = false;
    for (let n = range[0]; n <= range[1]; n++) {
      const c = this.dahdi.get(n);
      if (!c) continue;
      any = true;
      if (!isDahdiAlarm(c.alarm)) return undefined;
      text ??= c.alarm;
    }
    return any ? text : undefined;
  }

  private spanCounts(span: number): {
    span: number;
    channelsTotal?: number;
    channelsUp?: number;
    channelsInUse?: number;
  } {
    const range = this.spans.get(span);
    if (!range) return { span };
    let total = 0;
    let up = 0;
    let inUse = 0;
    for (let n = range[0]; n <= range[1]; n++) {
      const c = this.dahdi.get(n);
      if (!c) continue;
      total++;
      if (!isDahdiAlarm(c.alarm)) up++;
      if (c.inUse) inUse++;
    }
    return { span, channelsTotal: total, channelsUp: up, channelsInUse: inUse };
  }

  // ---- shared ------------------------------------------------------------------------------------------------

  private byName(kind: PbxTrunkKind, name: string): Entry | undefined {
    return this.entries.get(`${this.sink.server}/${kind}/${name}`);
  }

  private ensure(
    kind: PbxTrunkKind,
    name: string,
    state: PbxTrunkState,
    now: number,
    status?: string,
    reason?: string,
  ): { e: Entry; added: boolean } {
    const id = `${this.sink.server}/${kind}/${name}`;
    const old = this.entries.get(id);
    if (old) return { e: old, added: false };
    const t: PbxTrunk = { id, server: this.sink.server, name, kind, state, since: now };
    if (reason ?? status) t.reason = (reason ?? status) as string;
    if (status) t.status = status;
    const e: Entry = { t, last: '' };
    this.entries.set(id, e);
    return { e, added: true };
  }

  /** Sets the state; `since` and `previousState` move only when the state really changes. */
  private set(
    e: Entry,
    state: PbxTrunkState,
    reason: string | undefined,
    status: string | undefined,
    now: number,
  ): void {
    if (e.t.state !== state) {
      e.t.previousState = e.t.state;
      e.t.state = state;
      e.t.since = now;
    }
    if (reason !== undefined && reason !== '') e.t.reason = reason;
    if (status !== undefined && status !== '') e.t.status = status;
  }

  private emit(e: Entry, added: boolean): void {
    const json = JSON.stringify(e.t);
    if (!added && json === e.last) return;
    e.last = json;
    this.sink.push('trunk', added ? 'add' : 'update', e.t.id, copy(e.t));
  }

  private prune(kind: PbxTrunkKind, seen: Set<string>, keep?: (e: Entry) => boolean): void {
    for (const [id, e] of [...this.entries]) {
      if (e.t.kind !== kind || seen.has(id) || this.fresh?.has(id) || keep?.(e)) continue;
      this.entries.delete(id);
      this.sink.push('trunk', 'remove', id, copy(e.t));
    }
  }
}

function lateKey(tech: string, user: string, domain: string): string {
  return `${tech}\0${user}\0${domain}`;
}

/** A deep enough copy for callers (nested detail objects and arrays are copied). */
function copy(t: PbxTrunk): PbxTrunk {
  return structuredClone(t);
}
