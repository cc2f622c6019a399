/** Migration `0004_feeds`: per-user CRM event feeds. */
import { type AnyDb, idColumn, type RoomMigrations } from './migration-kit.js';

/** The feeds room's migrations. */
export const feedsMigrations: RoomMigrations = (dialect) => {
  const id = idColumn(dialect);
  return {
    '0004_feeds': {
      async up(db: AnyDb) {
        await id(db.schema.createTable('feeds'))
          .addColumn('owner_id', 'integer', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('pbx', 'text')
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('filter', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('feeds_owner').on('feeds').column('owner_id').execute();
      },
      async down(db: AnyDb) {
        await db.schema.dropTable('feeds').execute();
      },
    },
  };
};
