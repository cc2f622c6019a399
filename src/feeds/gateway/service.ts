/**
 * The gateway's server service: the logins (config + API), and the AMI listener when `gateway.enabled`, on the
 * server's PBX links. The logins can be managed over the API even while the listener is off.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Gauge, type Registry } from 'prom-client';
import { GatewayUserRepository, type Store } from '../../store/index.js';
import { GATEWAY_DEFAULTS, type GatewayConfig } from './config.js';
import { AmiGateway, type GatewayLogger, type GatewayUpstream } from './gateway.js';
import { GatewayUsers } from './users.js';

/** What the service puts in `ctx.rooms.get('gateway')` (`gateway` is undefined when disabled). */
export interface GatewayRoom {
  readonly gateway: AmiGateway | undefined;
  readonly users: GatewayUsers;
  close(): Promise<void>;
}

/** What the service needs of the server (its `ServerContext` fits; the room does not import the server). */
export interface GatewayServiceContext {
  readonly config: object;
  readonly configDir: string;
  readonly store: Pick<Store, 'db' | 'dialect'>;
  readonly pbx: { readonly links: ReadonlyMap<string, GatewayUpstream> };
  readonly logger: GatewayLogger;
  readonly metrics?: { readonly registry: Registry };
}

/** The gateway service (`gateway:` config section), listed in the server's services. */
export const gatewayService: {
  readonly name: 'gateway';
  start(ctx: GatewayServiceContext): Promise<GatewayRoom>;
} = {
  name: 'gateway',
  async start(ctx) {
    const config = (ctx.config as { gateway?: GatewayConfig }).gateway ?? GATEWAY_DEFAULTS;
    let gateway: AmiGateway | undefined;
    const users = new GatewayUsers(
      config.users,
      new GatewayUserRepository(ctx.store.db, ctx.store.dialect),
      new Set(ctx.pbx.links.keys()),
      (list) => gateway?.setUsers(list),
      config.secretKey,
    );
    if (!config.enabled) return { gateway, users, close: async () => {} };
    const tls = config.tls
      ? {
          cert: await readFile(resolve(ctx.configDir, config.tls.cert)),
          key: await readFile(resolve(ctx.configDir, config.tls.key)),
        }
      : undefined;
    const initial = await users.resolved((name, err) =>
      ctx.logger.warn({ user: name, err: err.message }, 'gateway user secret does not open; user not loaded'),
    );
    gateway = await AmiGateway.start({
      upstreams: ctx.pbx.links,
      users: initial,
      host: config.host,
      port: config.port,
      maxQueue: config.maxQueue,
      loginFailDelay: config.loginFailDelay,
      logger: ctx.logger,
      ...(tls ? { tls } : {}),
    });
    ctx.logger.info(
      { host: config.host, port: gateway.port, users: initial.length, tls: tls !== undefined },
      'AMI gateway listening',
    );
    const g = gateway;
    if (ctx.metrics) registerMetrics(ctx.metrics.registry, g);
    return { gateway, users, close: () => g.close() };
  },
};

/** `switchboard_gateway_clients` and `switchboard_gateway_total{kind}`, read from the gateway when scraped. */
function registerMetrics(registry: Registry, g: AmiGateway): void {
  new Gauge({
    name: 'switchboard_gateway_clients',
    help: 'AMI gateway client connections open now',
    registers: [registry],
    collect() {
      this.set(g.clients);
    },
  });
  new Gauge({
    name: 'switchboard_gateway_total',
    help: 'AMI gateway counters since start (logins, loginFailures, forwarded, denied, slowDisconnects, events)',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      for (const [kind, n] of Object.entries(g.stats)) this.set({ kind }, n);
    },
  });
}
