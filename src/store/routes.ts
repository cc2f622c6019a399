/** Routes with their dial targets (failover order) and time windows. */
import type { Kysely, Selectable } from 'kysely';
import type { Database, RoutesTable } from './schema.js';
import { conflict, inTransaction, notFound, type Touch } from './util.js';

/** One dial target of a route. */
export interface TargetRecord {
  /** Dial string template, e.g. `PJSIP/${number}`. */
  template: string;
  /** Dial options for this target (null: the route's default). */
  options?: string | null;
  /** Ring timeout in seconds (null: the route's default). */
  timeout?: number | null;
}

/** One time window of a route. */
export interface TimeWindowRecord {
  /** `mon-fri`, `sat,sun`, `` (every day). */
  weekdays?: string;
  /** `HH:MM` start (inclusive), null = 00:00. */
  startTime?: string | null;
  /** `HH:MM` end (exclusive), null = 24:00; an end before the start crosses midnight. */
  endTime?: string | null;
  /** `YYYY-MM-DD` first day, or null. */
  startDate?: string | null;
  /** `YYYY-MM-DD` last day, or null. */
  endDate?: string | null;
  /** IANA time zone (default `UTC`). */
  timezone?: string;
}

/** A route as stored. `appData` is the raw JSON text: the router validates it. */
export interface RouteRecord {
  id: number;
  name: string;
  pattern: string;
  callerId: string | null;
  app: string;
  appData: string;
  position: number;
  enabled: boolean;
  rewriteStrip: number;
  rewritePrepend: string;
  failoverOn: string[];
  targets: Required<TargetRecord>[];
  windows: Required<TimeWindowRecord>[];
}

/** What is needed to create a route (everything but name, pattern and app has a default). */
export interface RouteInput {
  name: string;
  pattern: string;
  callerId?: string | null;
  app: string;
  appData?: string | Record<string, unknown>;
  position?: number;
  enabled?: boolean;
  rewriteStrip?: number;
  rewritePrepend?: string;
  failoverOn?: string[];
  targets?: TargetRecord[];
  windows?: TimeWindowRecord[];
}

function toRow(input: Partial<RouteInput>): Partial<Omit<Selectable<RoutesTable>, 'id'>> {
  const row: Partial<Omit<Selectable<RoutesTable>, 'id'>> = {};
  if (input.name !== undefined) row.name = input.name;
  if (input.pattern !== undefined) row.pattern = input.pattern;
  if (input.callerId !== undefined) row.caller_id = input.callerId || null;
  if (input.app !== undefined) row.app = input.app;
  if (input.appData !== undefined) {
    row.app_data = typeof input.appData === 'string' ? input.appData : JSON.stringify(input.appData);
  }
  if (input.position !== undefined) row.position = input.position;
  if (input.enabled !== undefined) row.enabled = input.enabled ? 1 : 0;
  if (input.rewriteStrip !== undefined) row.rewrite_strip = input.rewriteStrip;
  if (input.rewritePrepend !== undefined) row.rewrite_prepend = input.rewritePrepend;
  if (input.failoverOn !== undefined) row.failover_on = input.failoverOn.join(',');
  return row;
}

/** Reads and edits routes. Every edit changes the rules version. */
export class RouteRepository {
  readonly #db: Kysely<Database>;
  readonly #touch: Touch;
  /** Used by the store; get one from `openStore()`. */
  constructor(db: Kysely<Database>, touch: Touch) {
    this.#db = db;
    this.#touch = touch;
  }

