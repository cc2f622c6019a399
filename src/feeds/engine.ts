/**
 * The feeds engine: holds every feed compiled, a ring of the last events per PBX (for `test`), and the live
 * subscribers of each feed. Raw AMI events pass the inline criteria first; feeds with a `regex` then go through
 * the `RegexWorker` (time budget), whose replies keep request order, so every feed sees its events in order.
 * Each feed numbers its events (`seq`) and keeps the last `resumeWindow` of them for `?since=` resume.
 */
import type { AmiMessage } from '../ami/index.js';
import type { PbxChange } from '../pbx/index.js';
import type { CallEvent } from './call-events.js';
import { CallEventDeriver } from './call-events.js';
import { eventText } from './event-text.js';
import { compileFeedFilter, type FeedFilter, type FeedFilterSpec, type MineScope } from './filter.js';
import { RegexWorker } from './regex-worker.js';

/** A feed as the engine needs it. */
export interface FeedDefinition {
  id: number;
  /** PBX id, or null for all. */
  pbx: string | null;
  kind: 'ami' | 'call';
  filter: FeedFilterSpec;
  /** The owner's extensions (for `mine`). */
  extensions: readonly string[];
}

/** One message of a feed. */
export interface FeedMessage {
  /** Per-feed sequence number (+1 per message). */
  seq: number;
  /** PBX id. */
  pbx: string;
  /** Epoch ms. */
  at: number;
  /** `ami` (with `event`: the headers as an object) or a call event type. */
  type: string;
  /** Raw AMI event (`ami` feeds): header name → value (repeated headers as arrays). */
  event?: Record<string, string | string[]>;
  /** Call event (`call` feeds). */
  call?: CallEvent;
}

/** Engine tuning. */
export interface FeedsEngineOptions {
  /** Events kept per PBX for `test`. */
  ringSize: number;
  /** Messages kept per feed for resume. */
  resumeWindow: number;
  /** Budget of one regex match request (ms). */
  regexBudgetMs: number;
}

interface Live {
  def: FeedDefinition;
  filter: FeedFilter;
  mine: MineScope;
  seq: number;
  window: FeedMessage[];
  listeners: Set<(m: FeedMessage) => void>;
  slow: boolean;
}

/** See the file comment. */
export class FeedsEngine {
  private readonly feeds = new Map<number, Live>();
  private readonly rings = new Map<string, AmiMessage[]>();
  private readonly worker: RegexWorker;
  private readonly deriver: CallEventDeriver;
  private readonly options: FeedsEngineOptions;
  /** linkedid/uniqueid → extensions in that call, per PBX (for `mine` on raw events). */
  private readonly callExtensions = new Map<string, Set<string>>();
  private readonly uniqueToLinked = new Map<string, string>();
  private readonly taps = new Set<(feedId: number, m: FeedMessage) => void>();

  constructor(options: Partial<FeedsEngineOptions> = {}, known: () => ReadonlySet<string> = () => new Set()) {
    this.options = { ringSize: 500, resumeWindow: 1000, regexBudgetMs: 250, ...options };
    this.worker = new RegexWorker({
      budgetMs: this.options.regexBudgetMs,
      onSlow: (id) => {
        const f = this.feeds.get(id);
        if (f) f.slow = true;
      },
    });
    this.deriver = new CallEventDeriver(known);
  }

  /** Adds or replaces a feed (the filter is compiled: throws `FeedsError` when it is bad). */
  upsert(def: FeedDefinition): void {
    const filter = compileFeedFilter(def.filter);
    const old = this.feeds.get(def.id);
    const extensions = new Set(def.extensions);
    const live: Live = {
      def,
      filter,
      mine: { extensions, inMyCall: (m) => this.inCall(m, extensions) },
      seq: old?.seq ?? 0,
      window: old?.window ?? [],
      listeners: old?.listeners ?? new Set(),
      slow: false,
    };
    this.feeds.set(def.id, live);
    if (filter.regex) this.worker.set(def.id, filter.regex.source);
    else this.worker.delete(def.id);
  }

  /** Calls `fn` with every message of every feed as it is emitted (the webhook outbox); returns the undo. */
  tap(fn: (feedId: number, m: FeedMessage) => void): () => void {
    this.taps.add(fn);
    return () => this.taps.delete(fn);
  }

  /** Removes a feed (its live listeners are told with `undefined`: they close). */
  remove(id: number): void {
    this.feeds.delete(id);
    this.worker.delete(id);
  }

  /** Whether the feed's regex was suspended for being too slow. */
  isSlow(id: number): boolean {
    return this.feeds.get(id)?.slow ?? false;
  }

