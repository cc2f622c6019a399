/** `AgiRouter`: HTTP-router style dispatch of AGI calls by script path, with middleware and not-found. */
import type { Logger } from 'pino';
import type { AgiChannel } from './channel.js';
import type { AgiRequest } from './request.js';

/** What a handler gets besides the channel. */
export interface AgiContext {
  /** The parsed environment. */
  readonly request: AgiRequest;
  /** Path matched by the router (`/ivr`). */
  readonly path: string;
  /** Parameters captured by the route pattern (`/callers/:id` → `{ id }`). */
  params: Record<string, string>;
  /** The parsed `?query` of the request. */
  readonly query: Readonly<Record<string, string>>;
  /** The dialplan arguments (`agi_arg_N`). */
  readonly args: readonly string[];
  /** The pattern of the matched route, `undefined` when none matched. */
  route: string | undefined;
  /** Logger bound to this call (uniqueid, channel). */
  readonly logger: Logger;
  /** Free space for middleware (timing, user data). */
  readonly state: Record<string, unknown>;
}

/** A call handler: resolves when it is done with the call. */
export type AgiHandler = (channel: AgiChannel, ctx: AgiContext) => Promise<void> | void;

/** A middleware: does its part and calls `next()` to run the rest of the chain and the handler. */
export type AgiMiddleware = (
  channel: AgiChannel,
  ctx: AgiContext,
  next: () => Promise<void>,
) => Promise<void> | void;

interface Route {
  readonly pattern: string;
  readonly regex: RegExp;
  readonly keys: readonly string[];
  readonly handler: AgiHandler;
}

function normalise(path: string): string {
  let p = path.startsWith('/') ? path : `/${path}`;
  while (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  return p;
}

function compile(pattern: string): { regex: RegExp; keys: string[] } {
  const keys: string[] = [];
  const parts = normalise(pattern)
    .split('/')
    .slice(1)
    .map((seg) => {
      if (seg === '*') {
        keys.push('*');
        return '(.*)';
      }
      if (seg.startsWith(':')) {
        keys.push(seg.slice(1));
        return '([^/]+)';
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    });
  return { regex: new RegExp(`^/${parts.join('/')}$`), keys };
}

function decodeParam(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Routes calls by `agi_network_script` path: `route('/callers/:id', handler)`, `use(mw)`, `notFound(h)`. */
export class AgiRouter {
  private readonly routes: Route[] = [];
  private readonly middleware: AgiMiddleware[] = [];
  private fallback: AgiHandler | undefined;

  /** Adds a route; `:name` captures one path segment, `*` the rest. First added, first matched. */
  route(pattern: string, handler: AgiHandler): this {
    const { regex, keys } = compile(pattern);
    this.routes.push({ pattern: normalise(pattern), regex, keys, handler });
    return this;
  }

  /** Adds a middleware that wraps every call (matched or not), in the order added. */
  use(middleware: AgiMiddleware): this {
    this.middleware.push(middleware);
    return this;
  }

  /** Sets the handler of calls that match no route (default: error `AGI_NOT_FOUND`). */
  notFound(handler: AgiHandler): this {
    this.fallback = handler;
    return this;
  }

  /** Finds the route of `path`: its pattern, handler and captured parameters. */
  match(path: string): { pattern: string; handler: AgiHandler; params: Record<string, string> } | undefined {
    const p = normalise(path);
    for (const r of this.routes) {
      const m = r.regex.exec(p);
      if (!m) continue;
      const params: Record<string, string> = {};
      r.keys.forEach((k, i) => {
        params[k] = decodeParam(m[i + 1] ?? '');
      });
      return { pattern: r.pattern, handler: r.handler, params };
    }
    return undefined;
  }

  /** Runs the middleware chain and the matched handler (or the not-found handler) for one call. */
  handle(channel: AgiChannel, ctx: AgiContext): Promise<void> {
    const found = this.match(ctx.path);
    if (found) {
      ctx.route = found.pattern;
      ctx.params = found.params;
    }
    const final: AgiHandler = found?.handler ?? this.fallback ?? notFoundHandler;
    if (this.middleware.length === 0) {
      // No chain to build: one frame less per call (it stays alive as long as the call).
      try {
        return Promise.resolve(final(channel, ctx));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    let index = -1;
    const dispatch = async (i: number): Promise<void> => {
      if (i <= index) throw new Error('next() called more than once in an AGI middleware');
      index = i;
      const mw = this.middleware[i];
      if (mw) await mw(channel, ctx, () => dispatch(i + 1));
      else await final(channel, ctx);
    };
    return dispatch(0);
  }
}

/** Error thrown by the default not-found handler; the server reports it to the dialplan. */
export class AgiNotFoundError extends Error {
  /** Stable code. */
  readonly code = 'AGI_NOT_FOUND';
  constructor(path: string) {
    super(`no AGI route for ${path}`);
    this.name = 'AgiNotFoundError';
  }
}

const notFoundHandler: AgiHandler = (_channel, ctx) => {
  throw new AgiNotFoundError(ctx.path);
};
