/** Migration `0005_admin`: phones and the provisioning fetch log. */
import { type AnyDb, idColumn, type RoomMigrations } from './migration-kit.js';

/** The admin room's migrations. */
export const adminMigrations: RoomMigrations = (dialect) => {
  const id = idColumn(dialect);
  return {
    '0005_admin': {
      async up(db: AnyDb) {
        await id(db.schema.createTable('phones'))
          .addColumn('pbx', 'text', (c) => c.notNull())
          .addColumn('extension', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('brand', 'text', (c) => c.notNull())
          .addColumn('model', 'text')
          .addColumn('mac', 'text', (c) => c.unique())
          .addColumn('context', 'text', (c) => c.notNull())
          .addColumn('language', 'text')
          .addColumn('codecs', 'text', (c) => c.notNull())
          .addColumn('voicemail', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('managed', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('driver', 'text')
          .addColumn('config_file', 'text')
          .addColumn('category', 'text')
          .addColumn('secret', 'text')
          .addColumn('prov_username', 'text', (c) => c.unique())
          .addColumn('prov_ha1', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('phones_pbx_extension', ['pbx', 'extension'])
          .execute();
        await id(db.schema.createTable('phone_fetches'))
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('phone_id', 'integer', (c) => c.references('phones.id').onDelete('set null'))
          .addColumn('extension', 'text')
          .addColumn('address', 'text', (c) => c.notNull())
          .addColumn('user_agent', 'text')
          .addColumn('file', 'text', (c) => c.notNull())
          .addColumn('outcome', 'text', (c) => c.notNull())
          .addColumn('status', 'integer', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('phone_fetches_phone')
          .on('phone_fetches')
          .columns(['phone_id', 'at'])
          .execute();
      },
      async down(db: AnyDb) {
        await db.schema.dropTable('phone_fetches').execute();
        await db.schema.dropTable('phones').execute();
      },
    },
  };
};
