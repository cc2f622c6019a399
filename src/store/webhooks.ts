/**
 * Webhook targets and their durable outbox. The claim takes only the head of each target's queue (the first
 * `batch` pending rows of a target whose first row is due and not leased), so a target's events go out in order
 * even with several engines on one database: on PostgreSQL the heads are locked `FOR UPDATE SKIP LOCKED`, on
 * SQLite the claim is one statement (SQLite runs one writer at a time).
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import type { StoreDialect } from './migration-kit.js';
import type { Database } from './schema.js';
import type { WebhookOutboxTable, WebhookTargetsTable } from './schema-webhooks.js';

/** A stored target (with its secret: callers must not list it). */
export interface WebhookTargetRecord {
  id: number;
  feedId: number;
  url: string;
  secret: string;
  headers: Record<string, string>;
  paused: boolean;
  pausedReason: string | null;
  failures: number;
  createdAt: string;
  updatedAt: string;
}

/** What a target is created with. */
export interface WebhookTargetInput {
  url: string;
  secret: string;
  headers: Record<string, string>;
}

/** One row of the outbox (= one delivery of one event to one target). */
export interface OutboxRecord {
  id: number;
  targetId: number;
  deliveryId: string;
  body: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAt: string;
  createdAt: string;
  eventAt: string;
  finishedAt: string | null;
  lastCode: number | null;
  lastError: string | null;
  lastLatencyMs: number | null;
  lastBody: string | null;
}

/** A row to enqueue. */
export interface OutboxInsert {
  targetId: number;
  deliveryId: string;
  body: string;
  /** When the event was accepted (ISO). */
  eventAt: string;
}

/** One attempt's result to record: delivered, or failed (`retryAt` = when to try again, null = final). */
export interface RecordedOutcome {
  ids: readonly number[];
  targetId: number;
  outcome: AttemptOutcome;
  verdict: 'delivered' | 'failed';
  retryAt?: Date | null;
  /** false: the target had no failure streak (skip its reset). */
  resetFailures?: boolean;
}

/** The outcome of one attempt, for the log. */
export interface AttemptOutcome {
  code: number | null;
  error: string | null;
  latencyMs: number;
  body: string | null;
}

