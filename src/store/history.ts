/** The call history: batched insert-once writes, keyset pages newest first, grouped sums for statistics, retention. */
import {
  type Expression,
  type ExpressionBuilder,
  type Insertable,
  type Kysely,
  type SqlBool,
  sql,
} from 'kysely';
import { StoreError } from './errors.js';
import type { StoreDialect } from './migration-kit.js';
import type { Database } from './schema.js';
import type { CallHistoryTable } from './schema-history.js';

/** One finished call as stored (times epoch ms). */
export interface HistoryRow {
  /** PBX (server) id. */
  pbx: string;
  /** Asterisk linkedid. */
  linkedid: string;
  /** Call id (`<pbx>/<linkedid>`). */
  callId: string;
  /** Start. */
  start: number;
  /** Answer, when answered. */
  answer: number | null;
  /** End. */
  end: number;
  /** Seconds from start to end. */
  durationSeconds: number;
  /** Seconds from answer to end. */
  billableSeconds: number;
  /** Caller number. */
  source: string | null;
  /** The dialled number. */
  destination: string | null;
  /** Caller name. */
  callerName: string | null;
  /** ANSWERED, NO ANSWER, BUSY or FAILED. */
  disposition: string;
  /** Hangup cause code. */
  hangupCause: number | null;
  /** Its text. */
  hangupCauseText: string | null;
  /** Queue visited (the answered visit, else the last). */
  queue: string | null;
  /** Agent (member interface) that answered. */
  agent: string | null;
  /** Outcome of the queue visit. */
  queueOutcome: string | null;
  /** Seconds waited in the queue. */
  waitSeconds: number | null;
  /** Seconds talked with the agent. */
  talkSeconds: number | null;
  /** Router route name. */
  route: string | null;
  /** A leg ended while the AMI link was down. */
  endedWhileDisconnected: boolean;
  /** JSON text: legs, dials, transfers, queues, cdrs. */
  detail: string;
}

/** A stored call with its row id. */
export interface HistoryEntry extends HistoryRow {
  /** Row id. */
  id: number;
}

/** Filters of a history query (all optional, combined with AND). */
export interface HistoryFilter {
  /** Start at or after (epoch ms). */
  from?: number;
  /** Start before (epoch ms). */
  to?: number;
  /** Source equals. */
  src?: string;
  /** Destination equals. */
  dst?: string;
  /** Disposition equals. */
  disposition?: string;
  /** PBX equals. */
  pbx?: string;
  /** Queue equals. */
  queue?: string;
  /** Substring of source, destination or caller name. */
  q?: string;
}

/** A keyset position: the last row of the previous page. */
export interface HistoryKey {
  /** Its start. */
  start: number;
  /** Its id. */
  id: number;
}

/** How statistics are grouped. */
export type HistoryGroupBy = 'hour' | 'day' | 'extension' | 'queue' | 'route';

/** Raw sums of one group (the service derives averages and ratios). */
export interface HistoryGroupSums {
  /** Group key: bucket start (epoch ms) for hour/day, else the extension, queue or route (null: none). */
  key: number | string | null;
  /** Calls. */
  total: number;
  /** Calls with disposition ANSWERED. */
  answered: number;
  /** Calls with disposition BUSY. */
  busy: number;
  /** Billable seconds of answered calls. */
  billableAnswered: number;
  /** Queue visits with an outcome (the live KPIs' "offered"). */
  offered: number;
  /** Their wait seconds. */
  waitSum: number;
  /** Longest wait. */
  longestWait: number;
  /** Visits answered. */
  queueAnswered: number;
  /** Visits abandoned. */
  abandoned: number;
  /** Visits timed out. */
  timedOut: number;
  /** Answered visits within the service level. */
  inServiceLevel: number;
  /** Answered visits with a talk time. */
  talkCount: number;
  /** Their talk seconds. */
  talkSum: number;
}

const BATCH = 200;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Reads and writes `call_history`. */
export class HistoryRepository {
  readonly #db: Kysely<Database>;
  readonly #dialect: StoreDialect;

  /**
   * @param db `store.db`
   * @param dialect `store.dialect`
   */
  constructor(db: Kysely<Database>, dialect: StoreDialect) {
    this.#db = db;
    this.#dialect = dialect;
  }

