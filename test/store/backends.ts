/**
 * The store back ends every store/router test runs on: SQLite always, PostgreSQL when SWITCHBOARD_TEST_PG_URL is set.
 * Each PostgreSQL store gets its own schema (dropped on close) so tests never collide.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/index.js';

/** A back end to run a suite on. */
export interface Backend {
  name: 'sqlite' | 'postgres';
  /** Opens a fresh, migrated, empty store; closing it drops its data. */
  open(): Promise<Store>;
}

const pgUrl = process.env.SWITCHBOARD_TEST_PG_URL;

/** SQLite always; PostgreSQL when the env var is set. */
export const backends: Backend[] = [
  { name: 'sqlite', open: () => openStore({ url: ':memory:' }) },
  ...(pgUrl
    ? [
        {
          name: 'postgres' as const,
          async open(): Promise<Store> {
            const schema = `t_${randomBytes(6).toString('hex')}`;
            const store = await openStore({
              url: pgUrl,
              schema,
              poolSize: 4,
              settings: { synchronous_commit: 'off' },
            });
            const close = store.close.bind(store);
            let done: Promise<void> | undefined;
            return Object.assign(store, {
              close() {
                done ??= (async () => {
                  await close();
                  const c = new pg.Client({ connectionString: pgUrl });
                  await c.connect();
                  try {
                    await c.query(`drop schema if exists "${schema}" cascade`);
                  } finally {
                    await c.end();
                  }
                })();
                return done;
              },
            });
          },
        },
      ]
    : []),
];