  /** Every route (with targets and windows), by position then id. */
  async list(): Promise<RouteRecord[]> {
    const db = this.#db;
    const [routes, targets, windows] = await Promise.all([
      db.selectFrom('routes').selectAll().orderBy('position').orderBy('id').execute(),
      db.selectFrom('targets').selectAll().orderBy('route_id').orderBy('position').orderBy('id').execute(),
      db.selectFrom('time_windows').selectAll().orderBy('route_id').orderBy('id').execute(),
    ]);
    const byRoute = new Map<number, RouteRecord>();
    const out = routes.map((r) => {
      const rec: RouteRecord = {
        id: Number(r.id),
        name: r.name,
        pattern: r.pattern,
        callerId: r.caller_id,
        app: r.app,
        appData: r.app_data,
        position: Number(r.position),
        enabled: Number(r.enabled) !== 0,
        rewriteStrip: Number(r.rewrite_strip),
        rewritePrepend: r.rewrite_prepend,
        failoverOn: r.failover_on
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
        targets: [],
        windows: [],
      };
      byRoute.set(rec.id, rec);
      return rec;
    });
    for (const t of targets) {
      byRoute.get(Number(t.route_id))?.targets.push({
        template: t.template,
        options: t.options,
        timeout: t.timeout === null ? null : Number(t.timeout),
      });
    }
    for (const w of windows) {
      byRoute.get(Number(w.route_id))?.windows.push({
        weekdays: w.weekdays,
        startTime: w.start_time,
        endTime: w.end_time,
        startDate: w.start_date,
        endDate: w.end_date,
        timezone: w.timezone,
      });
    }
    return out;
  }

  /** One route by name, or undefined. */
  async get(name: string): Promise<RouteRecord | undefined> {
    return (await this.list()).find((r) => r.name === name);
  }

  /** Creates a route; returns its id. `STORE_CONFLICT` when the name is taken. */
  async create(input: RouteInput): Promise<number> {
    const id = await inTransaction(this.#db, async (trx) => {
      const row = await trx
        .insertInto('routes')
        .values({ app_data: '{}', ...toRow(input) } as Omit<Selectable<RoutesTable>, 'id'>)
        .returning('id')
        .executeTakeFirstOrThrow();
      const routeId = Number(row.id);
      await replaceChildren(trx, routeId, input);
      return routeId;
    }).catch((err) => conflict(err, `route ${JSON.stringify(input.name)}`));
    await this.#touch();
    return id;
  }

  /** Changes a route (targets/windows, when given, replace the old lists). `STORE_NOT_FOUND` if missing. */
  async update(name: string, patch: Partial<RouteInput>): Promise<void> {
    await inTransaction(this.#db, async (trx) => {
      const found = await trx.selectFrom('routes').select('id').where('name', '=', name).executeTakeFirst();
      if (!found) throw notFound(`route ${JSON.stringify(name)}`);
      const row = toRow(patch);
      if (Object.keys(row).length > 0)
        await trx.updateTable('routes').set(row).where('id', '=', found.id).execute();
      await replaceChildren(trx, Number(found.id), patch);
    }).catch((err) => conflict(err, `route ${JSON.stringify(name)}`));
    await this.#touch();
  }

  /** Deletes a route (its targets, windows and permissions go with it). Returns false if it did not exist. */
  async remove(name: string): Promise<boolean> {
    const r = await this.#db.deleteFrom('routes').where('name', '=', name).executeTakeFirst();
    await this.#touch();
    return Number(r.numDeletedRows) > 0;
  }
}

async function replaceChildren(
  trx: Kysely<Database>,
  routeId: number,
  input: Partial<RouteInput>,
): Promise<void> {
  if (input.targets) {
    await trx.deleteFrom('targets').where('route_id', '=', routeId).execute();
    if (input.targets.length > 0) {
      await trx
        .insertInto('targets')
        .values(
          input.targets.map((t, i) => ({
            route_id: routeId,
            position: i,
            template: t.template,
            options: t.options ?? null,
            timeout: t.timeout ?? null,
          })),
        )
        .execute();
    }
  }
  if (input.windows) {
    await trx.deleteFrom('time_windows').where('route_id', '=', routeId).execute();
    if (input.windows.length > 0) {
      await trx
        .insertInto('time_windows')
        .values(
          input.windows.map((w) => ({
            route_id: routeId,
            weekdays: w.weekdays ?? '',
            start_time: w.startTime ?? null,
            end_time: w.endTime ?? null,
            start_date: w.startDate ?? null,
            end_date: w.endDate ?? null,
            timezone: w.timezone ?? 'UTC',
          })),
        )
        .execute();
    }
  }
}
