/**
 * The router's directory over REST: extensions (callers) and the routes they hold without a PIN, users who unlock
 * routes with a PIN (hashed here, never shown again, nor its hash), and permissions as one list. Part of
 * `routingRoutes` (supervisors read, admins write).
 */
import { z } from 'zod';
import { exportRules, hashPin, isValidPin } from '../../router/index.js';
import type { RoutePlugin, ServerContext } from '../context.js';
import { HttpError, notFound } from '../errors.js';
import { defineRoute } from '../route.js';

const extNumber = z.object({ number: z.string().regex(/^[A-Za-z0-9_*#+.-]{1,40}$/) });
const userName = z.object({ name: z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/) });
const routeList = z.array(z.string().min(1).max(100)).max(200);

/** Grants and revokes so that `holder` holds exactly `routes`; unknown routes → 422 before any change. */
export async function holdExactly(
  ctx: ServerContext,
  holder: { extension: string } | { user: string },
  routes: readonly string[],
): Promise<void> {
  const known = new Set((await ctx.store.routes.list()).map((r) => r.name));
  for (const r of routes)
    if (!known.has(r))
      throw new HttpError(422, 'ROUTER_INVALID_RULES', `unknown route ${JSON.stringify(r)}`, 'body.routes');
  const held = (await ctx.store.permissions.list())
    .filter((p) => ('extension' in holder ? p.extension === holder.extension : p.user === holder.user))
    .map((p) => p.route);
  await ctx.store.transaction(async (tx) => {
    for (const r of held) if (!routes.includes(r)) await tx.permissions.revoke({ route: r, ...holder });
    for (const r of routes) if (!held.includes(r)) await tx.permissions.grant({ route: r, ...holder });
  });
}

/** Extension, user and permission routes. */
export const routerDirectoryRoutes: RoutePlugin = (app, ctx) => {
  const rules = () => exportRules(ctx.store);
  // Extensions (callers) and the routes they hold without a PIN.
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/router/extensions',
      access: 'supervisor',
      tag: 'routing',
      summary: 'Extensions and the routes they hold',
    },
    async () => (await rules()).extensions,
  );
  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/router/extensions',
      access: 'admin',
      tag: 'routing',
      status: 201,
      summary: 'Add an extension',
      body: z
        .object({
          number: extNumber.shape.number,
          name: z.string().max(100).default(''),
          routes: routeList.default([]),
        })
        .strict(),
    },
    async ({ body }) => {
      await ctx.store.extensions.create({ number: body.number, name: body.name });
      await holdExactly(ctx, { extension: body.number }, body.routes);
      return (await rules()).extensions.find((e) => e.number === body.number);
    },
  );
  defineRoute(
    app,
    {
      method: 'PATCH',
      url: '/api/v1/router/extensions/:number',
      access: 'admin',
      tag: 'routing',
      summary: "Change an extension's name or the routes it holds",
      params: extNumber,
      body: z.object({ name: z.string().max(100).optional(), routes: routeList.optional() }).strict(),
    },
    async ({ params, body }) => {
      const e = (await rules()).extensions.find((x) => x.number === params.number);
      if (!e) throw notFound(`extension ${params.number}`);
      if (body.name !== undefined) await ctx.store.extensions.update(params.number, { name: body.name });
      if (body.routes) await holdExactly(ctx, { extension: params.number }, body.routes);
      return (await rules()).extensions.find((x) => x.number === params.number);
    },
  );
  defineRoute(
    app,
    {
      method: 'DELETE',
      url: '/api/v1/router/extensions/:number',
      access: 'admin',
      tag: 'routing',
      status: 204,
      summary: 'Remove an extension',
      params: extNumber,
    },
    async ({ params }) => {
      if (!(await ctx.store.extensions.remove(params.number))) throw notFound(`extension ${params.number}`);
      return undefined;
    },
  );

  // Users who unlock routes with a PIN: the PIN is hashed here and never shown again (nor its hash).
  const usersView = async () => (await rules()).users.map((u) => ({ name: u.name, routes: u.routes }));
  const pin = z.string().refine(isValidPin, 'pin must be 4 to 12 digits');
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/router/users',
      access: 'supervisor',
      tag: 'routing',
      summary: 'Users with PINs and the routes they unlock (never a PIN or its hash)',
    },
    usersView,
  );
  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/router/users',
      access: 'admin',
      tag: 'routing',
      status: 201,
      summary: 'Add a user with a PIN',
      body: z.object({ name: userName.shape.name, pin, routes: routeList.default([]) }).strict(),
    },
    async ({ body, request }) => {
      (request as typeof request & { auditDetail?: string }).auditDetail =
        `user ${body.name} (PIN not recorded)`;
      await ctx.store.users.create({ name: body.name, pinHash: await hashPin(body.pin) });
      await holdExactly(ctx, { user: body.name }, body.routes);
      return (await usersView()).find((u) => u.name === body.name);
    },
  );
  defineRoute(
    app,
    {
      method: 'PATCH',
      url: '/api/v1/router/users/:name',
      access: 'admin',
      tag: 'routing',
      summary: "Set a user's PIN or the routes it unlocks",
      params: userName,
      body: z.object({ pin: pin.optional(), routes: routeList.optional() }).strict(),
    },
    async ({ params, body }) => {
      if (!(await usersView()).some((u) => u.name === params.name)) throw notFound(`user ${params.name}`);
      if (body.pin !== undefined) await ctx.store.users.setPinHash(params.name, await hashPin(body.pin));
      if (body.routes) await holdExactly(ctx, { user: params.name }, body.routes);
      return (await usersView()).find((u) => u.name === params.name);
    },
  );
  defineRoute(
    app,
    {
      method: 'DELETE',
      url: '/api/v1/router/users/:name',
      access: 'admin',
      tag: 'routing',
      status: 204,
      summary: 'Remove a user',
      params: userName,
    },
    async ({ params }) => {
      if (!(await ctx.store.users.remove(params.name))) throw notFound(`user ${params.name}`);
      return undefined;
    },
  );

  // Permissions as one list (the same facts as the extensions' and users' `routes`).
  const permission = z
    .object({
      route: z.string().min(1).max(100),
      extension: z.string().max(40).optional(),
      user: z.string().max(64).optional(),
    })
    .strict()
    .refine(
      (p) => (p.extension === undefined) !== (p.user === undefined),
      'give exactly one of extension or user',
    );
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/router/permissions',
      access: 'supervisor',
      tag: 'routing',
      summary: 'Who holds which route',
    },
    () => ctx.store.permissions.list(),
  );
  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/router/permissions',
      access: 'admin',
      tag: 'routing',
      status: 201,
      summary: 'Grant a route to an extension or a user',
      body: permission,
    },
    async ({ body }) => {
      await ctx.store.permissions.grant(body as { route: string; extension?: string; user?: string });
      return body;
    },
  );
  defineRoute(
    app,
    {
      method: 'DELETE',
      url: '/api/v1/router/permissions',
      access: 'admin',
      tag: 'routing',
      status: 204,
      summary: 'Revoke a route from an extension or a user',
      query: permission,
    },
    async ({ query }) => {
      if (
        !(await ctx.store.permissions.revoke(query as { route: string; extension?: string; user?: string }))
      )
        throw notFound('permission');
      return undefined;
    },
  );
};
