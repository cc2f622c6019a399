import type { AmiActionOptions, AmiResponse } from './client-options.js';
import { AmiAbortedError, AmiDisconnectedError, AmiTimeoutError } from './errors.js';
import type { AmiMessage } from './message.js';
import type { AmiEncodedAction } from './serializer.js';

/** One action waiting for its (complete) reply. */
export interface AmiPendingAction {
  readonly id: string;
  readonly action: string;
  readonly encoded: AmiEncodedAction;
  /** Sent on the current link (false while queued for `ready`). */
  sent: boolean;
}

interface Entry extends AmiPendingAction {
  readonly lower: string;
  readonly resolve: (r: AmiResponse) => void;
  readonly reject: (e: Error) => void;
  readonly onItem: ((m: AmiMessage) => void) | undefined;
  readonly emitItems: boolean;
  /** Order of addition. */
  readonly seq: number;
  /** Epoch ms after which the action times out. */
  deadline: number;
  timeoutMs: number;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  response: AmiMessage | undefined;
  list: boolean;
  items: AmiMessage[] | undefined;
  settled: boolean;
}

/** Entries sharing one timeout value, in deadline order (FIFO), consumed from `head`. */
interface DeadlineQueue {
  items: Entry[];
  head: number;
}

const LEGACY_LIST = /will follow/i;
const OK_RESPONSES = new Set(['success', 'follows', 'goodbye']);

function isComplete(m: AmiMessage): boolean {
  const el = m.get('EventList');
  if (el !== undefined) return el.toLowerCase() === 'complete';
  return (m.event ?? '').toLowerCase().endsWith('complete');
}

/**
 * The actions in flight, keyed by ActionID: timers, abort signals, event-list collection and settlement.
 * Every entry is settled exactly once (reply, timeout, abort, link loss or close) and then forgotten.
 */
export class AmiActionTable {
  private readonly entries = new Map<string, Entry>();
  private queued: Entry[] = [];
  // One timer for the whole table instead of one per action: entries with the same timeout expire in the
  // order they were added, so a FIFO per timeout value keeps deadlines sorted.
  private readonly deadlines = new Map<number, DeadlineQueue>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private seq = 0;

  /** Number of actions waiting for a reply (sent or queued). */
  get size(): number {
    return this.entries.size;
  }

  /** Registers an action; `transmit` is called now, or later from `flush()` if `queue` is true. */
  add(
    id: string,
    encoded: AmiEncodedAction,
    options: AmiActionOptions,
    defaultTimeout: number,
    queue: boolean,
    transmit: (p: AmiPendingAction) => void,
  ): Promise<AmiResponse> {
    const name = encoded.action;
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(new AmiAbortedError(`AMI action ${name}`, signal.reason));
    return new Promise<AmiResponse>((resolve, reject) => {
      const e: Entry = {
        seq: ++this.seq,
        id,
        action: name,
        lower: name.toLowerCase(),
        encoded,
        resolve,
        reject,
        onItem: options.onItem,
        emitItems: options.emitItems ?? false,
        deadline: 0,
        timeoutMs: 0,
        signal,
        onAbort: undefined,
        response: undefined,
        list: false,
        items: undefined,
        sent: false,
        settled: false,
      };
      const ms = Math.max(0, options.timeout ?? defaultTimeout);
      e.timeoutMs = ms;
      e.deadline = Date.now() + ms;
      let q = this.deadlines.get(ms);
      if (q === undefined) {
        q = { items: [], head: 0 };
        this.deadlines.set(ms, q);
      }
      q.items.push(e);
      if (e.deadline < this.timerAt) this.arm(e.deadline);
      if (signal) {
        e.onAbort = () => this.fail(e, new AmiAbortedError(`AMI action ${name}`, signal.reason));
        signal.addEventListener('abort', e.onAbort, { once: true });
      }
      this.entries.set(id, e);
      if (queue) this.queued.push(e);
      else {
        e.sent = true;
        transmit(e);
      }
    });
  }

  /** Sends every queued action that is still waiting (once the link is ready). */
  flush(transmit: (p: AmiPendingAction) => void): void {
    const q = this.queued;
    this.queued = [];
    for (const e of q) {
      if (e.settled) continue;
      e.sent = true;
      transmit(e);
    }
  }

