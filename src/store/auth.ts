/** Repositories of the auth tables: accounts, sessions, API tokens, login throttling, audit log. */
import type { Kysely, Selectable, Updateable } from 'kysely';
import type { Database } from './schema.js';
import type { AccountsTable, ApiTokensTable, AuditLogTable } from './schema-auth.js';
import { conflict, inTransaction, notFound } from './util.js';

/** An account as the applications see it (the password hash stays inside the store and the auth code). */
export interface AccountRecord {
  id: number;
  name: string;
  role: string;
  extensions: string[];
  language: string | null;
  createdAt: string;
  disabled: boolean;
}

/** An account with its password hash, for verification only. */
export interface AccountWithSecret extends AccountRecord {
  passwordHash: string;
}

function toAccount(r: Selectable<AccountsTable>): AccountWithSecret {
  let extensions: string[] = [];
  try {
    const parsed: unknown = JSON.parse(r.extensions);
    if (Array.isArray(parsed)) extensions = parsed.map(String);
  } catch {
    extensions = [];
  }
  return {
    id: r.id,
    name: r.name,
    role: r.role,
    extensions,
    language: r.language,
    createdAt: r.created_at,
    disabled: r.disabled !== 0,
    passwordHash: r.password_hash,
  };
}

function withoutSecret(a: AccountWithSecret): AccountRecord {
  const { passwordHash: _secret, ...rest } = a;
  return rest;
}

