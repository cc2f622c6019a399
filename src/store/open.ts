/**
 * Opens a store: an SQLite file (the default; created and migrated on first start, nothing to install) or a
 * PostgreSQL database given by URL. Both run the same migrations and the same typed queries.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, type SqliteDatabase, SqliteDialect } from 'kysely';
import pg from 'pg';
import { ExtensionRepository, PermissionRepository, UserRepository } from './directory.js';
import { StoreError } from './errors.js';
import { CallLogRepository, LockoutRepository } from './log.js';
import { migrationProvider, type StoreDialect } from './migrations.js';
import { RouteRepository } from './routes.js';
import type { Database } from './schema.js';

/** Default SQLite file, relative to the working directory. */
export const DEFAULT_DB_PATH = './.switchboard/router.sqlite';

/** Options of {@link openStore}. */
export interface StoreOptions {
  /** SQLite file path (`:memory:` for a throwaway database) or `postgres://…` URL. Default {@link DEFAULT_DB_PATH}. */
  url?: string;
  /** Run pending migrations on open (default true). */
  migrate?: boolean;
  /** PostgreSQL only: a schema to use (created if missing) — lets several stores share one database. */
  schema?: string;
  /** PostgreSQL only: pool size (default 10). */
  poolSize?: number;
  /** PostgreSQL only: session settings, e.g. `{ synchronous_commit: 'off' }` (tests). */
  settings?: Record<string, string>;
}

/** The repositories of a store (or of one of its transactions). */
export interface StoreRepositories {
  readonly routes: RouteRepository;
  readonly extensions: ExtensionRepository;
  readonly users: UserRepository;
  readonly permissions: PermissionRepository;
  readonly callLog: CallLogRepository;
  readonly lockouts: LockoutRepository;
}

/** An open store: typed repositories over one Kysely instance. Close it when done. */
export interface Store {
  /** The Kysely instance (for queries the repositories do not cover). */
  readonly db: Kysely<Database>;
  /** `sqlite` or `postgres`. */
  readonly dialect: StoreDialect;
  /** Where the data lives, without credentials (file path or `postgres://host:port/db`). */
  readonly location: string;
  /** Routes with their targets and time windows. */
  readonly routes: RouteRepository;
  /** Extensions (callers). */
  readonly extensions: ExtensionRepository;
  /** Users and their PIN hashes. */
  readonly users: UserRepository;
  /** Which extension or user holds which route. */
  readonly permissions: PermissionRepository;
  /** The call log. */
  readonly callLog: CallLogRepository;
  /** PIN failure counters and lockouts. */
  readonly lockouts: LockoutRepository;
  /**
   * Runs `fn` in one transaction with repositories bound to it: everything or nothing (the rules version changes
   * once, after the commit).
   */
  transaction<T>(fn: (tx: StoreRepositories) => Promise<T>): Promise<T>;
  /** Version token of the rules, changed by every edit (routers reload their compiled rules when it changes). */
  rulesVersion(): Promise<string>;
  /** Applies pending migrations; returns the names applied. */
  migrate(): Promise<string[]>;
  /** Releases the connection(s). Idempotent. */
  close(): Promise<void>;
}

/** True when the location is a PostgreSQL URL. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** The location without credentials, safe to print. */
export function redactLocation(url: string): string {
  if (!isPostgresUrl(url)) return url;
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'postgres://(unparsable url)';
  }
}

