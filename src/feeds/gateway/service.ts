/** The gateway's server service: listens for AMI clients when `gateway.enabled`, on the server's PBX links. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ServerContext, ServerService } from '../../server/context.js';
import type { GatewayConfig } from './config.js';
import { AmiGateway } from './gateway.js';

/** What the service puts in `ctx.rooms.get('gateway')` (`gateway` is undefined when disabled). */
export interface GatewayRoom {
  readonly gateway: AmiGateway | undefined;
  close(): Promise<void>;
}

/** The gateway service (`gateway:` config section). */
export const gatewayService: ServerService & { start(ctx: ServerContext): Promise<GatewayRoom> } = {
  name: 'gateway',
  async start(ctx) {
    const config = (ctx.config as { gateway?: GatewayConfig }).gateway;
    if (!config?.enabled) return { gateway: undefined, close: async () => {} };
    const tls = config.tls
      ? {
          cert: await readFile(resolve(ctx.configDir, config.tls.cert)),
          key: await readFile(resolve(ctx.configDir, config.tls.key)),
        }
      : undefined;
    const gateway = await AmiGateway.start({
      upstreams: ctx.pbx.links,
      users: config.users,
      host: config.host,
      port: config.port,
      maxQueue: config.maxQueue,
      loginFailDelay: config.loginFailDelay,
      logger: ctx.logger,
      ...(tls ? { tls } : {}),
    });
    ctx.logger.info(
      { host: config.host, port: gateway.port, users: config.users.length, tls: tls !== undefined },
      'AMI gateway listening',
    );
    return { gateway, close: () => gateway.close() };
  },
};
