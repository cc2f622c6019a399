/**
 * `PbxModel`: the live picture of one Asterisk server, built from AMI events and list-action snapshots.
 * Pure and synchronous: `apply(message, now)` updates the state and returns the numbered change events.
 */
import { BridgeBook } from './bridges.js';
import { CallBook } from './calls.js';
import { Directory } from './directory.js';
import { handleEvent } from './events.js';
import { ChangeSink, channelState, int, raw, str } from './fields.js';
import { computeKpis, type KpiFact, type KpiOptions, kpiFact } from './kpi.js';
import { QueueBook } from './queues.js';
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
}

interface ChanState {
  ch: PbxChannel;
  created: number;
  updated: number;
  /** The linkedid is the model's guess (the server sent none). */
  derived: boolean;
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
const MAX_HINTS = 10_000;
type FieldKey =
  | 'callerIdNum'
  | 'callerIdName'
  | 'connectedLineNum'
  | 'connectedLineName'
  | 'accountCode'
  | 'language'
  | 'context'
  | 'exten'
  | 'priority';
/** Channel fields copied from any event that carries them: [field, header, other spelling]. */
const FIELDS: [FieldKey, string, string | undefined][] = [
  ['callerIdNum', 'CallerIDNum', undefined],
  ['callerIdName', 'CallerIDName', undefined],
  ['connectedLineNum', 'ConnectedLineNum', undefined],
  ['connectedLineName', 'ConnectedLineName', undefined],
  ['accountCode', 'AccountCode', undefined],
  ['language', 'Language', undefined],
  ['context', 'Context', undefined],
  ['exten', 'Extension', 'Exten'],
];

/** `<unknown>`, `unknown`, `(null)` and empty values mean "not set". */
function clean(v: string): string | undefined {
  return v === '' || v === '<unknown>' || v === 'unknown' || v === '(null)' ? undefined : v;
}

/** Events never held while a channel list reply is pending (they create, end or only annotate channels). */
const NOT_HELD = new Set(['newchannel', 'hangup', 'cdr', 'cel']);

/** The live model of one server. */
export class PbxModel {
  /** Server id. */
  readonly server: string;
  private readonly sink: ChangeSink;
  private readonly channels = new Map<string, ChanState>();
  private readonly bridges: BridgeBook;
  private readonly calls: CallBook;
  private readonly queues: QueueBook;
  private readonly dir: Directory;
  private readonly hints = new Map<string, string>();
  private facts: KpiFact[] = [];
  private tomb: Set<string> | undefined;
  /** Between the first item of a channel list reply and its application: events of channels the model does not
   * know yet wait here, because the reply (older than them) will create those channels. */
  private deferred: { ev: string; m: PbxMessage; now: number }[] | undefined;
  private readonly opts: Required<Omit<PbxModelOptions, 'capacity'>> & { capacity?: number };
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
    this.bridges = new BridgeBook(this.sink, (uid, bridge, from) => this.setBridge(uid, bridge, from));
    this.calls = new CallBook(this.sink, this.opts.recordLingerMs);
    this.queues = new QueueBook(this.sink);
    this.dir = new Directory(this.sink);
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
      channels: this.channels.size,
      bridges: this.bridges.size,
      calls: this.calls.size,
      legs: this.calls.legCount,
      callers: this.queues.entryCount,
      hints: this.hints.size,
      facts: this.facts.length,
    };
  }

  /** The channel with this uniqueid, if live. */
  channel(uniqueid: string): PbxChannel | undefined {
    const s = this.channels.get(uniqueid);
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
      channels: [...this.channels.values()].map((s) => ({ ...s.ch })),
      bridges: this.bridges.list(),
      calls: this.calls.list(),
      endpoints: this.dir.endpointList(),
      devices: this.dir.deviceMap(),
      queues: this.queues.list(),
      agents: this.queues.agents(),
      conferences: this.dir.conferenceList(),
    };
  }

  // ---- snapshots from list actions -------------------------------------------------------------------------

  /** Marks the start of a re-snapshot; returns the token the `apply*` calls take. */
  beginSnapshot(): number {
    this.tomb = new Set();
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
      const old = this.channels.get(uid);
      if (!old) {
        const secs = int(m, 'Seconds') ?? hmsSeconds(raw(m, 'Duration'));
        this.newChannel(m, uid, now, secs === undefined ? now : now - secs * 1000);
      } else if (old.updated <= token) {
        this.refresh(old, m, now);
      }
      const s = this.channels.get(uid)!;
      const app = str(m, 'Application');
      if (app !== undefined && s.updated <= token + 0) {
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
      if (!str(m, 'Linkedid')) this.localPair(s.ch);
    }
    for (const [a, b] of pairs) {
      const ca = this.channels.get(a)?.ch;
      if (!ca || !this.channels.has(b)) continue;
      const existing = ca.bridgeId ?? this.channels.get(b)!.ch.bridgeId;
      const id = existing ?? `link:${a}`;
      bridged.add(id);
      this.bridges.enter(id, a, now);
      this.bridges.enter(id, b, now);
      this.mergeCalls(a, b);
    }
    for (const [uid, s] of [...this.channels]) {
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
    for (const m of items) this.dispatch(m.event?.toLowerCase() ?? '', m, Date.now());
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

  private emitChannel(s: ChanState, op: 'add' | 'update' | 'remove', disconnected?: boolean): void {
    this.sink.push('channel', op, s.ch.id, { ...s.ch }, disconnected);
  }

  private setBridge(uid: string, bridge: string | undefined, from?: string): void {
    const s = this.channels.get(uid);
    if (!s) return;
    if (bridge === undefined && from !== undefined && s.ch.bridgeId !== from) return;
    if (s.ch.bridgeId === bridge) return;
    s.ch.bridgeId = bridge;
    s.updated = this.sink.seq + 1;
    this.emitChannel(s, 'update');
  }

  private newChannel(m: PbxMessage, uid: string, now: number, createdAt = now): ChanState {
    const st = channelState(m) ?? { state: 0, desc: 'Down' };
    const hinted = this.hints.get(uid);
    if (hinted !== undefined) this.hints.delete(uid);
    // Every field present from the start: one object shape for all channels (fast property access).
    const ch: PbxChannel = {
      id: `${this.server}/${uid}`,
      server: this.server,
      uniqueid: uid,
      linkedid: str(m, 'Linkedid') ?? hinted ?? uid,
      name: raw(m, 'Channel') ?? uid,
      state: st.state,
      stateDesc: st.desc,
      callerIdNum: undefined,
      callerIdName: undefined,
      connectedLineNum: undefined,
      connectedLineName: undefined,
      context: undefined,
      exten: undefined,
      priority: undefined,
      application: undefined,
      applicationData: undefined,
      accountCode: undefined,
      language: undefined,
      createdAt,
      answeredAt: undefined,
      bridgeId: undefined,
      onHold: false,
      musicOnHold: false,
      lastDtmf: undefined,
    };
    const s: ChanState = {
      ch,
      created: this.sink.seq + 1,
      updated: this.sink.seq + 1,
      derived: !str(m, 'Linkedid') && hinted === undefined,
    };
    this.channels.set(uid, s);
    this.fields(s, m, now);
    if (ch.state === 6) ch.answeredAt = now;
    this.emitChannel(s, 'add');
    this.calls.addChannel(ch, now);
    return s;
  }

  /** Copies the snapshot fields present in `m` onto the channel; returns whether anything changed. */
  private fields(s: ChanState, m: PbxMessage, now: number): boolean {
    const ch = s.ch;
    let changed = false;
    const set = <K extends FieldKey>(k: K, v: PbxChannel[K] | undefined) => {
      if (ch[k] !== v) {
        ch[k] = v as PbxChannel[K];
        changed = true;
      }
    };
    for (const [key, header, alt] of FIELDS) {
      const v = m.get(header) ?? (alt === undefined ? undefined : m.get(alt));
      if (v !== undefined) set(key, clean(v));
    }
    const pr = m.get('Priority');
    if (pr !== undefined) set('priority', clean(pr) === undefined ? undefined : Number.parseInt(pr, 10));
    const st = channelState(m);
    if (st && st.state !== ch.state) {
      ch.state = st.state;
      ch.stateDesc = st.desc;
      changed = true;
      if (st.state === 6 && ch.answeredAt === undefined) {
        ch.answeredAt = now;
        this.calls.answered(ch, now);
      }
    }
    if (changed) {
      s.updated = this.sink.seq + 1;
      this.calls.updateLeg(ch);
    }
    return changed;
  }

  private refresh(s: ChanState, m: PbxMessage, now: number): void {
    const lid = str(m, 'Linkedid');
    if (lid && lid !== s.ch.linkedid) {
      this.calls.move(s.ch.uniqueid, lid, s.ch);
      s.updated = this.sink.seq + 1;
      this.emitChannel(s, 'update');
    }
    if (this.fields(s, m, now)) this.emitChannel(s, 'update');
  }

  private hangup(uid: string, now: number, cause?: number, causeText?: string, disconnected = false): void {
    // A Hangup seen while a re-snapshot is in flight wins over a reply that may still list the channel.
    this.tomb?.add(uid);
    const s = this.channels.get(uid);
    if (!s) return;
    if (s.ch.bridgeId) {
      const b = s.ch.bridgeId;
      this.bridges.leave(b, uid);
      if (b.startsWith('link:')) this.bridges.destroy(b, disconnected || undefined);
    }
    this.queues.leave(undefined, uid, disconnected);
    this.dir.channelGone(uid);
    this.channels.delete(uid);
    this.emitChannel(s, 'remove', disconnected || undefined);
    this.calls.hangup(s.ch, now, cause, causeText, disconnected);
  }

  /** Asterisk ≤ 11 sends no Linkedid: a call absorbs the later one when its channels meet. */
  private mergeCalls(a: string, b: string): void {
    const la = this.calls.callOf(a);
    const lb = this.calls.callOf(b);
    if (la === undefined || lb === undefined || la === lb) return;
    const order = uniqueidOrder(la, lb) || (this.calls.startOf(la) ?? 0) - (this.calls.startOf(lb) ?? 0);
    const older = order <= 0 ? la : lb;
    const younger = older === la ? lb : la;
    this.absorb(younger, older);
  }

  private absorb(from: string, into: string): void {
    for (const uid of this.calls.legsOf(from)) {
      const s = this.channels.get(uid);
      if (s) {
        this.calls.move(uid, into, s.ch);
        s.updated = this.sink.seq + 1;
        this.emitChannel(s, 'update');
      } else this.calls.move(uid, into, undefined);
    }
  }

  /** Local `;1`/`;2` halves belong to one call (used when no Linkedid is given). */
  private localPair(ch: PbxChannel): void {
    const m = /^(Local\/.+);([12])$/.exec(ch.name);
    if (!m) return;
    const other = `${m[1]};${m[2] === '1' ? '2' : '1'}`;
    for (const s of this.channels.values()) {
      if (s.ch.name === other) {
        this.mergeCalls(ch.uniqueid, s.ch.uniqueid);
        return;
      }
    }
  }

  private dispatch(ev: string, m: PbxMessage, now: number): void {
    const uid = str(m, 'Uniqueid');
    const s = uid === undefined ? undefined : this.channels.get(uid);
    if (this.deferred && uid && !s && !NOT_HELD.has(ev) && this.deferred.length < MAX_HINTS) {
      this.deferred.push({ ev, m, now });
      return;
    }
    if (ev === 'newchannel') {
      if (!uid) return;
      if (s) this.refresh(s, m, now);
      else this.newChannel(m, uid, now);
      return;
    }
    if (s && (REFRESH.has(ev) || raw(m, 'ChannelState') !== undefined) && ev !== 'cdr' && ev !== 'cel') {
      this.refresh(s, m, now);
    }
    handleEvent(this.ctx, ev, m, now, uid, s?.ch);
  }

  /** What the event handlers (events.ts) may touch (built once). */
  private readonly ctx: ModelContext;

  private makeContext(): ModelContext {
    return {
      server: this.server,
      channels: this.channels,
      bridges: this.bridges,
      calls: this.calls,
      queues: this.queues,
      dir: this.dir,
      hints: this.hints,
      maxHints: MAX_HINTS,
      emitChannel: (s) => this.emitChannel(s, 'update'),
      hangup: (u, now, cause, text) => this.hangup(u, now, cause, text),
      mergeCalls: (a, b) => this.mergeCalls(a, b),
      touch: (s) => {
        s.updated = this.sink.seq + 1;
      },
      seq: () => this.sink.seq,
      relink: (u, lid) => {
        const s = this.channels.get(u);
        if (!s?.derived) return;
        s.derived = false;
        if (s.ch.linkedid === lid) return;
        this.calls.move(u, lid, s.ch);
        s.updated = this.sink.seq + 1;
        this.emitChannel(s, 'update');
      },
    };
  }
}

/** Orders two uniqueids (`[system-]<epoch>.<seq>`) by age; 0 when either has another shape. */
function uniqueidOrder(a: string, b: string): number {
  const pa = /(\d+)\.(\d+)$/.exec(a);
  const pb = /(\d+)\.(\d+)$/.exec(b);
  if (!pa || !pb) return 0;
  return Number(pa[1]) - Number(pb[1]) || Number(pa[2]) - Number(pb[2]);
}

function hmsSeconds(v: string | undefined): number | undefined {
  if (!v) return undefined;
  const p = v.split(':').map((x) => Number.parseInt(x, 10));
  if (p.some((x) => !Number.isFinite(x))) return undefined;
  return p.reduce((a, b) => a * 60 + b, 0);
}

/** Internals handed to the event handlers. */
export interface ModelContext {
  server: string;
  channels: Map<string, ChanState>;
  bridges: BridgeBook;
  calls: CallBook;
  queues: QueueBook;
  dir: Directory;
  hints: Map<string, string>;
  maxHints: number;
  emitChannel(s: ChanState): void;
  hangup(uid: string, now: number, cause?: number, text?: string): void;
  mergeCalls(a: string, b: string): void;
  touch(s: ChanState): void;
  seq(): number;
  /** A CEL told the real linkedid of a channel whose linkedid was guessed. */
  relink(uid: string, linkedid: string): void;
}

/** A channel with the sequence numbers of its creation and last update (for re-snapshots). */
export type { ChanState };