  /** The last `limit` events of a PBX that the filter matches (inline, over the ring). */
  async test(
    def: FeedDefinition,
    limit: number,
  ): Promise<{ scanned: number; matched: Record<string, string | string[]>[] }> {
    const filter = compileFeedFilter(def.filter);
    const extensions = new Set(def.extensions);
    const mine: MineScope = { extensions, inMyCall: (m) => this.inCall(m, extensions) };
    const pbxs = def.pbx === null ? [...this.rings.keys()] : [def.pbx];
    const events = pbxs.flatMap((p) => this.rings.get(p) ?? []).slice(-limit);
    const probe = new RegexWorker({ budgetMs: this.options.regexBudgetMs });
    try {
      if (filter.regex) probe.set(1, filter.regex.source);
      const matched: Record<string, string | string[]>[] = [];
      for (const m of events) {
        if (!filter.prefilter(m, mine)) continue;
        if (filter.regex && !(await probe.match(eventText(m), [1])).has(1)) continue;
        matched.push(m.toJSON());
      }
      return { scanned: events.length, matched };
    } finally {
      await probe.close();
    }
  }

  /** Subscribes to a feed's messages; with `since`, `backlog` is what the window still has after it. `undefined` if unknown. */
  subscribe(
    id: number,
    listener: (m: FeedMessage) => void,
    since?: number,
  ): { resumed: boolean; seq: number; backlog: FeedMessage[]; close(): void } | undefined {
    const f = this.feeds.get(id);
    if (!f) return undefined;
    let resumed = false;
    const backlog: FeedMessage[] = [];
    if (since !== undefined) {
      const first = f.window[0];
      resumed = since === f.seq || (first !== undefined && first.seq <= since + 1 && since <= f.seq);
      if (resumed) for (const m of f.window) if (m.seq > since) backlog.push(m);
    }
    f.listeners.add(listener);
    return { resumed, seq: f.seq, backlog, close: () => f.listeners.delete(listener) };
  }

  /** One raw AMI event from a PBX. */
  onEvent(pbx: string, m: AmiMessage): void {
    const ring = this.rings.get(pbx) ?? [];
    ring.push(m);
    if (ring.length > this.options.ringSize) ring.shift();
    this.rings.set(pbx, ring);
    const viaWorker: number[] = [];
    for (const f of this.feeds.values()) {
      if (f.def.kind !== 'ami' || (f.def.pbx !== null && f.def.pbx !== pbx)) continue;
      if (!f.filter.prefilter(m, f.mine)) continue;
      if (f.filter.regex) viaWorker.push(f.def.id);
      else this.emit(f, pbx, { type: 'ami', event: m.toJSON() });
    }
    if (viaWorker.length === 0) return;
    const json = m.toJSON();
    void this.worker.match(eventText(m), viaWorker).then((hits) => {
      for (const id of hits) {
        const f = this.feeds.get(id);
        if (f) this.emit(f, pbx, { type: 'ami', event: json });
      }
    });
  }

  /** One change of the live model. */
  onChange(c: PbxChange): void {
    if (c.type === 'channel' && c.op !== 'remove') {
      const ch = c.data as { uniqueid: string; linkedid: string; name: string };
      this.uniqueToLinked.set(`${c.server}/${ch.uniqueid}`, ch.linkedid);
      const ext = /^[^/]+\/([^-@;]+)/.exec(ch.name)?.[1];
      const key = `${c.server}/${ch.linkedid}`;
      if (ext) (this.callExtensions.get(key) ?? this.callExtensions.set(key, new Set()).get(key)!).add(ext);
    }
    const events = this.deriver.apply(c);
    if (c.type === 'record') this.callExtensions.delete(c.id);
    for (const e of events) {
      for (const f of this.feeds.values()) {
        if (f.def.kind !== 'call' || (f.def.pbx !== null && f.def.pbx !== e.pbx)) continue;
        const names = f.def.filter.events;
        if (names && !names.some((n) => n.toLowerCase() === e.type)) continue;
        if (f.def.filter.mine && !e.extensions.some((x) => f.mine.extensions.has(x))) continue;
        this.emit(f, e.pbx, { type: e.type, call: e });
      }
    }
  }

  private inCall(m: AmiMessage, mine: ReadonlySet<string>): boolean {
    const pbxless = m.get('Linkedid') ?? m.get('Uniqueid') ?? m.get('UniqueID');
    if (pbxless === undefined || mine.size === 0) return false;
    for (const [key, exts] of this.callExtensions) {
      if (!key.endsWith(`/${pbxless}`)) continue;
      for (const e of exts) if (mine.has(e)) return true;
    }
    for (const [key, linked] of this.uniqueToLinked) {
      if (!key.endsWith(`/${pbxless}`)) continue;
      const exts = this.callExtensions.get(`${key.slice(0, key.lastIndexOf('/'))}/${linked}`);
      if (exts) for (const e of exts) if (mine.has(e)) return true;
    }
    return false;
  }

  private emit(f: Live, pbx: string, body: Omit<FeedMessage, 'seq' | 'pbx' | 'at'>): void {
    const msg: FeedMessage = { seq: ++f.seq, pbx, at: Date.now(), ...body };
    f.window.push(msg);
    if (f.window.length > this.options.resumeWindow) f.window.shift();
    for (const t of this.taps) t(f.def.id, msg);
    for (const l of f.listeners) l(msg);
  }

  /** Stops the worker. */
  async close(): Promise<void> {
    await this.worker.close();
    for (const f of this.feeds.values()) f.listeners.clear();
  }
}