  /** Stores calls in one transaction; a call whose `(pbx, linkedid)` is already stored is skipped. Returns how many were new. */
  async insert(rows: readonly HistoryRow[]): Promise<number> {
    for (const r of rows) {
      if (!Number.isFinite(r.start) || !Number.isFinite(r.end))
        throw new StoreError('STORE_INVALID', `call ${r.callId}: bad time`);
    }
    if (rows.length === 0) return 0;
    return this.#db.transaction().execute(async (trx) => {
      let n = 0;
      for (let i = 0; i < rows.length; i += BATCH) {
        const res = await trx
          .insertInto('call_history')
          .values(rows.slice(i, i + BATCH).map(toColumns))
          .onConflict((oc) => oc.columns(['pbx', 'linkedid']).doNothing())
          .executeTakeFirst();
        n += Number(res.numInsertedOrUpdatedRows ?? 0);
      }
      return n;
    });
  }

  /** One page newest first (`start` desc, then `id` desc), after `after` when given. */
  async page(filter: HistoryFilter, limit: number, after?: HistoryKey): Promise<HistoryEntry[]> {
    let q = this.#db
      .selectFrom('call_history')
      .selectAll()
      .where((eb) => eb.and(conditions(eb, filter, this.#dialect)))
      .orderBy('start_ms', 'desc')
      .orderBy('id', 'desc')
      .limit(limit);
    if (after) {
      q = q.where((eb) =>
        eb.or([
          eb('start_ms', '<', after.start),
          eb.and([eb('start_ms', '=', after.start), eb('id', '<', after.id)]),
        ]),
      );
    }
    return (await q.execute()).map(toEntry);
  }

  /** One call by row id. */
  async get(id: number): Promise<HistoryEntry | undefined> {
    const r = await this.#db.selectFrom('call_history').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toEntry(r) : undefined;
  }

  /** One call by PBX and linkedid. */
  async getByCall(pbx: string, linkedid: string): Promise<HistoryEntry | undefined> {
    const r = await this.#db
      .selectFrom('call_history')
      .selectAll()
      .where('pbx', '=', pbx)
      .where('linkedid', '=', linkedid)
      .executeTakeFirst();
    return r ? toEntry(r) : undefined;
  }

  /**
   * Sums per group. `extension` counts each call under its source and under its destination (a call between two
   * extensions is in both groups); `all`: one group (key null) over everything. `serviceLevelSeconds`: answered visits waiting at most this long are "in SL".
   */
  async sums(
    filter: HistoryFilter,
    groupBy: HistoryGroupBy | 'all',
    serviceLevelSeconds = 20,
  ): Promise<HistoryGroupSums[]> {
    const sl = Math.max(0, Math.floor(serviceLevelSeconds));
    const keys =
      groupBy === 'all'
        ? [sql`null`]
        : groupBy === 'hour'
          ? [sql`(start_ms / ${sql.lit(HOUR)}) * ${sql.lit(HOUR)}`]
          : groupBy === 'day'
            ? [sql`(start_ms / ${sql.lit(DAY)}) * ${sql.lit(DAY)}`]
            : groupBy === 'extension'
              ? [sql.ref('source'), sql.ref('destination')]
              : [sql.ref(groupBy)];
    const out: HistoryGroupSums[] = [];
    for (const [i, key] of keys.entries()) {
      // The destination pass of `extension` skips calls already counted under the same source.
      const self = groupBy === 'extension' && i === 1;
      const rows = await this.#db
        .selectFrom('call_history')
        .where((eb) => eb.and(conditions(eb, filter, this.#dialect)))
        .$if(self, (q) =>
          q.where((eb) => eb.or([eb('source', 'is', null), eb('destination', '<>', eb.ref('source'))])),
        )
        .select([
          key.as('k'),
          sql<string>`count(*)`.as('total'),
          sql<string>`sum(case when disposition = 'ANSWERED' then 1 else 0 end)`.as('answered'),
          sql<string>`sum(case when disposition = 'BUSY' then 1 else 0 end)`.as('busy'),
          sql<string>`sum(case when disposition = 'ANSWERED' then billable else 0 end)`.as('billable'),
          sql<string>`sum(case when queue_outcome is not null then 1 else 0 end)`.as('offered'),
          sql<string>`sum(case when queue_outcome is not null then wait_seconds else 0 end)`.as('wait'),
          sql<string>`max(case when queue_outcome is not null then wait_seconds else 0 end)`.as('longest'),
          sql<string>`sum(case when queue_outcome = 'answered' then 1 else 0 end)`.as('qanswered'),
          sql<string>`sum(case when queue_outcome = 'abandoned' then 1 else 0 end)`.as('abandoned'),
          sql<string>`sum(case when queue_outcome = 'timeout' then 1 else 0 end)`.as('timedout'),
          sql<string>`sum(case when queue_outcome = 'answered' and wait_seconds <= ${sql.lit(sl)} then 1 else 0 end)`.as(
            'insl',
          ),
          sql<string>`sum(case when queue_outcome = 'answered' and talk_seconds is not null then 1 else 0 end)`.as(
            'talkn',
          ),
          sql<string>`sum(case when queue_outcome = 'answered' then coalesce(talk_seconds, 0) else 0 end)`.as(
            'talk',
          ),
        ])
        .groupBy(sql`1`)
        .execute();
      for (const r of rows) {
        const k = r.k as unknown;
        out.push({
          key: groupBy === 'hour' || groupBy === 'day' ? Number(k) : k === null ? null : String(k),
          total: num(r.total),
          answered: num(r.answered),
          busy: num(r.busy),
          billableAnswered: num(r.billable),
          offered: num(r.offered),
          waitSum: num(r.wait),
          longestWait: num(r.longest),
          queueAnswered: num(r.qanswered),
          abandoned: num(r.abandoned),
          timedOut: num(r.timedout),
          inServiceLevel: num(r.insl),
          talkCount: num(r.talkn),
          talkSum: num(r.talk),
        });
      }
    }
    return out;
  }

  /** Route names the call router logged for these channel uniqueids (`call_log`), by uniqueid. */
  async routesFor(uniqueids: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < uniqueids.length; i += 500) {
      const rows = await this.#db
        .selectFrom('call_log')
        .select(['uniqueid', 'route'])
        .where('uniqueid', 'in', uniqueids.slice(i, i + 500))
        .where('route', 'is not', null)
        .orderBy('id')
        .execute();
      for (const r of rows) if (r.route) out.set(r.uniqueid, r.route);
    }
    return out;
  }

  /** Deletes calls that started before `before` (retention); returns how many. */
  async purge(before: number): Promise<number> {
    const r = await this.#db.deleteFrom('call_history').where('start_ms', '<', before).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /** Rows stored (for tests and the benchmark). */
  async count(): Promise<number> {
    const r = await this.#db
      .selectFrom('call_history')
      .select(sql<string>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    return num(r.n);
  }
}

type Eb = ExpressionBuilder<Database, 'call_history'>;

function conditions(eb: Eb, f: HistoryFilter, dialect: StoreDialect): Expression<SqlBool>[] {
  const c: Expression<SqlBool>[] = [];
  if (f.from !== undefined) c.push(eb('start_ms', '>=', f.from));
  if (f.to !== undefined) c.push(eb('start_ms', '<', f.to));
  if (f.src !== undefined) c.push(eb('source', '=', f.src));
  if (f.dst !== undefined) c.push(eb('destination', '=', f.dst));
  if (f.disposition !== undefined) c.push(eb('disposition', '=', f.disposition));
  if (f.pbx !== undefined) c.push(eb('pbx', '=', f.pbx));
  if (f.queue !== undefined) c.push(eb('queue', '=', f.queue));
  if (f.q !== undefined && f.q !== '') {
    const pattern = `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    const like = dialect === 'postgres' ? sql.raw('ilike') : sql.raw('like');
    c.push(
      eb.or(
        ['source', 'destination', 'caller_name'].map(
          (col) => sql<SqlBool>`${sql.ref(col)} ${like} ${pattern} escape '\\'`,
        ),
      ),
    );
  }
  return c;
}

function num(v: unknown): number {
  return v === null || v === undefined ? 0 : Number(v);
}

function toColumns(r: HistoryRow): Insertable<CallHistoryTable> {
  return {
    pbx: r.pbx,
    linkedid: r.linkedid,
    call_id: r.callId,
    start_ms: r.start,
    answer_ms: r.answer,
    end_ms: r.end,
    duration: r.durationSeconds,
    billable: r.billableSeconds,
    source: r.source,
    destination: r.destination,
    caller_name: r.callerName,
    disposition: r.disposition,
    hangup_cause: r.hangupCause,
    hangup_cause_text: r.hangupCauseText,
    queue: r.queue,
    agent: r.agent,
    queue_outcome: r.queueOutcome,
    wait_seconds: r.waitSeconds,
    talk_seconds: r.talkSeconds,
    route: r.route,
    ended_while_disconnected: r.endedWhileDisconnected ? 1 : 0,
    detail: r.detail,
  };
}

function toEntry(r: {
  id: number;
  pbx: string;
  linkedid: string;
  call_id: string;
  start_ms: number | string;
  answer_ms: number | string | null;
  end_ms: number | string;
  duration: number;
  billable: number;
  source: string | null;
  destination: string | null;
  caller_name: string | null;
  disposition: string;
  hangup_cause: number | null;
  hangup_cause_text: string | null;
  queue: string | null;
  agent: string | null;
  queue_outcome: string | null;
  wait_seconds: number | null;
  talk_seconds: number | null;
  route: string | null;
  ended_while_disconnected: number;
  detail: string;
}): HistoryEntry {
  return {
    id: Number(r.id),
    pbx: r.pbx,
    linkedid: r.linkedid,
    callId: r.call_id,
    start: Number(r.start_ms),
    answer: r.answer_ms === null ? null : Number(r.answer_ms),
    end: Number(r.end_ms),
    durationSeconds: r.duration,
    billableSeconds: r.billable,
    source: r.source,
    destination: r.destination,
    callerName: r.caller_name,
    disposition: r.disposition,
    hangupCause: r.hangup_cause,
    hangupCauseText: r.hangup_cause_text,
    queue: r.queue,
    agent: r.agent,
    queueOutcome: r.queue_outcome,
    waitSeconds: r.wait_seconds,
    talkSeconds: r.talk_seconds,
    route: r.route,
    endedWhileDisconnected: r.ended_while_disconnected !== 0,
    detail: r.detail,
  };
}
