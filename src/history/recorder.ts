/**
 * `HistoryRecorder`: stores every finished call a `PbxMonitor` reports (`record` changes) in batches — flushed on a
 * timer, when a batch is full, and on close. A call is stored once: the `(pbx, linkedid)` key with insert-or-ignore
 * makes a record re-emitted after a reconnect (or by another server on the same database) a no-op.
 */
import type { PbxCallRecord, PbxChange } from '../pbx/index.js';
import type { HistoryRepository } from '../store/index.js';
import { HistoryError } from './errors.js';
import { toHistoryRow } from './record.js';

/** What the recorder needs of a monitor (`PbxMonitor` fits). */
export interface RecordSource {
  /** Subscribes to changes. */
  on(event: 'change', listener: (c: PbxChange) => void): unknown;
  /** Unsubscribes. */
  off(event: 'change', listener: (c: PbxChange) => void): unknown;
}

/** Where the recorder writes (`HistoryRepository` fits). */
export type RecordSink = Pick<HistoryRepository, 'insert' | 'routesFor'>;

/** Options of a `HistoryRecorder`. */
export interface HistoryRecorderOptions {
  /** How often pending calls are written (default 200 ms). */
  flushEveryMs?: number;
  /** Calls that trigger a write at once (default 100). */
  batchSize?: number;
  /** Calls kept while the store fails; beyond it the oldest are dropped and counted (default 50,000). */
  maxPending?: number;
  /** Told about write failures and drops. */
  onError?: (error: HistoryError) => void;
  /** Told how many new calls each write stored (for the `history writes` metric). */
  onWritten?: (count: number) => void;
}

/** Counters of a recorder. */
export interface HistoryRecorderStats {
  /** Calls newly stored. */
  written: number;
  /** Calls skipped as already stored. */
  duplicates: number;
  /** Calls waiting. */
  pending: number;
  /** Calls dropped because the store kept failing. */
  dropped: number;
  /** Writes that failed. */
  failures: number;
}

/** Writes finished calls to the history. */
export class HistoryRecorder {
  private pending: PbxCallRecord[] = [];
  private writing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private source: RecordSource | undefined;
  private readonly counters = { written: 0, duplicates: 0, dropped: 0, failures: 0 };
  private readonly onChange = (c: PbxChange) => {
    if (c.type === 'record' && c.op !== 'remove') this.add(c.data as PbxCallRecord);
  };
  private readonly opts: Required<Pick<HistoryRecorderOptions, 'flushEveryMs' | 'batchSize' | 'maxPending'>> &
    HistoryRecorderOptions;

  /**
   * @param sink the history repository (`new HistoryRepository(store.db, store.dialect)`)
   * @param options batching and reporting
   */
  constructor(
    private readonly sink: RecordSink,
    options: HistoryRecorderOptions = {},
  ) {
    this.opts = {
      ...options,
      flushEveryMs: options.flushEveryMs ?? 200,
      batchSize: options.batchSize ?? 100,
      maxPending: options.maxPending ?? 50_000,
    };
  }

  /** Subscribes to a monitor's `record` changes and starts the flush timer. */
  start(source?: RecordSource): this {
    if (this.closed) throw new HistoryError('HISTORY_CLOSED', 'the recorder is closed');
    if (source && !this.source) {
      this.source = source;
      source.on('change', this.onChange);
    }
    if (!this.timer) {
      this.timer = setInterval(() => void this.flush(), this.opts.flushEveryMs);
      this.timer.unref();
    }
    return this;
  }

  /** Queues one finished call (written by the next flush). */
  add(record: PbxCallRecord): void {
    if (this.closed) throw new HistoryError('HISTORY_CLOSED', 'the recorder is closed');
    this.pending.push(record);
    if (this.pending.length > this.opts.maxPending) {
      const over = this.pending.length - this.opts.maxPending;
      this.pending.splice(0, over);
      this.counters.dropped += over;
      this.opts.onError?.(
        new HistoryError('HISTORY_DROPPED', `${over} call records dropped (store failing)`),
      );
    }
    if (this.pending.length >= this.opts.batchSize) void this.flush();
  }

  /** Counters. */
  stats(): HistoryRecorderStats {
    return { ...this.counters, pending: this.pending.length };
  }

  /** Writes what is pending now; resolves when written (or failed: the calls stay pending). */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  /** Resolves when the writes already started are done (starts none). */
  settled(): Promise<void> {
    return this.writing;
  }

  /** Unsubscribes, stops the timer and writes what is pending. Idempotent. */
  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.source?.off('change', this.onChange);
      if (this.timer) clearInterval(this.timer);
      this.timer = undefined;
    }
    await this.flush();
  }

  private async write(): Promise<void> {
    if (this.pending.length === 0) return;
    const records = this.pending.splice(0, this.pending.length);
    try {
      const routes = await this.sink.routesFor([
        ...new Set(records.flatMap((r) => r.legs.map((l) => l.uniqueid))),
      ]);
      const rows = records.map((r) => {
        const route = r.legs.map((l) => routes.get(l.uniqueid)).find((x) => x !== undefined);
        return toHistoryRow(r, route);
      });
      const stored = await this.sink.insert(rows);
      this.counters.written += stored;
      this.counters.duplicates += rows.length - stored;
      if (stored > 0) this.opts.onWritten?.(stored);
    } catch (err) {
      this.counters.failures++;
      // Back in front, in order: nothing is lost unless the store stays down past maxPending.
      this.pending = [...records, ...this.pending];
      const e = new HistoryError('HISTORY_WRITE_FAILED', `call history could not be written: ${String(err)}`);
      this.opts.onError?.(e);
    }
  }
}
