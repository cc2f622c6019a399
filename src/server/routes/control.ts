/**
 * Click-to-dial and call control: `POST /api/v1/calls`, `GET/DELETE /api/v1/calls/:id`,
 * `DELETE /api/v1/channels/:id`, redirect, transfer, queue membership and pause.
 */
import { z } from 'zod';
import { CallControl, type ClickToDialCall, channelExtensions } from '../../control/index.js';
import type { RoutePlugin } from '../context.js';
import { forbidden, HttpError } from '../errors.js';
import { atLeast, mayActOn, type Principal } from '../roles.js';
import { defineRoute, safeText } from '../route.js';

const id = z.object({ id: z.string().min(3).max(200) });
const extension = safeText(40).pipe(z.string().min(1));

/** Control routes (the `CallControl` room is created here and closed with the app). */
export const controlRoutes: RoutePlugin = (app, ctx) => {
  const control = new CallControl(
    [...ctx.pbx.links.values()].map((link) => ({
      id: link.config.id,
      ami: link,
      model: () => ctx.pbx.monitor.model(link.config.id),
      snapshot: () => ctx.pbx.monitor.model(link.config.id)?.snapshot(),
      clickToDial: link.config.clickToDial,
    })),
  );
  const onChange = (c: Parameters<CallControl['onChange']>[0]) => control.onChange(c);
  ctx.pbx.monitor.on('change', onChange);
  control.onProgress((c) => ctx.live.publish({ type: 'click-to-dial', call: c }, c.pbx));
  app.addHook('onClose', async () => {
    ctx.pbx.monitor.off('change', onChange);
    await control.close();
  });

  const ownCall = (
    p: Principal,
    channels: { name: string; callerIdNum?: string; connectedLineNum?: string }[],
  ) => {
    const involved = channels.flatMap((ch) =>
      channelExtensions(ch as Parameters<typeof channelExtensions>[0]),
    );
    if (!mayActOn(p, involved)) throw forbidden('agents may act only on calls of their own extensions');
  };

  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/calls',
      access: 'agent',
      scopes: ['click-to-dial'],
      tag: 'control',
      status: 202,
      summary:
        'Click-to-dial: rings `from` first, then calls `to`, with the right caller ID on both legs. 202 at once with the request id; `?wait=answer` waits for the far end',
      query: z.object({ wait: z.enum(['answer']).optional() }),
      body: z
        .object({
          from: extension,
          to: safeText(64).pipe(z.string().min(1)),
          pbx: z.string().max(32).optional(),
          callerId: z
            .object({ name: safeText(80).optional(), number: safeText(64).optional() })
            .strict()
            .optional(),
          calleeName: safeText(80).optional(),
        })
        .strict(),
    },
    async ({ body, query, principal }) => {
      const p = principal!;
      if (!atLeast(p.role, 'operator') && !p.extensions.includes(body.from)) {
        throw new HttpError(
          403,
          'FORBIDDEN',
          `you may dial only from your own extensions (${p.extensions.join(', ') || 'none'})`,
          'from',
        );
      }
      const link = ctx.pbx.pick(body.pbx);
      const call = await control.dial(link.config.id, {
        from: body.from,
        to: body.to,
        by: p.name,
        ...(body.callerId ? { callerId: body.callerId } : {}),
        ...(body.calleeName !== undefined ? { calleeName: body.calleeName } : {}),
      });
      if (query.wait === 'answer') {
        return (
          (await control.waitAnswered(call.id, (link.config.clickToDial.timeout * 2 + 10) * 1000)) ?? call
        );
      }
      return call;
    },
  );

  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/calls/:id',
      access: 'viewer',
      scopes: ['click-to-dial'],
      tag: 'control',
      summary:
        'A live call (`<pbx>/<linkedid>`, URL-encoded) or a click-to-dial request (`c2d-…`) with its progress',
      params: id,
    },
    ({ params }) => {
      const c2d: ClickToDialCall | undefined = control.clickToDial(params.id);
      if (c2d) {
        let live: unknown;
        try {
          live = c2d.callId ? control.call(c2d.callId).call : undefined;
        } catch {
          live = undefined;
        }
        return { ...c2d, ...(live ? { call: live } : {}) };
      }
      const { call, channels } = control.call(params.id);
      return { ...call, liveChannels: channels };
    },
  );

  defineRoute(
    app,
    {
      method: 'DELETE',
      url: '/api/v1/calls/:id',
      access: 'agent',
      tag: 'control',
      summary: 'Hang up every leg of a call',
      params: id,
    },
    async ({ params, principal }) => {
      const target = control.clickToDial(params.id)?.callId ?? params.id;
      ownCall(principal!, control.call(target).channels);
      return control.hangupCall(target);
    },
  );
  defineRoute(
    app,
    {
      method: 'DELETE',
      url: '/api/v1/channels/:id',
      access: 'agent',
      tag: 'control',
      summary: 'Hang up one channel',
      params: id,
    },
    async ({ params, principal }) => {
      ownCall(principal!, [control.channel(params.id)]);
      return control.hangupChannel(params.id);
    },
  );
  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/channels/:id/redirect',
      access: 'operator',
      tag: 'control',
      summary: 'Send a channel to another place in the dialplan',
      params: id,
      body: z
        .object({
          context: safeText(80).optional(),
          exten: safeText(64).pipe(z.string().min(1)),
          priority: z.number().int().min(1).max(1000).optional(),
        })
        .strict(),
    },
    ({ params, body }) => control.redirect(params.id, body),
  );
  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/channels/:id/transfer',
      access: 'agent',
      tag: 'control',
      summary: 'Transfer the call of a channel to a number (blind, or attended with `attended: true`)',
      params: id,
      body: z
        .object({
          to: safeText(64).pipe(z.string().min(1)),
          attended: z.boolean().default(false),
          context: safeText(80).optional(),
        })
        .strict(),
    },
    ({ params, body, principal }) => {
      ownCall(principal!, [control.channel(params.id)]);
      return control.transfer(params.id, body);
    },
  );

  const queueParams = z.object({ queue: safeText(80).pipe(z.string().min(1)) });
  const memberParams = queueParams.extend({ interface: safeText(120).pipe(z.string().min(1)) });
  const pbxQuery = z.object({ pbx: z.string().max(32).optional() });
  /** Agents may manage only their own membership (`<Tech>/<their extension>`); supervisors anyone's. */
  const ownInterface = (p: Principal, iface: string) => {
    if (atLeast(p.role, 'supervisor')) return;
    const ext = /^[A-Za-z0-9]+\/([^-@;/]+)/.exec(iface)?.[1];
    if (p.role === 'agent' && ext !== undefined && p.extensions.includes(ext)) return;
    throw forbidden('only supervisors manage other members; agents only themselves');
  };
  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/queues/:queue/members',
      access: 'agent',
      tag: 'control',
      status: 201,
      summary: 'Add a member to a queue (agents: themselves; supervisors: anyone)',
      params: queueParams,
      query: pbxQuery,
      body: z
        .object({
          interface: safeText(120).pipe(z.string().min(1)),
          penalty: z.number().int().min(0).max(1000).optional(),
          paused: z.boolean().optional(),
          memberName: safeText(80).optional(),
        })
        .strict(),
    },
    async ({ params, query, body, principal }) => {
      ownInterface(principal!, body.interface);
      const link = ctx.pbx.pick(query.pbx);
      return (
        (await control.queueAdd(link.config.id, params.queue, body)) ?? {
          queue: params.queue,
          interface: body.interface,
          pending: true,
        }
      );
    },
  );
  defineRoute(
    app,
    {
      method: 'DELETE',
      url: '/api/v1/queues/:queue/members/:interface',
      access: 'agent',
      tag: 'control',
      summary: 'Remove a member from a queue (interface URL-encoded)',
      params: memberParams,
      query: pbxQuery,
    },
    ({ params, query, principal }) => {
      ownInterface(principal!, params.interface);
      return control.queueRemove(ctx.pbx.pick(query.pbx).config.id, params.queue, params.interface);
    },
  );
  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/queues/:queue/members/:interface/pause',
      access: 'agent',
      tag: 'control',
      summary: 'Pause or unpause a member, with a reason (agents: themselves)',
      params: memberParams,
      query: pbxQuery,
      body: z.object({ paused: z.boolean(), reason: safeText(80).optional() }).strict(),
    },
    ({ params, query, body, principal }) => {
      ownInterface(principal!, params.interface);
      return control.queuePause(ctx.pbx.pick(query.pbx).config.id, params.queue, params.interface, body);
    },
  );
};
