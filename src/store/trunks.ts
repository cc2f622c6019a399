/** Trunk history: state changes of trunks and lines, and the periods each trunk spent in each state. */
import type { Kysely } from 'kysely';
import { StoreError } from './errors.js';
import type { StoreDialect } from './migration-kit.js';
import type { Database } from './schema.js';

/** One state change of a trunk (times are epoch milliseconds). */
export interface TrunkStateChange {
  /** Trunk id, `<pbx>/<kind>/<name>`. */
  trunkId: string;
  /** PBX (server) id. */
  pbx: string;
  /** Trunk kind (`pjsip-registration`…). */
  kind: string;
  /** State before (null when the trunk was first seen). */
  from: string | null;
  /** State after. */
  to: string;
  /** When. */
  at: number;
  /** Reason, cause or alarm text. */
  reason: string | null;
}

/** A stored change, with its row id. */
export interface TrunkStateChangeRecord extends TrunkStateChange {
  /** Row id (insertion order). */
  id: number;
}

/** A time range (epoch ms; `from` inclusive, `to` exclusive). */
export interface TrunkTimeRange {
  /** Start (default: the beginning). */
  from?: number;
  /** End (default: now for periods, unbounded for lists). */
  to?: number;
}

/** A span of time a trunk spent in one state. */
export interface TrunkStatePeriod {
  /** The state. */
  state: string;
  /** Start (clipped to the range asked for). */
  from: number;
  /** End (clipped; the range's end for the current state). */
  to: number;
  /** `to - from`. */
  durationMs: number;
  /** Reason recorded with the change that began it. */
  reason: string | null;
  /** True for the period still running at the end of the range. */
  ongoing: boolean;
}

/** States that count as "down" for outages: everything but registered, registering, reachable and up. */
export const TRUNK_DOWN_STATES: ReadonlySet<string> = new Set([
  'rejected',
  'unregistered',
  'unreachable',
  'alarm',
]);

/** Rows per INSERT (PostgreSQL allows 65,535 parameters per statement; SQLite 32,766). */
const BATCH = 500;

/** Writes and reads the trunk history. */
export class TrunkStateRepository {
  readonly #db: Kysely<Database>;

  /**
   * @param db `store.db`
   * @param _dialect `store.dialect` (the queries are the same on both back ends)
   */
  constructor(db: Kysely<Database>, _dialect?: StoreDialect) {
    this.#db = db;
  }

  /** Appends changes (in one statement per 500 rows). */
  async insert(changes: readonly TrunkStateChange[]): Promise<void> {
    for (const c of changes) {
      if (!Number.isFinite(c.at))
        throw new StoreError('STORE_INVALID', `trunk change of ${c.trunkId}: bad time`);
    }
    for (let i = 0; i < changes.length; i += BATCH) {
      await this.#db
        .insertInto('trunk_state_changes')
        .values(
          changes.slice(i, i + BATCH).map((c) => ({
            trunk_id: c.trunkId,
            pbx: c.pbx,
            kind: c.kind,
            from_state: c.from,
            to_state: c.to,
            at: new Date(c.at).toISOString(),
            reason: c.reason,
          })),
        )
        .execute();
    }
  }

  /** Changes in time order, of one trunk or (no `trunkId`) of every trunk, optionally of one PBX. */
  async list(
    o: TrunkTimeRange & { trunkId?: string; pbx?: string; limit?: number } = {},
  ): Promise<TrunkStateChangeRecord[]> {
    let q = this.#db
      .selectFrom('trunk_state_changes')
      .selectAll()
      .orderBy('at')
      .orderBy('id')
      .limit(o.limit ?? 1000);
    if (o.trunkId !== undefined) q = q.where('trunk_id', '=', o.trunkId);
    if (o.pbx !== undefined) q = q.where('pbx', '=', o.pbx);
    if (o.from !== undefined) q = q.where('at', '>=', iso(o.from));
    if (o.to !== undefined) q = q.where('at', '<', iso(o.to));
    return (await q.execute()).map(toRecord);
  }

  /**
   * The periods one trunk spent in each state within the range: the state it was in at `from` (from the last change
   * before it), then one period per change. Nothing before the first change is invented.
   */
  async periods(trunkId: string, range: TrunkTimeRange = {}): Promise<TrunkStatePeriod[]> {
    const to = range.to ?? Date.now();
    const from = range.from;
    const before =
      from === undefined
        ? undefined
        : await this.#db
            .selectFrom('trunk_state_changes')
            .selectAll()
            .where('trunk_id', '=', trunkId)
            .where('at', '<', iso(from))
            .orderBy('at', 'desc')
            .orderBy('id', 'desc')
            .limit(1)
            .executeTakeFirst();
    const inside = await this.#db
      .selectFrom('trunk_state_changes')
      .selectAll()
      .where('trunk_id', '=', trunkId)
      .where('at', '>=', iso(from ?? 0))
      .where('at', '<', iso(to))
      .orderBy('at')
      .orderBy('id')
      .execute();
    const steps = [...(before ? [{ ...toRecord(before), at: from as number }] : []), ...inside.map(toRecord)];
    return steps.map((c, i) => {
      const end = steps[i + 1]?.at ?? to;
      return {
        state: c.to,
        from: c.at,
        to: end,
        durationMs: end - c.at,
        reason: c.reason,
        ongoing: i === steps.length - 1,
      };
    });
  }

  /** The last change stored for a trunk (to continue its history after a restart), or undefined. */
  async latest(trunkId: string): Promise<TrunkStateChangeRecord | undefined> {
    const r = await this.#db
      .selectFrom('trunk_state_changes')
      .selectAll()
      .where('trunk_id', '=', trunkId)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return r ? toRecord(r) : undefined;
  }

  /** "When did it go down and for how long": the periods in a down state ({@link TRUNK_DOWN_STATES}). */
  async outages(trunkId: string, range: TrunkTimeRange = {}): Promise<TrunkStatePeriod[]> {
    return (await this.periods(trunkId, range)).filter((p) => TRUNK_DOWN_STATES.has(p.state));
  }

  /** Deletes changes older than `before` (retention); returns how many. */
  async prune(before: number): Promise<number> {
    const r = await this.#db
      .deleteFrom('trunk_state_changes')
      .where('at', '<', iso(before))
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function toRecord(r: {
  id: number;
  trunk_id: string;
  pbx: string;
  kind: string;
  from_state: string | null;
  to_state: string;
  at: string;
  reason: string | null;
}): TrunkStateChangeRecord {
  return {
    id: Number(r.id),
    trunkId: r.trunk_id,
    pbx: r.pbx,
    kind: r.kind,
    from: r.from_state,
    to: r.to_state,
    at: Date.parse(r.at),
    reason: r.reason,
  };
}
