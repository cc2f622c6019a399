/**
 * Builds the Fastify app: authentication on every `/api` request (session cookie with CSRF, or bearer token),
 * the one error shape, metrics and the audit of every write, then the route plugins.
 */
import { readFileSync } from 'node:fs';
import cookie from '@fastify/cookie';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { CSRF_HEADER, SESSION_COOKIE, sameSecret } from './auth.js';
import type { ServerContext } from './context.js';
import { HttpError, toHttp } from './errors.js';
import { routePlugins } from './routes/index.js';

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The bearer token of a request (`Authorization: Bearer …`), if any. */
function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  if (!m) throw new HttpError(401, 'UNAUTHORIZED', 'the Authorization header must be "Bearer <token>"');
  return m[1];
}

/** Resolves the caller and enforces CSRF for cookie-authenticated writes and WebSocket origins. */
async function authenticate(ctx: ServerContext, req: FastifyRequest): Promise<void> {
  const token = bearer(req);
  if (token !== undefined) {
    const p = await ctx.auth.fromToken(token);
    if (!p) throw new HttpError(401, 'UNAUTHORIZED', 'the token is unknown, revoked or expired');
    req.principal = p;
    return;
  }
  const value = req.cookies[SESSION_COOKIE];
  if (!value) return;
  const p = await ctx.auth.fromSession(value);
  if (!p) return; // an expired cookie is the same as none: public routes still work, others answer 401
  const config = req.routeOptions.config;
  if (WRITE.has(req.method) && !config.noCsrf) {
    const sent = req.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !p.csrfToken || !sameSecret(sent, p.csrfToken)) {
      throw new HttpError(
        403,
        'CSRF',
        `cookie-authenticated writes need the ${CSRF_HEADER} header of the session`,
      );
    }
  }
  if (req.headers.upgrade?.toLowerCase() === 'websocket') checkOrigin(ctx, req);
  req.principal = p;
}

/** A cookie-authenticated WebSocket must come from our own origin (cross-site WebSocket hijacking). */
function checkOrigin(ctx: ServerContext, req: FastifyRequest): void {
  const origin = req.headers.origin;
  if (origin === undefined) return; // not a browser
  const host = req.headers.host;
  const own = [`http://${host}`, `https://${host}`, ...ctx.config.http.origins];
  if (!own.includes(origin))
    throw new HttpError(403, 'BAD_ORIGIN', `WebSocket from origin ${origin} refused`);
}

/** Secret-free description of what a write touched, for the audit log. */
function auditTarget(req: FastifyRequest): string | null {
  const params = req.params as Record<string, string> | undefined;
  return params && Object.keys(params).length > 0 ? JSON.stringify(params) : null;
}

/**
 * Cross-origin calls, for pages listed in `http.origins` only (the click-to-dial widget on a CRM page): bearer
 * tokens only — no cookies are accepted or sent cross-origin, so CSRF does not arise.
 */
function cors(ctx: ServerContext, req: FastifyRequest, reply: FastifyReply): boolean {
  const origin = req.headers.origin;
  if (origin === undefined || !ctx.config.http.origins.includes(origin) || !req.url.startsWith('/api/'))
    return false;
  reply
    .header('access-control-allow-origin', origin)
    .header('vary', 'Origin')
    .header('access-control-allow-headers', 'authorization, content-type')
    .header('access-control-allow-methods', 'GET, POST, DELETE')
    .header('access-control-max-age', '600');
  return true;
}

/** Creates the app (not listening yet). */
export async function buildApp(ctx: ServerContext): Promise<FastifyInstance> {
  const tls = ctx.config.http.tls;
  const common = {
    logger: false,
    trustProxy: ctx.config.http.trustProxy as boolean | string,
    bodyLimit: 1024 * 1024,
    forceCloseConnections: true,
  } as const;
  const app = (tls
    ? Fastify({ ...common, https: { cert: readFileSync(tls.cert), key: readFileSync(tls.key) } })
    : Fastify(common)) as unknown as FastifyInstance;
  await app.register(cookie);
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });

  app.addHook('onRequest', async (req, reply) => {
    (req as FastifyRequest & { startedAt?: bigint }).startedAt = process.hrtime.bigint();
    if (cors(ctx, req, reply)) {
      if (req.method === 'OPTIONS') return reply.code(204).send();
      // Cross-origin requests authenticate with a bearer token only.
      delete req.headers.cookie;
      (req as { cookies: Record<string, string> }).cookies = {};
    }
    const metricsToken = ctx.config.metrics.token;
    // `/metrics` with the metrics token is the scraper, not a user: the route checks that token itself.
    const scraper =
      metricsToken !== undefined &&
      req.url.startsWith('/metrics') &&
      sameSecret(req.headers.authorization ?? '', `Bearer ${metricsToken}`);
    if (req.url.startsWith('/api/') || (req.url.startsWith('/metrics') && !scraper))
      await authenticate(ctx, req);
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const started = (req as FastifyRequest & { startedAt?: bigint }).startedAt;
    ctx.metrics.httpRequests.inc({ method: req.method, route, status: String(reply.statusCode) });
    if (started) {
      ctx.metrics.httpDuration.observe(
        { method: req.method, route },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    }
    if (WRITE.has(req.method) && req.url.startsWith('/api/')) {
      const p = req.principal;
      const detail = (req as FastifyRequest & { auditDetail?: string }).auditDetail;
      ctx.audit.record({
        actor: p?.name ?? (req as FastifyRequest & { auditActor?: string }).auditActor ?? null,
        role: p?.role ?? null,
        action: `${req.method} ${route}`,
        target: auditTarget(req),
        address: req.ip,
        status: reply.statusCode,
        outcome:
          reply.statusCode < 400 ? 'ok' : ((reply as unknown as { errorCode?: string }).errorCode ?? 'error'),
        detail: detail ?? null,
      });
    }
  });

  app.setErrorHandler((err, req, reply) => {
    const { status, body, headers } = toHttp(err);
    if (status >= 500 && status !== 502 && status !== 503 && status !== 504) {
      ctx.logger.error(
        { err: (err as Error).message, stack: (err as Error).stack, url: req.url },
        'request failed',
      );
    }
    (reply as unknown as { errorCode?: string }).errorCode = body.error.code;
    if (headers) reply.headers(headers);
    reply.code(status).send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    reply
      .code(404)
      .send({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` } });
  });

  for (const plugin of routePlugins) await plugin(app, ctx);
  return app;
}
