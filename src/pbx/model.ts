/**
 * `PbxModel`: the live picture of one Asterisk server, built from AMI events and list-action snapshots.
 * Pure and synchronous: `apply(message, now)` updates the state and returns the numbered change events.
 */
import { BridgeBook } from './bridges.js';
import { CallBook } from './calls.js';
import { ChannelBook, MAX_HINTS } from './channels.js';
import { Directory } from './directory.js';
import { handleEvent } from './events.js';
import { ChangeSink, hms, int, raw, str } from './fields.js';
import { computeKpis, type KpiFact, type KpiOptions, kpiFact } from './kpi.js';
import { QueueBook } from './queues.js';
import type { PbxTrunk, PbxTrunkEndpoint, PbxTrunkOptions, PbxTrunkState } from './trunk-types.js';
import { TrunkBook } from './trunks.js';
import type {
  PbxCallRecord,
  PbxChange,
  PbxChannel,
  PbxKpis,
  PbxMessage,
  PbxServerSnapshot,
} from './types.js';

/** Options of a `PbxModel`. */
export interface PbxModelOptions {
  /** Server id, prefixed to every object id (default `pbx`). */
  server?: string;
  /** How long an ended call waits for late `Cdr` events before its record is emitted (default 2000 ms). */
  recordLingerMs?: number;
  /** KPI window kept in memory and used by `kpis()` and `kpi` changes (default 15 minutes). */
  kpiWindowMs?: number;
  /** Service level threshold (default 20 s). */
  serviceLevelSeconds?: number;
  /** Channel capacity, for utilisation. */
  capacity?: number;
  /** Upper bound of KPI facts kept (default 100,000). */
  maxFacts?: number;
  /** Trunk endpoints and DAHDI spans to watch besides those Asterisk's lists reveal. */
  trunks?: PbxTrunkOptions;
}

/** Events that are list items of actions, never state changes on their own. */
const LIST_ITEMS = new Set([
  'coreshowchannel',
  'status',
  'queueparams',
  'queuemember',
  'queueentry',
  'endpointlist',
  'peerentry',
  'confbridgelist',
  'confbridgelistrooms',
  'bridgelistitem',
]);
/** Channel events without a snapshot block (≤ 11) whose fields still describe the channel. */
const REFRESH = new Set([
  'newchannel',
  'newstate',
  'newexten',
  'newcallerid',
  'newconnectedline',
  'newaccountcode',
]);
/** Events never held while a channel list reply is pending (they create, end or only annotate channels). */
const NOT_HELD = new Set(['newchannel', 'hangup', 'cdr', 'cel']);

/** The live model of one server. */
export class PbxModel {
  /** Server id. */
  readonly server: string;
  private readonly sink: ChangeSink;
  private readonly channels: ChannelBook;
  private readonly bridges: BridgeBook;
  private readonly calls: CallBook;
  private readonly queues: QueueBook;
  private readonly dir: Directory;
  private facts: KpiFact[] = [];
  private tomb: Set<string> | undefined;
  /** Between the first item of a channel list reply and its application: events of channels the model does not
   * know yet wait here, because the reply (older than them) will create those channels. */
  private deferred: { ev: string; m: PbxMessage; now: number }[] | undefined;
  private readonly trunkBook: TrunkBook;
  private readonly opts: Required<Omit<PbxModelOptions, 'capacity' | 'trunks'>> & { capacity?: number };
  private readonly recordListeners: ((r: PbxCallRecord) => void)[] = [];

  /** @param options server id, record linger, KPI window */
  constructor(options: PbxModelOptions = {}) {
    this.opts = {
      server: options.server ?? 'pbx',
      recordLingerMs: options.recordLingerMs ?? 2000,
      kpiWindowMs: options.kpiWindowMs ?? 15 * 60_000,
      serviceLevelSeconds: options.serviceLevelSeconds ?? 20,
      maxFacts: options.maxFacts ?? 100_000,
      capacity: options.capacity,
    };
    this.server = this.opts.server;
    this.sink = new ChangeSink(this.server);
    this.calls = new CallBook(this.sink, this.opts.recordLingerMs);
    this.channels = new ChannelBook(this.sink, this.calls);
    this.bridges = new BridgeBook(this.sink, (uid, bridge, from) =>
      this.channels.setBridge(uid, bridge, from),
    );
    this.queues = new QueueBook(this.sink);
    this.dir = new Directory(this.sink);
    this.trunkBook = new TrunkBook(this.sink, options.trunks);
    this.ctx = this.makeContext();
  }

  /** Sequence number of the last change. */
  get seq(): number {
    return this.sink.seq;
  }

