/**
 * `/provisioning/<file>`: phones fetch their configuration files here (Digest or Basic credentials per phone,
 * or MAC-in-path from allowed addresses). Served on the API's listener, or on a listener of its own when
 * `provisioning.port` is set (the `provisioning` service).
 */
import { isAbsolute, resolve } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ProvisioningHandler } from '../../admin/index.js';
import type { RoutePlugin, ServerContext, ServerService } from '../context.js';
import { defineRoute } from '../route.js';
import { firmwareDownloadApiRoutes, firmwareDownloadRoutes, phoneFirmwareValues } from './firmware.js';
import { phoneServiceOf, provisioningUrlFor } from './phones.js';

const handlers = new WeakMap<ServerContext, ProvisioningHandler>();

/** The provisioning handler of a server (shared by both listeners). */
export function provisioningHandlerOf(ctx: ServerContext): ProvisioningHandler {
  let h = handlers.get(ctx);
  if (!h) {
    const c = ctx.config.provisioning;
    const dir = c.templatesDir;
    h = new ProvisioningHandler({
      phones: phoneServiceOf(ctx),
      config: { ...c, ...(dir ? { templatesDir: isAbsolute(dir) ? dir : resolve(ctx.configDir, dir) } : {}) },
      firmware: (phone, r) => phoneFirmwareValues(ctx, phone, r.baseUrl),
      sipHost: (pbx) => {
        const p = ctx.config.pbx.find((x) => x.id === pbx) ?? ctx.config.pbx[0];
        try {
          return p ? new URL(p.ami).hostname : '127.0.0.1';
        } catch {
          return '127.0.0.1';
        }
      },
    });
    handlers.set(ctx, h);
  }
  return h;
}

async function serve(
  ctx: ServerContext,
  req: FastifyRequest,
  reply: FastifyReply,
  file: string,
): Promise<void> {
  const r = await provisioningHandlerOf(ctx).handle({
    method: req.method,
    file,
    uri: req.url,
    ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    ...(req.headers['user-agent'] ? { userAgent: req.headers['user-agent'] } : {}),
    address: req.ip,
    secure: req.protocol === 'https',
    baseUrl: provisioningUrlFor(ctx, req),
  });
  reply.code(r.status).headers(r.headers).send(r.body);
}

const fileParam = z.object({ file: z.string().regex(/^[A-Za-z0-9._-]{1,80}$/, 'a file name') });

/** The provisioning route on the API's listener (unless it has a port of its own). */
export const provisioningRoutes: RoutePlugin = (app, ctx) => {
  const c = ctx.config.provisioning;
  if (!c.enabled || c.port !== undefined) return;
  firmwareDownloadApiRoutes(app, ctx, () => provisioningHandlerOf(ctx));
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/provisioning/:file',
      access: 'public',
      tag: 'provisioning',
      summary:
        "A phone's configuration file (Digest/Basic per-phone credentials, or MAC-in-path from allowed addresses)",
      params: fileParam,
      produces: ['text/plain', 'application/xml'],
    },
    async ({ params, request, reply }) => {
      await serve(ctx, request, reply, params.file);
      return undefined;
    },
  );
};

/** A listener of its own for provisioning (`provisioning.port`); nothing when the port is not set. */
export const provisioningService: ServerService = {
  name: 'provisioning',
  async start(ctx) {
    const c = ctx.config.provisioning;
    if (!c.enabled || c.port === undefined) return { close: async () => {}, url: undefined };
    const app: FastifyInstance = Fastify({ logger: false, forceCloseConnections: true, trustProxy: false });
    firmwareDownloadRoutes(app, ctx, () => provisioningHandlerOf(ctx));
    app.get<{ Params: { file: string } }>('/provisioning/:file', async (req, reply) => {
      const p = fileParam.safeParse(req.params);
      if (!p.success) return reply.code(404).type('text/plain').send('no such file\n');
      await serve(ctx, req, reply, p.data.file);
      return reply;
    });
    const address = await app.listen({ host: c.host, port: c.port });
    return { url: `${address}/provisioning`, close: () => app.close() };
  },
};
