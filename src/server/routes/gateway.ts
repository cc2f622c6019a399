/** AMI gateway logins over the API (admins only): `GET/POST /api/v1/gateway/users`, `PATCH/DELETE …/:name`. */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  FEEDS_ERROR_STATUS,
  GATEWAY_ERROR_STATUS,
  type GatewayRoom,
  type GatewayUserView,
} from '../../feeds/index.js';
import type { RoutePlugin } from '../context.js';
import { HttpError, registerErrorCodes } from '../errors.js';
import { defineRoute, safeText } from '../route.js';

const name = z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'letters, digits and . _ @ - only (at most 64)');
const classes = z
  .array(z.string().regex(/^[A-Za-z_]{1,32}$/, 'an AMI class name (call, system, all…)'))
  .max(32);
const secret = safeText(256).pipe(z.string().min(8, 'at least 8 characters'));
const filter = z
  .object({
    events: z.array(z.string()).max(200).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    regex: z.string().max(2000).optional(),
    mine: z.boolean().optional(),
  })
  .strict();
const rights = {
  actions: z
    .array(z.string().regex(/^[A-Za-z0-9_]{1,64}$/))
    .max(500)
    .nullable()
    .optional(),
  commands: z
    .array(safeText(200).pipe(z.string().min(1)))
    .max(100)
    .nullable()
    .optional(),
  filter: filter.nullable().optional(),
  extensions: z
    .array(z.string().regex(/^[A-Za-z0-9_*#+-]{1,32}$/))
    .max(100)
    .nullable()
    .optional(),
  pbx: z.string().min(1).max(64).nullable().optional(),
};
const view = z.object({
  name: z.string(),
  source: z.enum(['config', 'api']),
  read: z.array(z.string()),
  write: z.array(z.string()),
  actions: z.array(z.string()).nullable(),
  commands: z.array(z.string()).nullable(),
  filter: z.record(z.string(), z.unknown()).nullable(),
  extensions: z.array(z.string()).nullable(),
  pbx: z.string().nullable(),
});
const withSecret = view.extend({ secret: z.string().optional() });

/** The gateway routes. */
export const gatewayRoutes: RoutePlugin = (app, ctx) => {
  registerErrorCodes({ ...FEEDS_ERROR_STATUS, ...GATEWAY_ERROR_STATUS });
  const room = () => {
    const r = ctx.rooms.get('gateway') as GatewayRoom | undefined;
    if (!r) throw new HttpError(503, 'GATEWAY_NOT_RUNNING', 'the gateway service is not running');
    return r;
  };
  const audit = (req: FastifyRequest, u: GatewayUserView) => {
    // Secret-free: the rights only.
    (req as FastifyRequest & { auditDetail?: string }).auditDetail =
      `gateway user ${u.name}: read=${u.read.join(',')} write=${u.write.join(',')}`.slice(0, 500);
  };
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/gateway/users',
      access: 'admin',
      tag: 'gateway',
      summary: 'AMI gateway logins, from the config file and the API (never a secret)',
      response: z.array(view),
    },
    async () => room().users.list(),
  );
  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/gateway/users',
      access: 'admin',
      tag: 'gateway',
      status: 201,
      summary: 'Create a gateway login; the secret (generated when not given) is shown only in this answer',
      body: z
        .object({
          name,
          secret: secret.optional(),
          read: classes.default([]),
          write: classes.default([]),
          ...rights,
        })
        .strict(),
      response: withSecret,
    },
    async ({ body, request }) => {
      const { user, secret: s } = await room().users.create(body);
      audit(request, user);
      return { ...user, secret: s };
    },
  );
  defineRoute(
    app,
    {
      method: 'PATCH',
      url: '/api/v1/gateway/users/:name',
      access: 'admin',
      tag: 'gateway',
      summary: 'Change a login made over the API (`rotateSecret: true` makes a new secret, shown once)',
      params: z.object({ name }),
      body: z
        .object({
          secret: secret.optional(),
          rotateSecret: z.boolean().optional(),
          read: classes.optional(),
          write: classes.optional(),
          ...rights,
        })
        .strict(),
      response: withSecret,
    },
    async ({ params, body, request }) => {
      const { user, secret: s } = await room().users.update(params.name, body);
      audit(request, user);
      return s === undefined ? user : { ...user, secret: s };
    },
  );
  defineRoute(
    app,
    {
      method: 'DELETE',
      url: '/api/v1/gateway/users/:name',
      access: 'admin',
      tag: 'gateway',
      status: 204,
      summary: 'Delete a login made over the API (open sessions stay until they log off)',
      params: z.object({ name }),
    },
    async ({ params }) => {
      await room().users.remove(params.name);
      return undefined;
    },
  );
};
