/** Live state from the PBX monitor: PBXs, channels, calls, queues, endpoints, KPIs; and the `/api/v1/live` WebSocket. */
import { z } from 'zod';
import type { PbxServerSnapshot } from '../../pbx/index.js';
import type { RoutePlugin } from '../context.js';
import { HttpError } from '../errors.js';
import { authorize, defineRoute, type RouteDoc, routeDocs } from '../route.js';

const pbxQuery = z.object({ pbx: z.string().max(32).optional() });

/** State routes. */
export const stateRoutes: RoutePlugin = (app, ctx) => {
  const servers = (pbx: string | undefined): PbxServerSnapshot[] => {
    if (pbx !== undefined) ctx.pbx.pick(pbx);
    return ctx.pbx.monitor.snapshot().filter((s) => pbx === undefined || s.server === pbx);
  };
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/pbx',
      access: 'viewer',
      scopes: ['click-to-dial'],
      tag: 'live',
      summary: 'Each PBX: connection state, whether it is simulated, its banner',
    },
    () => ctx.pbx.list(),
  );
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/channels',
      access: 'viewer',
      tag: 'live',
      summary: 'Live channels',
      query: pbxQuery,
    },
    ({ query }) => servers(query.pbx).flatMap((s) => s.channels),
  );
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/calls',
      access: 'viewer',
      tag: 'live',
      summary: 'Calls in progress: legs, states, caller and connected line, bridge, dial status, durations',
      query: pbxQuery,
    },
    ({ query }) => {
      const now = Date.now();
      return servers(query.pbx).flatMap((s) =>
        s.calls
          .filter((c) => c.endedAt === undefined)
          .map((c) => ({
            ...c,
            durationSeconds: Math.round((now - c.startedAt) / 1000),
            talkSeconds: c.answeredAt ? Math.round((now - c.answeredAt) / 1000) : 0,
            liveChannels: c.channels.map((u) => s.channels.find((ch) => ch.uniqueid === u)).filter(Boolean),
          })),
      );
    },
  );
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/queues',
      access: 'viewer',
      tag: 'live',
      summary: 'Queues with members, callers and KPIs',
      query: pbxQuery,
    },
    ({ query }) => {
      const kpis = ctx.pbx.monitor.kpis();
      return servers(query.pbx).flatMap((s) =>
        s.queues.map((q) => ({ ...q, kpis: kpis[s.server]?.perQueue[q.name] })),
      );
    },
  );
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/endpoints',
      access: 'viewer',
      tag: 'live',
      summary: 'SIP/PJSIP endpoints with registration state',
      query: pbxQuery,
    },
    ({ query }) =>
      servers(query.pbx).flatMap((s) =>
        s.endpoints.map((e) => ({ ...e, deviceState: e.deviceState ?? s.devices[e.device] })),
      ),
  );
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/kpis',
      access: 'viewer',
      tag: 'live',
      summary: 'KPIs per PBX (same definitions as the statistics)',
      query: pbxQuery,
    },
    ({ query }) => {
      const all = ctx.pbx.monitor.kpis();
      if (query.pbx !== undefined) ctx.pbx.pick(query.pbx);
      return Object.fromEntries(
        Object.entries(all).filter(([id]) => query.pbx === undefined || id === query.pbx),
      );
    },
  );

  // The live WebSocket: authenticated by the same hook as REST (cookie or bearer), role checked here.
  const liveQuery = z.object({
    pbx: z.string().max(32).optional(),
    since: z.coerce.number().int().min(0).optional(),
    epoch: z.string().max(32).optional(),
  });
  routeDocs(app).push({
    method: 'GET',
    url: '/api/v1/live',
    access: 'viewer',
    scopes: [],
    summary:
      'WebSocket: {type:"snapshot",seq,epoch,data} then {type:"change"|"pbx",seq,…}; ?since=<seq>&epoch=<epoch> resumes or sends a fresh snapshot; close 4008 = too slow',
    tag: 'live',
    query: liveQuery,
    status: 101,
    produces: [],
  } satisfies RouteDoc);
  app.get(
    '/api/v1/live',
    {
      websocket: true,
      config: { access: 'viewer' },
      // Refused before the upgrade, as a plain HTTP 401/403 with the error body.
      preValidation: async (req) => authorize(req.principal, 'viewer', []),
    },
    (socket, req) => {
      try {
        authorize(req.principal, 'viewer', []);
        const q = liveQuery.safeParse(req.query);
        if (!q.success) throw new HttpError(400, 'BAD_REQUEST', 'bad query', 'query');
        if (q.data.pbx !== undefined) ctx.pbx.pick(q.data.pbx);
        ctx.live.attach(socket, {
          ...(q.data.pbx !== undefined ? { pbx: q.data.pbx } : {}),
          ...(q.data.since !== undefined ? { since: q.data.since } : {}),
          ...(q.data.epoch !== undefined ? { epoch: q.data.epoch } : {}),
        });
      } catch (err) {
        const e = err as HttpError;
        socket.close(e.status === 401 ? 4401 : e.status === 403 ? 4403 : 4400, e.message.slice(0, 120));
      }
    },
  );
};
