/**
 * `TrunkHistoryRecorder`: stores every state change of every trunk a `PbxMonitor` reports (`trunk` changes), in
 * batches, flushed on a timer, when a batch is full, and on close. A trunk first seen after a restart continues the
 * history already stored (its first row's `from` is the last stored state; no row when nothing changed).
 */
import type { PbxChange, PbxTrunk } from '../pbx/index.js';
import type { TrunkStateChange, TrunkStateRepository } from '../store/index.js';

/** What the recorder needs of a monitor (`PbxMonitor` fits). */
export interface TrunkChangeSource {
  /** Subscribes to changes. */
  on(event: 'change', listener: (c: PbxChange) => void): unknown;
  /** Unsubscribes. */
  off(event: 'change', listener: (c: PbxChange) => void): unknown;
}

/** Where the recorder writes (`TrunkStateRepository` fits). */
export type TrunkChangeSink = Pick<TrunkStateRepository, 'insert' | 'latest'>;

/** Options of a `TrunkHistoryRecorder`. */
export interface TrunkRecorderOptions {
  /** How often pending rows are written (default 1000 ms). */
  flushEveryMs?: number;
  /** Rows that trigger a write at once (default 200). */
  batchSize?: number;
  /** Rows kept while the store fails; beyond it the oldest are dropped and counted (default 10,000). */
  maxPending?: number;
  /** Told about write failures and drops (the rows stay pending until `maxPending`). */
  onError?: (error: Error) => void;
}

/** Counters of a recorder. */
export interface TrunkRecorderStats {
  /** Rows written. */
  written: number;
  /** Rows waiting. */
  pending: number;
  /** Rows dropped because the store kept failing. */
  dropped: number;
  /** Writes that failed. */
  failures: number;
}

/** A recorder error (`HISTORY_TRUNK_WRITE_FAILED`, `HISTORY_TRUNK_DROPPED`). */
export class TrunkRecorderError extends Error {
  /**
   * @param code stable code
   * @param message what happened
   * @param options the store's error as `cause`
   */
  constructor(
    readonly code: 'HISTORY_TRUNK_WRITE_FAILED' | 'HISTORY_TRUNK_DROPPED',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TrunkRecorderError';
  }
}

/** Writes trunk state changes to the store. */
export class TrunkHistoryRecorder {
  private readonly last = new Map<string, string>();
  private pending: TrunkStateChange[] = [];
  private writing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly counters = { written: 0, dropped: 0, failures: 0 };
  private readonly onChange = (c: PbxChange) => this.take(c);
  private readonly opts: Required<Omit<TrunkRecorderOptions, 'onError'>> &
    Pick<TrunkRecorderOptions, 'onError'>;

  /**
   * @param source the monitor whose `trunk` changes are recorded
   * @param sink the trunk history repository (`new TrunkStateRepository(store.db, store.dialect)`)
   * @param options batching and error reporting
   */
  constructor(
    private readonly source: TrunkChangeSource,
    private readonly sink: TrunkChangeSink,
    options: TrunkRecorderOptions = {},
  ) {
    this.opts = {
      flushEveryMs: options.flushEveryMs ?? 1000,
      batchSize: options.batchSize ?? 200,
      maxPending: options.maxPending ?? 10_000,
      onError: options.onError,
    };
  }

  /** Subscribes to the monitor and starts the flush timer. */
  start(): this {
    if (this.closed || this.timer) return this;
    this.source.on('change', this.onChange);
    this.timer = setInterval(() => void this.flush(), this.opts.flushEveryMs);
    return this;
  }

  /** Counters. */
  stats(): TrunkRecorderStats {
    return { ...this.counters, pending: this.pending.length };
  }

  /** Writes what is pending now; resolves when written (or failed: the rows stay pending). */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  /** Unsubscribes, stops the timer and writes what is pending. Idempotent. */
  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.source.off('change', this.onChange);
      if (this.timer) clearInterval(this.timer);
      this.timer = undefined;
    }
    await this.flush();
  }

  private take(c: PbxChange): void {
    if (c.type !== 'trunk') return;
    const t = c.data as PbxTrunk;
    if (c.op === 'remove') {
      // Removed from the configuration: not a state change; a later comeback continues from the stored history.
      this.last.delete(c.id);
      return;
    }
    const before = this.last.get(c.id);
    if (before === t.state) return;
    this.last.set(c.id, t.state);
    this.pending.push({
      trunkId: t.id,
      pbx: t.server,
      kind: t.kind,
      from: before ?? null,
      to: t.state,
      at: t.since,
      reason: t.reason ?? null,
    });
    if (this.pending.length > this.opts.maxPending) {
      const over = this.pending.length - this.opts.maxPending;
      this.pending.splice(0, over);
      this.counters.dropped += over;
      this.opts.onError?.(new TrunkRecorderError('HISTORY_TRUNK_DROPPED', `${over} trunk changes dropped`));
    }
    if (this.pending.length >= this.opts.batchSize) void this.flush();
  }

  private async write(): Promise<void> {
    if (this.pending.length === 0) return;
    const rows = this.pending;
    this.pending = [];
    try {
      const out = await this.continueStored(rows);
      if (out.length > 0) await this.sink.insert(out);
      this.counters.written += out.length;
    } catch (err) {
      this.counters.failures++;
      // Back in front, in order: nothing is lost unless the store stays down past maxPending.
      this.pending = [...rows, ...this.pending];
      this.opts.onError?.(
        new TrunkRecorderError('HISTORY_TRUNK_WRITE_FAILED', 'Trunk history could not be written', {
          cause: err,
        }),
      );
    }
  }

  /** Rows of trunks first seen in this process start from the last stored state (dropped when it is the same). */
  private async continueStored(rows: TrunkStateChange[]): Promise<TrunkStateChange[]> {
    const out: TrunkStateChange[] = [];
    for (const r of rows) {
      if (r.from !== null) {
        out.push(r);
        continue;
      }
      const stored = await this.sink.latest(r.trunkId);
      if (stored?.to === r.to) continue;
      out.push(stored ? { ...r, from: stored.to } : r);
    }
    return out;
  }
}
