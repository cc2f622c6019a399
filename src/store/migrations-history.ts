/** Migration `0003_history`: the call history, indexed for keyset pages and per-day statistics over millions of rows. */
import { type AnyDb, idColumn, type RoomMigrations } from './migration-kit.js';

/**
 * The secondary indexes of `call_history`. Every one has `(start_ms, id)` right after its filter column so a filtered page newest-first is
 * one index range walk (the keyset cursor is `(start_ms, id)`). Exported so a bulk load (the benchmark) can drop
 * them, fill, and build them once, which is far faster than maintaining them row by row.
 */
export const HISTORY_INDEXES: readonly { name: string; columns: string[] }[] = [
  // Covering for the statistics: a day's figures read ~27,000 index entries and never the table (measured: 112 ms
  // with table lookups, see bench/history.ts); the first two columns serve the unfiltered newest-first page.
  {
    name: 'call_history_start_figures',
    columns: [
      'start_ms',
      'id',
      'pbx',
      'disposition',
      'billable',
      'queue',
      'queue_outcome',
      'wait_seconds',
      'talk_seconds',
      'route',
    ],
  },
  { name: 'call_history_destination', columns: ['destination', 'start_ms', 'id'] },
  { name: 'call_history_source', columns: ['source', 'start_ms', 'id'] },
  { name: 'call_history_pbx', columns: ['pbx', 'start_ms', 'id'] },
  { name: 'call_history_queue', columns: ['queue', 'start_ms', 'id'] },
];

/** Creates the secondary indexes (idempotent). */
export async function createHistoryIndexes(db: AnyDb): Promise<void> {
  for (const i of HISTORY_INDEXES) {
    await db.schema.createIndex(i.name).ifNotExists().on('call_history').columns(i.columns).execute();
  }
}

/** Drops the secondary indexes (bulk loads only; the unique `(pbx, linkedid)` key stays). */
export async function dropHistoryIndexes(db: AnyDb): Promise<void> {
  for (const i of HISTORY_INDEXES) await db.schema.dropIndex(i.name).ifExists().execute();
}

/** The history room's migrations. */
export const historyMigrations: RoomMigrations = (dialect) => {
  const id = idColumn(dialect);
  const ms = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    '0003_history': {
      async up(db: AnyDb) {
        await id(db.schema.createTable('call_history'))
          .addColumn('pbx', 'text', (c) => c.notNull())
          .addColumn('linkedid', 'text', (c) => c.notNull())
          .addColumn('call_id', 'text', (c) => c.notNull())
          .addColumn('start_ms', ms, (c) => c.notNull())
          .addColumn('answer_ms', ms)
          .addColumn('end_ms', ms, (c) => c.notNull())
          .addColumn('duration', 'integer', (c) => c.notNull())
          .addColumn('billable', 'integer', (c) => c.notNull())
          .addColumn('source', 'text')
          .addColumn('destination', 'text')
          .addColumn('caller_name', 'text')
          .addColumn('disposition', 'text', (c) => c.notNull())
          .addColumn('hangup_cause', 'integer')
          .addColumn('hangup_cause_text', 'text')
          .addColumn('queue', 'text')
          .addColumn('agent', 'text')
          .addColumn('queue_outcome', 'text')
          .addColumn('wait_seconds', 'integer')
          .addColumn('talk_seconds', 'integer')
          .addColumn('route', 'text')
          .addColumn('ended_while_disconnected', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
          .execute();
        // The "stored once" key: a re-snapshot after a reconnect may emit the same call again.
        await db.schema
          .createIndex('call_history_call')
          .on('call_history')
          .columns(['pbx', 'linkedid'])
          .unique()
          .execute();
        await createHistoryIndexes(db);
        // The recorder looks up the router's route of each call by channel uniqueid.
        await db.schema
          .createIndex('call_log_uniqueid')
          .ifNotExists()
          .on('call_log')
          .column('uniqueid')
          .execute();
      },
      async down(db: AnyDb) {
        await db.schema.dropIndex('call_log_uniqueid').ifExists().execute();
        await db.schema.dropTable('call_history').execute();
      },
    },
  };
};
