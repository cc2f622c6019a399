/**
 * `/api/v1/firmware`: phone firmware per brand and model ("Actualizar software") — raw uploads (admin), the list
 * with checksums, the current version per model, and how many phones run which version (from the User-Agent of
 * their newest provisioning fetch). Phones download the files under `/provisioning/firmware/<mac>/…` with the same
 * per-phone access rules as their configuration files.
 */
import { isAbsolute, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  FIRMWARE_ERROR_STATUS,
  FirmwareStore,
  firmwareValues,
  normalizeMac,
  type ProvisioningHandler,
  snomStatusFile,
  versionCounts,
} from '../../admin/index.js';
import type { ServerContext } from '../context.js';
import { HttpError, registerErrorCodes } from '../errors.js';
import { defineRoute } from '../route.js';
import { phoneServiceOf, provisioningUrlFor } from './phones.js';

const stores = new WeakMap<ServerContext, FirmwareStore>();

/** The firmware store of a server (`provisioning.firmware.dir`, relative to the config file's folder). */
export function firmwareStoreOf(ctx: ServerContext): FirmwareStore {
  let s = stores.get(ctx);
  if (!s) {
    const f = ctx.config.provisioning.firmware;
    s = new FirmwareStore(isAbsolute(f.dir) ? f.dir : resolve(ctx.configDir, f.dir), f.maxBytes);
    stores.set(ctx, s);
  }
  return s;
}

/** The firmware template values of a phone (undefined when its model has no current firmware). */
export async function phoneFirmwareValues(
  ctx: ServerContext,
  phone: { brand: string; model: string | null; mac: string | null },
  baseUrl: string | undefined,
): Promise<Record<string, string> | undefined> {
  if (!phone.model || !phone.mac || !baseUrl) return undefined;
  const f = await firmwareStoreOf(ctx)
    .currentFile(phone.brand, phone.model)
    .catch(() => undefined);
  return f ? firmwareValues(phone.brand, baseUrl, phone.mac, f) : undefined;
}

const segment = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.+-]{0,79}$/, 'letters, digits and _ . + -');
const file = z.object({
  brand: z.string(),
  model: z.string(),
  version: z.string(),
  filename: z.string(),
  size: z.number(),
  sha256: z.string(),
  uploadedAt: z.string(),
  current: z.boolean(),
});
const ids = z.object({ brand: segment, model: segment, version: segment, filename: segment }).strict();

/**
 * Serves `/provisioning/firmware/<mac>/<version>/<file>` or `<mac>/snom-firmware.txt` (both listeners). Refusals and
 * the status file are sent here; a firmware image is returned (headers set) for the route to return, so Fastify
 * streams it from disk.
 */
export async function serveFirmware(
  ctx: ServerContext,
  req: FastifyRequest,
  reply: FastifyReply,
  p: { mac: string; version?: string; file: string },
  handler: ProvisioningHandler,
  baseUrl: string,
): Promise<Readable | undefined> {
  const r = {
    method: req.method,
    file: `firmware/${p.mac}/${p.version ? `${p.version}/` : ''}${p.file}`.slice(0, 200),
    uri: req.url,
    ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    ...(req.headers['user-agent'] ? { userAgent: req.headers['user-agent'] } : {}),
    address: req.ip,
    secure: req.protocol === 'https',
  };
  let mac: string;
  try {
    mac = normalizeMac(p.mac);
  } catch {
    reply.code(404).type('text/plain').send('no such file\n');
    return undefined;
  }
  const who = await handler.identify(r, mac);
  if (who.response) {
    reply.code(who.response.status).headers(who.response.headers).send(who.response.body);
    return undefined;
  }
  const phone = who.phone;
  // The credentials of one phone never fetch through another phone's MAC.
  if (phone.mac !== mac) {
    const refused = await handler.refuse(r, phone, 403);
    reply.code(refused.status).headers(refused.headers).send(refused.body);
    return undefined;
  }
  const store = firmwareStoreOf(ctx);
  if (!p.version && p.file === 'snom-firmware.txt' && phone.brand === 'snom' && phone.model) {
    const f = await store.currentFile(phone.brand, phone.model).catch(() => undefined);
    if (f) {
      await handler.served(r, phone);
      const v = firmwareValues('snom', baseUrl, mac, f);
      reply
        .code(200)
        .type('text/plain; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(snomStatusFile(v.firmwareUrl ?? ''));
      return undefined;
    }
  }
  // Only the phone's own brand and model: another model's firmware is not found for this phone.
  const opened =
    p.version && phone.model
      ? await store.open(phone.brand, phone.model, p.version, p.file).catch(() => undefined)
      : undefined;
  if (!opened) {
    const refused = await handler.refuse(r, phone, 404);
    reply.code(refused.status).headers(refused.headers).send(refused.body);
    return undefined;
  }
  await handler.served(r, phone);
  reply
    .code(200)
    .type('application/octet-stream')
    .header('content-length', String(opened.size))
    .header('cache-control', 'no-store');
  return opened.stream;
}

/** The `/provisioning/firmware/…` routes on provisioning's own listener (`provisioning.port`). */
export function firmwareDownloadRoutes(
  app: FastifyInstance,
  ctx: ServerContext,
  handler: () => ProvisioningHandler,
): void {
  const base = (req: FastifyRequest) => provisioningUrlFor(ctx, req);
  app.get<{ Params: { mac: string; version: string; file: string } }>(
    '/provisioning/firmware/:mac/:version/:file',
    async (req, reply) => {
      const ok = [req.params.version, req.params.file].every((x) => segment.safeParse(x).success);
      if (!ok) return reply.code(404).type('text/plain').send('no such file\n');
      const image = await serveFirmware(ctx, req, reply, req.params, handler(), base(req));
      return image ? reply.send(image) : reply;
    },
  );
  app.get<{ Params: { mac: string } }>(
    '/provisioning/firmware/:mac/snom-firmware.txt',
    async (req, reply) => {
      await serveFirmware(
        ctx,
        req,
        reply,
        { mac: req.params.mac, file: 'snom-firmware.txt' },
        handler(),
        base(req),
      );
      return reply;
    },
  );
}

/** The same routes on the API's listener, declared like every API route (public: the phone proves itself). */
export function firmwareDownloadApiRoutes(
  app: FastifyInstance,
  ctx: ServerContext,
  handler: () => ProvisioningHandler,
): void {
  const mac = z.string().regex(/^[0-9A-Fa-f:.-]{12,17}$/, 'a MAC');
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/provisioning/firmware/:mac/:version/:file',
      access: 'public',
      tag: 'provisioning',
      summary:
        "A phone's firmware file (its own brand and model only; same credentials as its configuration)",
      params: z.object({ mac, version: segment, file: segment }),
      produces: ['application/octet-stream'],
    },
    async ({ params, request, reply }) =>
      serveFirmware(ctx, request, reply, params, handler(), provisioningUrlFor(ctx, request)),
  );
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/provisioning/firmware/:mac/snom-firmware.txt',
      access: 'public',
      tag: 'provisioning',
      summary: "A Snom phone's firmware status file (names the image of its model's current version)",
      params: z.object({ mac }),
      produces: ['text/plain'],
    },
    async ({ params, request, reply }) => {
      await serveFirmware(
        ctx,
        request,
        reply,
        { mac: params.mac, file: 'snom-firmware.txt' },
        handler(),
        provisioningUrlFor(ctx, request),
      );
      return undefined;
    },
  );
}

