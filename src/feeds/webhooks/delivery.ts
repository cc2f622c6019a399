/**
 * The delivery engine: claims the heads of due target queues from the outbox (a lease, so a crashed engine's
 * rows go out from another one after the lease), POSTs them — one request in flight per target, many targets at
 * once — and records each outcome. Retries back off exponentially with jitter (or as `Retry-After` says); a
 * delivery is failed after `maxAttempts`, and a target is paused after `pauseAfterFailures` failed attempts in a
 * row. A crash between a receiver's 2xx and the record means that delivery is sent again, with the same id.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type {
  OutboxRecord,
  RecordedOutcome,
  WebhookOutboxRepository,
  WebhookTargetRecord,
  WebhookTargetRepository,
} from '../../store/index.js';
import type { WebhooksConfig } from './config.js';
import { WebhookSender } from './sender.js';

/** Counters of one engine. */
export interface DeliveryStats {
  delivered: number;
  retried: number;
  failed: number;
}

/** Options besides the config. */
export interface DeliveryEngineOptions {
  /** Lease holder name (default host:pid:random). */
  owner?: string;
  /** Told of each success (bench, tests). */
  onDelivered?: (rows: readonly OutboxRecord[]) => void;
  /** Told of store errors (the loop goes on; leases make it safe). */
  onError?: (err: Error) => void;
}

/** The delay before retry number `attempt` (1 = first retry): base·2^(attempt-1), capped, 50–100 % jitter. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.min(30, attempt - 1));
  return Math.round(raw * (0.5 + random() * 0.5));
}

/** See the file comment. */
export class WebhookDeliveryEngine {
  /** The lease holder name. */
  readonly owner: string;
  /** What this engine did. */
  readonly stats: DeliveryStats = { delivered: 0, retried: 0, failed: 0 };
  private readonly sender: WebhookSender;
  private readonly inflight = new Set<Promise<void>>();
  private readonly cache = new Map<number, { at: number; target: WebhookTargetRecord }>();
  private results: RecordedOutcome[] = [];
  private readonly recorded: Array<() => void> = [];
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private woken = false;
  /** Something may be claimable (new rows, a free slot, a resumed target, the poll): claim on the next turn. */
  private claimWanted = true;
  private wakeUp: (() => void) | undefined;

  constructor(
    private readonly outbox: WebhookOutboxRepository,
    private readonly targets: WebhookTargetRepository,
    private readonly config: WebhooksConfig,
    private readonly options: DeliveryEngineOptions = {},
  ) {
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.sender = new WebhookSender({
      timeoutMs: config.timeoutMs,
      allowPrivateTargets: config.allowPrivateTargets,
    });
  }

  /** Starts the loop. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  /** Looks for work now (new rows were enqueued, a target was resumed). */
  wake(): void {
    this.claimWanted = true;
    this.signal();
  }

