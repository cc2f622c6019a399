/**
 * Serves the built web UI (`dist/web`, made by `vite build web`) at `/`: hashed assets under `/assets/` cached
 * for a year, `index.html` never cached, every other GET that accepts HTML falls back to `index.html` (client
 * routes such as `/calls`), and a strict Content-Security-Policy on everything served. Registered last, so the
 * API, `/metrics` and `/provisioning` keep their own routes and their JSON 404s.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RoutePlugin } from './context.js';

/** The Content-Security-Policy of the UI: nothing inline, nothing from elsewhere. */
export const WEB_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'self'; base-uri 'none'; form-action 'self'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** Paths that belong to the server, never to the UI (their unknown URLs stay JSON 404s). */
const SERVER_PREFIXES = ['/api/', '/api', '/metrics', '/provisioning'];

/**
 * Where the built UI is: `dist/web` of the package this file belongs to (found by walking up to its
 * `package.json`, so it works from `dist/src/server` and from the sources under tsx). `SWITCHBOARD_WEB_DIR`
 * overrides it.
 */
export function webRoot(): string {
  if (process.env.SWITCHBOARD_WEB_DIR) return resolve(process.env.SWITCHBOARD_WEB_DIR);
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', 'web');
}

function security(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', WEB_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .header('x-frame-options', 'SAMEORIGIN');
}

function isServerPath(path: string): boolean {
  return SERVER_PREFIXES.some((p) => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`));
}

function notFound(reply: FastifyReply, req: FastifyRequest, path: string) {
  return reply.code(404).send({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${path}` } });
}

/** The web UI plugin. */
export const webRoutes: RoutePlugin = (app) => {
  const root = webRoot();
  const serve = async (req: FastifyRequest, reply: FastifyReply) => {
    const path = (req.url.split('?')[0] ?? '/').replace(/\/{2,}/g, '/');
    if (isServerPath(path)) return notFound(reply, req, path);
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return notFound(reply, req, path);
    }
    const file = resolve(root, `.${decoded}`);
    const inside = file === root || file.startsWith(root + sep);
    if (inside && file !== root && !decoded.endsWith('/')) {
      const info = await stat(file).catch(() => undefined);
      if (info?.isFile()) {
        const ext = extname(file).toLowerCase();
        const hashed = decoded.startsWith('/assets/');
        security(reply)
          .header('content-type', TYPES[ext] ?? 'application/octet-stream')
          .header(
            'cache-control',
            hashed
              ? 'public, max-age=31536000, immutable'
              : ext === '.html'
                ? 'no-cache'
                : 'public, max-age=300',
          );
        return reply.send(await readFile(file));
      }
    }
    // A client-side route (`/calls`): the app's shell. Files that do not exist stay 404.
    const accept = String(req.headers.accept ?? '');
    if (decoded.startsWith('/assets/') || (decoded !== '/' && !accept.includes('text/html')))
      return notFound(reply, req, path);
    const index = await readFile(join(root, 'index.html')).catch(() => undefined);
    security(reply).header('cache-control', 'no-cache');
    if (!index) {
      return reply
        .code(503)
        .header('content-type', 'text/plain; charset=utf-8')
        .send('The web UI is not built. Run `npm run build` (or `npx vite build web`) and reload.\n');
    }
    return reply.header('content-type', TYPES['.html']!).send(index);
  };
  app.get('/', serve);
  app.get('/*', serve);
};
