/**
 * `/api/v1/phones`: phones written to Asterisk through the manager (admin writes; viewers read, never a secret).
 * The secret and the provisioning credentials appear only in the answers of create and rotate-secret.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  ADMIN_ERROR_STATUS,
  BRANDS,
  monitorStatus,
  PhoneService,
  type PhoneWithSecrets,
  reportDetail,
} from '../../admin/index.js';
import type { RoutePlugin, ServerContext } from '../context.js';
import { registerErrorCodes } from '../errors.js';
import { defineRoute, safeText } from '../route.js';
import { firmwareRoutes } from './firmware.js';
import { phoneNotifyRoutes } from './phone-notify.js';

const services = new WeakMap<ServerContext, PhoneService>();

/** The phone service of a server (one per context, shared by the phone and provisioning routes). */
export function phoneServiceOf(ctx: ServerContext): PhoneService {
  let s = services.get(ctx);
  if (!s) {
    s = new PhoneService({
      db: ctx.store.db,
      config: ctx.config.phones,
      pbx: (id) => {
        const link = ctx.pbx.pick(id);
        return { id: link.config.id, ami: link };
      },
      status: monitorStatus(ctx.pbx.monitor),
      provisioningUrl: () => ctx.config.provisioning.baseUrl ?? '',
    });
    services.set(ctx, s);
  }
  return s;
}

/** The provisioning base URL for a request when `provisioning.baseUrl` is not configured. */
export function provisioningUrlFor(ctx: ServerContext, req: FastifyRequest): string {
  const p = ctx.config.provisioning;
  if (p.baseUrl) return p.baseUrl.replace(/\/$/, '');
  const host = (req.headers.host ?? '127.0.0.1').replace(/:\d+$/, '');
  if (p.port !== undefined) return `http://${host}:${p.port}/provisioning`;
  return `${req.protocol}://${req.headers.host ?? host}/provisioning`;
}

const extension = z.string().regex(/^[A-Za-z0-9_.+-]{1,40}$/, 'letters, digits and _ . + - only');
const params = z.object({ extension });
const pbxQuery = z.object({ pbx: z.string().max(32).optional() }).strict();
const brand = z.enum(BRANDS);
const codecs = z
  .array(z.string().regex(/^[a-z0-9_]{1,20}$/))
  .min(1)
  .max(10);
const language = z
  .string()
  .regex(/^[a-z]{2}(_[A-Z]{2})?$/)
  .nullable();

const status = z.object({
  known: z.boolean(),
  registered: z.boolean(),
  contacts: z.array(z.string()),
  state: z.string().nullable(),
  deviceState: z.string().nullable(),
  inCall: z.boolean(),
  rttMs: z.number().nullable(),
});
const phone = z.object({
  id: z.number(),
  pbx: z.string(),
  extension: z.string(),
  name: z.string(),
  brand: z.string(),
  model: z.string().nullable(),
  mac: z.string().nullable(),
  context: z.string(),
  language: z.string().nullable(),
  codecs: z.array(z.string()),
  voicemail: z.boolean(),
  managed: z.boolean(),
  driver: z.string().nullable(),
  configFile: z.string().nullable(),
  category: z.string().nullable(),
  provisioningUser: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  status,
});
const step = z.object({
  action: z.string(),
  ok: z.boolean(),
  response: z.string(),
  message: z.string().optional(),
});
const report = z.object({
  driver: z.string(),
  file: z.string(),
  category: z.string(),
  steps: z.array(step),
  verified: z.boolean(),
  endpointFound: z.boolean().optional(),
});
const withSecrets = phone.extend({
  secret: z.string(),
  provisioning: z.object({ url: z.string(), username: z.string(), password: z.string() }),
  asterisk: report,
});

