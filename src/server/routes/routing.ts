/**
 * The call router's rules over REST: routes (targets = failover order, time windows), extensions and the routes
 * they hold, users with PINs (a PIN is accepted and hashed, never returned — nor its hash), permissions, and the
 * CLI's `explain` and `check` as JSON (extensions, users and permissions are in routing-directory.ts). Supervisors
 * and admins read; admins write. Every edit changes the rules version, so the router uses it from the next call.
 * Validation is the CLI's (`routeProblems`), same words.
 */
import { z } from 'zod';
import {
  checkRules,
  comparePatterns,
  compilePattern,
  explain,
  exportRules,
  isValidPattern,
  loadRuleSet,
  type RulesFile,
  routeProblems,
  rulesFileSchema,
} from '../../router/index.js';
import type { RouteInput } from '../../store/index.js';
import type { RoutePlugin, ServerContext } from '../context.js';
import { HttpError, notFound } from '../errors.js';
import { defineRoute } from '../route.js';
import { routerDirectoryRoutes } from './routing-directory.js';

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

/**
 * Routes as the router tries them: pattern precedence (`ext_cmp`), then a caller-ID-specific route, then `order`;
 * a route whose pattern does not compile goes last (it can never win).
 */
export function byPrecedence(routes: readonly RouteFile[]): RouteFile[] {
  const compiled = new Map(
    routes.map((r) => [r, isValidPattern(r.pattern) ? compilePattern(r.pattern) : undefined] as const),
  );
  return [...routes].sort((a, b) => {
    const pa = compiled.get(a);
    const pb = compiled.get(b);
    if (!pa || !pb) return pa ? -1 : pb ? 1 : a.order - b.order;
    return comparePatterns(pa, pb) || (a.callerId ? 0 : 1) - (b.callerId ? 0 : 1) || a.order - b.order;
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
      summary:
        'Every route, in the rules-file shape (`?sort=precedence`: in the order Asterisk would try them)',
      query: z.object({ sort: z.enum(['order', 'precedence']).default('order') }).strict(),
    },
    async ({ query }) => {
      const routes = (await rules(ctx)).routes;
      return query.sort === 'precedence' ? byPrecedence(routes) : routes;
    },
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

  routerDirectoryRoutes(app, ctx);
};
