/** Small helpers shared by the repositories. */
import type { Kysely, Transaction } from 'kysely';
import { StoreError } from './errors.js';
import type { Database } from './schema.js';

/** Called after every change to the rules (bumps the rules version). */
export type Touch = () => Promise<void>;

/** Turns driver errors for unique/foreign-key violations into a `STORE_CONFLICT` StoreError; rethrows others. */
export function conflict(err: unknown, what: string): never {
  const e = err as { code?: string; message?: string };
  const code = String(e?.code ?? '');
  if (code.startsWith('SQLITE_CONSTRAINT') || code === '23505' || code === '23503' || code === '23514') {
    throw new StoreError('STORE_CONFLICT', `${what}: ${e.message ?? code}`, { cause: err });
  }
  throw err;
}

/** A `STORE_NOT_FOUND` error naming what is missing. */
export function notFound(what: string): StoreError {
  return new StoreError('STORE_NOT_FOUND', `${what} not found`);
}

/** Runs `fn` in a transaction, or directly inside the caller's transaction when `db` already is one. */
export function inTransaction<T>(
  db: Kysely<Database>,
  fn: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute((trx: Transaction<Database>) => fn(trx));
}
