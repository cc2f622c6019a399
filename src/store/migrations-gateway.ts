/** Migration `0008_gateway`: the AMI gateway's logins managed over the API. */
import { type AnyDb, idColumn, type RoomMigrations } from './migration-kit.js';

/** The gateway room's migrations. */
export const gatewayMigrations: RoomMigrations = (dialect) => {
  const id = idColumn(dialect);
  return {
    '0008_gateway': {
      async up(db: AnyDb) {
        await id(db.schema.createTable('gateway_users'))
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('secret', 'text', (c) => c.notNull())
          .addColumn('read_classes', 'text', (c) => c.notNull())
          .addColumn('write_classes', 'text', (c) => c.notNull())
          .addColumn('actions', 'text')
          .addColumn('commands', 'text')
          .addColumn('filter', 'text')
          .addColumn('extensions', 'text')
          .addColumn('pbx', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
      },
      async down(db: AnyDb) {
        await db.schema.dropTable('gateway_users').execute();
      },
    },
  };
};
