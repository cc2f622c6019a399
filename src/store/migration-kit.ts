/** What every room's migration file needs: the dialect, an untyped Kysely, and the id column of either back end. */
import type { Kysely, Migration } from 'kysely';

/** Which SQL engine a store talks to. */
export type StoreDialect = 'sqlite' | 'postgres';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema that is still being built
export type AnyDb = Kysely<any>;

/** A room's migrations, by name (`0003_history`: names sort in the order they must run). */
export type RoomMigrations = (dialect: StoreDialect) => Record<string, Migration>;

/** Adds the auto-increment `id` primary key in the back end's spelling (`serial` / `integer autoincrement`). */
export function idColumn(dialect: StoreDialect) {
  return (t: ReturnType<AnyDb['schema']['createTable']>) =>
    dialect === 'postgres'
      ? t.addColumn('id', 'serial', (c) => c.primaryKey())
      : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}
