/** `/api/v1/health` (no auth), `/metrics` (token or allow-list), `/api/v1/openapi.json`. */
import { BlockList, isIPv6 } from 'node:net';
import { z } from 'zod';
import { sameSecret } from '../auth.js';
import type { RoutePlugin } from '../context.js';
import { HttpError } from '../errors.js';
import { openApiDocument } from '../openapi.js';
import { defineRoute, routeDocs } from '../route.js';
import { VERSION } from '../version.js';

function allowList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const e of entries) {
    const [addr, bits] = e.split('/');
    const type = isIPv6(addr!) ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(addr!, type);
    else list.addSubnet(addr!, Number(bits), type);
  }
  return list;
}

/** System routes. */
export const systemRoutes: RoutePlugin = (app, ctx) => {
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/health',
      access: 'public',
      tag: 'system',
      summary: "Status and each PBX's connection state (no credentials needed)",
      response: z.object({
        status: z.enum(['ok', 'degraded']),
        version: z.string(),
        pbx: z.array(z.object({ id: z.string(), state: z.string(), connected: z.boolean() })),
      }),
    },
    () => {
      const pbx = ctx.pbx.list().map((p) => ({ id: p.id, state: p.state, connected: p.connected }));
      return { status: pbx.every((p) => p.connected) ? 'ok' : 'degraded', version: VERSION, pbx };
    },
  );
  defineRoute(
    app,
    { method: 'GET', url: '/api/v1/openapi.json', access: 'public', tag: 'system', summary: 'This document' },
    () => openApiDocument(routeDocs(app), VERSION),
  );

  const allowed = allowList(ctx.config.metrics.allow);
  const token = ctx.config.metrics.token;
  app.get('/metrics', async (req, reply) => {
    const h = req.headers.authorization;
    const byToken = token !== undefined && h !== undefined && sameSecret(h, `Bearer ${token}`);
    const addr = req.ip.replace(/^::ffff:/, '');
    const byAddress = allowed.check(addr, isIPv6(addr) ? 'ipv6' : 'ipv4');
    if (!byToken && !byAddress && req.principal?.role !== 'admin') {
      throw new HttpError(
        h ? 403 : 401,
        h ? 'FORBIDDEN' : 'UNAUTHORIZED',
        '/metrics needs the metrics token or an allowed address',
      );
    }
    for (const link of ctx.pbx.links.values())
      ctx.metrics.amiUp.set({ pbx: link.config.id }, link.state === 'ready' ? 1 : 0);
    for (const s of ctx.pbx.monitor.snapshot()) {
      ctx.metrics.liveCalls.set({ pbx: s.server }, s.calls.filter((c) => c.endedAt === undefined).length);
      ctx.metrics.liveChannels.set({ pbx: s.server }, s.channels.length);
    }
    reply.header('content-type', ctx.metrics.registry.contentType);
    return ctx.metrics.registry.metrics();
  });
};
