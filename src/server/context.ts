/** What every route plugin and room service of the server is given. */
import type { Logger } from 'pino';
import type { Store } from '../store/index.js';
import type { AuditWriter } from './audit.js';
import type { AuthService } from './auth.js';
import type { ServerConfig } from './config.js';
import type { LiveHub } from './live.js';
import type { ServerMetrics } from './metrics.js';
import type { PbxLinks } from './pbx-links.js';

/** The server's shared resources. Rooms' services add their own objects to `rooms` by name. */
export interface ServerContext {
  /** The validated configuration. */
  readonly config: ServerConfig;
  /** Where the config file is (relative paths in it are relative to its folder), if any. */
  readonly configDir: string;
  /** The database. */
  readonly store: Store;
  /** Accounts, sessions, tokens. */
  readonly auth: AuthService;
  /** The PBXs and the live monitor. */
  readonly pbx: PbxLinks;
  /** WebSocket push of live changes. */
  readonly live: LiveHub;
  /** Prometheus metrics. */
  readonly metrics: ServerMetrics;
  /** The audit log writer. */
  readonly audit: AuditWriter;
  /** pino logger (secrets never passed to it). */
  readonly logger: Logger;
  /** Objects that room services started (e.g. `history`, `feeds`), for route plugins to use. */
  readonly rooms: Map<string, unknown>;
}

/** A room service: started with the server, closed (flushed) on shutdown, in reverse order. */
export interface ServerService {
  /** Name for logs and `ctx.rooms`. */
  readonly name: string;
  /** Starts it; the returned object is put in `ctx.rooms` under `name`. */
  start(ctx: ServerContext): Promise<{ close(): Promise<void> } & object>;
}

/** A route plugin: declares routes with `defineRoute`. */
export type RoutePlugin = (
  app: import('fastify').FastifyInstance,
  ctx: ServerContext,
) => void | Promise<void>;
