/**
 * Authentication: scrypt password hashes, database-backed sessions (cookie) and API tokens (bearer), login
 * throttling per user and per address, CSRF tokens. Everything lives in the database, so several servers on one
 * PostgreSQL agree.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  type AccountRecord,
  AccountRepository,
  LoginAttemptRepository,
  SessionRepository,
  type TokenRecord,
  TokenRepository,
} from '../store/index.js';
import type { Database } from '../store/schema.js';
import { HttpError } from './errors.js';
import { isRole, type Principal, type Role, type Scope } from './roles.js';

/** The session cookie's name. */
export const SESSION_COOKIE = 'sb_session';
/** The header a cookie-authenticated write must carry. */
export const CSRF_HEADER = 'x-csrf-token';

// scrypt with N=2^15, r=8: 32 MiB per hash — memory-hard, ~60 ms here.
const KDF = { N: 1 << 15, r: 8, p: 1, keylen: 32, maxmem: 96 * 1024 * 1024 };

function scryptAsync(
  password: string,
  salt: Buffer,
  o: { N: number; r: number; p: number },
): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KDF.keylen, { ...o, maxmem: KDF.maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** Hashes a password: `scrypt$N$r$p$<salt b64>$<hash b64>`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, KDF);
  return `scrypt$${KDF.N}$${KDF.r}$${KDF.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Checks a password against a hash, in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const expected = Buffer.from(parts[5]!, 'base64');
  const key = await scryptAsync(password, Buffer.from(parts[4]!, 'base64'), { N, r, p });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** SHA-256 hex of a secret value (what the database keeps of cookies and tokens). */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Constant-time string equality. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Rules for a password chosen by a person. */
export function checkPassword(password: string): void {
  if (password.length < 8)
    throw new HttpError(400, 'WEAK_PASSWORD', 'the password needs at least 8 characters', 'password');
  if (password.length > 200) throw new HttpError(400, 'BAD_REQUEST', 'the password is too long', 'password');
}

/** Options of {@link AuthService}. */
export interface AuthOptions {
  /** Session lifetime in ms. */
  sessionTtl: number;
  /** Failed sign-ins allowed per user (four times that per address) within `window` ms; then locked for `window` ms. */
  loginRateLimit: { max: number; window: number };
}

/** A new session, as given to the browser once. */
export interface NewSession {
  cookie: string;
  csrfToken: string;
  expiresAt: Date;
  principal: Principal;
}

function principalOf(a: AccountRecord, via: 'session' | 'token', scope: Scope): Principal {
  if (!isRole(a.role)) throw new HttpError(401, 'UNAUTHORIZED', 'account has an unknown role');
  return {
    accountId: a.id,
    name: a.name,
    role: a.role,
    extensions: a.extensions,
    language: a.language,
    via,
    scope,
  };
}

/** Accounts, sessions and tokens over the store. */
export class AuthService {
  readonly accounts: AccountRepository;
  readonly sessions: SessionRepository;
  readonly tokens: TokenRepository;
  readonly attempts: LoginAttemptRepository;

  constructor(
    db: Kysely<Database>,
    private readonly options: AuthOptions,
  ) {
    this.accounts = new AccountRepository(db);
    this.sessions = new SessionRepository(db);
    this.tokens = new TokenRepository(db);
    this.attempts = new LoginAttemptRepository(db);
  }

  /** Creates an account with a hashed password. */
  async createAccount(a: {
    name: string;
    role: Role;
    password: string;
    extensions?: string[];
    language?: string | null;
  }) {
    checkPassword(a.password);
    return this.accounts.create({
      name: a.name,
      role: a.role,
      passwordHash: await hashPassword(a.password),
      extensions: a.extensions ?? [],
      language: a.language ?? null,
    });
  }

  /** Sets a new password (ends the account's sessions). */
  async setPassword(name: string, password: string): Promise<void> {
    checkPassword(password);
    await this.accounts.update(name, { passwordHash: await hashPassword(password) });
  }

  /**
   * Signs in: 429 while the user or the address is locked, 401 for a wrong name or password (same words for
   * both, and the same work: a missing user still costs one hash).
   */
  async login(username: string, password: string, address: string, userAgent?: string): Promise<NewSession> {
    const keys = [`user:${username.toLowerCase()}`, `addr:${address}`];
    for (const key of keys) {
      const until = await this.attempts.lockedUntil(key);
      if (until) {
        const seconds = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
        throw new HttpError(
          429,
          'TOO_MANY_ATTEMPTS',
          `too many failed sign-ins; try again in ${seconds} s`,
          undefined,
          {
            'retry-after': String(seconds),
          },
        );
      }
    }
    const account = await this.accounts.findByName(username);
    // A missing user still costs one hash, so timing does not tell which names exist.
    const ok = await verifyPassword(password, account?.passwordHash ?? DUMMY_HASH);
    if (!account || !ok || account.disabled) {
      // One address may serve many people (an office behind NAT): it gets four times the per-user allowance.
      const { max, window } = this.options.loginRateLimit;
      await this.attempts.fail(keys[0]!, { max, windowMs: window });
      await this.attempts.fail(keys[1]!, { max: max * 4, windowMs: window });
      throw new HttpError(401, 'BAD_CREDENTIALS', 'wrong user name or password');
    }
    await this.attempts.clear(keys[0]!);
    const cookie = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const expiresAt = new Date(Date.now() + this.options.sessionTtl);
    await this.sessions.create({
      tokenHash: sha256(cookie),
      accountId: account.id,
      csrfToken,
      expiresAt,
      address,
      userAgent: userAgent ?? null,
    });
    const { passwordHash: _h, ...rest } = account;
    return { cookie, csrfToken, expiresAt, principal: { ...principalOf(rest, 'session', 'all'), csrfToken } };
  }

  /** The principal of a session cookie, or undefined when unknown or expired. */
  async fromSession(cookie: string): Promise<Principal | undefined> {
    const s = await this.sessions.find(sha256(cookie));
    if (!s) return undefined;
    const a = await this.accounts.get(s.accountId);
    if (!a || a.disabled) return undefined;
    return { ...principalOf(a, 'session', 'all'), csrfToken: s.csrfToken };
  }

  /** The principal of a bearer token, or undefined when unknown, revoked or expired. */
  async fromToken(token: string): Promise<Principal | undefined> {
    const t = await this.tokens.findUsable(sha256(token));
    if (!t) return undefined;
    const a = await this.accounts.get(t.accountId);
    if (!a || a.disabled) return undefined;
    await this.tokens.touch(t.id);
    const scope = (t.scope === 'click-to-dial' ? 'click-to-dial' : 'all') as Scope;
    return { ...principalOf(a, 'token', scope), tokenId: t.id };
  }

  /** Ends a session. */
  async logout(cookie: string): Promise<void> {
    await this.sessions.remove(sha256(cookie));
  }

  /** Creates a token; the token text is returned once and never stored. */
  async createToken(t: { name: string; account: string; scope?: Scope; expiresDays?: number }): Promise<{
    token: string;
    record: TokenRecord;
  }> {
    const a = await this.accounts.findByName(t.account);
    if (!a) throw new HttpError(404, 'NOT_FOUND', `user ${t.account} not found`, 'user');
    const token = `sbt_${randomBytes(30).toString('base64url')}`;
    const record = await this.tokens.create({
      name: t.name,
      accountId: a.id,
      tokenHash: sha256(token),
      prefix: token.slice(0, 10),
      scope: t.scope ?? 'all',
      expiresAt: t.expiresDays ? new Date(Date.now() + t.expiresDays * 86_400_000) : null,
    });
    return { token, record };
  }
}

// A fixed hash to verify against when the user does not exist (same cost as a real check).
const DUMMY_HASH = `scrypt$${KDF.N}$${KDF.r}$${KDF.p}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}`;
