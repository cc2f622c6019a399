/**
 * `/api/v1/phones/…/resync|reboot`, `/api/v1/phones/resync` and `/api/v1/phones/notify-config` (admin): SIP NOTIFY
 * through the manager with Asterisk's answer, and the repair of a missing `pjsip_notify.conf` (`PhoneNotifier`).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { BRANDS, NOTIFY_ERROR_STATUS, PhoneNotifier } from '../../admin/index.js';
import type { ServerContext } from '../context.js';
import { HttpError, registerErrorCodes } from '../errors.js';
import { defineRoute } from '../route.js';
import { phoneServiceOf } from './phones.js';

const notifiers = new WeakMap<ServerContext, PhoneNotifier>();

/** The resync / reboot notifier of a server. */
export function notifierOf(ctx: ServerContext): PhoneNotifier {
  let n = notifiers.get(ctx);
  if (!n) {
    n = new PhoneNotifier({
      pbx: (id) => {
        const link = ctx.pbx.pick(id);
        return { id: link.config.id, ami: link };
      },
    });
    notifiers.set(ctx, n);
  }
  return n;
}

const params = z.object({
  extension: z.string().regex(/^[A-Za-z0-9_.+-]{1,40}$/, 'letters, digits and _ . + - only'),
});
const pbxQuery = z.object({ pbx: z.string().max(32).optional() }).strict();
const brand = z.enum(BRANDS);

/** The resync / reboot routes (registered by the phone routes). */
export function phoneNotifyRoutes(app: FastifyInstance, ctx: ServerContext): void {
  registerErrorCodes(NOTIFY_ERROR_STATUS);
  const svc = () => phoneServiceOf(ctx);
  const detail = (req: FastifyRequest, text: string) => {
    (req as FastifyRequest & { auditDetail?: string }).auditDetail = text.slice(0, 1000);
  };
  const audited = async <T>(req: FastifyRequest, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      const e = err as { code?: string; message?: string };
      detail(req, `${e.code ?? 'ERROR'}: ${e.message ?? ''}`);
      throw err;
    }
  };
  const outcome = z.object({
    pbx: z.string(),
    extension: z.string(),
    brand: z.string(),
    kind: z.enum(['resync', 'reboot']),
    action: z.string(),
    params: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
    ok: z.boolean(),
    response: z.string(),
    message: z.string(),
    note: z.string(),
  });
  for (const kind of ['resync', 'reboot'] as const)
    defineRoute(
      app,
      {
        method: 'POST',
        url: `/api/v1/phones/:extension/${kind}`,
        access: 'admin',
        tag: 'phones',
        summary:
          kind === 'resync'
            ? "Resync a phone: its brand's SIP NOTIFY (PJSIPNotify / SIPnotify); Asterisk's answer is returned"
            : "Reboot a phone: its brand's reboot NOTIFY; Asterisk's answer is returned",
        params,
        query: pbxQuery,
        response: outcome,
      },
      ({ params, query, request }) =>
        audited(request, async () => {
          const p = await svc().get(params.extension, query.pbx);
          const [r] = await notifierOf(ctx).notify([p], kind);
          if (!r) throw new Error('no NOTIFY outcome');
          detail(request, `${r.action} ${r.extension}: ${r.response} ${r.message}`);
          return r;
        }),
    );
  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/phones/resync',
      access: 'admin',
      tag: 'phones',
      summary:
        "Resync (or reboot) every phone of a brand and/or model; one NOTIFY each, with Asterisk's answers",
      body: z
        .object({
          brand: brand.optional(),
          model: z
            .string()
            .regex(/^[A-Za-z0-9_.+-]{1,40}$/)
            .optional(),
          kind: z.enum(['resync', 'reboot']).default('resync'),
          pbx: z.string().max(32).optional(),
        })
        .strict(),
      response: z.object({ results: z.array(outcome) }),
    },
    ({ body, request }) =>
      audited(request, async () => {
        if (!body.brand && !body.model)
          throw new HttpError(400, 'VALIDATION', 'give a brand, a model or both', 'body.brand');
        const all = (await svc().list(body.pbx)).filter(
          (p) =>
            (!body.brand || p.brand === body.brand) &&
            (!body.model || (p.model ?? '').toLowerCase() === body.model.toLowerCase()),
        );
        const results = await notifierOf(ctx).notify(all, body.kind);
        detail(request, `${body.kind} ${results.length} phones (${results.filter((r) => r.ok).length} sent)`);
        return { results };
      }),
  );
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/phones/notify-config',
      access: 'admin',
      tag: 'phones',
      summary: 'Whether PJSIPNotify exists on a PBX (res_pjsip_notify loaded, pjsip_notify.conf present)',
      query: pbxQuery,
      response: z.object({ pbx: z.string(), available: z.boolean() }),
    },
    ({ query }) => notifierOf(ctx).notifyAvailable(query.pbx),
  );
  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/phones/notify-config',
      access: 'admin',
      tag: 'phones',
      summary:
        'Create pjsip_notify.conf (CreateConfig + UpdateConfig, every brand) and load res_pjsip_notify',
      query: pbxQuery,
      response: z.object({
        pbx: z.string(),
        available: z.boolean(),
        steps: z.array(z.object({ action: z.string(), ok: z.boolean(), message: z.string() })),
      }),
    },
    ({ query, request }) =>
      audited(request, async () => {
        const r = await notifierOf(ctx).createNotifyConfig(query.pbx);
        detail(request, r.steps.map((s) => `${s.action} ${s.ok ? 'ok' : 'error'}`).join(', '));
        return r;
      }),
  );
}