/** Accounts (people who sign in). */
export class AccountRepository {
  readonly #db: Kysely<Database>;
  /** Built from `store.db`. */
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }
  /** Creates an account; `STORE_CONFLICT` when the name is taken. */
  async create(a: {
    name: string;
    role: string;
    passwordHash: string;
    extensions?: string[];
    language?: string | null;
  }): Promise<AccountRecord> {
    try {
      const row = await this.#db
        .insertInto('accounts')
        .values({
          name: a.name,
          role: a.role,
          password_hash: a.passwordHash,
          extensions: JSON.stringify(a.extensions ?? []),
          language: a.language ?? null,
          created_at: new Date().toISOString(),
          disabled: 0,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return withoutSecret(toAccount(row));
    } catch (err) {
      conflict(err, `account ${a.name}`);
    }
  }
  /** Every account, by name. */
  async list(): Promise<AccountRecord[]> {
    const rows = await this.#db.selectFrom('accounts').selectAll().orderBy('name').execute();
    return rows.map((r) => withoutSecret(toAccount(r)));
  }
  /** How many accounts exist. */
  async count(): Promise<number> {
    const row = await this.#db
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
  /** One account by name, with its hash (for sign-in). */
  async findByName(name: string): Promise<AccountWithSecret | undefined> {
    const row = await this.#db.selectFrom('accounts').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? toAccount(row) : undefined;
  }
  /** One account by id. */
  async get(id: number): Promise<AccountRecord | undefined> {
    const row = await this.#db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? withoutSecret(toAccount(row)) : undefined;
  }
  /** Changes role, extensions, language or password; `STORE_NOT_FOUND` when missing. */
  async update(
    name: string,
    patch: { role?: string; extensions?: string[]; language?: string | null; passwordHash?: string },
  ): Promise<AccountRecord> {
    const set: Updateable<AccountsTable> = {};
    if (patch.role !== undefined) set.role = patch.role;
    if (patch.extensions !== undefined) set.extensions = JSON.stringify(patch.extensions);
    if (patch.language !== undefined) set.language = patch.language;
    if (patch.passwordHash !== undefined) set.password_hash = patch.passwordHash;
    return inTransaction(this.#db, async (trx) => {
      const row = await trx
        .updateTable('accounts')
        .set(set)
        .where('name', '=', name)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw notFound(`account ${name}`);
      // A new password ends every session that was opened with the old one.
      if (patch.passwordHash !== undefined)
        await trx.deleteFrom('sessions').where('account_id', '=', row.id).execute();
      return withoutSecret(toAccount(row));
    });
  }
  /** Removes an account with its sessions and tokens; `STORE_NOT_FOUND` when missing. */
  async remove(name: string): Promise<void> {
    const r = await this.#db.deleteFrom('accounts').where('name', '=', name).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound(`account ${name}`);
  }
}

/** A live session (the cookie value itself is never stored). */
export interface SessionRecord {
  accountId: number;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

/** Browser sessions. */
export class SessionRepository {
  readonly #db: Kysely<Database>;
  /** Built from `store.db`. */
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }
  /** Stores a session by the hash of its cookie value. */
  async create(s: {
    tokenHash: string;
    accountId: number;
    csrfToken: string;
    expiresAt: Date;
    address?: string | null;
    userAgent?: string | null;
  }): Promise<void> {
    await this.#db
      .insertInto('sessions')
      .values({
        token_hash: s.tokenHash,
        account_id: s.accountId,
        csrf_token: s.csrfToken,
        created_at: new Date().toISOString(),
        expires_at: s.expiresAt.toISOString(),
        address: s.address ?? null,
        user_agent: s.userAgent?.slice(0, 300) ?? null,
      })
      .execute();
  }
  /** The unexpired session with this hash. */
  async find(tokenHash: string, now = new Date()): Promise<SessionRecord | undefined> {
    const row = await this.#db
      .selectFrom('sessions')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .where('expires_at', '>', now.toISOString())
      .executeTakeFirst();
    return row
      ? {
          accountId: row.account_id,
          csrfToken: row.csrf_token,
          createdAt: row.created_at,
          expiresAt: row.expires_at,
        }
      : undefined;
  }
  /** Ends one session. */
  async remove(tokenHash: string): Promise<void> {
    await this.#db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  }
  /** Deletes expired sessions; returns how many. */
  async purgeExpired(now = new Date()): Promise<number> {
    const r = await this.#db
      .deleteFrom('sessions')
      .where('expires_at', '<=', now.toISOString())
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

/** An API token as listed (never the token or its hash). */
export interface TokenRecord {
  id: number;
  name: string;
  account: string;
  prefix: string;
  scope: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

function toToken(r: Selectable<ApiTokensTable> & { account: string }): TokenRecord {
  return {
    id: r.id,
    name: r.name,
    account: r.account,
    prefix: r.prefix,
    scope: r.scope,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  };
}

/** API tokens. */
export class TokenRepository {
  readonly #db: Kysely<Database>;
  /** Built from `store.db`. */
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }
  /** Stores a token by its hash. */
  async create(t: {
    name: string;
    accountId: number;
    tokenHash: string;
    prefix: string;
    scope: string;
    expiresAt: Date | null;
  }): Promise<TokenRecord> {
    const row = await this.#db
      .insertInto('api_tokens')
      .values({
        name: t.name,
        account_id: t.accountId,
        token_hash: t.tokenHash,
        prefix: t.prefix,
        scope: t.scope,
        created_at: new Date().toISOString(),
        expires_at: t.expiresAt?.toISOString() ?? null,
        last_used_at: null,
        revoked_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const found = await this.get(row.id);
    if (!found) throw notFound(`token ${row.id}`);
    return found;
  }
  private base() {
    return this.#db
      .selectFrom('api_tokens')
      .innerJoin('accounts', 'accounts.id', 'api_tokens.account_id')
      .selectAll('api_tokens')
      .select('accounts.name as account');
  }
  /** One token by id. */
  async get(id: number): Promise<TokenRecord | undefined> {
    const row = await this.base().where('api_tokens.id', '=', id).executeTakeFirst();
    return row ? toToken(row) : undefined;
  }
  /** Every token (optionally of one account), newest first. */
  async list(account?: string): Promise<TokenRecord[]> {
    let q = this.base().orderBy('api_tokens.id', 'desc');
    if (account !== undefined) q = q.where('accounts.name', '=', account);
    return (await q.execute()).map(toToken);
  }
  /** The usable token with this hash (not revoked, not expired), with its account id. */
  async findUsable(
    tokenHash: string,
    now = new Date(),
  ): Promise<(TokenRecord & { accountId: number }) | undefined> {
    const row = await this.base()
      .where('api_tokens.token_hash', '=', tokenHash)
      .where('api_tokens.revoked_at', 'is', null)
      .executeTakeFirst();
    if (!row) return undefined;
    if (row.expires_at !== null && row.expires_at <= now.toISOString()) return undefined;
    return { ...toToken(row), accountId: row.account_id };
  }
  /** Records a use (at most once a minute per token, to keep reads cheap). */
  async touch(id: number, now = new Date()): Promise<void> {
    const cutoff = new Date(now.getTime() - 60_000).toISOString();
    await this.#db
      .updateTable('api_tokens')
      .set({ last_used_at: now.toISOString() })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', cutoff)]))
      .execute();
  }
  /** Revokes a token; `STORE_NOT_FOUND` when missing or already revoked. */
  async revoke(id: number): Promise<void> {
    const r = await this.#db
      .updateTable('api_tokens')
      .set({ revoked_at: new Date().toISOString() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw notFound(`token ${id}`);
  }
}

/** Failed-login throttling shared by every server on the database. */
export class LoginAttemptRepository {
  readonly #db: Kysely<Database>;
  /** Built from `store.db`. */
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }
  /** When `key` is locked, the time it opens again. */
  async lockedUntil(key: string, now = new Date()): Promise<Date | undefined> {
    const row = await this.#db
      .selectFrom('login_attempts')
      .selectAll()
      .where('key', '=', key)
      .executeTakeFirst();
    if (!row?.locked_until) return undefined;
    const until = new Date(row.locked_until);
    return until > now ? until : undefined;
  }
  /** Counts a failure; locks the key for `windowMs` once `max` failures fall within one window. */
  async fail(
    key: string,
    policy: { max: number; windowMs: number },
    now = new Date(),
  ): Promise<Date | undefined> {
    return inTransaction(this.#db, async (trx) => {
      const row = await trx
        .selectFrom('login_attempts')
        .selectAll()
        .where('key', '=', key)
        .executeTakeFirst();
      const fresh = !row || now.getTime() - new Date(row.window_start).getTime() > policy.windowMs;
      const failures = fresh ? 1 : row.failures + 1;
      const windowStart = fresh ? now.toISOString() : row.window_start;
      const locked = failures >= policy.max ? new Date(now.getTime() + policy.windowMs) : undefined;
      const values = {
        failures,
        window_start: windowStart,
        locked_until: locked?.toISOString() ?? null,
      };
      await trx
        .insertInto('login_attempts')
        .values({ key, ...values })
        .onConflict((oc) => oc.column('key').doUpdateSet(values))
        .execute();
      return locked;
    });
  }
  /** Forgets the failures of a key (after a successful sign-in). */
  async clear(key: string): Promise<void> {
    await this.#db.deleteFrom('login_attempts').where('key', '=', key).execute();
  }
}

/** One audit entry. */
export interface AuditEntry {
  id?: number;
  at: string;
  actor: string | null;
  role: string | null;
  action: string;
  target: string | null;
  address: string | null;
  status: number;
  outcome: string;
  detail: string | null;
}

function toAudit(r: Selectable<AuditLogTable>): AuditEntry {
  return { ...r };
}

/** The audit log. */
export class AuditRepository {
  readonly #db: Kysely<Database>;
  /** Built from `store.db`. */
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }
  /** Appends entries. */
  async add(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.#db
      .insertInto('audit_log')
      .values(entries.map(({ id: _id, ...e }) => e))
      .execute();
  }
  /** Newest first, keyset-paged by id. */
  async list(options: { limit?: number; before?: number; actor?: string } = {}): Promise<AuditEntry[]> {
    let q = this.#db
      .selectFrom('audit_log')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(options.limit ?? 100);
    if (options.before !== undefined) q = q.where('id', '<', options.before);
    if (options.actor !== undefined) q = q.where('actor', '=', options.actor);
    return (await q.execute()).map(toAudit);
  }
}
