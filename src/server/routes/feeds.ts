/** CRM feeds: CRUD, `test` over recent events, and the `/live` WebSocket of one feed. */
import { z } from 'zod';
import {
  CALL_EVENT_TYPES,
  compileFeedFilter,
  FEEDS_ERROR_STATUS,
  type FeedFilterSpec,
  FeedsError,
} from '../../feeds/index.js';
import type { FeedRecord } from '../../store/index.js';
import type { RoutePlugin } from '../context.js';
import { HttpError, registerErrorCodes } from '../errors.js';
import type { Principal } from '../roles.js';
import type { FeedsRoom } from '../rooms/feeds.js';
import { authorize, defineRoute, safeText } from '../route.js';

const filter = z
  .object({
    events: z.array(safeText(64)).max(100).optional(),
    headers: z.record(safeText(64), safeText(1000)).optional(),
    regex: safeText(1000).optional(),
    mine: z.boolean().optional(),
  })
  .strict();
const feedBody = z
  .object({
    name: safeText(100).min(1),
    pbx: safeText(64).nullable().optional(),
    kind: z.enum(['ami', 'call']).default('ami'),
    filter: filter.default({}),
  })
  .strict();
const feedPatch = z
  .object({
    name: safeText(100).min(1).optional(),
    pbx: safeText(64).nullable().optional(),
    kind: z.enum(['ami', 'call']).optional(),
    filter: filter.optional(),
  })
  .strict();
