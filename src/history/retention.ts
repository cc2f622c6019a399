/** Retention: a daily purge of calls older than `history.retentionDays` (0 keeps everything). */
import type { HistoryRepository } from '../store/index.js';

const DAY = 86_400_000;

/** Options of {@link startRetention}. */
export interface RetentionOptions {
  /** Days kept (0: never purge). */
  retentionDays: number;
  /** Time between purges (default one day). */
  everyMs?: number;
  /** Clock (tests). */
  now?: () => number;
  /** Told how many rows each purge removed. */
  onPurged?: (count: number) => void;
  /** Told when a purge failed (the next one tries again). */
  onError?: (error: unknown) => void;
}

/** A running retention loop. */
export interface Retention {
  /** Purges now; resolves with the rows removed. */
  purge(): Promise<number>;
  /** Stops the loop (waits for a purge in progress). */
  close(): Promise<void>;
}

/** Purges once at start, then every `everyMs`. The timer never keeps the process alive. */
export function startRetention(repo: Pick<HistoryRepository, 'purge'>, o: RetentionOptions): Retention {
  const now = o.now ?? Date.now;
  let running: Promise<number> = Promise.resolve(0);
  const purge = (): Promise<number> => {
    running = running.then(async () => {
      if (o.retentionDays <= 0) return 0;
      try {
        const n = await repo.purge(now() - o.retentionDays * DAY);
        o.onPurged?.(n);
        return n;
      } catch (err) {
        o.onError?.(err);
        return 0;
      }
    });
    return running;
  };
  void purge();
  const timer = setInterval(() => void purge(), o.everyMs ?? DAY);
  timer.unref();
  return {
    purge,
    async close() {
      clearInterval(timer);
      await running;
    },
  };
}