/** The firmware API routes (registered by the phone routes). */
export function firmwareRoutes(app: FastifyInstance, ctx: ServerContext): void {
  registerErrorCodes(FIRMWARE_ERROR_STATUS);
  const store = () => firmwareStoreOf(ctx);
  // A raw upload is streamed to disk (never buffered): the parser hands the request stream through.
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));
  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/firmware',
      access: 'admin',
      tag: 'firmware',
      status: 201,
      summary:
        'Upload a firmware file (raw body, Content-Type: application/octet-stream) for a brand and model; SHA-256 returned',
      query: ids,
      response: file,
    },
    async ({ query, request }) => {
      if (request.headers['content-type']?.split(';')[0]?.trim() !== 'application/octet-stream')
        throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the file as application/octet-stream');
      const len = Number(request.headers['content-length'] ?? 'NaN');
      if (Number.isFinite(len) && len > store().maxBytes)
        throw new HttpError(
          413,
          'ADMIN_FIRMWARE_TOO_LARGE',
          `larger than firmware.maxBytes (${store().maxBytes})`,
        );
      const body = request.body as Readable | undefined;
      if (!body || typeof (body as Readable).pipe !== 'function')
        throw new HttpError(400, 'BAD_REQUEST', 'empty body', 'body');
      const f = await store().save(body, query);
      (request as FastifyRequest & { auditDetail?: string }).auditDetail =
        `${f.brand}/${f.model}/${f.version}/${f.filename} ${f.size} bytes sha256 ${f.sha256}`;
      return f;
    },
  );
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/firmware',
      access: 'viewer',
      tag: 'firmware',
      summary: 'Every firmware file (brand, model, version, size, SHA-256, current)',
      query: z.object({ brand: segment.optional(), model: segment.optional() }).strict(),
      response: z.array(file),
    },
    ({ query }) => store().list(query),
  );
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/firmware/versions',
      access: 'viewer',
      tag: 'firmware',
      summary:
        "Per model, how many phones run which version (each phone's newest provisioning fetch User-Agent)",
      response: z.array(
        z.object({ brand: z.string(), model: z.string(), versions: z.record(z.string(), z.number()) }),
      ),
    },
    async () => versionCounts(await phoneServiceOf(ctx).fetches.recent(10_000)),
  );
  defineRoute(
    app,
    {
      method: 'PATCH',
      url: '/api/v1/firmware/:brand/:model',
      access: 'admin',
      tag: 'firmware',
      summary: "Set (or clear with null) the version a model's phones are given in their provisioning files",
      params: z.object({ brand: segment, model: segment }).strict(),
      body: z.object({ current: segment.nullable() }).strict(),
      response: z.object({ brand: z.string(), model: z.string(), current: z.string().nullable() }),
    },
    async ({ params, body }) => {
      await store().setCurrent(params.brand, params.model, body.current);
      return { brand: params.brand, model: params.model, current: body.current };
    },
  );
  defineRoute(
    app,
    {
      method: 'DELETE',
      url: '/api/v1/firmware/:brand/:model/:version/:filename',
      access: 'admin',
      tag: 'firmware',
      summary: 'Delete a firmware file (and its checksum)',
      params: ids,
      response: z.object({ deleted: z.boolean() }),
    },
    async ({ params }) => {
      await store().remove(params.brand, params.model, params.version, params.filename);
      return { deleted: true };
    },
  );
}