  /** Sizes of the internal maps (they return to zero once every call has ended and its record is out). */
  stats(): {
    channels: number;
    bridges: number;
    calls: number;
    legs: number;
    callers: number;
    hints: number;
    facts: number;
  } {
    return {
      channels: this.channels.map.size,
      bridges: this.bridges.size,
      calls: this.calls.size,
      legs: this.calls.legCount,
      callers: this.queues.entryCount,
      hints: this.channels.hints.size,
      facts: this.facts.length,
    };
  }

  /** The channel with this uniqueid, if live. */
  channel(uniqueid: string): PbxChannel | undefined {
    const s = this.channels.map.get(uniqueid);
    return s ? { ...s.ch } : undefined;
  }

  /** Registers a listener for finished call records (also delivered as `record` changes). */
  onRecord(fn: (r: PbxCallRecord) => void): void {
    this.recordListeners.push(fn);
  }

  /** Applies one AMI event; responses and list items are ignored. Returns the changes it caused. */
  apply(m: PbxMessage, now: number = Date.now()): PbxChange[] {
    const ev = m.event?.toLowerCase();
    if (ev && !LIST_ITEMS.has(ev)) this.dispatch(ev, m, now);
    return this.sink.take();
  }

  /** Emits records of calls that ended more than `recordLingerMs` ago, prunes the KPI window, emits `kpi`. */
  tick(now: number = Date.now(), emitKpi = true): PbxChange[] {
    this.calls.finish(now, false, (r) => this.recorded(r));
    this.prune(now);
    if (emitKpi) this.sink.push('kpi', 'update', `${this.server}/kpi`, this.kpis({ to: now }));
    return this.sink.take();
  }

  /** Emits the records of every ended call now (end of a replay, or before closing). */
  flush(now: number = Date.now()): PbxChange[] {
    this.calls.finish(now, true, (r) => this.recorded(r));
    return this.sink.take();
  }

  /** KPIs over the sliding window ending at `to` (default now), live state included. */
  kpis(o: Partial<KpiOptions> = {}): PbxKpis {
    const to = o.to ?? Date.now();
    const legs: number[] = [];
    for (const c of this.calls.list()) for (const l of c.legs) legs.push(l.createdAt, l.endedAt ?? to);
    return computeKpis(
      this.facts,
      {
        from: o.from ?? to - this.opts.kpiWindowMs,
        to,
        serviceLevelSeconds: o.serviceLevelSeconds ?? this.opts.serviceLevelSeconds,
        capacity: o.capacity ?? this.opts.capacity,
      },
      {
        calls: this.calls.list().filter((c) => c.channels.length > 0).length,
        legs,
        waiting: this.queues.waiting(),
      },
    );
  }

  /** A consistent copy of everything the model knows. */
  snapshot(now: number = Date.now()): PbxServerSnapshot {
    return {
      server: this.server,
      seq: this.sink.seq,
      at: now,
      channels: [...this.channels.map.values()].map((s) => ({ ...s.ch })),
      bridges: this.bridges.list(),
      calls: this.calls.list(),
      endpoints: this.dir.endpointList(),
      devices: this.dir.deviceMap(),
      queues: this.queues.list(),
      agents: this.queues.agents(),
      conferences: this.dir.conferenceList(),
      trunks: this.trunkBook.list(),
    };
  }

  /** Copies of every trunk. */
  trunks(): PbxTrunk[] {
    return this.trunkBook.list();
  }

  /** A copy of one trunk (`<server>/<kind>/<name>`). */
  trunk(id: string): PbxTrunk | undefined {
    return this.trunkBook.get(id);
  }

  // ---- snapshots from list actions -------------------------------------------------------------------------

  /** Marks the start of a re-snapshot; returns the token the `apply*` calls take. */
  beginSnapshot(): number {
    this.tomb = new Set();
    this.queues.beginSnapshot();
    this.dir.beginSnapshot();
    this.trunkBook.beginSnapshot();
    return this.sink.seq;
  }

  /**
   * Tells the model the first item of a channel list reply has arrived: from now until `applyChannels`, events
   * about channels it does not know are held and applied after the reply (they are newer than it).
   */
  channelListStarted(): void {
    if (this.tomb) this.deferred ??= [];
  }

  /** Marks the end of a re-snapshot. */
  endSnapshot(): PbxChange[] {
    this.tomb = undefined;
    this.deferred = undefined;
    this.queues.endSnapshot();
    this.dir.endSnapshot();
    this.trunkBook.endSnapshot();
    return this.sink.take();
  }

