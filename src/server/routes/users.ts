/** Users (accounts) and API tokens, for admins; `/api/v1/audit`. */
import { z } from 'zod';
import type { RoutePlugin } from '../context.js';
import { forbidden, HttpError } from '../errors.js';
import { ROLES, SCOPES } from '../roles.js';
import { defineRoute, safeText } from '../route.js';

const name = z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'letters, digits and . _ @ - only (at most 64)');
const extension = z
  .string()
  .regex(/^[A-Za-z0-9_*#+.-]{1,40}$/, 'an extension: letters, digits and * # + . _ -');
const user = z.object({
  id: z.number(),
  name: z.string(),
  role: z.enum(ROLES),
  extensions: z.array(z.string()),
  language: z.string().nullable(),
  createdAt: z.string(),
});
const token = z.object({
  id: z.number(),
  name: z.string(),
  account: z.string(),
  prefix: z.string(),
  scope: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

/** User, token and audit routes. */
export const userRoutes: RoutePlugin = (app, ctx) => {
  const toUser = (a: {
    id: number;
    name: string;
    role: string;
    extensions: string[];
    language: string | null;
    createdAt: string;
  }) => ({
    id: a.id,
    name: a.name,
    role: a.role,
    extensions: a.extensions,
    language: a.language,
    createdAt: a.createdAt,
  });
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/users',
      access: 'admin',
      tag: 'users',
      summary: 'Every user (never a password)',
      response: z.array(user),
    },
    async () => (await ctx.auth.accounts.list()).map(toUser),
  );
  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/users',
      access: 'admin',
      tag: 'users',
      status: 201,
      summary: 'Create a user',
      body: z
        .object({
          name,
          role: z.enum(ROLES),
          password: z.string().min(8, 'at least 8 characters').max(200),
          extensions: z.array(extension).max(50).default([]),
          language: z
            .string()
            .regex(/^[a-z]{2}$/)
            .nullable()
            .optional(),
        })
        .strict(),
      response: user,
    },
    async ({ body }) => toUser(await ctx.auth.createAccount(body)),
  );
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/users/:name',
      access: 'admin',
      tag: 'users',
      summary: 'One user',
      params: z.object({ name }),
      response: user,
    },
    async ({ params }) => {
      const a = await ctx.auth.accounts.findByName(params.name);
      if (!a) throw new HttpError(404, 'NOT_FOUND', `user ${params.name} not found`);
      return toUser(a);
    },
  );
  defineRoute(
    app,
    {
      method: 'PATCH',
      url: '/api/v1/users/:name',
      access: 'admin',
      tag: 'users',
      summary: "Change a user's role, extensions, language or password",
      params: z.object({ name }),
      body: z
        .object({
          role: z.enum(ROLES).optional(),
          extensions: z.array(extension).max(50).optional(),
          language: z
            .string()
            .regex(/^[a-z]{2}$/)
            .nullable()
            .optional(),
          password: z.string().min(8, 'at least 8 characters').max(200).optional(),
        })
        .strict(),
      response: user,
    },
    async ({ params, body, principal }) => {
      if (params.name === principal!.name && body.role !== undefined && body.role !== 'admin') {
        throw forbidden('you cannot lower your own role (ask another admin)');
      }
      if (body.password !== undefined) await ctx.auth.setPassword(params.name, body.password);
      const { password: _p, ...rest } = body;
      // A password-only change has nothing else to update (an empty SET is not SQL).
      if (Object.keys(rest).length === 0) {
        const a = await ctx.auth.accounts.findByName(params.name);
        if (!a) throw new HttpError(404, 'NOT_FOUND', `user ${params.name} not found`);
        return toUser(a);
      }
      return toUser(await ctx.auth.accounts.update(params.name, rest));
    },
  );
  defineRoute(
    app,
    {
      method: 'DELETE',
      url: '/api/v1/users/:name',
      access: 'admin',
      tag: 'users',
      summary: 'Remove a user (its sessions and tokens end)',
      params: z.object({ name }),
      status: 204,
    },
    async ({ params, principal }) => {
      if (params.name === principal!.name) throw forbidden('you cannot remove yourself');
      await ctx.auth.accounts.remove(params.name);
      return undefined;
    },
  );

  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/tokens',
      access: 'viewer',
      tag: 'users',
      summary: "API tokens (admins: everyone's; others: their own); never the token itself",
      response: z.array(token),
    },
    async ({ principal }) => ctx.auth.tokens.list(principal!.role === 'admin' ? undefined : principal!.name),
  );
  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/tokens',
      access: 'viewer',
      tag: 'users',
      status: 201,
      summary: 'Create a token (shown once). Admins may create one for any user; others only for themselves',
      body: z
        .object({
          name: safeText(100).pipe(z.string().min(1)),
          user: name.optional(),
          scope: z.enum(SCOPES).default('all'),
          expiresDays: z.number().int().min(1).max(3650).optional(),
        })
        .strict(),
      response: token.extend({ token: z.string() }),
    },
    async ({ body, principal }) => {
      const owner = body.user ?? principal!.name;
      if (owner !== principal!.name && principal!.role !== 'admin')
        throw forbidden('only admins create tokens for others');
      if (principal!.via === 'token' && principal!.scope !== 'all')
        throw forbidden('a scoped token cannot create tokens');
      const { token: text, record } = await ctx.auth.createToken({
        name: body.name,
        account: owner,
        scope: body.scope,
        ...(body.expiresDays ? { expiresDays: body.expiresDays } : {}),
      });
      return { ...record, token: text };
    },
  );
  defineRoute(
    app,
    {
      method: 'DELETE',
      url: '/api/v1/tokens/:id',
      access: 'viewer',
      tag: 'users',
      summary: 'Revoke a token',
      params: z.object({ id: z.coerce.number().int() }),
      status: 204,
    },
    async ({ params, principal }) => {
      const t = await ctx.auth.tokens.get(params.id);
      if (!t || (t.account !== principal!.name && principal!.role !== 'admin')) {
        throw new HttpError(404, 'NOT_FOUND', `token ${params.id} not found`);
      }
      await ctx.auth.tokens.revoke(params.id);
      return undefined;
    },
  );

  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/audit',
      access: 'admin',
      tag: 'users',
      summary: 'The audit log, newest first (`before` = the last id of the previous page)',
      query: z.object({
        limit: z.coerce.number().int().min(1).max(500).default(100),
        before: z.coerce.number().int().optional(),
        actor: z.string().max(100).optional(),
      }),
    },
    async ({ query }) => {
      await ctx.audit.flush();
      const items = await ctx.audit.list(query);
      return { items, next: items.length === query.limit ? items.at(-1)?.id : undefined };
    },
  );
};
