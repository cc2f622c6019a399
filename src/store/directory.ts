/** Extensions, users (PIN hashes only) and permissions. Every edit changes the rules version. */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { conflict, notFound, type Touch } from './util.js';

/** An extension (a caller the router knows). */
export interface ExtensionRecord {
  id: number;
  number: string;
  name: string;
}

/** A user; `pinHash` is the salted slow hash, never the PIN. */
export interface UserRecord {
  id: number;
  name: string;
  pinHash: string;
}

/** One permission: an extension or a user holding a route. */
export interface PermissionRecord {
  route: string;
  extension: string | null;
  user: string | null;
}

/** Reads and edits extensions. */
export class ExtensionRepository {
  readonly #db: Kysely<Database>;
  readonly #touch: Touch;
  /** Used by the store; get one from `openStore()`. */
  constructor(db: Kysely<Database>, touch: Touch) {
    this.#db = db;
    this.#touch = touch;
  }
  /** Every extension, by number. */
  async list(): Promise<ExtensionRecord[]> {
    const rows = await this.#db.selectFrom('extensions').selectAll().orderBy('number').execute();
    return rows.map((r) => ({ id: Number(r.id), number: r.number, name: r.name }));
  }
  /** Creates an extension; `STORE_CONFLICT` when the number exists. */
  async create(input: { number: string; name?: string }): Promise<number> {
    const row = await this.#db
      .insertInto('extensions')
      .values({ number: input.number, name: input.name ?? '' })
      .returning('id')
      .executeTakeFirstOrThrow()
      .catch((err) => conflict(err, `extension ${input.number}`));
    await this.#touch();
    return Number(row.id);
  }
  /** Renames an extension; `STORE_NOT_FOUND` if missing. */
  async update(number: string, patch: { name: string }): Promise<void> {
    const r = await this.#db
      .updateTable('extensions')
      .set({ name: patch.name })
      .where('number', '=', number)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw notFound(`extension ${number}`);
    await this.#touch();
  }
  /** Deletes an extension (and its permissions); false if it did not exist. */
  async remove(number: string): Promise<boolean> {
    const r = await this.#db.deleteFrom('extensions').where('number', '=', number).executeTakeFirst();
    await this.#touch();
    return Number(r.numDeletedRows) > 0;
  }
}

/** Reads and edits users. */
export class UserRepository {
  readonly #db: Kysely<Database>;
  readonly #touch: Touch;
  /** Used by the store; get one from `openStore()`. */
  constructor(db: Kysely<Database>, touch: Touch) {
    this.#db = db;
    this.#touch = touch;
  }
  /** Every user, by name. */
  async list(): Promise<UserRecord[]> {
    const rows = await this.#db.selectFrom('users').selectAll().orderBy('name').execute();
    return rows.map((r) => ({ id: Number(r.id), name: r.name, pinHash: r.pin_hash }));
  }
  /** Creates a user with an already-hashed PIN; `STORE_CONFLICT` when the name exists. */
  async create(input: { name: string; pinHash: string }): Promise<number> {
    const row = await this.#db
      .insertInto('users')
      .values({ name: input.name, pin_hash: input.pinHash })
      .returning('id')
      .executeTakeFirstOrThrow()
      .catch((err) => conflict(err, `user ${JSON.stringify(input.name)}`));
    await this.#touch();
    return Number(row.id);
  }
  /** Replaces a user's PIN hash; `STORE_NOT_FOUND` if missing. */
  async setPinHash(name: string, pinHash: string): Promise<void> {
    const r = await this.#db
      .updateTable('users')
      .set({ pin_hash: pinHash })
      .where('name', '=', name)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw notFound(`user ${JSON.stringify(name)}`);
    await this.#touch();
  }
  /** Deletes a user (and their permissions); false if they did not exist. */
  async remove(name: string): Promise<boolean> {
    const r = await this.#db.deleteFrom('users').where('name', '=', name).executeTakeFirst();
    await this.#touch();
    return Number(r.numDeletedRows) > 0;
  }
}

/** Reads and edits permissions, addressed by route name, extension number and user name. */
export class PermissionRepository {
  readonly #db: Kysely<Database>;
  readonly #touch: Touch;
  /** Used by the store; get one from `openStore()`. */
  constructor(db: Kysely<Database>, touch: Touch) {
    this.#db = db;
    this.#touch = touch;
  }
  /** Every permission, by route name then holder. */
  async list(): Promise<PermissionRecord[]> {
    const rows = await this.#db
      .selectFrom('permissions as p')
      .innerJoin('routes as r', 'r.id', 'p.route_id')
      .leftJoin('extensions as e', 'e.id', 'p.extension_id')
      .leftJoin('users as u', 'u.id', 'p.user_id')
      .select(['r.name as route', 'e.number as extension', 'u.name as user'])
      .execute();
    // Sorted here: SQLite and PostgreSQL disagree on where NULLs sort.
    const key = (r: PermissionRecord) =>
      `${r.route}\u0000${r.extension === null ? `1${r.user}` : `0${r.extension}`}`;
    return rows
      .map((r) => ({ route: r.route, extension: r.extension ?? null, user: r.user ?? null }))
      .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }

  async #ids(p: { route: string; extension?: string; user?: string }) {
    const route = await this.#db
      .selectFrom('routes')
      .select('id')
      .where('name', '=', p.route)
      .executeTakeFirst();
    if (!route) throw notFound(`route ${JSON.stringify(p.route)}`);
    if ((p.extension === undefined) === (p.user === undefined)) {
      throw new TypeError('a permission names exactly one extension or one user');
    }
    if (p.extension !== undefined) {
      const ext = await this.#db
        .selectFrom('extensions')
        .select('id')
        .where('number', '=', p.extension)
        .executeTakeFirst();
      if (!ext) throw notFound(`extension ${p.extension}`);
      return { route_id: Number(route.id), extension_id: Number(ext.id), user_id: null };
    }
    const user = await this.#db
      .selectFrom('users')
      .select('id')
      .where('name', '=', p.user as string)
      .executeTakeFirst();
    if (!user) throw notFound(`user ${JSON.stringify(p.user)}`);
    return { route_id: Number(route.id), extension_id: null, user_id: Number(user.id) };
  }

  /** Lets an extension use a route without PIN, or a user's PIN unlock it. Granting twice is a no-op. */
  async grant(p: { route: string; extension?: string; user?: string }): Promise<void> {
    const ids = await this.#ids(p);
    let q = this.#db.selectFrom('permissions').select('id').where('route_id', '=', ids.route_id);
    q =
      ids.extension_id !== null
        ? q.where('extension_id', '=', ids.extension_id)
        : q.where('user_id', '=', ids.user_id as number);
    if (await q.executeTakeFirst()) return;
    await this.#db.insertInto('permissions').values(ids).execute();
    await this.#touch();
  }

  /** Removes a permission; false if it did not exist. */
  async revoke(p: { route: string; extension?: string; user?: string }): Promise<boolean> {
    const ids = await this.#ids(p);
    let q = this.#db.deleteFrom('permissions').where('route_id', '=', ids.route_id);
    q =
      ids.extension_id !== null
        ? q.where('extension_id', '=', ids.extension_id)
        : q.where('user_id', '=', ids.user_id as number);
    const r = await q.executeTakeFirst();
    await this.#touch();
    return Number(r.numDeletedRows) > 0;
  }
}
