/** The store's migrations, in code: one list for both back ends (only the id column type differs). */
import { type Migration, type MigrationProvider, sql } from 'kysely';
import { type AnyDb, idColumn, type RoomMigrations, type StoreDialect } from './migration-kit.js';
import { adminMigrations } from './migrations-admin.js';
import { authMigrations } from './migrations-auth.js';
import { feedsMigrations } from './migrations-feeds.js';
import { gatewayMigrations } from './migrations-gateway.js';
import { historyMigrations } from './migrations-history.js';
import { trunksMigrations } from './migrations-trunks.js';
import { webhooksMigrations } from './migrations-webhooks.js';

export type { StoreDialect } from './migration-kit.js';

/**
 * Each application room adds its tables in a migration file of its own (`migrations-<room>.ts`), listed here;
 * Kysely applies them in name order (`0002_auth`, `0003_history`, …).
 */
const rooms: readonly RoomMigrations[] = [
  feedsMigrations,
  authMigrations,
  trunksMigrations,
  historyMigrations,
  adminMigrations,
  webhooksMigrations,
  gatewayMigrations,
];

function migrations(dialect: StoreDialect): Record<string, Migration> {
  const id = idColumn(dialect);
  return {
    ...routerMigrations(id),
    ...Object.assign({}, ...rooms.map((room) => room(dialect))),
  };
}

function routerMigrations(id: ReturnType<typeof idColumn>): Record<string, Migration> {
  return {
    '0001_router': {
      async up(db: AnyDb) {
        await id(db.schema.createTable('routes'))
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('pattern', 'text', (c) => c.notNull())
          .addColumn('caller_id', 'text')
          .addColumn('app', 'text', (c) => c.notNull())
          .addColumn('app_data', 'text', (c) => c.notNull().defaultTo('{}'))
          .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
          .addColumn('rewrite_strip', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('rewrite_prepend', 'text', (c) => c.notNull().defaultTo(''))
          .addColumn('failover_on', 'text', (c) => c.notNull().defaultTo('CHANUNAVAIL,CONGESTION'))
          .execute();
        await id(db.schema.createTable('targets'))
          .addColumn('route_id', 'integer', (c) => c.notNull().references('routes.id').onDelete('cascade'))
          .addColumn('position', 'integer', (c) => c.notNull())
          .addColumn('template', 'text', (c) => c.notNull())
          .addColumn('options', 'text')
          .addColumn('timeout', 'integer')
          .execute();
        await id(db.schema.createTable('time_windows'))
          .addColumn('route_id', 'integer', (c) => c.notNull().references('routes.id').onDelete('cascade'))
          .addColumn('weekdays', 'text', (c) => c.notNull().defaultTo(''))
          .addColumn('start_time', 'text')
          .addColumn('end_time', 'text')
          .addColumn('start_date', 'text')
          .addColumn('end_date', 'text')
          .addColumn('timezone', 'text', (c) => c.notNull().defaultTo('UTC'))
          .execute();
        await id(db.schema.createTable('extensions'))
          .addColumn('number', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
          .execute();
        await id(db.schema.createTable('users'))
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('pin_hash', 'text', (c) => c.notNull())
          .execute();
        await id(db.schema.createTable('permissions'))
          .addColumn('route_id', 'integer', (c) => c.notNull().references('routes.id').onDelete('cascade'))
          .addColumn('extension_id', 'integer', (c) => c.references('extensions.id').onDelete('cascade'))
          .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
          .addCheckConstraint('permissions_one_holder', sql`(extension_id is null) <> (user_id is null)`)
          .execute();
        await db.schema
          .createIndex('permissions_unique')
          .on('permissions')
          .columns(['route_id', 'extension_id', 'user_id'])
          .unique()
          .execute();
        await id(db.schema.createTable('call_log'))
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('uniqueid', 'text', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('caller', 'text', (c) => c.notNull())
          .addColumn('dialed', 'text', (c) => c.notNull())
          .addColumn('route', 'text')
          .addColumn('outcome', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('target', 'text')
          .addColumn('user_name', 'text')
          .addColumn('detail', 'text')
          .execute();
        await db.schema.createIndex('call_log_at').on('call_log').column('at').execute();
        await db.schema
          .createTable('lockouts')
          .addColumn('caller', 'text', (c) => c.primaryKey())
          .addColumn('failures', 'integer', (c) => c.notNull())
          .addColumn('window_start', 'text', (c) => c.notNull())
          .addColumn('locked_until', 'text')
          .execute();
        await db.schema
          .createTable('meta')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .execute();
        await db.insertInto('meta').values({ key: 'rules_version', value: '0' }).execute();
      },
      async down(db: AnyDb) {
        for (const t of [
          'meta',
          'lockouts',
          'call_log',
          'permissions',
          'users',
          'extensions',
          'time_windows',
          'targets',
          'routes',
        ]) {
          await db.schema.dropTable(t).execute();
        }
      },
    },
  };
}

/** The migration provider for a back end (used with Kysely's `Migrator`). */
export function migrationProvider(dialect: StoreDialect): MigrationProvider {
  return { getMigrations: async () => migrations(dialect) };
}
