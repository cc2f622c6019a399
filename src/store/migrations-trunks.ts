/** Migration `0006_trunks`: the state changes of trunks and lines. */
import { type AnyDb, idColumn, type RoomMigrations } from './migration-kit.js';

/** The trunk room's migrations. */
export const trunksMigrations: RoomMigrations = (dialect) => {
  const id = idColumn(dialect);
  return {
    '0006_trunks': {
      async up(db: AnyDb) {
        await id(db.schema.createTable('trunk_state_changes'))
          .addColumn('trunk_id', 'text', (c) => c.notNull())
          .addColumn('pbx', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('from_state', 'text')
          .addColumn('to_state', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('reason', 'text')
          .execute();
        // A trunk's history by time, and every trunk's changes by time (the Lines history page, alerts).
        await db.schema
          .createIndex('trunk_state_changes_trunk_at')
          .on('trunk_state_changes')
          .columns(['trunk_id', 'at'])
          .execute();
        await db.schema
          .createIndex('trunk_state_changes_at')
          .on('trunk_state_changes')
          .column('at')
          .execute();
      },
      async down(db: AnyDb) {
        await db.schema.dropTable('trunk_state_changes').execute();
      },
    },
  };
};