  /**
   * Applies a packet carrying a pending action's ActionID. Returns false when the packet is not part of that
   * reply (an event such as OriginateResponse or UserEvent that merely carries the ActionID), or is an item
   * the caller asked to see in the event stream too.
   */
  route(m: AmiMessage, id: string): boolean {
    const p = this.entries.get(id);
    if (p === undefined) return false;
    if (m.kind === 'response') {
      if (p.response !== undefined) return false;
      p.response = m;
      const el = m.get('EventList');
      const r = m.response ?? '';
      const ok = r === 'Success' || OK_RESPONSES.has(r.toLowerCase());
      if (
        (el !== undefined && el.toLowerCase() === 'start') ||
        (ok && p.lower === 'waitevent') ||
        // Asterisk 11 Status/QueueStatus/QueueSummary: no EventList, "… will follow", then a …Complete event.
        (ok && el === undefined && LEGACY_LIST.test(m.get('Message') ?? ''))
      ) {
        p.list = true;
        return true;
      }
      if (this.settle(p)) p.resolve({ ok, message: m, items: [] });
      return true;
    }
    if (m.kind !== 'event' || !p.list || p.response === undefined) return false;
    if (isComplete(m)) {
      const message = p.response;
      const items = p.items ?? [];
      if (this.settle(p)) p.resolve({ ok: true, message, items, complete: m });
      return true;
    }
    if (p.items === undefined) p.items = [m];
    else p.items.push(m);
    p.onItem?.(m);
    return !p.emitItems;
  }

  /** Sequence number of the most recently added action. */
  get lastSeq(): number {
    return this.seq;
  }

  /**
   * Whether an action added before `seq` was sent and still waits. Asterisk runs a session's actions in order,
   * so a slow one (a synchronous Originate, a long Command) delays every later reply, Pong included.
   */
  busyBefore(seq: number): boolean {
    for (const e of this.entries.values()) if (e.seq < seq && e.sent) return true;
    return false;
  }

  /** Rejects every action already sent (the link is gone: they are never sent again); queued ones stay. */
  rejectSent(cause?: Error): void {
    for (const p of [...this.entries.values()]) {
      if (p.sent) this.fail(p, new AmiDisconnectedError(`AMI action ${p.action}`, cause));
    }
  }

  /** Rejects everything, sent or queued. */
  rejectAll(err: Error): void {
    for (const p of [...this.entries.values()]) this.fail(p, err);
    this.queued = [];
  }

  private settle(p: Entry): boolean {
    if (p.settled) return false;
    p.settled = true;
    // A settled entry may wait in its deadline queue until the queue is compacted: let go of the reply now, or
    // every such entry would keep the socket chunk its reply was parsed from alive (peak RSS under load).
    p.response = undefined;
    p.items = undefined;
    this.entries.delete(p.id);
    if (p.signal && p.onAbort) p.signal.removeEventListener('abort', p.onAbort);
    // Replies mostly come in order: drop settled entries from the head so the queue stays short.
    const q = this.deadlines.get(p.timeoutMs);
    if (q !== undefined) {
      while (q.head < q.items.length && q.items[q.head]!.settled) q.head++;
      this.compact(p.timeoutMs, q);
    }
    if (this.entries.size === 0 && this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
    }
    return true;
  }

  private compact(ms: number, q: DeadlineQueue): void {
    if (q.head >= q.items.length) this.deadlines.delete(ms);
    else if (q.head > 1024 && q.head * 2 > q.items.length) {
      q.items = q.items.slice(q.head);
      q.head = 0;
    }
  }

  private arm(at: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(this.sweep, Math.max(0, at - Date.now()));
  }

  /** Times out every entry whose deadline has passed, then re-arms for the earliest remaining one. */
  private readonly sweep = (): void => {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    const now = Date.now();
    let next = Number.POSITIVE_INFINITY;
    for (const [ms, q] of [...this.deadlines]) {
      while (q.head < q.items.length) {
        const e = q.items[q.head]!;
        if (!e.settled && e.deadline > now) break;
        q.head++;
        if (!e.settled) this.fail(e, new AmiTimeoutError(`AMI action ${e.action}`, ms));
      }
      this.compact(ms, q);
      const head = q.items[q.head];
      if (head !== undefined && this.deadlines.get(ms) === q) next = Math.min(next, head.deadline);
    }
    if (next < Number.POSITIVE_INFINITY && next < this.timerAt) this.arm(next);
  };

  private fail(p: Entry, err: Error): void {
    if (!this.settle(p)) return;
    if (!p.sent) this.queued = this.queued.filter((x) => x !== p);
    p.reject(err);
  }
}
