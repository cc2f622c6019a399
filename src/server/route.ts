/**
 * `defineRoute`: the only way routes are added. One declaration gives the edge checks (zod schemas for params,
 * query and body), the role (checked in one place, `authorize`), and the OpenAPI document.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ZodType, z } from 'zod';
import { badRequest, forbidden, HttpError } from './errors.js';
import { atLeast, type Principal, type Role, type Scope } from './roles.js';

/** HTTP methods the API uses. */
export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Who may call a route: `public` (no credentials), or the weakest role that may. */
export type Access = Role | 'public';

/** A route's declaration. */
export interface RouteSpec<P, Q, B> {
  method: Method;
  /** Fastify path, e.g. `/api/v1/calls/:id`. */
  url: string;
  /** The weakest role allowed (`public`: no credentials). */
  access: Access;
  /** Token scopes besides `all` that may call it (e.g. `click-to-dial`). */
  scopes?: readonly Scope[];
  /** One line for the OpenAPI document. */
  summary: string;
  /** OpenAPI tag (the area). */
  tag: string;
  params?: ZodType<P>;
  query?: ZodType<Q>;
  body?: ZodType<B>;
  /** The success status (default 200; 201/202/204 where they fit). */
  status?: number;
  /** Response body schema, for the document. */
  response?: ZodType;
  /** Other media types the route can answer (e.g. `text/csv`). */
  produces?: readonly string[];
  /** Skip the CSRF check (only for the sign-in route itself). */
  noCsrf?: boolean;
}

/** What a handler receives: parsed input and the caller. */
export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Undefined only on public routes. */
  principal: Principal | undefined;
  request: FastifyRequest;
  reply: FastifyReply;
}

/** A handler: returns the body to send (or `undefined` after writing the reply itself). */
export type RouteHandler<P, Q, B> = (input: RouteInput<P, Q, B>) => unknown | Promise<unknown>;

/** What the OpenAPI builder keeps of each route. */
export interface RouteDoc {
  method: Method;
  url: string;
  access: Access;
  scopes: readonly Scope[];
  summary: string;
  tag: string;
  params?: ZodType;
  query?: ZodType;
  body?: ZodType;
  response?: ZodType;
  status: number;
  produces: readonly string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook when credentials were valid. */
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** The route's access rule (every API route has one). */
    access?: Access;
    /** Extra token scopes. */
    scopes?: readonly Scope[];
    /** Skip the CSRF check. */
    noCsrf?: boolean;
  }
}

/** The routes declared so far, per app (for the OpenAPI document and for refusing duplicates). */
const docs = new WeakMap<FastifyInstance, RouteDoc[]>();

/** Every route declared on this app (the root instance). */
export function routeDocs(app: FastifyInstance): RouteDoc[] {
  let root = app;
  while ((root as unknown as { parent?: FastifyInstance }).parent)
    root = (root as unknown as { parent: FastifyInstance }).parent;
  let list = docs.get(root);
  if (!list) {
    list = [];
    docs.set(root, list);
  }
  return list;
}

/** Turns a zod failure into a 400 that names the field (`body.to`, `query.limit`). */
function parsePart<T>(schema: ZodType<T> | undefined, value: unknown, part: string): T {
  if (!schema) return value as T;
  const r = schema.safeParse(value ?? (part === 'body' ? undefined : {}));
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = [part, ...issue.path.map(String)].join('.');
  throw badRequest(`${field}: ${issue.message}`, field);
}

/**
 * Decides whether the principal may call a route; throws 401/403. The one place roles are checked (besides
 * per-object rules such as an agent's own extensions, which the rooms apply through `mayActOn`).
 */
export function authorize(principal: Principal | undefined, access: Access, scopes: readonly Scope[]): void {
  if (access === 'public') return;
  if (!principal) throw new HttpError(401, 'UNAUTHORIZED', 'sign in or send a bearer token');
  if (principal.scope !== 'all' && !scopes.includes(principal.scope)) {
    throw forbidden(`this token's scope (${principal.scope}) does not cover this route`);
  }
  if (!atLeast(principal.role, access)) throw forbidden(`this needs the ${access} role or higher`);
}

/** Declares a route with its schemas and access rule. */
export function defineRoute<P = Record<string, never>, Q = Record<string, never>, B = undefined>(
  app: FastifyInstance,
  spec: RouteSpec<P, Q, B>,
  handler: RouteHandler<P, Q, B>,
): void {
  const list = routeDocs(app);
  if (list.some((d) => d.method === spec.method && d.url === spec.url)) {
    throw new Error(`route ${spec.method} ${spec.url} declared twice`);
  }
  list.push({
    method: spec.method,
    url: spec.url,
    access: spec.access,
    scopes: spec.scopes ?? [],
    summary: spec.summary,
    tag: spec.tag,
    ...(spec.params ? { params: spec.params } : {}),
    ...(spec.query ? { query: spec.query } : {}),
    ...(spec.body ? { body: spec.body } : {}),
    ...(spec.response ? { response: spec.response } : {}),
    status: spec.status ?? 200,
    produces: spec.produces ?? [],
  });
  app.route({
    method: spec.method,
    url: spec.url,
    config: { access: spec.access, scopes: spec.scopes ?? [], noCsrf: spec.noCsrf ?? false },
    handler: async (request, reply) => {
      authorize(request.principal, spec.access, spec.scopes ?? []);
      const input: RouteInput<P, Q, B> = {
        params: parsePart(spec.params, request.params, 'params'),
        query: parsePart(spec.query, request.query, 'query'),
        body: parsePart(spec.body, request.body, 'body'),
        principal: request.principal,
        request,
        reply,
      };
      const result = await handler(input);
      if (reply.sent) return reply;
      reply.code(spec.status ?? 200);
      if (result === undefined) return reply.send();
      return result;
    },
  });
}

/** A string with no control characters (CR, LF, NUL, DEL…): what may travel to AMI or AGI. */
export const safeText = (max = 256) =>
  z
    .string()
    .max(max)
    .refine((s) => !/[\x00-\x1f\x7f]/.test(s), 'control characters (CR, LF…) are not allowed');
