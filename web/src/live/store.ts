/**
 * The live store: one WebSocket to `/api/v1/live` for the whole app. Applies the snapshot and then every change
 * in place; after a drop it reconnects with `?since=<seq>&epoch=<epoch>` so the server replays what was missed
 * (or sends a fresh snapshot). Components read an immutable view, rebuilt at most every `FLUSH_MS`.
 */
import type { Call, CallRecord, Change, Channel, Kpis, LiveMessage, PbxInfo, Trunk } from '../api/types';

/** Connection state shown in the shell. */
export type LiveConnection = 'connecting' | 'live' | 'reconnecting' | 'offline';

/** Calls that finished, per minute (epoch minute → count), kept for an hour. */
export type MinuteCounts = ReadonlyMap<number, number>;

/** What components read. Every field is replaced (never mutated) when it changes. */
export interface LiveView {
  connection: LiveConnection;
  pbx: readonly PbxInfo[];
  /** Calls in progress (not ended), oldest first (stable order). */
  calls: readonly Call[];
  /** Live channels by global id (`pbx1/1764840123.45`). */
  channels: ReadonlyMap<string, Channel>;
  /** Latest KPIs per PBX. */
  kpis: Readonly<Record<string, Kpis>>;
  /** Finished calls per minute over the last hour, counted since the page opened. */
  finishedPerMinute: MinuteCounts;
  /** When this page started counting (the chart says so). */
  countingSince: number;
  /** Messages of types other than the model's (e.g. `click-to-dial`), newest last, bounded. */
  events: readonly LiveMessage[];
  /** Bumped on every queue, member or caller change (the Call centre re-reads `/api/v1/queues`). */
  queuesVersion: number;
  /** Bumped on every endpoint change (registrations, contacts): the Phones page re-reads `/api/v1/phones`. */
  endpointsVersion: number;
  /** Trunks and lines by id (`pbx1/pjsip-registration/trunk13-reg`), from the snapshot and `trunk` messages. */
  trunks: ReadonlyMap<string, Trunk>;
}

const FLUSH_MS = 50;
const HOUR = 60 * 60 * 1000;
const MAX_EVENTS = 200;

/** The store. */
export class LiveStore {
  private socket: WebSocket | undefined;
  private seq: number | undefined;
  private epoch: string | undefined;
  private readonly pbx = new Map<string, PbxInfo>();
  private readonly calls = new Map<string, Call>();
  private readonly channels = new Map<string, Channel>();
  private readonly kpis: Record<string, Kpis> = {};
  private readonly minutes = new Map<number, number>();
  private readonly events: LiveMessage[] = [];
  private readonly trunks = new Map<string, Trunk>();
  private queuesVersion = 0;
  private endpointsVersion = 0;
  private connection: LiveConnection = 'offline';
  private view: LiveView;
  private readonly listeners = new Set<() => void>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retries = 0;
  private wanted = false;
  private readonly since = Date.now();

  constructor(private readonly url: () => string = defaultUrl) {
    this.view = this.build();
  }

  /** For `useSyncExternalStore`. */
  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  /** For `useSyncExternalStore`. */
  getView = (): LiveView => this.view;

  /** Opens the stream (once signed in). */
  start(): void {
    this.wanted = true;
    if (!this.socket) this.open();
  }

  /** Closes the stream and forgets everything (sign out). */
  stop(): void {
    this.wanted = false;
    clearTimeout(this.retryTimer);
    this.socket?.close(1000);
    this.socket = undefined;
    this.seq = undefined;
    this.epoch = undefined;
    this.pbx.clear();
    this.calls.clear();
    this.channels.clear();
    this.trunks.clear();
    this.events.length = 0;
    this.setConnection('offline');
  }