  /** Runs the loop's next turn soon (an outcome to record, or a claim wanted). */
  private signal(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Stops claiming, waits for the attempts in flight to be recorded, closes the sockets. */
  async close(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loopDone;
    // Outcomes queued while the loop still ran wait for a flush the loop will no longer do: do it now, or the
    // attempts awaiting them (and so this close) would wait forever. Later outcomes flush themselves.
    await this.flush();
    await Promise.all([...this.inflight]);
    await this.flush();
    this.sender.close();
  }

  private get leaseMs(): number {
    return 2 * this.config.timeoutMs + 1000;
  }

  /** Hands an outcome to the loop, which records every outcome of a tick in one transaction; resolves once stored. */
  private queue(r: RecordedOutcome): Promise<void> {
    this.results.push(r);
    const stored = new Promise<void>((resolve) => this.recorded.push(resolve));
    if (this.running) this.signal();
    else void this.flush(); // closing: the loop is gone
    return stored;
  }

  private async flush(): Promise<void> {
    if (this.results.length === 0) return;
    const results = this.results;
    const waiting = this.recorded.splice(0);
    this.results = [];
    try {
      await this.outbox.record(this.owner, results, this.config.maxAttempts, this.config.pauseAfterFailures);
    } catch (err) {
      // Not recorded: the leases run out and those rows are sent again (same ids) — at least once.
      this.options.onError?.(err as Error);
    } finally {
      for (const w of waiting) w();
    }
  }

  private async loop(): Promise<void> {
    while (this.running) {
      this.woken = false;
      // Let the responses that arrived in this I/O turn queue their outcomes: one transaction records them all.
      if (this.results.length > 0 && this.results.length < this.inflight.size)
        await new Promise(setImmediate);
      await this.flush();
      const free = this.config.concurrency - this.inflight.size;
      if (free > 0 && this.claimWanted) {
        // A claim costs a write query even when it finds nothing: only when something may have become claimable
        // (a claim after every recorded outcome was most of the engine's time, measured).
        this.claimWanted = false;
        let claimed: OutboxRecord[] = [];
        try {
          claimed = await this.outbox.claim(this.owner, free, this.config.batch, this.leaseMs);
        } catch (err) {
          this.options.onError?.(err as Error);
        }
        if (claimed.length > 0) {
          // Every free slot filled: more targets may be due.
          if (new Set(claimed.map((r) => r.targetId)).size >= free) this.claimWanted = true;
          await this.dispatch(claimed);
          continue;
        }
      }
      if (!this.running || this.woken) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          // The poll: retries falling due, rows other servers enqueued, leases running out.
          this.claimWanted = true;
          resolve();
        }, this.config.pollMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }

  private async dispatch(rows: OutboxRecord[]): Promise<void> {
    const groups = new Map<number, OutboxRecord[]>();
    for (const r of rows) (groups.get(r.targetId) ?? groups.set(r.targetId, []).get(r.targetId)!).push(r);
    const now = Date.now();
    const missing = [...groups.keys()].filter((id) => (this.cache.get(id)?.at ?? 0) < now - 2000);
    try {
      for (const t of await this.targets.getMany(missing)) this.cache.set(t.id, { at: now, target: t });
    } catch (err) {
      this.options.onError?.(err as Error);
    }
    for (const [targetId, group] of groups) {
      const target = this.cache.get(targetId)?.target;
      if (!target) continue; // deleted meanwhile (its rows go with it) or the store failed: the lease runs out
      const p = this.deliver(target, group)
        .catch((err: Error) => this.options.onError?.(err))
        .finally(() => {
          this.inflight.delete(p);
          this.wake();
        });
      this.inflight.add(p);
    }
  }

  private async deliver(target: WebhookTargetRecord, rows: OutboxRecord[]): Promise<void> {
    const first = rows[0]!;
    const body = this.config.batch === 1 ? first.body : `[${rows.map((r) => r.body).join(',')}]`;
    const result = await this.sender.send({
      url: target.url,
      secret: target.secret,
      headers: target.headers,
      deliveryId: first.deliveryId,
      body,
    });
    const ids = rows.map((r) => r.id);
    const outcome = {
      code: result.code,
      error: result.error,
      latencyMs: result.latencyMs,
      body: result.body,
    };
    const { maxAttempts, backoffMs, maxBackoffMs } = this.config;
    if (result.verdict === 'delivered') {
      await this.queue({
        ids,
        targetId: target.id,
        outcome,
        verdict: 'delivered',
        resetFailures: target.failures !== 0,
      });
      this.stats.delivered += rows.length;
      this.options.onDelivered?.(rows);
      return;
    }
    let retryAt: Date | null = null;
    if (result.verdict === 'retry' && first.attempts + 1 < maxAttempts) {
      const delay = Math.min(
        maxBackoffMs,
        result.retryAfterMs ?? backoffDelay(first.attempts + 1, backoffMs, maxBackoffMs),
      );
      retryAt = new Date(Date.now() + delay);
      this.stats.retried += rows.length;
    } else {
      this.stats.failed += rows.length;
    }
    await this.queue({ ids, targetId: target.id, outcome, verdict: 'failed', retryAt });
    // A failing target may be being fixed (URL, secret): read it afresh next time.
    this.cache.delete(target.id);
  }
}