function toTarget(r: Selectable<WebhookTargetsTable>): WebhookTargetRecord {
  return {
    id: r.id,
    feedId: r.feed_id,
    url: r.url,
    secret: r.secret,
    headers: JSON.parse(r.headers) as Record<string, string>,
    paused: r.paused === 1,
    pausedReason: r.paused_reason,
    failures: r.failures,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toOutbox(r: Selectable<WebhookOutboxTable>): OutboxRecord {
  return {
    id: Number(r.id),
    targetId: Number(r.target_id),
    deliveryId: r.delivery_id,
    body: r.body,
    status: r.status as OutboxRecord['status'],
    attempts: Number(r.attempts),
    nextAt: r.next_at,
    createdAt: r.created_at,
    eventAt: r.event_at,
    finishedAt: r.finished_at,
    lastCode: r.last_code === null ? null : Number(r.last_code),
    lastError: r.last_error,
    lastLatencyMs: r.last_latency_ms === null ? null : Number(r.last_latency_ms),
    lastBody: r.last_body,
  };
}

/** CRUD of webhook targets. */
export class WebhookTargetRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The targets of a feed. */
  async listByFeed(feedId: number): Promise<WebhookTargetRecord[]> {
    const rows = await this.db
      .selectFrom('webhook_targets')
      .selectAll()
      .where('feed_id', '=', feedId)
      .orderBy('id')
      .execute();
    return rows.map(toTarget);
  }

  /** Several targets by id (the delivery engine's cache misses). */
  async getMany(ids: readonly number[]): Promise<WebhookTargetRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('webhook_targets').selectAll().where('id', 'in', ids).execute();
    return rows.map(toTarget);
  }

  /** One target. */
  async get(id: number): Promise<WebhookTargetRecord | undefined> {
    const r = await this.db.selectFrom('webhook_targets').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toTarget(r) : undefined;
  }

  /** Creates a target. */
  async create(feedId: number, input: WebhookTargetInput): Promise<WebhookTargetRecord> {
    const now = new Date().toISOString();
    const r = await this.db
      .insertInto('webhook_targets')
      .values({
        feed_id: feedId,
        url: input.url,
        secret: input.secret,
        headers: JSON.stringify(input.headers),
        paused: 0,
        paused_reason: null,
        failures: 0,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toTarget(r);
  }

  /** Changes a target; `paused: false` resumes it (failures reset, waiting retries due now). */
  async update(
    id: number,
    patch: Partial<WebhookTargetInput> & { paused?: boolean },
  ): Promise<WebhookTargetRecord | undefined> {
    const now = new Date().toISOString();
    return this.db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('webhook_targets')
        .set({
          ...(patch.url !== undefined ? { url: patch.url } : {}),
          ...(patch.secret !== undefined ? { secret: patch.secret } : {}),
          ...(patch.headers !== undefined ? { headers: JSON.stringify(patch.headers) } : {}),
          ...(patch.paused === true ? { paused: 1, paused_reason: 'manual' } : {}),
          ...(patch.paused === false ? { paused: 0, paused_reason: null, failures: 0 } : {}),
          updated_at: now,
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (r && patch.paused === false) {
        await trx
          .updateTable('webhook_outbox')
          .set({ next_at: now })
          .where('target_id', '=', id)
          .where('status', '=', 'pending')
          .where('next_at', '>', now)
          .execute();
      }
      return r ? toTarget(r) : undefined;
    });
  }

  /** Deletes a target and its outbox; false when it did not exist. */
  async delete(id: number): Promise<boolean> {
    const r = await this.db.deleteFrom('webhook_targets').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}

/** The outbox: enqueue, claim with a lease, record outcomes, the delivery log, redeliver and replay. */
export class WebhookOutboxRepository {
  constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: StoreDialect,
  ) {}

  /**
   * Enqueues events for every target of their feeds in one transaction; `make(targetId, feedId)` gives each
   * row (its delivery id and body). Returns the rows written.
   */
  async enqueue(
    events: ReadonlyArray<{ feedId: number; eventAt: string; make(deliveryId: string): string }>,
    newId: () => string,
  ): Promise<number> {
    if (events.length === 0) return 0;
    const feedIds = [...new Set(events.map((e) => e.feedId))];
    return this.db.transaction().execute(async (trx) => {
      const targets = await trx
        .selectFrom('webhook_targets')
        .select(['id', 'feed_id'])
        .where('feed_id', 'in', feedIds)
        .orderBy('id')
        .execute();
      if (targets.length === 0) return 0;
      const byFeed = new Map<number, number[]>();
      for (const t of targets)
        (byFeed.get(t.feed_id) ?? byFeed.set(t.feed_id, []).get(t.feed_id)!).push(t.id);
      const rows: OutboxInsert[] = [];
      for (const e of events) {
        for (const targetId of byFeed.get(e.feedId) ?? []) {
          const deliveryId = newId();
          rows.push({ targetId, deliveryId, body: e.make(deliveryId), eventAt: e.eventAt });
        }
      }
      await insertRows(trx, rows);
      return rows.length;
    });
  }

  /** Inserts rows as they are (tests, bench, replay). */
  async insert(rows: readonly OutboxInsert[]): Promise<void> {
    await insertRows(this.db, rows);
  }

  /** Leases the heads of up to `targets` target queues (up to `batch` rows each) to `owner` until now+leaseMs. */
  async claim(owner: string, targets: number, batch: number, leaseMs: number): Promise<OutboxRecord[]> {
    const now = new Date();
    const nowIso = now.toISOString();
    const until = new Date(now.getTime() + leaseMs).toISOString();
    const heads = sql`
      select h.id, h.target_id from webhook_targets t
      join webhook_outbox h on h.id = (
        select min(m.id) from webhook_outbox m where m.target_id = t.id and m.status = 'pending'
      )
      where t.paused = 0 and h.status = 'pending' and h.next_at <= ${nowIso}
        and (h.locked_until is null or h.locked_until < ${nowIso})
      order by h.id limit ${targets}`;
    const q =
      this.dialect === 'postgres'
        ? sql<Selectable<WebhookOutboxTable>>`
          with heads as (${heads} for update of h skip locked),
          picked as (
            select b.id from heads cross join lateral (
              select c.id from webhook_outbox c
              where c.target_id = heads.target_id and c.status = 'pending' order by c.id limit ${batch}
            ) b
          )
          update webhook_outbox o set locked_by = ${owner}, locked_until = ${until}
          from picked where o.id = picked.id
          returning o.*`
        : // The batch is a range of the target's queue: from its head to its `batch`-th pending row (an index seek).
          sql<Selectable<WebhookOutboxTable>>`
          update webhook_outbox set locked_by = ${owner}, locked_until = ${until}
          where id in (
            select c.id from (${heads}) hd
            join webhook_outbox c on c.target_id = hd.target_id and c.status = 'pending' and c.id >= hd.id
              and c.id <= ifnull((
                select e.id from webhook_outbox e where e.target_id = hd.target_id and e.status = 'pending'
                order by e.id limit 1 offset ${batch - 1}
              ), 9007199254740991)
          )
          returning *`;
    const rows = (await q.execute(this.db)).rows.map(toOutbox);
    return rows.sort((a, b) => a.id - b.id);
  }

  /** Records a success (only rows still leased to `owner`); the target's failure streak ends. */
  async delivered(owner: string, ids: readonly number[], targetId: number, o: AttemptOutcome): Promise<void> {
    await this.record(owner, [{ ids, targetId, outcome: o, verdict: 'delivered' }], 1, 1);
  }

  /**
   * Records a failed attempt: `retryAt` null = final (failed now), else pending again at `retryAt` unless
   * `maxAttempts` is reached. The target's failure streak grows; at `pauseAfter` the target is paused.
   */
  async attemptFailed(
    owner: string,
    ids: readonly number[],
    targetId: number,
    o: AttemptOutcome,
    retryAt: Date | null,
    maxAttempts: number,
    pauseAfter: number,
  ): Promise<void> {
    await this.record(
      owner,
      [{ ids, targetId, outcome: o, verdict: 'failed', retryAt }],
      maxAttempts,
      pauseAfter,
    );
  }

  /** Records many outcomes in one transaction (the engine's per-tick flush). */
  async record(
    owner: string,
    outcomes: readonly RecordedOutcome[],
    maxAttempts: number,
    pauseAfter: number,
  ): Promise<void> {
    if (outcomes.length === 0) return;
    const now = new Date().toISOString();
    await this.db.transaction().execute(async (trx) => {
      // Successes in one UPDATE per 100 rows (one statement per tick at high rates), per-row log values by CASE.
      const ok = outcomes.flatMap((r) =>
        r.verdict === 'delivered' ? r.ids.map((id) => ({ id, o: r.outcome })) : [],
      );
      for (let i = 0; i < ok.length; i += 100) {
        const part = ok.slice(i, i + 100);
        // The casts type the parameters for PostgreSQL (a CASE of bare parameters would be text).
        const byId = <T>(f: (o: AttemptOutcome) => T, type: 'integer' | 'text') =>
          sql<T>`case id ${sql.join(
            part.map((p) => sql`when ${p.id} then cast(${f(p.o)} as ${sql.raw(type)})`),
            sql` `,
          )} end`;
        await trx
          .updateTable('webhook_outbox')
          .set((eb) => ({
            status: 'delivered',
            attempts: eb('attempts', '+', 1),
            finished_at: now,
            locked_by: null,
            locked_until: null,
            last_code: byId((o) => o.code, 'integer'),
            last_error: null,
            last_latency_ms: byId((o) => o.latencyMs, 'integer'),
            last_body: byId((o) => o.body, 'text'),
          }))
          .where(
            'id',
            'in',
            part.map((p) => p.id),
          )
          .where('locked_by', '=', owner)
          .execute();
      }
      for (const r of outcomes) {
        const o = r.outcome;
        if (r.verdict === 'delivered') {
          if (r.resetFailures !== false) {
            await trx
              .updateTable('webhook_targets')
              .set({ failures: 0 })
              .where('id', '=', r.targetId)
              .where('failures', '<>', 0)
              .execute();
          }
          continue;
        }
        const final = r.retryAt === null || r.retryAt === undefined;
        const next = (r.retryAt ?? new Date()).toISOString();
        await trx
          .updateTable('webhook_outbox')
          .set((eb) => ({
            status: final
              ? sql<string>`'failed'`
              : sql<string>`case when attempts + 1 >= ${maxAttempts} then 'failed' else 'pending' end`,
            finished_at: final
              ? sql<string>`${now}`
              : sql<string | null>`case when attempts + 1 >= ${maxAttempts} then ${now} else null end`,
            attempts: eb('attempts', '+', 1),
            next_at: next,
            locked_by: null,
            locked_until: null,
            last_code: o.code,
            last_error: o.error,
            last_latency_ms: o.latencyMs,
            last_body: o.body,
          }))
          .where('id', 'in', r.ids)
          .where('locked_by', '=', owner)
          .execute();
        await trx
          .updateTable('webhook_targets')
          .set({
            failures: sql<number>`failures + 1`,
            paused: sql<number>`case when failures + 1 >= ${pauseAfter} then 1 else paused end`,
            paused_reason: sql<
              string | null
            >`case when failures + 1 >= ${pauseAfter} and paused = 0 then 'failures' else paused_reason end`,
          })
          .where('id', '=', r.targetId)
          .execute();
      }
    });
  }

  /** Gives leased rows back untouched (engine shutting down before it sent them). */
  async release(owner: string, ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('webhook_outbox')
      .set({ locked_by: null, locked_until: null })
      .where('id', 'in', ids)
      .where('locked_by', '=', owner)
      .execute();
  }

  /** The delivery log of a target, newest first. */
  async deliveries(
    targetId: number,
    o: { limit: number; before?: number; status?: OutboxRecord['status'] },
  ): Promise<OutboxRecord[]> {
    let q = this.db
      .selectFrom('webhook_outbox')
      .selectAll()
      .where('target_id', '=', targetId)
      .orderBy('id', 'desc')
      .limit(o.limit);
    if (o.before !== undefined) q = q.where('id', '<', o.before);
    if (o.status !== undefined) q = q.where('status', '=', o.status);
    return (await q.execute()).map(toOutbox);
  }

  /** Pending rows per target (for the API). */
  async pendingCount(targetId: number): Promise<number> {
    const r = await this.db
      .selectFrom('webhook_outbox')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('target_id', '=', targetId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /** Queues a delivery again (same delivery id and body, at the end of the queue); false if unknown. */
  async redeliver(targetId: number, deliveryId: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('webhook_outbox')
      .selectAll()
      .where('target_id', '=', targetId)
      .where('delivery_id', '=', deliveryId)
      .orderBy('id')
      .executeTakeFirst();
    if (!r) return false;
    await insertRows(this.db, [{ targetId, deliveryId, body: r.body, eventAt: r.event_at }]);
    return true;
  }

  /**
   * Queues again every event of a target accepted in [from, to] (ISO), in their original order, each with its
   * own delivery id; at most `limit`. Returns how many.
   */
  async replay(targetId: number, from: string, to: string, limit: number): Promise<number> {
    const rows = await this.db
      .selectFrom('webhook_outbox')
      .select(['id', 'delivery_id', 'body', 'event_at'])
      .where('target_id', '=', targetId)
      .where('event_at', '>=', from)
      .where('event_at', '<=', to)
      .orderBy('id')
      .execute();
    const seen = new Set<string>();
    const out: OutboxInsert[] = [];
    for (const r of rows) {
      if (seen.has(r.delivery_id)) continue;
      seen.add(r.delivery_id);
      out.push({ targetId, deliveryId: r.delivery_id, body: r.body, eventAt: r.event_at });
      if (out.length >= limit) break;
    }
    await insertRows(this.db, out);
    return out.length;
  }

  /** Deletes finished rows older than `before` (ISO); returns how many. */
  async prune(before: string): Promise<number> {
    const r = await this.db
      .deleteFrom('webhook_outbox')
      .where('status', '<>', 'pending')
      .where('finished_at', '<', before)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

async function insertRows(db: Kysely<Database>, rows: readonly OutboxInsert[]): Promise<void> {
  const now = new Date().toISOString();
  // 300 rows × 7 values stays far below both back ends' bound-parameter limits.
  for (let i = 0; i < rows.length; i += 300) {
    await db
      .insertInto('webhook_outbox')
      .values(
        rows.slice(i, i + 300).map((r) => ({
          target_id: r.targetId,
          delivery_id: r.deliveryId,
          body: r.body,
          status: 'pending',
          attempts: 0,
          next_at: now,
          created_at: now,
          event_at: r.eventAt,
        })),
      )
      .execute();
  }
}
