/**
 * `startServer`: opens the store, connects the PBXs, starts the room services and the HTTP server; `close()`
 * shuts down gracefully (stop accepting, finish requests, flush, close AMI) and is idempotent.
 */
import { dirname, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import type { AmiClientOptions } from '../ami/index.js';
import { openStore, type Store } from '../store/index.js';
import { buildApp } from './app.js';
import { AuditWriter } from './audit.js';
import { AuthService } from './auth.js';
import type { PbxConfig, ServerConfig } from './config.js';
import type { ServerContext, ServerService } from './context.js';
import { LiveHub } from './live.js';
import { ServerMetrics } from './metrics.js';
import { PbxLinks } from './pbx-links.js';
import { services as defaultServices } from './services.js';

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /** Validated configuration (`loadConfig`). */
  config: ServerConfig;
  /** The config file's path (relative paths in it resolve against its folder). */
  configFile?: string;
  /** pino logger (default: JSON lines on stderr at `info`). */
  logger?: Logger;
  /** An already open store (tests); otherwise opened from `config.db`. */
  store?: Store;
  /** Options for every AMI client (tests shorten timeouts). */
  amiOptions?: Partial<AmiClientOptions>;
  /** Room services (default: every registered one). */
  services?: readonly ServerService[];
}

/** A running server. */
export interface RunningServer {
  /** `http://127.0.0.1:8080` (the bound address). */
  readonly url: string;
  readonly app: FastifyInstance;
  readonly context: ServerContext;
  /** Graceful shutdown. Idempotent. */
  close(): Promise<void>;
}

/** Starts everything; rejects (having closed what it opened) when the store or the port cannot be had. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { config } = options;
  const logger =
    options.logger ?? pino({ level: process.env.SWITCHBOARD_LOG_LEVEL ?? 'info' }, pino.destination(2));
  const configDir = options.configFile ? dirname(resolve(options.configFile)) : process.cwd();
  const store = options.store ?? (await openStore({ url: config.db }));
  const ownsStore = options.store === undefined;
  const metrics = new ServerMetrics();
  const pbx = new PbxLinks(config.pbx as PbxConfig[], logger, options.amiOptions);
  for (const link of pbx.links.values()) {
    link.on('event', () => metrics.amiEvents.inc({ pbx: link.config.id }));
  }
  // A list action that failed for another reason than the link (the monitor retries): log it, never crash.
  pbx.monitor.on('error', (err) => logger.warn({ err: err.message }, 'PBX snapshot problem'));
  const live = new LiveHub(pbx, metrics, config.live);
  const context: ServerContext = {
    config,
    configDir,
    store,
    auth: new AuthService(store.db, config.auth),
    pbx,
    live,
    metrics,
    audit: new AuditWriter(store, logger),
    logger,
    rooms: new Map(),
  };
  const started: { name: string; close(): Promise<void> }[] = [];
  let app: FastifyInstance | undefined;
  const closeAll = async () => {
    if (app) await app.close(); // stops accepting, waits for in-flight requests
    live.close();
    for (const s of started.reverse()) {
      try {
        await s.close();
      } catch (err) {
        logger.error({ service: s.name, err: (err as Error).message }, 'service did not close cleanly');
      }
    }
    await pbx.close();
    await context.audit.flush();
    if (ownsStore) await store.close();
  };
  try {
    pbx.start();
    for (const s of options.services ?? defaultServices) {
      const room = await s.start(context);
      context.rooms.set(s.name, room);
      started.push({ name: s.name, close: () => room.close() });
    }
    app = await buildApp(context);
    const address = await app.listen({ host: config.http.host, port: config.http.port });
    const url = address.replace('[::1]', 'localhost');
    let closing: Promise<void> | undefined;
    return {
      url,
      app,
      context,
      close() {
        closing ??= closeAll();
        return closing;
      },
    };
  } catch (err) {
    await closeAll().catch(() => {});
    throw err;
  }
}
