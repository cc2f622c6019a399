/**
 * The store back ends every store/router test runs on: SQLite always, PostgreSQL when SWITCHBOARD_TEST_PG_URL is set.
 * PostgreSQL: each test file (process) gets its own schema, migrated once and emptied before every test, and dropped
 * when the file's tests are done — tests never collide, and no test pays for DDL.
 */
import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/index.js';

/** A back end to run a suite on. */
export interface Backend {
  name: 'sqlite' | 'postgres';
  /** Opens a fresh, migrated, empty store. */
  open(): Promise<Store>;
}

const pgUrl = process.env.SWITCHBOARD_TEST_PG_URL;
const schema = `t_${randomBytes(6).toString('hex')}`;
let migrated: Promise<void> | undefined;

async function admin(query: string): Promise<void> {
  const c = new pg.Client({ connectionString: pgUrl });
  await c.connect();
  try {
    await c.query(query);
  } finally {
    await c.end();
  }
}

if (pgUrl) after(() => (migrated ? admin(`drop schema if exists "${schema}" cascade`) : undefined));

async function openPg(): Promise<Store> {
  const url = pgUrl as string;
  if (!migrated) {
    migrated = (async () => {
      const s = await openStore({ url, schema });
      await s.close();
    })();
  }
  await migrated;
  const store = await openStore({
    url,
    schema,
    poolSize: 4,
    settings: { synchronous_commit: 'off' },
    migrate: false,
  });
  // DELETE, not TRUNCATE: on tables this small it is ten times faster.
  for (const table of [
    'webhook_outbox',
    'webhook_targets',
    'permissions',
    'targets',
    'time_windows',
    'routes',
    'extensions',
    'users',
    'call_log',
    'lockouts',
    'trunk_state_changes',
    'call_history',
    'phone_fetches',
    'phones',
  ]) {
    await sql`delete from ${sql.table(table)}`.execute(store.db);
  }
  return store;
}

/** SQLite always; PostgreSQL when the env var is set. */
export const backends: Backend[] = [
  { name: 'sqlite', open: () => openStore({ url: ':memory:' }) },
  ...(pgUrl ? [{ name: 'postgres' as const, open: openPg }] : []),
];

/** Runs `body` on a store from `open` and closes the store afterwards, whatever happens. */
export async function withStore<T>(
  open: () => Promise<Store>,
  body: (store: Store) => Promise<T>,
): Promise<T> {
  const store = await open();
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}
