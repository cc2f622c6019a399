/** The call log and the PIN-failure lockouts. */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { inTransaction } from './util.js';

/** One routed call as logged (never a PIN). */
export interface CallLogEntry {
  at: string;
  uniqueid: string;
  channel: string;
  caller: string;
  dialed: string;
  route: string | null;
  outcome: string;
  attempts: number;
  target: string | null;
  userName: string | null;
  detail: string | null;
}

/** Writes and reads the call log. */
export class CallLogRepository {
  readonly #db: Kysely<Database>;
  /** Used by the store; get one from `openStore()`. */
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }
  /** Appends one entry. */
  async add(e: CallLogEntry): Promise<void> {
    await this.#db
      .insertInto('call_log')
      .values({
        at: e.at,
        uniqueid: e.uniqueid,
        channel: e.channel,
        caller: e.caller,
        dialed: e.dialed,
        route: e.route,
        outcome: e.outcome,
        attempts: e.attempts,
        target: e.target,
        user_name: e.userName,
        detail: e.detail,
      })
      .execute();
  }
  /** The latest entries, newest first. */
  async list(options: { limit?: number; uniqueid?: string } = {}): Promise<CallLogEntry[]> {
    let q = this.#db
      .selectFrom('call_log')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(options.limit ?? 100);
    if (options.uniqueid !== undefined) q = q.where('uniqueid', '=', options.uniqueid);
    const rows = await q.execute();
    return rows.map((r) => ({
      at: r.at,
      uniqueid: r.uniqueid,
      channel: r.channel,
      caller: r.caller,
      dialed: r.dialed,
      route: r.route,
      outcome: r.outcome,
      attempts: Number(r.attempts),
      target: r.target,
      userName: r.user_name,
      detail: r.detail,
    }));
  }
}

/** Lockout state of one caller. */
export interface LockoutState {
  /** Failures counted in the current window. */
  failures: number;
  /** ISO time until which the caller is locked out, or null. */
  lockedUntil: string | null;
}

/** Lockout policy: `maxFailures` wrong PINs within `windowMs` lock the caller out for `lockMs`. */
export interface LockoutPolicy {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

/** Counts PIN failures per caller in the database, so every router instance sharing it enforces one lockout. */
export class LockoutRepository {
  readonly #db: Kysely<Database>;
  /** Used by the store; get one from `openStore()`. */
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }
  /** True (with the end time) when the caller is locked out at `now`. */
  async lockedUntil(caller: string, now: Date): Promise<string | null> {
    const row = await this.#db
      .selectFrom('lockouts')
      .select('locked_until')
      .where('caller', '=', caller)
      .executeTakeFirst();
    const until = row?.locked_until ?? null;
    return until !== null && until > now.toISOString() ? until : null;
  }
  /** Counts one failure and locks the caller out when the policy says so. */
  async recordFailure(caller: string, now: Date, policy: LockoutPolicy): Promise<LockoutState> {
    return inTransaction(this.#db, async (trx) => {
      const row = await trx
        .selectFrom('lockouts')
        .selectAll()
        .where('caller', '=', caller)
        .executeTakeFirst();
      const nowIso = now.toISOString();
      const windowOpen = row !== undefined && Date.parse(row.window_start) + policy.windowMs > now.getTime();
      const failures = windowOpen ? Number(row.failures) + 1 : 1;
      const windowStart = windowOpen ? row.window_start : nowIso;
      const lockedUntil =
        failures >= policy.maxFailures
          ? new Date(now.getTime() + policy.lockMs).toISOString()
          : (row?.locked_until ?? null);
      const values = { failures, window_start: windowStart, locked_until: lockedUntil };
      await trx
        .insertInto('lockouts')
        .values({ caller, ...values })
        .onConflict((oc) => oc.column('caller').doUpdateSet(values))
        .execute();
      return { failures, lockedUntil };
    });
  }
  /** Forgets a caller's failures (after a right PIN). */
  async clear(caller: string): Promise<void> {
    await this.#db.deleteFrom('lockouts').where('caller', '=', caller).execute();
  }
}
