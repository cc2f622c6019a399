/**
 * The call router's rules over REST: routes (targets = failover order, time windows), extensions and the routes
 * they hold, users with PINs (a PIN is accepted and hashed, never returned — nor its hash), permissions, and the
 * CLI's `explain` and `check` as JSON. Supervisors and admins read; admins write. Every edit changes the rules
 * version, so the router uses it from the next call. Validation is the CLI's (`routeProblems`), same words.
 */
import { z } from 'zod';
import {
  checkRules,
  explain,
  exportRules,
  hashPin,
  isValidPin,
  loadRuleSet,
  type RulesFile,
  routeProblems,
  rulesFileSchema,
} from '../../router/index.js';
import type { RouteInput } from '../../store/index.js';
import type { RoutePlugin, ServerContext } from '../context.js';
import { HttpError, notFound } from '../errors.js';
import { defineRoute } from '../route.js';

type RouteFile = RulesFile['routes'][number];

const routeBody = rulesFileSchema.shape.routes.unwrap().element;
const RESERVED = new Set(['explain', 'check']);
const sh = routeBody.shape;
/** A PATCH body: the route's fields without their defaults (a missing field stays as it is). */
const routePatch = z
  .object({
    pattern: sh.pattern.optional(),
    callerId: sh.callerId,
    app: sh.app.optional(),
    data: z.record(z.string(), z.unknown()).optional(),
    order: z.number().int().optional(),
    enabled: z.boolean().optional(),
    rewrite: z
      .object({ strip: z.number().int().min(0).default(0), prepend: z.string().default('') })
      .strict()
      .optional(),
    failoverOn: z.array(z.string()).optional(),
    targets: sh.targets.unwrap().optional(),
    windows: sh.windows.unwrap().optional(),
  })
  .strict();
const routeName = z.object({ name: z.string().min(1).max(100) });
const extNumber = z.object({ number: z.string().regex(/^[A-Za-z0-9_*#+.-]{1,40}$/) });
const userName = z.object({ name: z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/) });
const routeList = z.array(z.string().min(1).max(100)).max(200);

function toInput(r: RouteFile): RouteInput {
  return {
    name: r.name,
    pattern: r.pattern,
    callerId: r.callerId ?? null,
    app: r.app,
    appData: r.data,
    position: r.order,
    enabled: r.enabled,
    rewriteStrip: r.rewrite.strip,
    rewritePrepend: r.rewrite.prepend,
    failoverOn: r.failoverOn,
    targets: r.targets,
    windows: r.windows,
  };
}

/** The CLI's checks of one route; 422 with its words. */
function validate(r: RouteFile): void {
  const problems = routeProblems(r);
  if (problems.length)
    throw new HttpError(
      422,
      'ROUTER_INVALID_RULES',
      `route ${JSON.stringify(r.name)}: ${problems.join('; ')}`,
    );
}

async function rules(ctx: ServerContext): Promise<RulesFile> {
  return exportRules(ctx.store);
}

async function oneRoute(ctx: ServerContext, name: string): Promise<RouteFile> {
  const r = (await rules(ctx)).routes.find((x) => x.name === name);
  if (!r) throw notFound(`route ${JSON.stringify(name)}`);
  return r;
}

/** Grants and revokes so that `holder` holds exactly `routes`; unknown routes → 422 before any change. */
async function holdExactly(
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

/** Routing routes. */
export const routingRoutes: RoutePlugin = (app, ctx) => {
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/routes',
      access: 'supervisor',
      tag: 'routing',
      summary: 'Every route, in the rules-file shape',
    },
    async () => (await rules(ctx)).routes,
  );
  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/routes',
      access: 'admin',
      tag: 'routing',
      status: 201,
      summary: 'Add a route (checked like `router import`)',
      body: routeBody,
    },
    async ({ body }) => {
      if (RESERVED.has(body.name))
        throw new HttpError(400, 'BAD_REQUEST', `route name ${body.name} is reserved`, 'body.name');
      validate(body);
      await ctx.store.routes.create(toInput(body));
      return oneRoute(ctx, body.name);
    },
  );
  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/routes/explain',
      access: 'supervisor',
      tag: 'routing',
      summary: 'Dry run of one call: which route wins and why (`router explain --json`)',
      body: z
        .object({
          dialed: z.string().min(1).max(80),
          caller: z.string().max(80).default(''),
          at: z.string().datetime({ offset: true }).optional(),
        })
        .strict(),
    },
    async ({ body }) =>
      explain(
        await loadRuleSet(ctx.store),
        body.dialed,
        body.caller,
        body.at ? new Date(body.at) : new Date(),
      ),
  );
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/routes/check',
      access: 'supervisor',
      tag: 'routing',
      summary: 'Static checks of the rule set (`router check --json`)',
    },
    async () => {
      const findings = checkRules(await loadRuleSet(ctx.store));
      return { ok: !findings.some((f) => f.level === 'error'), findings };
    },
  );
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/routes/:name',
      access: 'supervisor',
      tag: 'routing',
      summary: 'One route',
      params: routeName,
    },
    ({ params }) => oneRoute(ctx, params.name),
  );
  defineRoute(
    app,
    {
      method: 'PATCH',
      url: '/api/v1/routes/:name',
      access: 'admin',
      tag: 'routing',
      summary: 'Change a route (targets and windows, when given, replace the old lists)',
      params: routeName,
      body: routePatch,
    },
    async ({ params, body }) => {
      const old = await oneRoute(ctx, params.name);
      const merged: RouteFile = { ...old, ...body, name: params.name } as RouteFile;
      validate(merged);
      const input = toInput(merged);
      const patch: Partial<RouteInput> = {};
      for (const [k, v] of Object.entries({
        pattern: body.pattern,
        callerId: body.callerId === undefined ? undefined : input.callerId,
        app: body.app,
        appData: body.data,
        position: body.order,
        enabled: body.enabled,
        rewriteStrip: body.rewrite ? input.rewriteStrip : undefined,
        rewritePrepend: body.rewrite ? input.rewritePrepend : undefined,
        failoverOn: body.failoverOn,
        targets: body.targets,
        windows: body.windows,
      }))
        if (v !== undefined) (patch as Record<string, unknown>)[k] = v;
      await ctx.store.routes.update(params.name, patch);
      return oneRoute(ctx, params.name);
    },
  );
  defineRoute(
    app,
    {
      method: 'DELETE',
      url: '/api/v1/routes/:name',
      access: 'admin',
      tag: 'routing',
      status: 204,
      summary: 'Remove a route',
      params: routeName,
    },
    async ({ params }) => {
      if (!(await ctx.store.routes.remove(params.name)))
        throw notFound(`route ${JSON.stringify(params.name)}`);
      return undefined;
    },
  );

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
    async () => (await rules(ctx)).extensions,
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
      return (await rules(ctx)).extensions.find((e) => e.number === body.number);
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
      const e = (await rules(ctx)).extensions.find((x) => x.number === params.number);
      if (!e) throw notFound(`extension ${params.number}`);
      if (body.name !== undefined) await ctx.store.extensions.update(params.number, { name: body.name });
      if (body.routes) await holdExactly(ctx, { extension: params.number }, body.routes);
      return (await rules(ctx)).extensions.find((x) => x.number === params.number);
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
  const usersView = async () => (await rules(ctx)).users.map((u) => ({ name: u.name, routes: u.routes }));
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