/** Phone routes. */
export const phoneRoutes: RoutePlugin = (app, ctx) => {
  registerErrorCodes(ADMIN_ERROR_STATUS);
  // Resync / reboot and the firmware API belong with the phones (one registration in routes/index.ts for all).
  phoneNotifyRoutes(app, ctx);
  firmwareRoutes(app, ctx);
  const svc = () => phoneServiceOf(ctx);
  const shown = (r: PhoneWithSecrets, req: FastifyRequest) => ({
    ...r.phone,
    secret: r.secret,
    provisioning: { ...r.provisioning, url: r.provisioning.url || provisioningUrlFor(ctx, req) },
    asterisk: r.asterisk,
  });
  const detail = (req: FastifyRequest, text: string) => {
    (req as FastifyRequest & { auditDetail?: string }).auditDetail = text.slice(0, 1000);
  };
  /** Failed writes carry Asterisk's steps: put them in the audit detail too. */
  const audited = async <T>(req: FastifyRequest, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      const e = err as { code?: string; message?: string; steps?: unknown };
      detail(req, `${e.code ?? 'ERROR'}: ${e.message ?? ''}`);
      throw err;
    }
  };

  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/phones',
      access: 'viewer',
      tag: 'phones',
      summary: 'Every phone with its live status (never a secret)',
      query: pbxQuery,
      response: z.array(phone),
    },
    ({ query }) => svc().list(query.pbx),
  );
  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/phones',
      access: 'admin',
      tag: 'phones',
      status: 201,
      summary: 'Create a phone: random secret, written to Asterisk and reloaded; secret shown this once',
      body: z
        .object({
          extension,
          name: safeText(80),
          brand,
          model: z
            .string()
            .regex(/^[A-Za-z0-9_.+-]{1,40}$/)
            .nullable()
            .optional(),
          mac: safeText(20).optional(),
          context: z
            .string()
            .regex(/^[A-Za-z0-9_.-]{1,64}$/)
            .optional(),
          language: language.optional(),
          codecs: codecs.optional(),
          voicemail: z.boolean().optional(),
          pbx: z.string().max(32).optional(),
        })
        .strict(),
      response: withSecrets,
    },
    async ({ body, request }) =>
      audited(request, async () => {
        const r = await svc().create(body);
        detail(request, reportDetail(r.asterisk));
        return shown(r, request);
      }),
  );
  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/phones/import',
      access: 'admin',
      tag: 'phones',
      summary: "Add the PBX's existing endpoints to the list, marked not managed (never rewritten)",
      body: z
        .object({ pbx: z.string().max(32).optional() })
        .strict()
        .optional(),
      response: z.object({ imported: z.array(phone), skipped: z.array(z.string()) }),
    },
    ({ body, request }) => audited(request, () => svc().importFromPbx(body?.pbx)),
  );
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/phones/:extension',
      access: 'viewer',
      tag: 'phones',
      summary: 'One phone with its live status: registered, contacts, in a call',
      params,
      query: pbxQuery,
      response: phone,
    },
    ({ params, query }) => svc().get(params.extension, query.pbx),
  );
  defineRoute(
    app,
    {
      method: 'PATCH',
      url: '/api/v1/phones/:extension',
      access: 'admin',
      tag: 'phones',
      summary: 'Change a phone; Asterisk fields are rewritten and reloaded (phones we manage only)',
      params,
      query: pbxQuery,
      body: z
        .object({
          name: safeText(80).optional(),
          brand: brand.optional(),
          model: z
            .string()
            .regex(/^[A-Za-z0-9_.+-]{1,40}$/)
            .nullable()
            .optional(),
          mac: safeText(20).nullable().optional(),
          context: z
            .string()
            .regex(/^[A-Za-z0-9_.-]{1,64}$/)
            .optional(),
          language: language.optional(),
          codecs: codecs.optional(),
          voicemail: z.boolean().optional(),
        })
        .strict(),
      response: phone.extend({ asterisk: report.optional() }),
    },
    ({ params, query, body, request }) =>
      audited(request, async () => {
        const r = await svc().update(params.extension, body, query.pbx);
        if (r.asterisk) detail(request, reportDetail(r.asterisk));
        return { ...r.phone, ...(r.asterisk ? { asterisk: r.asterisk } : {}) };
      }),
  );
  defineRoute(
    app,
    {
      method: 'DELETE',
      url: '/api/v1/phones/:extension',
      access: 'admin',
      tag: 'phones',
      summary: 'Remove a phone: its category from Asterisk (ours only) and its record',
      params,
      query: pbxQuery,
      response: z.object({ deleted: z.boolean(), asterisk: report.optional() }),
    },
    ({ params, query, request }) =>
      audited(request, async () => {
        const r = await svc().remove(params.extension, query.pbx);
        if (r.asterisk) detail(request, reportDetail(r.asterisk));
        return { deleted: true, ...r };
      }),
  );
  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/phones/:extension/rotate-secret',
      access: 'admin',
      tag: 'phones',
      summary: 'New random SIP secret and provisioning password, written to Asterisk; shown this once',
      params,
      query: pbxQuery,
      response: withSecrets,
    },
    ({ params, query, request }) =>
      audited(request, async () => {
        const r = await svc().rotateSecret(params.extension, query.pbx);
        detail(request, reportDetail(r.asterisk));
        return shown(r, request);
      }),
  );
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/phones/:extension/fetches',
      access: 'viewer',
      tag: 'phones',
      summary: "The phone's provisioning fetches, newest first",
      params,
      query: z
        .object({
          pbx: z.string().max(32).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        })
        .strict(),
    },
    ({ params, query }) => svc().fetchLog(params.extension, query.pbx, query.limit),
  );
};
