/**
 * The server's PBXs: one AMI link each (kept trying while the PBX is down at start, then the client's own
 * reconnects), one `PbxMonitor` over all of them, and each PBX's connection state for `/health` and `/pbx`.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import {
  AmiClient,
  type AmiClientOptions,
  type AmiGap,
  type AmiMessage,
  type AmiParams,
  type AmiResponse,
  reconnectDelay,
} from '../ami/index.js';
import { PbxMonitor } from '../pbx/index.js';
import type { PbxConfig } from './config.js';
import { HttpError } from './errors.js';

/** What the API says of one PBX. */
export interface PbxInfo {
  id: string;
  name: string;
  /** The AMI link's state (`ready` when usable). */
  state: string;
  connected: boolean;
  /** True for the simulated PBX of `npm start`. */
  simulated: boolean;
  /** Since when the link is in this state (ISO). */
  since: string;
  /** The last connection problem, secret-free. */
  lastError?: string;
  /** The AMI banner's version (`Asterisk Call Manager/…`). */
  banner?: string;
}

interface LinkEvents {
  event: [AmiMessage];
  state: [string];
  gap: [AmiGap];
}

/**
 * A stable AMI face for one PBX: the monitor and the applications hold this object, while the client behind it
 * may be replaced until the first login succeeds.
 */
export class PbxLink extends EventEmitter<LinkEvents> {
  private client: AmiClient | undefined;
  private retry: NodeJS.Timeout | undefined;
  private attempts = 0;
  private closed = false;
  private _state = 'idle';
  private since = new Date();
  private lastError: string | undefined;
  private banner: string | undefined;

  constructor(
    readonly config: PbxConfig,
    private readonly logger: Logger,
    private readonly clientOptions: Partial<AmiClientOptions> = {},
  ) {
    super();
    this.setMaxListeners(0);
  }

  /** The link's state (`ready` when logged in). */
  get state(): string {
    return this._state;
  }

  /** The client behind the link (undefined before the first attempt). */
  get ami(): AmiClient | undefined {
    return this.client;
  }

  /** Starts connecting; never rejects (failures are retried with backoff and reported in `info`). */
  start(): void {
    if (this.closed || this.client) return;
    void this.attempt();
  }

  private setState(s: string): void {
    if (s === this._state) return;
    this.logger.info({ pbx: this.config.id, from: this._state, to: s }, 'AMI link state');
    this._state = s;
    this.since = new Date();
    this.emit('state', s);
  }

  private async attempt(): Promise<void> {
    if (this.closed) return;
    const client = new AmiClient({
      url: this.config.ami,
      md5: this.config.md5,
      events: 'on',
      ...this.clientOptions,
    });
    this.client = client;
    client.on('event', (m) => this.emit('event', m));
    client.on('gap', (g) => this.emit('gap', g));
    client.on('banner', (b: string) => {
      this.banner = b;
    });
    client.on('state', (s) => {
      if (s === 'ready') this.lastError = undefined;
      // Before the first success a failed login closes the client: that is "reconnecting" for us.
      if (s === 'closed' && !this.closed) return;
      this.setState(s);
    });
    client.on('error', (err) => {
      this.lastError = err.message;
    });
    try {
      await client.connect();
      this.attempts = 0;
    } catch (err) {
      if (this.closed) return;
      this.lastError = (err as Error).message;
      this.setState('reconnecting');
      const delay = reconnectDelay(this.attempts++, { initialDelay: 500, maxDelay: 30_000 });
      this.retry = setTimeout(() => void this.attempt(), delay);
      this.retry.unref?.();
    }
  }

  /** Sends an action; 503 at once when the PBX is not connected (no offline queue behind a person's click). */
  action(
    name: string,
    params: AmiParams = {},
    options: { onItem?: (item: AmiMessage) => void; timeout?: number } = {},
  ): Promise<AmiResponse> {
    if (this._state !== 'ready' || !this.client) {
      return Promise.reject(
        new HttpError(503, 'PBX_NOT_CONNECTED', `PBX ${this.config.id} is not connected (${this._state})`),
      );
    }
    return this.client.action(name, params, options);
  }

  /** Async originate (resolves with the OriginateResponse); 503 at once when the PBX is not connected. */
  originate(
    params: AmiParams,
    options: { timeout?: number; onQueued?: (reply: AmiResponse) => void } = {},
  ): Promise<AmiMessage> {
    if (this._state !== 'ready' || !this.client) {
      return Promise.reject(
        new HttpError(503, 'PBX_NOT_CONNECTED', `PBX ${this.config.id} is not connected (${this._state})`),
      );
    }
    return this.client.originate(params, options);
  }

  /** For `/pbx` and `/health`. */
  info(): PbxInfo {
    return {
      id: this.config.id,
      name: this.config.name ?? this.config.id,
      state: this._state,
      connected: this._state === 'ready',
      simulated: this.config.simulated,
      since: this.since.toISOString(),
      ...(this.lastError ? { lastError: this.lastError } : {}),
      ...(this.banner ? { banner: this.banner } : {}),
    };
  }

  /** Closes the client and stops retrying. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    await this.client?.close();
    this.setState('closed');
  }
}

/** Every PBX of the server and the one monitor over them. */
export class PbxLinks {
  readonly links = new Map<string, PbxLink>();
  readonly monitor: PbxMonitor;

  constructor(configs: readonly PbxConfig[], logger: Logger, clientOptions: Partial<AmiClientOptions> = {}) {
    for (const c of configs) this.links.set(c.id, new PbxLink(c, logger, clientOptions));
    this.monitor = new PbxMonitor([...this.links.values()].map((l) => ({ id: l.config.id, client: l })));
  }

  /** Connects every PBX and starts the monitor. */
  start(): void {
    this.monitor.start();
    for (const l of this.links.values()) l.start();
  }

  /** Each PBX's state. */
  list(): PbxInfo[] {
    return [...this.links.values()].map((l) => l.info());
  }

  /**
   * The PBX a request names (`?pbx=` or body `pbx`), or the only one when there is one; 404 for an unknown id,
   * 400 when several exist and none was named.
   */
  pick(id?: string): PbxLink {
    if (id !== undefined) {
      const l = this.links.get(id);
      if (!l) throw new HttpError(404, 'PBX_NOT_FOUND', `no PBX with id ${id}`, 'pbx');
      return l;
    }
    const first = this.links.values().next().value;
    if (!first)
      throw new HttpError(
        503,
        'PBX_NOT_CONNECTED',
        'no PBX is configured (add one under pbx: in the config)',
      );
    if (this.links.size > 1)
      throw new HttpError(400, 'BAD_REQUEST', 'several PBXs: say which one (pbx)', 'pbx');
    return first;
  }

  /** Stops the monitor and every link. */
  async close(): Promise<void> {
    await this.monitor.close();
    await Promise.all([...this.links.values()].map((l) => l.close()));
  }
}