/** Opens (and by default migrates) a store. Rejects with `STORE_OPEN_FAILED` or `STORE_MIGRATION_FAILED`. */
export async function openStore(options: StoreOptions = {}): Promise<Store> {
  const url = options.url ?? DEFAULT_DB_PATH;
  const dialect: StoreDialect = isPostgresUrl(url) ? 'postgres' : 'sqlite';
  const location = redactLocation(url);
  let db: Kysely<Database>;
  try {
    if (dialect === 'sqlite') {
      if (url !== ':memory:') mkdirSync(dirname(url), { recursive: true });
      const file = new SQLite(url);
      file.pragma('journal_mode = WAL');
      // WAL + NORMAL: never corrupts; a power cut may lose the last commits (call-log rows), not the rules.
      file.pragma('synchronous = NORMAL');
      file.pragma('foreign_keys = ON');
      file.pragma('busy_timeout = 5000');
      db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachedStatements(file) }) });
    } else {
      const schema = options.schema;
      if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
        throw new StoreError('STORE_OPEN_FAILED', `invalid schema name ${JSON.stringify(schema)}`);
      }
      if (schema) {
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        try {
          await admin.query(`create schema if not exists "${schema}"`);
        } finally {
          await admin.end();
        }
      }
      const settings = { ...(schema ? { search_path: schema } : {}), ...options.settings };
      for (const [k, v] of Object.entries(settings)) {
        if (!/^[a-z_.]+$/.test(k) || !/^[\w.-]+$/.test(v)) {
          throw new StoreError('STORE_OPEN_FAILED', `invalid PostgreSQL setting ${JSON.stringify(k)}`);
        }
      }
      const pgOptions = Object.entries(settings)
        .map(([k, v]) => `-c ${k}=${v}`)
        .join(' ');
      const pool = new pg.Pool({
        connectionString: url,
        max: options.poolSize ?? 10,
        ...(pgOptions ? { options: pgOptions } : {}),
      });
      // An idle client losing its server must not crash the process; the next query reports the failure.
      pool.on('error', () => {});
      db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    }
  } catch (err) {
    if (err instanceof StoreError) throw err;
    throw new StoreError(
      'STORE_OPEN_FAILED',
      `cannot open the store at ${location}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  const store = createStore(db, dialect, location, dialect === 'postgres' ? options.schema : undefined);
  if (options.migrate !== false) {
    try {
      await store.migrate();
    } catch (err) {
      await store.close();
      throw err;
    }
  }
  return store;
}

/**
 * Kysely's SQLite driver prepares every query anew; the router runs the same few queries on every call, so keep
 * their prepared statements (bounded: the cache is emptied past 256 distinct queries).
 */
function cachedStatements(file: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close() {
      cache.clear();
      file.close();
    },
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (!stmt) {
        if (cache.size >= 256) cache.clear();
        stmt = file.prepare(sql);
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}

function createStore(
  db: Kysely<Database>,
  dialect: StoreDialect,
  location: string,
  schemaName: string | undefined,
): Store {
  let closed: Promise<void> | undefined;
  const touch = async () => {
    await db
      .updateTable('meta')
      .set({ value: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}` })
      .where('key', '=', 'rules_version')
      .execute();
  };
  return {
    db,
    dialect,
    location,
    routes: new RouteRepository(db, touch),
    extensions: new ExtensionRepository(db, touch),
    users: new UserRepository(db, touch),
    permissions: new PermissionRepository(db, touch),
    callLog: new CallLogRepository(db),
    lockouts: new LockoutRepository(db),
    async transaction<T>(fn: (tx: StoreRepositories) => Promise<T>): Promise<T> {
      const none = async () => {};
      const result = await db.transaction().execute((trx) =>
        fn({
          routes: new RouteRepository(trx, none),
          extensions: new ExtensionRepository(trx, none),
          users: new UserRepository(trx, none),
          permissions: new PermissionRepository(trx, none),
          callLog: new CallLogRepository(trx),
          lockouts: new LockoutRepository(trx),
        }),
      );
      await touch();
      return result;
    },
    async rulesVersion() {
      const row = await db
        .selectFrom('meta')
        .select('value')
        .where('key', '=', 'rules_version')
        .executeTakeFirst();
      return row?.value ?? '';
    },
    async migrate() {
      // Rooms add migrations independently: a database migrated before a lower-numbered room migration existed
      // still takes it (each room's migration touches only its own tables).
      const migrator = new Migrator({
        db,
        provider: migrationProvider(dialect),
        allowUnorderedMigrations: true,
        // Kysely looks for its own tables in any schema; naming ours keeps stores in separate schemas apart.
        ...(schemaName ? { migrationTableSchema: schemaName } : {}),
      });
      const { error, results } = await migrator.migrateToLatest();
      if (error) {
        const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? '(unknown)';
        throw new StoreError(
          'STORE_MIGRATION_FAILED',
          `migration ${failed} failed on ${location}: ${(error as Error).message ?? String(error)}`,
          { cause: error },
        );
      }
      return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    },
    close() {
      closed ??= db.destroy();
      return closed;
    },
  };
}
