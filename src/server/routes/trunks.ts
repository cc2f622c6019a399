/**
 * Trunks and lines ("estado de las líneas"): `GET /api/v1/trunks`, a trunk's state history, register and
 * unregister; the recorder service that keeps every state change in the database.
 */
import { z } from 'zod';
import { TrunkHistoryRecorder } from '../../history/trunks.js';
import { type PbxTrunk, PbxTrunkError } from '../../pbx/index.js';
import { TrunkStateRepository } from '../../store/index.js';
import type { RoutePlugin, ServerService } from '../context.js';
import { HttpError } from '../errors.js';
import { defineRoute } from '../route.js';

/** Records trunk state changes (`trunks` in `ctx.rooms`). */
export const trunkHistoryService: ServerService = {
  name: 'trunks',
  async start(ctx) {
    const repo = new TrunkStateRepository(ctx.store.db, ctx.store.dialect);
    const recorder = new TrunkHistoryRecorder(ctx.pbx.monitor, repo, {
      onError: (err) => ctx.logger.warn({ err: err.message }, 'trunk history'),
    }).start();
    return { repo, recorder, close: () => recorder.close() };
  },
};

const idParams = z.object({ id: z.string().min(3).max(300) });
const range = z.object({
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});

/** Trunk routes. */
export const trunkRoutes: RoutePlugin = (app, ctx) => {
  const trunks = (pbx?: string): PbxTrunk[] =>
    ctx.pbx.monitor
      .snapshot()
      .filter((s) => pbx === undefined || s.server === pbx)
      .flatMap((s) => (s as { trunks?: PbxTrunk[] }).trunks ?? []);
  const find = (id: string): PbxTrunk => {
    const t = trunks().find((x) => x.id === id);
    if (!t) throw new HttpError(404, 'NOT_FOUND', `trunk ${id} not found`);
    return t;
  };
  const repo = () =>
    (ctx.rooms.get('trunks') as { repo: TrunkStateRepository } | undefined)?.repo ??
    new TrunkStateRepository(ctx.store.db, ctx.store.dialect);

  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/trunks',
      access: 'viewer',
      tag: 'trunks',
      summary:
        'Every trunk and line: PJSIP/chan_sip registrations, trunk endpoints, DAHDI spans — state, since when, last reason',
      query: z.object({ pbx: z.string().max(32).optional() }),
    },
    ({ query }) => {
      if (query.pbx !== undefined) ctx.pbx.pick(query.pbx);
      return trunks(query.pbx);
    },
  );
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/trunks/:id',
      access: 'viewer',
      tag: 'trunks',
      summary: 'One trunk (id URL-encoded)',
      params: idParams,
    },
    ({ params }) => find(params.id),
  );
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/trunks/:id/history',
      access: 'viewer',
      tag: 'trunks',
      summary:
        "A trunk's state changes and the periods it spent in each state (when it went down, for how long)",
      params: idParams,
      query: range,
    },
    async ({ params, query }) => {
      const r = {
        ...(query.from ? { from: query.from.getTime() } : {}),
        ...(query.to ? { to: query.to.getTime() } : {}),
      };
      const store = repo();
      const [changes, periods, outages] = await Promise.all([
        store.list({ trunkId: params.id, limit: query.limit, ...r }),
        store.periods(params.id, r),
        store.outages(params.id, r),
      ]);
      return { id: params.id, changes, periods, outages };
    },
  );
  for (const op of ['register', 'unregister'] as const) {
    defineRoute(
      app,
      {
        method: 'POST',
        url: `/api/v1/trunks/:id/${op}`,
        access: 'operator',
        tag: 'trunks',
        summary:
          op === 'register'
            ? 'Send a registration now (the trunk shows "registering" until Asterisk answers)'
            : 'Unregister the trunk',
        params: idParams,
      },
      async ({ params }) => {
        const t = find(params.id);
        if (ctx.pbx.links.get(t.server)?.state !== 'ready') {
          throw new HttpError(503, 'PBX_NOT_CONNECTED', `PBX ${t.server} is not connected`);
        }
        try {
          return await (op === 'register'
            ? ctx.pbx.monitor.register(params.id)
            : ctx.pbx.monitor.unregister(params.id));
        } catch (err) {
          if (err instanceof PbxTrunkError) {
            const status =
              err.code === 'PBX_TRUNK_NOT_FOUND' ? 404 : err.code === 'PBX_TRUNK_UNSUPPORTED' ? 409 : 502;
            throw new HttpError(status, err.code, err.message);
          }
          throw err;
        }
      },
    );
  }
};