const idParams = z.object({ id: z.coerce.number().int().positive() });
const feed = z.object({
  id: z.number(),
  owner: z.number(),
  name: z.string(),
  pbx: z.string().nullable(),
  kind: z.enum(['ami', 'call']),
  filter: z.record(z.string(), z.unknown()),
  slow: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** Feed routes. */
export const feedRoutes: RoutePlugin = (app, ctx) => {
  registerErrorCodes(FEEDS_ERROR_STATUS);
  const room = () => {
    const r = ctx.rooms.get('feeds') as FeedsRoom | undefined;
    if (!r) throw new HttpError(503, 'FEEDS_NOT_RUNNING', 'the feeds service is not running');
    return r;
  };
  const show = (f: FeedRecord) => ({
    id: f.id,
    owner: f.ownerId,
    name: f.name,
    pbx: f.pbx,
    kind: f.kind,
    filter: f.filter,
    slow: room().engine.isSlow(f.id),
    createdAt: f.createdAt,
    updatedAt: f.updatedAt,
  });
  /** Admins see every feed; others only their own (404 for the rest, so ids do not leak). */
  const owned = async (p: Principal, id: number): Promise<FeedRecord> => {
    const f = await room().repository.get(id);
    if (!f || (p.role !== 'admin' && f.ownerId !== p.accountId)) {
      throw new FeedsError('FEED_NOT_FOUND', `no feed ${id}`);
    }
    return f;
  };
  const check = (input: { pbx: string | null; kind: string; filter: object }) => {
    if (input.pbx !== null) ctx.pbx.pick(input.pbx);
    // A call feed emits only its own event types: a name it never emits would silently match nothing.
    const events = (input.filter as FeedFilterSpec).events;
    if (input.kind === 'call' && events) {
      const unknown = events.filter(
        (e) => !(CALL_EVENT_TYPES as readonly string[]).includes(e.toLowerCase()),
      );
      if (unknown.length > 0)
        throw new FeedsError(
          'FEED_BAD_FILTER',
          `filter.events: a call feed emits ${CALL_EVENT_TYPES.join(', ')} (not ${unknown.join(', ')})`,
          'filter.events',
        );
    }
    // A bad or unsafe regex is a 422 naming it, before anything is stored.
    compileFeedFilter(input.filter as FeedFilterSpec);
  };
  const load = async (f: FeedRecord) => room().engine.upsert(await room().definition(f));

  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/feeds',
      access: 'viewer',
      tag: 'feeds',
      summary: 'Your feeds (admins: everyone’s)',
      response: z.array(feed),
    },
    async ({ principal }) => {
      const p = principal!;
      return (await room().repository.list(p.role === 'admin' ? undefined : p.accountId)).map(show);
    },
  );
  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/feeds',
      access: 'viewer',
      tag: 'feeds',
      status: 201,
      summary: 'Create a feed',
      body: feedBody,
      response: feed,
    },
    async ({ principal, body }) => {
      const input = { name: body.name, pbx: body.pbx ?? null, kind: body.kind, filter: body.filter };
      check(input);
      const f = await room().repository.create(principal!.accountId, input);
      await load(f);
      return show(f);
    },
  );
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/feeds/:id',
      access: 'viewer',
      tag: 'feeds',
      summary: 'One feed',
      params: idParams,
      response: feed,
    },
    async ({ principal, params }) => show(await owned(principal!, params.id)),
  );
  defineRoute(
    app,
    {
      method: 'PATCH',
      url: '/api/v1/feeds/:id',
      access: 'viewer',
      tag: 'feeds',
      summary: 'Change a feed',
      params: idParams,
      body: feedPatch,
      response: feed,
    },
    async ({ principal, params, body }) => {
      const old = await owned(principal!, params.id);
      const input = {
        name: body.name ?? old.name,
        pbx: body.pbx === undefined ? old.pbx : body.pbx,
        kind: body.kind ?? old.kind,
        filter: body.filter ?? old.filter,
      };
      check(input);
      const f = (await room().repository.update(old.id, input))!;
      await load(f);
      return show(f);
    },
  );
  defineRoute(
    app,
    {
      method: 'DELETE',
      url: '/api/v1/feeds/:id',
      access: 'viewer',
      tag: 'feeds',
      status: 204,
      summary: 'Delete a feed',
      params: idParams,
    },
    async ({ principal, params }) => {
      const f = await owned(principal!, params.id);
      await room().repository.delete(f.id);
      room().engine.remove(f.id);
      return undefined;
    },
  );
  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/feeds/:id/test',
      access: 'viewer',
      tag: 'feeds',
      summary: 'Run the feed’s filter over the last N events of its PBX(s) (ami feeds)',
      params: idParams,
      body: z
        .object({ limit: z.number().int().min(1).max(500).default(100) })
        .strict()
        .default({ limit: 100 }),
    },
    async ({ principal, params, body }) => {
      const f = await owned(principal!, params.id);
      return room().engine.test(await room().definition(f), body.limit);
    },
  );

  app.get(
    '/api/v1/feeds/:id/live',
    {
      websocket: true,
      config: { access: 'viewer' },
      preValidation: async (req) => authorize(req.principal, 'viewer', []),
    },
    (socket, req) => {
      void (async () => {
        try {
          authorize(req.principal, 'viewer', []);
          const params = idParams.safeParse(req.params);
          const q = z.object({ since: z.coerce.number().int().min(0).optional() }).safeParse(req.query);
          if (!params.success || !q.success)
            throw new HttpError(400, 'BAD_REQUEST', 'bad id or since', 'query');
          const f = await owned(req.principal!, params.data.id);
          const maxBuffered = ctx.config.live.maxBufferedBytes;
          const sub = room().engine.subscribe(
            f.id,
            (m) => {
              if (socket.readyState !== socket.OPEN) return;
              if (socket.bufferedAmount > maxBuffered) {
                sub?.close();
                socket.close(4008, 'too slow: resume with ?since=');
                return;
              }
              socket.send(JSON.stringify(m));
            },
            q.data.since,
          );
          const since = sub?.resumed ? q.data.since : undefined;
          if (!sub) throw new FeedsError('FEED_NOT_FOUND', `no feed ${f.id}`);
          socket.send(
            JSON.stringify({ type: sub.resumed ? 'resume' : 'hello', feed: f.id, seq: since ?? sub.seq }),
          );
          for (const m of sub.backlog) socket.send(JSON.stringify(m));
          socket.on('close', () => sub.close());
          socket.on('message', () => {});
        } catch (err) {
          const e = err as { status?: number; code?: string; message: string };
          const status = e.status ?? (e.code === 'FEED_NOT_FOUND' ? 404 : 500);
          socket.close(
            status === 401 ? 4401 : status === 403 ? 4403 : status === 404 ? 4404 : 4400,
            e.message.slice(0, 120),
          );
        }
      })();
    },
  );
};
