/**
 * The audit log: every write through the API — who, what, when, from where, the outcome — batched into the
 * database, never with a secret (bodies are not recorded; routes may add a secret-free detail).
 */
import type { Logger } from 'pino';
import { type AuditEntry, AuditRepository, type Store } from '../store/index.js';

/** Batches audit entries into the database. */
export class AuditWriter {
  private readonly repo: AuditRepository;
  private pending: AuditEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    store: Store,
    private readonly logger: Logger,
    private readonly delayMs = 200,
  ) {
    this.repo = new AuditRepository(store.db);
  }

  /** Queues one entry (written within `delayMs`). */
  record(entry: Omit<AuditEntry, 'at'> & { at?: string }): void {
    this.pending.push({ ...entry, at: entry.at ?? new Date().toISOString() });
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.delayMs);
  }

  /** Writes what is queued. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const batch = this.pending;
    this.pending = [];
    this.writing = this.writing.then(async () => {
      if (batch.length === 0) return;
      try {
        await this.repo.add(batch);
      } catch (err) {
        this.logger.error({ err: (err as Error).message, entries: batch.length }, 'audit write failed');
      }
    });
    return this.writing;
  }

  /** Reads entries, newest first. */
  list(options: { limit?: number; before?: number; actor?: string }): Promise<AuditEntry[]> {
    return this.repo.list(options);
  }
}