  /**
   * Applies CoreShowChannels (or Status) items taken after `token`: channels listed are added or refreshed,
   * channels known before the request and not listed ended while the model was not looking.
   */
  applyChannels(items: PbxMessage[], token: number, now: number = Date.now()): PbxChange[] {
    const listed = new Set<string>();
    const pairs: [string, string][] = [];
    const bridged = new Set<string>();
    for (const m of items) {
      const uid = str(m, 'Uniqueid');
      if (!uid || this.tomb?.has(uid)) continue;
      listed.add(uid);
      const old = this.channels.map.get(uid);
      if (!old) {
        const secs = int(m, 'Seconds') ?? hms(raw(m, 'Duration'));
        this.channels.create(m, uid, now, secs === undefined ? now : now - secs * 1000);
      } else if (old.updated <= token) {
        this.channels.refresh(old, m, now);
      }
      const s = this.channels.map.get(uid)!;
      const app = str(m, 'Application');
      // A channel the reply creates takes its application from it (Newexten may never come, e.g. Originate).
      if (app !== undefined && (!old || s.updated <= token)) {
        s.ch.application = app;
        s.ch.applicationData = raw(m, 'ApplicationData', 'Data') ?? '';
      }
      const bid = str(m, 'BridgeId');
      const peer = str(m, 'BridgedUniqueID');
      if (bid) {
        bridged.add(bid);
        if (s.ch.bridgeId !== bid) {
          if (s.ch.bridgeId) this.bridges.leave(s.ch.bridgeId, uid);
          this.bridges.enter(bid, uid, now);
        }
      } else if (peer) pairs.push([uid, peer]);
      else if (s.updated <= token && s.ch.bridgeId && !s.ch.bridgeId.startsWith('link:'))
        this.bridges.leave(s.ch.bridgeId, uid);
      if (!str(m, 'Linkedid')) this.channels.localPair(s.ch);
    }
    for (const [a, b] of pairs) {
      const ca = this.channels.map.get(a)?.ch;
      if (!ca || !this.channels.map.has(b)) continue;
      const existing = ca.bridgeId ?? this.channels.map.get(b)!.ch.bridgeId;
      const id = existing ?? `link:${a}`;
      bridged.add(id);
      this.bridges.enter(id, a, now);
      this.bridges.enter(id, b, now);
      this.channels.mergeCalls(a, b);
    }
    for (const [uid, s] of [...this.channels.map]) {
      if (listed.has(uid) || s.created > token) continue;
      this.hangup(uid, now, undefined, undefined, true);
    }
    this.bridges.prune(token, bridged);
    const held = this.deferred ?? [];
    this.deferred = undefined;
    for (const d of held) this.dispatch(d.ev, d.m, d.now);
    return this.sink.take();
  }

  /** Applies a QueueStatus reply taken after `token`. */
  applyQueueStatus(items: PbxMessage[], token: number, now: number = Date.now()): PbxChange[] {
    this.queues.applyStatus(items, now, token);
    return this.sink.take();
  }

  /** Applies DeviceStateList (`DeviceStateChange` items) and ExtensionStateList (`ExtensionStatus`) items. */
  applyDevices(items: PbxMessage[]): PbxChange[] {
    this.dir.listing = true;
    try {
      for (const m of items) this.dispatch(m.event?.toLowerCase() ?? '', m, Date.now());
    } finally {
      this.dir.listing = false;
    }
    return this.sink.take();
  }

  /** Applies PJSIPShowEndpoints (`PJSIP`) or SIPpeers (`SIP`) items. */
  applyEndpoints(items: PbxMessage[], tech: 'PJSIP' | 'SIP'): PbxChange[] {
    this.dir.applyEndpoints(items, tech);
    return this.sink.take();
  }

  /** Applies ConfbridgeListRooms items and the ConfbridgeList items of those rooms. */
  applyConferences(rooms: PbxMessage[], members: PbxMessage[]): PbxChange[] {
    this.dir.applyConferences(rooms, members);
    return this.sink.take();
  }

  /**
   * Applies `PJSIPShowRegistrationsOutbound` (`PJSIP`: `OutboundRegistrationDetail` items, the `AuthDetail` items
   * among them are skipped) or `SIPshowregistry` (`SIP`: `RegistryEntry` items); registrations not listed are removed.
   */
  applyRegistrations(items: PbxMessage[], tech: 'PJSIP' | 'SIP', now: number = Date.now()): PbxChange[] {
    this.trunkBook.applyRegistrations(items, tech, now);
    return this.sink.take();
  }

  /** Which PJSIP endpoints are trunks, from the `EndpointList` items and the registrations known (see README). */
  trunkEndpoints(endpointItems: PbxMessage[]): Map<string, PbxTrunkEndpoint['reason']> {
    return this.trunkBook.trunkEndpoints(endpointItems);
  }