  private open(): void {
    const resume =
      this.seq !== undefined && this.epoch !== undefined
        ? `?since=${this.seq}&epoch=${encodeURIComponent(this.epoch)}`
        : '';
    this.setConnection(this.seq === undefined ? 'connecting' : 'reconnecting');
    const ws = new WebSocket(this.url() + resume);
    this.socket = ws;
    ws.onmessage = (e) => {
      if (this.socket !== ws) return;
      try {
        this.receive(JSON.parse(String(e.data)) as LiveMessage);
      } catch {
        // A message we cannot read is skipped; the next snapshot repairs the view.
      }
    };
    ws.onclose = (e) => {
      if (this.socket !== ws) return;
      this.socket = undefined;
      if (!this.wanted) return;
      // 4401: the session ended; the shell notices through the REST 401 and signs out.
      if (e.code === 4401 || e.code === 4403) {
        this.setConnection('offline');
        return;
      }
      this.setConnection('reconnecting');
      const delay = Math.min(5000, 250 * 2 ** this.retries++);
      this.retryTimer = setTimeout(() => this.open(), delay);
    };
  }

  private receive(m: LiveMessage): void {
    this.retries = 0;
    if (m.type === 'snapshot') {
      this.epoch = m.epoch;
      this.pbx.clear();
      this.calls.clear();
      this.channels.clear();
      this.trunks.clear();
      for (const p of m.data.pbx) this.pbx.set(p.id, p);
      for (const s of m.data.servers) {
        for (const c of s.calls) this.calls.set(c.id, c);
        for (const ch of s.channels) this.channels.set(ch.id, ch);
        for (const t of s.trunks ?? []) this.trunks.set(t.id, t);
      }
      this.queuesVersion++;
      this.setConnection('live');
    } else if (m.type === 'resume') {
      this.setConnection('live');
    } else if (m.type === 'change') {
      this.apply(m.change);
    } else if (m.type === 'pbx') {
      this.pbx.set(m.pbx.id, m.pbx);
    } else if (m.type === 'trunk') {
      if (m.change.op === 'remove') this.trunks.delete(m.change.id);
      else this.trunks.set(m.change.id, m.change.data);
    } else {
      this.events.push(m);
      if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
    }
    this.seq = m.seq;
    this.schedule();
  }

  private apply(c: Change): void {
    switch (c.type) {
      case 'call':
        if (c.op === 'remove') this.calls.delete(c.id);
        else this.calls.set(c.id, c.data as Call);
        break;
      case 'channel':
        if (c.op === 'remove') this.channels.delete(c.id);
        else this.channels.set(c.id, c.data as Channel);
        break;
      case 'kpi':
        this.kpis[c.server] = c.data as Kpis;
        break;
      case 'record': {
        const r = c.data as CallRecord;
        const minute = Math.floor(r.end / 60000);
        this.minutes.set(minute, (this.minutes.get(minute) ?? 0) + 1);
        const oldest = Math.floor((Date.now() - HOUR) / 60000);
        for (const k of this.minutes.keys()) if (k < oldest) this.minutes.delete(k);
        break;
      }
      case 'queue':
      case 'member':
      case 'caller':
        this.queuesVersion++;
        break;
      case 'endpoint':
        this.endpointsVersion++;
        break;
      default:
        // endpoints, bridges…: no page of this UI shows them yet (trunks come as `trunk` messages).
        break;
    }
  }

  private setConnection(c: LiveConnection): void {
    if (this.connection === c) return;
    this.connection = c;
    this.schedule();
  }

  private schedule(): void {
    if (this.flushTimer !== undefined) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.view = this.build();
      for (const fn of this.listeners) fn();
    }, FLUSH_MS);
  }

  private build(): LiveView {
    const calls = [...this.calls.values()]
      .filter((c) => c.endedAt === undefined)
      .sort((a, b) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : 1));
    return {
      connection: this.connection,
      pbx: [...this.pbx.values()],
      calls,
      channels: new Map(this.channels),
      kpis: { ...this.kpis },
      finishedPerMinute: new Map(this.minutes),
      countingSince: this.since,
      events: [...this.events],
      queuesVersion: this.queuesVersion,
      endpointsVersion: this.endpointsVersion,
      trunks: new Map(this.trunks),
    };
  }
}

function defaultUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/v1/live`;
}
