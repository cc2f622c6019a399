/**
 * The history room's service in the server (wiring only: the room itself works without HTTP): records every
 * finished call of every PBX, and purges old ones daily.
 */
import { HistoryRecorder, type Retention, startRetention } from '../../history/index.js';
import { HistoryRepository } from '../../store/index.js';
import type { ServerContext, ServerService } from '../context.js';

/** What the service puts in `ctx.rooms.get('history')`. */
export interface HistoryRoom {
  /** The repository (queries). */
  readonly repository: HistoryRepository;
  /** The recorder subscribed to the monitor. */
  readonly recorder: HistoryRecorder;
  /** The retention loop. */
  readonly retention: Retention;
  /** Writes pending calls, then stops recording and purging. */
  close(): Promise<void>;
}

/** Options of {@link historyService} (tests tune the batching). */
export interface HistoryServiceOptions {
  /** Flush interval (default 200 ms). */
  flushEveryMs?: number;
  /** Batch size (default 100). */
  batchSize?: number;
}

/** Builds the history service. */
export function historyService(o: HistoryServiceOptions = {}): ServerService & {
  start(ctx: ServerContext): Promise<HistoryRoom>;
} {
  return {
    name: 'history',
    async start(ctx) {
      const repository = new HistoryRepository(ctx.store.db, ctx.store.dialect);
      const log = ctx.logger.child({ room: 'history' });
      const recorder = new HistoryRecorder(repository, {
        ...(o.flushEveryMs !== undefined ? { flushEveryMs: o.flushEveryMs } : {}),
        ...(o.batchSize !== undefined ? { batchSize: o.batchSize } : {}),
        onWritten: (n) => ctx.metrics.historyWrites.inc(n),
        onError: (e) => log.warn({ code: e.code }, e.message),
      }).start(ctx.pbx.monitor);
      const retention = startRetention(repository, {
        retentionDays: ctx.config.history.retentionDays,
        onPurged: (n) => {
          if (n > 0) log.info({ purged: n }, 'old calls purged');
        },
        onError: (err) => log.warn({ err: (err as Error).message }, 'history purge failed'),
      });
      return {
        repository,
        recorder,
        retention,
        async close() {
          await recorder.close();
          await retention.close();
        },
      };
    },
  };
}

/** The service with its defaults, as `src/server/services.ts` lists it. */
export const historyServerService = historyService();