  /** Applies the trunk endpoints with their `ContactStatusDetail` items (PJSIPShowEndpoint), by endpoint name. */
  applyTrunkEndpoints(
    names: Map<string, PbxTrunkEndpoint['reason']>,
    endpointItems: PbxMessage[],
    details: Map<string, PbxMessage[]>,
    now: number = Date.now(),
  ): PbxChange[] {
    this.trunkBook.applyTrunkEndpoints(names, endpointItems, details, now);
    return this.sink.take();
  }

  /** Applies `PRIShowSpans` and `DAHDIShowChannels` items (empty lists for a server without DAHDI). */
  applyDahdi(priItems: PbxMessage[], channelItems: PbxMessage[], now: number = Date.now()): PbxChange[] {
    this.trunkBook.applyDahdi(priItems, channelItems, now);
    return this.sink.take();
  }

  /** Marks a registration `registering` until its next `Registry` event; returns the trunk and the changes. */
  markRegistering(
    id: string,
    reason: string,
    now: number = Date.now(),
  ): { trunk: PbxTrunk | undefined; changes: PbxChange[] } {
    const trunk = this.trunkBook.markRegistering(id, reason, now);
    return { trunk, changes: this.sink.take() };
  }

  /** Asterisk refused the register request: the trunk goes back to `state` with Asterisk's message. */
  registerFailed(id: string, state: PbxTrunkState, reason: string, now: number = Date.now()): PbxChange[] {
    this.trunkBook.registerFailed(id, state, reason, now);
    return this.sink.take();
  }

  /** Forgets a pending `registering` mark (before an unregister request). */
  clearRegistering(id: string): void {
    this.trunkBook.clearPending(id);
  }

  // ---- internals ---------------------------------------------------------------------------------------------

  private recorded(r: PbxCallRecord): void {
    this.facts.push(kpiFact(r));
    for (const fn of this.recordListeners) fn(r);
  }

  private prune(now: number): void {
    const from = now - this.opts.kpiWindowMs;
    let i = 0;
    while (i < this.facts.length && this.facts[i]!.end < from) i++;
    const over = this.facts.length - i - this.opts.maxFacts;
    if (over > 0) i += over;
    if (i > 0) this.facts = this.facts.slice(i);
  }

  private hangup(uid: string, now: number, cause?: number, causeText?: string, disconnected = false): void {
    // A Hangup seen while a re-snapshot is in flight wins over a reply that may still list the channel.
    this.tomb?.add(uid);
    const s = this.channels.map.get(uid);
    if (!s) return;
    if (s.ch.bridgeId) {
      const b = s.ch.bridgeId;
      this.bridges.leave(b, uid);
      if (b.startsWith('link:')) this.bridges.destroy(b, disconnected || undefined);
    }
    this.queues.leave(undefined, uid, disconnected);
    this.dir.channelGone(uid);
    this.channels.map.delete(uid);
    this.channels.emit(s, 'remove', disconnected || undefined);
    this.calls.hangup(s.ch, now, cause, causeText, disconnected);
  }

  private dispatch(ev: string, m: PbxMessage, now: number): void {
    const uid = str(m, 'Uniqueid');
    const s = uid === undefined ? undefined : this.channels.map.get(uid);
    if (this.deferred && uid && !s && !NOT_HELD.has(ev) && this.deferred.length < MAX_HINTS) {
      this.deferred.push({ ev, m, now });
      return;
    }
    if (ev === 'newchannel') {
      if (!uid) return;
      if (s) this.channels.refresh(s, m, now);
      else this.channels.create(m, uid, now);
      return;
    }
    if (s && (REFRESH.has(ev) || raw(m, 'ChannelState') !== undefined) && ev !== 'cdr' && ev !== 'cel') {
      this.channels.refresh(s, m, now);
    }
    handleEvent(this.ctx, ev, m, now, uid, s?.ch);
  }

  /** What the event handlers (events.ts) may touch (built once). */
  private readonly ctx: ModelContext;

  private makeContext(): ModelContext {
    return {
      channels: this.channels,
      bridges: this.bridges,
      calls: this.calls,
      queues: this.queues,
      dir: this.dir,
      trunks: this.trunkBook,
      hangup: (u, now, cause, text) => this.hangup(u, now, cause, text),
      seq: () => this.sink.seq,
    };
  }
}

/** Internals handed to the event handlers. */
export interface ModelContext {
  channels: ChannelBook;
  bridges: BridgeBook;
  calls: CallBook;
  queues: QueueBook;
  dir: Directory;
  trunks: TrunkBook;
  hangup(uid: string, now: number, cause?: number, text?: string): void;
  seq(): number;
}
