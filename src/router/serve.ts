/**
 * Serving the router: FastAGI on `agi://host:4573/router` (bind address and allow-list from `switchboard/agi`) and,
 * when an AMI connection is given, AsyncAGI for `AGI(agi:async)` calls. Stateless: several servers can share one
 * store and serve one Asterisk (`agi://a&b`, `hagi://` SRV).
 */

import type { Logger } from 'pino';
import {
  AgiRouter,
  type AsyncAgiAmi,
  AsyncAgiDispatcher,
  createFastAgiServer,
  type FastAgiServer,
} from '../agi/index.js';
import type { Store } from '../store/index.js';
import type { RouterConfig, RouterConfigInput } from './config.js';
import { type CallResult, CallRouter } from './flow.js';

/** Options of {@link RouterServer}. */
export interface RouterServerOptions {
  /** Rules and call log. */
  store: Store;
  /** Router configuration (listen address, prompts, PIN policy…). */
  config?: RouterConfig | RouterConfigInput;
  /** pino logger (default silent). */
  logger?: Logger;
  /** An AMI client (`AmiClient` fits): also serve `AGI(agi:async)` calls over it. */
  ami?: AsyncAgiAmi;
  /** Called after every call with what happened (monitoring, tests). */
  onCall?: (result: CallResult) => void;
  /** Clock (tests). */
  now?: () => Date;
}

/** The router's FastAGI (and optional AsyncAGI) front end. */
export class RouterServer {
  /** The call router shared by both transports. */
  readonly router: CallRouter;
  /** The FastAGI server. */
  readonly fastagi: FastAgiServer;
  /** The AsyncAGI dispatcher, when an AMI client was given. */
  readonly asyncagi: AsyncAgiDispatcher | undefined;
  #address: { host: string; port: number } | undefined;
  #closed: Promise<void> | undefined;

  constructor(options: RouterServerOptions) {
    this.router = new CallRouter({
      store: options.store,
      ...(options.config ? { config: options.config } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    const cfg = this.router.config;
    const handler = async (channel: Parameters<CallRouter['handle']>[0]) => {
      const result = await this.router.handle(channel);
      options.onCall?.(result);
    };
    this.fastagi = createFastAgiServer({
      host: cfg.listen.host,
      port: cfg.listen.port,
      ...(cfg.listen.allow ? { allow: cfg.listen.allow } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      router: new AgiRouter().route(cfg.listen.path, handler),
    });
    this.asyncagi = options.ami
      ? new AsyncAgiDispatcher(options.ami, {
          handler,
          ...(options.logger ? { logger: options.logger } : {}),
        })
      : undefined;
  }

  /** Starts listening (and dispatching AsyncAGI); resolves with the bound address. */
  async listen(): Promise<{ host: string; port: number }> {
    this.#address = await this.fastagi.listen();
    this.asyncagi?.start();
    return this.#address;
  }

  /** The dialplan line to add to Asterisk for this server (after `listen()`). */
  dialplanLine(pattern = '_X.'): string {
    const addr = this.#address ?? {
      host: this.router.config.listen.host,
      port: this.router.config.listen.port,
    };
    const host =
      addr.host === '0.0.0.0' || addr.host === '::'
        ? '127.0.0.1'
        : addr.host.includes(':')
          ? `[${addr.host}]`
          : addr.host;
    return `exten => ${pattern},1,AGI(agi://${host}:${addr.port}${this.router.config.listen.path})`;
  }

  /** Stops accepting calls, lets live calls finish (then hangs them up after `deadline` ms). Idempotent. */
  close(options: { deadline?: number } = {}): Promise<void> {
    this.#closed ??= (async () => {
      await this.asyncagi?.close();
      await this.fastagi.close(options.deadline !== undefined ? { deadline: options.deadline } : {});
    })();
    return this.#closed;
  }
}
