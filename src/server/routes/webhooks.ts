/** Webhook targets of feeds: CRUD (secret never listed), pause/resume, the delivery log, redeliver and replay. */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  checkExtraHeaders,
  checkTargetUrl,
  FEEDS_ERROR_STATUS,
  FeedsError,
  secretHint,
} from '../../feeds/index.js';
import type { OutboxRecord, WebhookTargetRecord } from '../../store/index.js';
import type { RoutePlugin } from '../context.js';
import { HttpError, registerErrorCodes } from '../errors.js';
import type { Principal } from '../roles.js';
import type { FeedsRoom } from '../rooms/feeds.js';
import type { WebhooksRoom } from '../rooms/webhooks.js';
import { defineRoute } from '../route.js';

const headers = z.record(z.string().max(64), z.string().max(1000));
const secret = z.string().min(16).max(256);
const createBody = z
  .object({ url: z.string().min(1).max(2000), secret: secret.optional(), headers: headers.default({}) })
  .strict();
const patchBody = z
  .object({
    url: z.string().min(1).max(2000).optional(),
    secret: secret.optional(),
    headers: headers.optional(),
    paused: z.boolean().optional(),
  })
  .strict();
const feedParams = z.object({ id: z.coerce.number().int().positive() });
const target = z.object({
  id: z.number(),
  feed: z.number(),
  url: z.string(),
  secretHint: z.string(),
  headers: z.record(z.string(), z.string()),
  paused: z.boolean(),
  pausedReason: z.string().nullable(),
  failures: z.number(),
  pending: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const created = target.extend({ secret: z.string().optional() });
const delivery = z.object({
  id: z.string(),
  outboxId: z.number(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number(),
  eventAt: z.string(),
  createdAt: z.string(),
  nextAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  responseCode: z.number().nullable(),
  latencyMs: z.number().nullable(),
  responseBody: z.string().nullable(),
  error: z.string().nullable(),
});

/** Webhook routes. */
export const webhookRoutes: RoutePlugin = (app, ctx) => {
  registerErrorCodes(FEEDS_ERROR_STATUS);
  const rooms = () => {
    const feeds = ctx.rooms.get('feeds') as FeedsRoom | undefined;
    const hooks = ctx.rooms.get('webhooks') as WebhooksRoom | undefined;
    if (!feeds || !hooks)
      throw new HttpError(503, 'WEBHOOKS_NOT_RUNNING', 'the webhooks service is not running');
    return { feeds, hooks };
  };
  /** The same rule as feeds: the owner or an admin; anyone else gets 404 so ids do not leak. */
  const ownedFeed = async (p: Principal, id: number) => {
    const f = await rooms().feeds.repository.get(id);
    if (!f || (p.role !== 'admin' && f.ownerId !== p.accountId)) {
      throw new FeedsError('FEED_NOT_FOUND', `no feed ${id}`);
    }
    return f;
  };
  const ownedTarget = async (p: Principal, id: number): Promise<WebhookTargetRecord> => {
    const t = await rooms().hooks.targets.get(id);
    if (t) {
      const f = await rooms().feeds.repository.get(t.feedId);
      if (f && (p.role === 'admin' || f.ownerId === p.accountId)) return t;
    }
    throw new FeedsError('WEBHOOK_NOT_FOUND', `no webhook ${id}`);
  };
  const show = async (t: WebhookTargetRecord) => ({
    id: t.id,
    feed: t.feedId,
    url: t.url,
    secretHint: secretHint(t.secret),
    headers: t.headers,
    paused: t.paused,
    pausedReason: t.pausedReason,
    failures: t.failures,
    pending: await rooms().hooks.outbox.pendingCount(t.id),
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  });
  const showDelivery = (d: OutboxRecord) => ({
    id: d.deliveryId,
    outboxId: d.id,
    status: d.status,
    attempts: d.attempts,
    eventAt: d.eventAt,
    createdAt: d.createdAt,
    nextAt: d.status === 'pending' ? d.nextAt : null,
    finishedAt: d.finishedAt,
    responseCode: d.lastCode,
    latencyMs: d.lastLatencyMs,
    responseBody: d.lastBody,
    error: d.lastError,
  });
  const checkUrl = (url: string) => checkTargetUrl(url, ctx.config.webhooks.allowPrivateTargets);

  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/feeds/:id/webhooks',
      access: 'viewer',
      tag: 'webhooks',
      status: 201,
      summary: 'Add a webhook target to a feed (without `secret`, one is made and shown once)',
      params: feedParams,
      body: createBody,
      response: created,
    },
    async ({ principal, params, body }) => {
      const f = await ownedFeed(principal!, params.id);
      await checkUrl(body.url);
      checkExtraHeaders(body.headers);
      const made = body.secret === undefined ? randomBytes(24).toString('base64url') : undefined;
      const t = await rooms().hooks.targets.create(f.id, {
        url: body.url,
        secret: body.secret ?? made!,
        headers: body.headers,
      });
      return { ...(await show(t)), ...(made ? { secret: made } : {}) };
    },
  );
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/feeds/:id/webhooks',
      access: 'viewer',
      tag: 'webhooks',
      summary: 'The webhook targets of a feed',
      params: feedParams,
      response: z.array(target),
    },
    async ({ principal, params }) => {
      const f = await ownedFeed(principal!, params.id);
      return Promise.all((await rooms().hooks.targets.listByFeed(f.id)).map(show));
    },
  );
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/webhooks/:id',
      access: 'viewer',
      tag: 'webhooks',
      summary: 'One webhook target',
      params: feedParams,
      response: target,
    },
    async ({ principal, params }) => show(await ownedTarget(principal!, params.id)),
  );
  defineRoute(
    app,
    {
      method: 'PATCH',
      url: '/api/v1/webhooks/:id',
      access: 'viewer',
      tag: 'webhooks',
      summary: 'Change a webhook target; `paused: true` holds its deliveries, `paused: false` resumes them',
      params: feedParams,
      body: patchBody,
      response: target,
    },
    async ({ principal, params, body }) => {
      const t = await ownedTarget(principal!, params.id);
      if (body.url !== undefined) await checkUrl(body.url);
      if (body.headers !== undefined) checkExtraHeaders(body.headers);
      const next = (await rooms().hooks.targets.update(t.id, body))!;
      if (body.paused === false) rooms().hooks.delivery.wake();
      return show(next);
    },
  );
  defineRoute(
    app,
    {
      method: 'DELETE',
      url: '/api/v1/webhooks/:id',
      access: 'viewer',
      tag: 'webhooks',
      status: 204,
      summary: 'Delete a webhook target and its undelivered events',
      params: feedParams,
    },
    async ({ principal, params }) => {
      const t = await ownedTarget(principal!, params.id);
      await rooms().hooks.targets.delete(t.id);
      return undefined;
    },
  );
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/webhooks/:id/deliveries',
      access: 'viewer',
      tag: 'webhooks',
      summary: 'The delivery log of a target, newest first (`before` = an outboxId, for the next page)',
      params: feedParams,
      query: z
        .object({
          limit: z.coerce.number().int().min(1).max(500).default(100),
          before: z.coerce.number().int().positive().optional(),
          status: z.enum(['pending', 'delivered', 'failed']).optional(),
        })
        .strict(),
      response: z.array(delivery),
    },
    async ({ principal, params, query }) => {
      const t = await ownedTarget(principal!, params.id);
      const rows = await rooms().hooks.outbox.deliveries(t.id, {
        limit: query.limit,
        ...(query.before !== undefined ? { before: query.before } : {}),
        ...(query.status !== undefined ? { status: query.status } : {}),
      });
      return rows.map(showDelivery);
    },
  );
  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/webhooks/:id/deliveries/:delivery/redeliver',
      access: 'viewer',
      tag: 'webhooks',
      status: 202,
      summary: 'Send a delivery again (same delivery id and body, after what is queued)',
      params: z.object({ id: z.coerce.number().int().positive(), delivery: z.string().uuid() }),
      response: z.object({ queued: z.number() }),
    },
    async ({ principal, params }) => {
      const t = await ownedTarget(principal!, params.id);
      if (!(await rooms().hooks.outbox.redeliver(t.id, params.delivery))) {
        throw new FeedsError('DELIVERY_NOT_FOUND', `no delivery ${params.delivery}`);
      }
      rooms().hooks.delivery.wake();
      return { queued: 1 };
    },
  );
  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/webhooks/:id/replay',
      access: 'viewer',
      tag: 'webhooks',
      status: 202,
      summary: 'Send again every event the target got in [from, to] (ISO times), in order, same delivery ids',
      params: feedParams,
      body: z.object({ from: z.iso.datetime(), to: z.iso.datetime() }).strict(),
      response: z.object({ queued: z.number() }),
    },
    async ({ principal, params, body }) => {
      const t = await ownedTarget(principal!, params.id);
      const from = new Date(body.from).toISOString();
      const to = new Date(body.to).toISOString();
      if (from > to) throw new HttpError(400, 'BAD_REQUEST', '`from` is after `to`', 'body.from');
      const queued = await rooms().hooks.outbox.replay(t.id, from, to, 10_000);
      rooms().hooks.delivery.wake();
      return { queued };
    },
  );
};
