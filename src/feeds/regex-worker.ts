/**
 * Runs user regular expressions in a worker thread with a time budget. V8's regex engine cannot be interrupted
 * and even the seed's `Dial.{1,}?Begin.{1,}?902` is cubic on a hostile text, so the static check alone is not
 * enough: every match request runs off the event path, and when one takes longer than `budgetMs` the worker is
 * terminated, the pattern that was running (read from shared memory) is suspended and reported through
 * `onSlow`, a new worker is started, and the pending requests are run again without it. Replies come back in
 * request order, so each feed keeps its event order.
 */
import { Worker } from 'node:worker_threads';
import { MAX_MATCH_TEXT } from './regex-guard.js';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const running = new Int32Array(workerData.shared);
const patterns = new Map();
parentPort.on('message', (msg) => {
  if (msg.t === 'set') patterns.set(msg.id, new RegExp(msg.source));
  else if (msg.t === 'del') patterns.delete(msg.id);
  else if (msg.t === 'match') {
    const hits = [];
    for (const id of msg.ids) {
      const re = patterns.get(id);
      if (!re) continue;
      Atomics.store(running, 0, id);
      if (re.test(msg.text)) hits.push(id);
    }
    Atomics.store(running, 0, 0);
    parentPort.postMessage({ n: msg.n, hits });
  }
});
parentPort.postMessage({ ready: true });
`;

interface Pending {
  n: number;
  text: string;
  ids: number[];
  resolve: (hits: Set<number>) => void;
}

/** Options of the matcher. */
export interface RegexWorkerOptions {
  /** Longest time one match request may take before its running pattern is suspended (ms). */
  budgetMs: number;
  /** Most requests waiting; beyond it `match` answers "no match" at once and counts a drop. */
  maxPending: number;
  /** Told when a pattern was suspended for being too slow. */
  onSlow?: (id: number) => void;
}

/** A worker-thread regex matcher with a time budget (see the file comment). Pattern ids are positive integers. */
export class RegexWorker {
  /** Requests answered "no match" because too many were waiting. */
  dropped = 0;
  private worker: Worker | undefined;
  private shared = new SharedArrayBuffer(4);
  private running = new Int32Array(this.shared);
  private readonly patterns = new Map<number, string>();
  private readonly suspended = new Set<number>();
  private queue: Pending[] = [];
  private sent = 0;
  private ready = false;
  private timer: NodeJS.Timeout | undefined;
  private next = 1;
  private closed = false;
  private readonly options: RegexWorkerOptions;

  constructor(options: Partial<RegexWorkerOptions> = {}) {
    this.options = { budgetMs: 250, maxPending: 10_000, ...options };
  }

  /** Whether a pattern was suspended for being too slow. */
  isSuspended(id: number): boolean {
    return this.suspended.has(id);
  }

  /** Adds or replaces a pattern (already checked by `compileUserRegex`). Clears a suspension. */
  set(id: number, source: string): void {
    this.patterns.set(id, source);
    this.suspended.delete(id);
    this.ensure().postMessage({ t: 'set', id, source });
  }

  /** Removes a pattern. */
  delete(id: number): void {
    this.patterns.delete(id);
    this.worker?.postMessage({ t: 'del', id });
  }

  /** Which of the patterns `ids` match `text` (capped at `MAX_MATCH_TEXT`). Never rejects. */
  match(text: string, ids: readonly number[]): Promise<Set<number>> {
    const live = ids.filter((id) => this.patterns.has(id) && !this.suspended.has(id));
    if (live.length === 0 || this.closed) return Promise.resolve(new Set());
    if (this.queue.length >= this.options.maxPending) {
      this.dropped++;
      return Promise.resolve(new Set());
    }
    return new Promise((resolve) => {
      const p: Pending = {
        n: this.next++,
        text: text.length > MAX_MATCH_TEXT ? text.slice(0, MAX_MATCH_TEXT) : text,
        ids: live,
        resolve,
      };
      this.queue.push(p);
      this.pump();
    });
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { shared: this.shared } });
    w.unref();
    this.worker = w;
    this.ready = false;
    this.sent = 0;
    w.on('message', (msg: { ready?: boolean; n?: number; hits?: number[] }) => {
      if (w !== this.worker) return;
      if (msg.ready) {
        this.ready = true;
        this.pump();
        return;
      }
      const head = this.queue[0];
      if (!head || head.n !== msg.n) return;
      this.queue.shift();
      this.sent--;
      this.arm();
      head.resolve(new Set(msg.hits));
    });
    w.on('error', () => this.restart(undefined));
    for (const [id, source] of this.patterns) {
      if (!this.suspended.has(id)) w.postMessage({ t: 'set', id, source });
    }
    return w;
  }

  private pump(): void {
    if (this.closed) return;
    const w = this.ensure();
    if (!this.ready) return;
    while (this.sent < this.queue.length) {
      const p = this.queue[this.sent++]!;
      w.postMessage({ t: 'match', n: p.n, text: p.text, ids: p.ids });
    }
    this.arm();
  }

  /** The budget runs for the request at the head of the queue (the one the worker is on). */
  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const head = this.queue[0];
    if (!head || this.closed) return;
    const n = head.n;
    this.timer = setTimeout(() => {
      if (this.queue[0]?.n === n) this.restart(Atomics.load(this.running, 0) || undefined);
    }, this.options.budgetMs);
    this.timer.unref();
  }

  private restart(culprit: number | undefined): void {
    const old = this.worker;
    this.worker = undefined;
    this.ready = false;
    void old?.terminate();
    this.shared = new SharedArrayBuffer(4);
    this.running = new Int32Array(this.shared);
    if (culprit !== undefined) {
      this.suspended.add(culprit);
      this.options.onSlow?.(culprit);
    }
    for (const p of this.queue) p.ids = p.ids.filter((id) => !this.suspended.has(id));
    const empty = this.queue.filter((p) => p.ids.length === 0);
    this.queue = this.queue.filter((p) => p.ids.length > 0);
    for (const p of empty) p.resolve(new Set());
    if (this.queue.length > 0) this.pump();
  }

  /** Stops the worker; waiting requests answer "no match". Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const p of this.queue) p.resolve(new Set());
    this.queue = [];
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
  }
}
