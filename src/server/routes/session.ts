/** `POST/GET/DELETE /api/v1/session`: sign in (cookie + CSRF token), who am I, sign out. */
import { z } from 'zod';
import { SESSION_COOKIE } from '../auth.js';
import type { RoutePlugin } from '../context.js';
import { defineRoute } from '../route.js';

const me = z.object({
  name: z.string(),
  role: z.string(),
  extensions: z.array(z.string()),
  language: z.string().nullable(),
  csrfToken: z.string().optional(),
  via: z.enum(['session', 'token']),
  scope: z.string(),
});

/** Session routes. */
export const sessionRoutes: RoutePlugin = (app, ctx) => {
  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/session',
      access: 'public',
      noCsrf: true,
      tag: 'auth',
      summary:
        'Sign in: sets an HTTP-only SameSite=Strict session cookie and returns the CSRF token for writes',
      body: z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) }),
      response: me,
    },
    async ({ body, request, reply }) => {
      (request as typeof request & { auditActor?: string }).auditActor = body.username.slice(0, 100);
      const s = await ctx.auth.login(body.username, body.password, request.ip, request.headers['user-agent']);
      reply.setCookie(SESSION_COOKIE, s.cookie, {
        httpOnly: true,
        sameSite: 'strict',
        secure: request.protocol === 'https',
        path: '/',
        expires: s.expiresAt,
      });
      const p = s.principal;
      return {
        name: p.name,
        role: p.role,
        extensions: p.extensions,
        language: p.language,
        csrfToken: s.csrfToken,
        via: p.via,
        scope: p.scope,
      };
    },
  );
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/session',
      access: 'viewer',
      scopes: ['click-to-dial'],
      tag: 'auth',
      summary: 'Who is signed in (and the CSRF token of a cookie session)',
      response: me,
    },
    ({ principal }) => {
      const p = principal!;
      return {
        name: p.name,
        role: p.role,
        extensions: p.extensions,
        language: p.language,
        ...(p.csrfToken ? { csrfToken: p.csrfToken } : {}),
        via: p.via,
        scope: p.scope,
      };
    },
  );
  defineRoute(
    app,
    {
      method: 'DELETE',
      url: '/api/v1/session',
      access: 'viewer',
      tag: 'auth',
      summary: 'Sign out (ends the session)',
      status: 204,
    },
    async ({ request, reply }) => {
      const value = request.cookies[SESSION_COOKIE];
      if (value) await ctx.auth.logout(value);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return undefined;
    },
  );
  defineRoute(
    app,
    {
      method: 'PATCH',
      url: '/api/v1/session',
      access: 'viewer',
      tag: 'auth',
      summary: 'Change your own preferences (UI language) or password',
      body: z
        .object({
          language: z
            .string()
            .regex(/^[a-z]{2}(-[A-Z]{2})?$/)
            .nullable()
            .optional(),
          password: z.string().min(1).max(200).optional(),
          currentPassword: z.string().max(200).optional(),
        })
        .strict(),
      response: me,
    },
    async ({ body, principal }) => {
      const p = principal!;
      if (body.password !== undefined) {
        const a = await ctx.auth.accounts.findByName(p.name);
        const { verifyPassword } = await import('../auth.js');
        if (
          !a ||
          body.currentPassword === undefined ||
          !(await verifyPassword(body.currentPassword, a.passwordHash))
        ) {
          const { HttpError } = await import('../errors.js');
          throw new HttpError(400, 'BAD_CREDENTIALS', 'the current password is wrong', 'currentPassword');
        }
        await ctx.auth.setPassword(p.name, body.password);
      }
      const a =
        body.language !== undefined
          ? await ctx.auth.accounts.update(p.name, { language: body.language })
          : undefined;
      return {
        name: p.name,
        role: p.role,
        extensions: p.extensions,
        language: a ? a.language : p.language,
        via: p.via,
        scope: p.scope,
      };
    },
  );
};
