/** Migration `0002_auth`: accounts, sessions, API tokens, login throttling and the audit log. */
import { type AnyDb, idColumn, type RoomMigrations } from './migration-kit.js';

/** The auth room's migrations. */
export const authMigrations: RoomMigrations = (dialect) => {
  const id = idColumn(dialect);
  return {
    '0002_auth': {
      async up(db: AnyDb) {
        await id(db.schema.createTable('accounts'))
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('extensions', 'text', (c) => c.notNull().defaultTo('[]'))
          .addColumn('language', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
        await db.schema
          .createTable('sessions')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('account_id', 'integer', (c) =>
            c.notNull().references('accounts.id').onDelete('cascade'),
          )
          .addColumn('csrf_token', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('address', 'text')
          .addColumn('user_agent', 'text')
          .execute();
        await db.schema.createIndex('sessions_account').on('sessions').column('account_id').execute();
        await id(db.schema.createTable('api_tokens'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('account_id', 'integer', (c) =>
            c.notNull().references('accounts.id').onDelete('cascade'),
          )
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('prefix', 'text', (c) => c.notNull())
          .addColumn('scope', 'text', (c) => c.notNull().defaultTo('all'))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text')
          .addColumn('last_used_at', 'text')
          .addColumn('revoked_at', 'text')
          .execute();
        await db.schema
          .createTable('login_attempts')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('failures', 'integer', (c) => c.notNull())
          .addColumn('window_start', 'text', (c) => c.notNull())
          .addColumn('locked_until', 'text')
          .execute();
        await id(db.schema.createTable('audit_log'))
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('actor', 'text')
          .addColumn('role', 'text')
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('target', 'text')
          .addColumn('address', 'text')
          .addColumn('status', 'integer', (c) => c.notNull())
          .addColumn('outcome', 'text', (c) => c.notNull())
          .addColumn('detail', 'text')
          .execute();
        await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
      },
      async down(db: AnyDb) {
        for (const t of ['audit_log', 'login_attempts', 'api_tokens', 'sessions', 'accounts']) {
          await db.schema.dropTable(t).execute();
        }
      },
    },
  };
};
