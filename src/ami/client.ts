import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { AmiActionTable, type AmiPendingAction } from './action-table.js';
import { reconnectDelay } from './backoff.js';
import type {
  AmiActionOptions,
  AmiClientOptions,
  AmiClientState,
  AmiGap,
  AmiLogger,
  AmiResponse,
} from './client-options.js';
import {
  AmiAbortedError,
  AmiActionError,
  AmiClosedError,
  AmiConnectError,
  AmiDisconnectedError,
  AmiLoginError,
  type AmiParseError,
  AmiTimeoutError,
} from './errors.js';
import { type AmiEventFilter, AmiEventStream, type AmiOverflow } from './event-stream.js';
import { iterateList } from './list-iterator.js';
import type { AmiMessage } from './message.js';
import { AmiOriginateWaiters } from './originate-waiters.js';
import { type AmiEncodedAction, type AmiParams, encodeAction } from './serializer.js';
import type { AmiTransport } from './transport.js';
import { HttpTransport } from './transport-http.js';
import { TcpTransport } from './transport-tcp.js';
import { type AmiEndpoint, parseAmiUrl } from './url.js';

/** Events emitted by {@link AmiClient}. */
export interface AmiClientEvents {
  /** Every AMI event (list items only when asked), in wire order. */
  event: [message: AmiMessage];
  /** Each state change. */
  state: [state: AmiClientState];
  /** After a reconnect: events between `from` and `to` may have been missed. */
  gap: [gap: AmiGap];
  /** A subscriber's queue overflowed (first drop, then every 1,000th). */
  overflow: [overflow: AmiOverflow];
  /** Non-fatal problems (refused packets, failed restores, a reconnect that gave up). */
  error: [error: Error];
  /** The banner line of each new TCP/TLS session. */
  banner: [line: string];
}

const NO_LOG: AmiLogger = {};

/**
 * A reliable AMI client over TCP, TLS or AJAM: actions correlated by unique ActionIDs, event lists collected,
 * events fanned out to subscribers with bounded queues, keepalive, reconnect with backoff and a `gap` report.
 */
export class AmiClient extends EventEmitter<AmiClientEvents> {
  /** Where the client connects (without the secret). */
  readonly endpoint: AmiEndpoint;
  readonly #secret: string;
  readonly #opts: AmiClientOptions;
  private readonly log: AmiLogger;
  private _state: AmiClientState = 'idle';
  private transport: AmiTransport | undefined;
  private linkGen = 0;
  private readonly table = new AmiActionTable();
  private readonly originates = new AmiOriginateWaiters();
  private readonly streams = new Set<AmiEventStream>();
  private readonly filters: Array<{ filter: string; matchCriteria?: string }> = [];
  private eventMask: string | undefined;
  private readonly idPrefix = randomBytes(5).toString('hex');
  private idCounter = 0;
  private connecting: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private keepaliveTimer: NodeJS.Timeout | undefined;
  private attempts = 0;
  private lastDataAt = 0;
  private lostAt = 0;
  // AJAM Digest (`/arawman`): asked for, implied by the URL, or chosen after `/rawman` refused the login.
  private digest: boolean;
  /** Counters for monitoring. */
  readonly stats = { actions: 0, messages: 0, events: 0, strayReplies: 0, reconnects: 0, parseErrors: 0 };

  constructor(options: AmiClientOptions) {
    super();
    const { endpoint, secret } = parseAmiUrl(options.url);
    this.endpoint = endpoint;
    this.#secret = secret;
    this.#opts = options;
    this.log = options.logger ?? NO_LOG;
    this.digest =
      endpoint.transport === 'http' && (options.digest === true || endpoint.path.endsWith('/arawman'));
    this.eventMask =
      options.events === undefined
        ? undefined
        : typeof options.events === 'boolean'
          ? options.events
            ? 'on'
            : 'off'
          : options.events;
  }

  /** Current connection state. */
  get state(): AmiClientState {
    return this._state;
  }

  /** Opens the link and logs in; resolves once `ready`. Rejects `AmiLoginError` on bad credentials. */
  connect(): Promise<void> {
    if (this.closing || this._state === 'closed') return Promise.reject(new AmiClosedError());
    if (this._state === 'ready') return Promise.resolve();
    if (this.connecting) return this.connecting;
    if (this._state !== 'idle') {
      // The reconnect loop owns the link: wait for it instead of racing it with a second one.
      return new Promise((resolve, reject) => {
        const on = (s: AmiClientState) => {
          if (s !== 'ready' && s !== 'closed') return;
          this.off('state', on);
          if (s === 'ready') resolve();
          else reject(new AmiClosedError());
        };
        this.on('state', on);
      });
    }
    const p = this.establish().catch(async (err: Error) => {
      await this.shutdown(err);
      throw err;
    });
    this.connecting = p.finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /**
   * Sends an action and resolves with its complete reply (list items included). Resolves for
   * `Response: Error` too (`ok: false`); rejects only on timeout, abort, link loss, close or bad input.
   */
  action(name: string, params: AmiParams = {}, options: AmiActionOptions = {}): Promise<AmiResponse> {
    return this.send(name, params, options, this.nextId(), false);
  }

  /**
   * Originates a call with `Async: true` and resolves with the `OriginateResponse` event carrying the same
   * ActionID (its `Response` header says Success or Failure). Rejects `AmiActionError` if Asterisk refuses.
   */
  async originate(
    params: AmiParams,
    options: {
      timeout?: number;
      signal?: AbortSignal;
      /** Called with Asterisk's immediate reply once the originate is queued (before the call is answered). */
      onQueued?: (reply: AmiResponse) => void;
    } = {},
  ): Promise<AmiMessage> {
    const id = this.nextId();
    const rest: AmiParams = {};
    for (const k in params) if (k.toLowerCase() !== 'async') rest[k] = params[k];
    rest['Async'] = 'true';
    const waiter = this.originates.wait(id, options.timeout ?? this.#opts.originateTimeout ?? 60_000);
    let r: AmiResponse;
    try {
      r = await this.send('Originate', rest, options.signal ? { signal: options.signal } : {}, id, false);
    } catch (e) {
      this.originates.reject(id, e as Error);
      throw e;
    }
    if (!r.ok) {
      const err = new AmiActionError('Originate', r.message.get('Message') ?? 'Response: Error');
      this.originates.reject(id, err);
      throw err;
    }
    options.onQueued?.(r);
    if (options.signal) {
      const signal = options.signal;
      const onAbort = () => this.originates.reject(id, new AmiAbortedError('AMI Originate', signal.reason));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      const off = () => signal.removeEventListener('abort', onAbort);
      waiter.then(off, off);
    }
    return waiter;
  }

  /**
   * Runs an event-list action and yields its items as they arrive; throws at the end if Asterisk answered
   * `Response: Error` (`AmiActionError`) or the action failed (timeout, abort, link loss).
   */
  list(
    name: string,
    params: AmiParams = {},
    options: AmiActionOptions = {},
  ): AsyncGenerator<AmiMessage, AmiResponse> {
    return iterateList(name, (onItem) =>
      this.action(name, params, {
        ...options,
        onItem: (m) => {
          options.onItem?.(m);
          onItem(m);
        },
      }),
    );
  }

  /** Actions sent or queued that still wait for their reply. */
  get inFlight(): number {
    return this.table.size;
  }

  /** Subscribes to events as an async iterator with its own bounded queue (`for await (const e of …)`). */
  events(filter?: AmiEventFilter, options: { queueSize?: number } = {}): AmiEventStream {
    const stream = new AmiEventStream(
      filter,
      options.queueSize ?? this.#opts.queueSize ?? 10_000,
      (s) => this.streams.delete(s),
      (s) => {
        if (s.dropped === 1 || s.dropped % 1000 === 0) {
          this.log.warn?.({ dropped: s.dropped }, 'AMI event subscriber is too slow; events dropped for it');
          this.emit('overflow', { stream: s, dropped: s.dropped });
        }
      },
    );
    if (this._state === 'closed' || this.closing) stream.end();
    else this.streams.add(stream);
    return stream;
  }

  /** Adds a server-side event filter (`Filter` action); it is restored after every reconnect. */
  async addFilter(filter: string, matchCriteria?: string): Promise<AmiResponse> {
    const params: AmiParams = { Operation: 'Add', Filter: filter };
    if (matchCriteria !== undefined) params['MatchCriteria'] = matchCriteria;
    const r = await this.action('Filter', params);
    if (r.ok) this.filters.push(matchCriteria === undefined ? { filter } : { filter, matchCriteria });
    return r;
  }

  /** Changes the session's event mask (`Events` action); also used at login after a reconnect. */
  async setEventMask(mask: string | boolean): Promise<AmiResponse> {
    const m = typeof mask === 'boolean' ? (mask ? 'on' : 'off') : mask;
    const r = await this.action('Events', { EventMask: m });
    if (r.ok) this.eventMask = m;
    return r;
  }

  /** Logs off politely (bounded), closes the link, settles everything; idempotent. */
  close(): Promise<void> {
    if (!this.closing) this.closing = this.shutdown(new AmiClosedError());
    return this.closing;
  }

  // ---- connection life ----

  private setState(s: AmiClientState): void {
    if (this._state === s) return;
    this._state = s;
    this.log.info?.({ state: s, url: this.endpoint.display }, 'AMI state');
    this.emit('state', s);
  }

  private makeTransport(gen: number): AmiTransport {
    const e = this.endpoint;
    const handlers = {
      onMessage: (m: AmiMessage) => {
        if (gen === this.linkGen) this.dispatch(m);
      },
      onClose: (cause?: Error) => {
        if (gen === this.linkGen) this.linkLost(cause);
      },
      onParseError: (err: AmiParseError) => {
        this.stats.parseErrors++;
        this.log.warn?.({ code: err.code }, err.message);
        if (this.listenerCount('error') > 0) this.emit('error', err);
      },
    };
    const common = {
      ...(this.#opts.tls === undefined ? {} : { tls: this.#opts.tls }),
      ...(this.#opts.maxPacketBytes === undefined ? {} : { maxPacketBytes: this.#opts.maxPacketBytes }),
      ...(this.#opts.maxHeaders === undefined ? {} : { maxHeaders: this.#opts.maxHeaders }),
    };
    if (e.transport === 'http') {
      const digest = this.digest ? { digest: { username: e.username, secret: this.#secret } } : {};
      return new HttpTransport(
        { protocol: e.protocol, host: e.host, port: e.port, path: e.path, ...common, ...digest },
        handlers,
      );
    }
    const tcp = {
      host: e.host,
      port: e.port,
      ...(this.#opts.maxPacketBytes === undefined ? {} : { maxPacketBytes: this.#opts.maxPacketBytes }),
      ...(this.#opts.maxHeaders === undefined ? {} : { maxHeaders: this.#opts.maxHeaders }),
    };
    return new TcpTransport(e.transport === 'tls' ? { ...tcp, tls: this.#opts.tls ?? {} } : tcp, handlers);
  }

  /** One attempt: open, banner, login, restore filters, ready. Throws on failure (link torn down). */
  private async establish(): Promise<void> {
    this.setState('connecting');
    const gen = ++this.linkGen;
    const transport = this.makeTransport(gen);
    this.transport = transport;
    try {
      const banner = await transport.open(this.#opts.connectTimeout ?? 10_000);
      if (this.closing) throw new AmiClosedError();
      if (banner !== undefined) this.emit('banner', banner);
      this.lastDataAt = Date.now();
      this.setState('authenticating');
      await this.login();
      for (const f of this.filters) {
        const params: AmiParams = { Operation: 'Add', Filter: f.filter };
        if (f.matchCriteria !== undefined) params['MatchCriteria'] = f.matchCriteria;
        const r = await this.send('Filter', params, {}, this.nextId(), true);
        if (!r.ok && this.listenerCount('error') > 0) {
          this.emit('error', new AmiActionError('Filter (restore)', r.message.get('Message') ?? 'refused'));
        }
      }
      if (this.closing) throw new AmiClosedError();
      if (gen !== this.linkGen) throw new AmiDisconnectedError('AMI login');
    } catch (err) {
      if (gen === this.linkGen) {
        this.linkGen++;
        this.transport = undefined;
        transport.destroy();
        this.rejectSent(err instanceof Error ? err : new Error(String(err)));
      }
      if (this.closing) throw new AmiClosedError();
      if (err instanceof AmiDisconnectedError) {
        // The link died while logging in (HTTP error, server hung up): a connection failure for the caller.
        const cause = err.cause instanceof Error ? err.cause : undefined;
        throw new AmiConnectError(
          `${this.endpoint.display}: ${cause?.message ?? 'connection lost during login'}`,
          cause,
        );
      }
      throw err;
    }
    this.attempts = 0;
    this.setState('ready');
    this.startLinkTasks(gen, transport);
    this.table.flush(this.transmit);
  }

  private async login(): Promise<void> {
    const user = this.endpoint.username;
    if (this.digest) return this.digestLogin();
    const params: AmiParams = { Username: user };
    if (this.#opts.md5) {
      const ch = await this.send('Challenge', { AuthType: 'MD5' }, {}, this.nextId(), true);
      const challenge = ch.message.get('Challenge');
      if (!ch.ok || challenge === undefined) {
        throw new AmiLoginError(user, ch.message.get('Message') ?? 'MD5 challenge refused');
      }
      params['AuthType'] = 'MD5';
      params['Key'] = createHash('md5')
        .update(challenge + this.#secret)
        .digest('hex');
    } else params['Secret'] = this.#secret;
    if (this.eventMask !== undefined) params['Events'] = this.eventMask;
    const r = await this.send('Login', params, {}, this.nextId(), true);
    if (r.ok) return;
    const t = this.transport;
    if (t instanceof HttpTransport && this.#opts.digest !== false && (await t.probeDigest())) {
      this.log.info?.(
        { url: this.endpoint.display },
        'AJAM: /rawman refused the login; using Digest on /arawman',
      );
      this.digest = true;
      t.switchToDigest({ username: user, secret: this.#secret });
      return this.digestLogin();
    }
    throw new AmiLoginError(user, r.message.get('Message') ?? 'Authentication failed');
  }

  /** Digest has no Login action: a Ping proves the credentials, then the event mask is set if asked. */
  private async digestLogin(): Promise<void> {
    const user = this.endpoint.username;
    const r = await this.send('Ping', {}, {}, this.nextId(), true);
    if (!r.ok) throw new AmiLoginError(user, r.message.get('Message') ?? 'Authentication failed');
    if (this.eventMask === undefined) return;
    const m = await this.send('Events', { EventMask: this.eventMask }, {}, this.nextId(), true);
    if (!m.ok) throw new AmiLoginError(user, m.message.get('Message') ?? 'Events refused');
  }

  private startLinkTasks(gen: number, transport: AmiTransport): void {
    if (transport.kind === 'poll') {
      void this.pollLoop(gen);
      return;
    }
    const ka = this.#opts.keepalive;
    if (ka === false) return;
    const interval = ka?.interval ?? 15_000;
    const timeout = ka?.timeout ?? 5_000;
    const tick = () => {
      this.keepaliveTimer = undefined;
      if (gen !== this.linkGen || this._state !== 'ready') return;
      const again = () => {
        if (gen === this.linkGen && this._state === 'ready') this.keepaliveTimer = setTimeout(tick, interval);
      };
      const ping = this.send('Ping', {}, { timeout }, this.nextId(), true);
      const seq = this.table.lastSeq;
      ping.then(again, (err: Error) => {
        if (gen !== this.linkGen || !(err instanceof AmiTimeoutError)) return;
        if (this.table.busyBefore(seq)) {
          // Asterisk is still busy with an earlier action (it answers in order): not a dead link.
          again();
          return;
        }
        this.log.warn?.({ timeout }, 'AMI keepalive: no Pong in time, replacing the link');
        this.killLink(gen, err);
      });
    };
    this.keepaliveTimer = setTimeout(tick, interval);
  }

  /** AJAM delivers events only through WaitEvent: keep one long poll outstanding while ready. */
  private async pollLoop(gen: number): Promise<void> {
    const secs = this.#opts.pollTimeout ?? 20;
    while (gen === this.linkGen && this._state === 'ready') {
      try {
        const r = await this.send(
          'WaitEvent',
          { Timeout: secs },
          { timeout: secs * 1000 + 10_000 },
          this.nextId(),
          true,
        );
        if (!r.ok && gen === this.linkGen) {
          this.killLink(
            gen,
            new AmiDisconnectedError(`AJAM WaitEvent (${r.message.get('Message') ?? 'refused'})`),
          );
        }
      } catch (err) {
        if (err instanceof AmiTimeoutError) this.killLink(gen, err);
        return;
      }
    }
  }

  private killLink(gen: number, cause: Error): void {
    if (gen !== this.linkGen) return;
    this.transport?.destroy();
    this.linkLost(cause);
  }

  private linkLost(cause?: Error): void {
    const wasReady = this._state === 'ready';
    this.linkGen++;
    this.transport = undefined;
    if (this.keepaliveTimer) clearTimeout(this.keepaliveTimer);
    this.keepaliveTimer = undefined;
    this.rejectSent(cause);
    if (!wasReady || this.closing) return;
    this.lostAt = this.lastDataAt || Date.now();
    this.log.warn?.({ url: this.endpoint.display, cause: cause?.message }, 'AMI link lost');
    if (this.#opts.reconnect === false) {
      void this.close();
      return;
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.setState('reconnecting');
    const r = this.#opts.reconnect || {};
    const delay = reconnectDelay(this.attempts, r);
    this.attempts++;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.closing) return;
      this.establish().then(
        () => {
          this.stats.reconnects++;
          this.emit('gap', { from: new Date(this.lostAt), to: new Date() });
        },
        (err: Error) => {
          if (this.closing) return;
          const giveUp =
            err instanceof AmiLoginError || this.attempts >= (r.maxAttempts ?? Number.POSITIVE_INFINITY);
          this.log.warn?.({ attempt: this.attempts, code: (err as { code?: string }).code }, err.message);
          if (giveUp) {
            if (this.listenerCount('error') > 0) this.emit('error', err);
            void this.shutdown(err);
          } else this.scheduleReconnect();
        },
      );
    }, delay);
  }

  private async shutdown(reason: Error): Promise<void> {
    if (!this.closing) this.closing = Promise.resolve();
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    if (this.keepaliveTimer) clearTimeout(this.keepaliveTimer);
    this.keepaliveTimer = undefined;
    if (this._state === 'ready' && this.transport) {
      try {
        await this.send('Logoff', {}, { timeout: 1000 }, this.nextId(), true);
      } catch {
        // best effort
      }
    }
    this.linkGen++;
    this.transport?.destroy();
    this.transport = undefined;
    const closed = reason instanceof AmiClosedError ? reason : new AmiClosedError();
    this.table.rejectAll(closed);
    this.originates.rejectAll(() => closed);
    for (const s of [...this.streams]) s.end();
    this.setState('closed');
  }

  // ---- actions ----

  private nextId(): string {
    return `${this.idPrefix}.${++this.idCounter}`;
  }

  private send(
    name: string,
    params: AmiParams,
    options: AmiActionOptions,
    id: string,
    internal: boolean,
  ): Promise<AmiResponse> {
    if (this.closing && !internal) return Promise.reject(new AmiClosedError());
    if (this._state === 'closed') return Promise.reject(new AmiClosedError());
    let encoded: AmiEncodedAction;
    try {
      encoded = encodeAction(name, params, this.endpoint.transport === 'http', id);
    } catch (e) {
      return Promise.reject(e);
    }
    this.stats.actions++;
    const queue = !internal && this._state !== 'ready';
    return this.table.add(id, encoded, options, this.#opts.actionTimeout ?? 10_000, queue, this.transmit);
  }

  private readonly transmit = (p: AmiPendingAction): void => {
    this.log.debug?.({ action: p.action, id: p.id }, 'AMI action');
    this.transport?.send(p.encoded);
  };

  private rejectSent(cause?: Error): void {
    this.table.rejectSent(cause);
    this.originates.rejectAll(() => new AmiDisconnectedError('AMI Originate (OriginateResponse)', cause));
  }

  // ---- incoming ----

  private dispatch(m: AmiMessage): void {
    this.stats.messages++;
    this.lastDataAt = Date.now();
    // With nothing pending, an event is nobody's reply: no need to look up its ActionID (the ingest hot path).
    if (this.table.size === 0 && this.originates.size === 0 && m.kind === 'event') {
      this.deliver(m);
      return;
    }
    const id = m.actionId;
    if (id !== undefined) {
      if (this.table.route(m, id)) return;
      if (m.kind === 'event') this.originates.offer(m, id);
    }
    if (m.kind === 'event') this.deliver(m);
    else this.stats.strayReplies++;
  }

  private deliver(m: AmiMessage): void {
    this.stats.events++;
    if (this.listenerCount('event') > 0) {
      try {
        this.emit('event', m);
      } catch (err) {
        // A throwing listener must not break the read loop (the rest of the chunk would be lost).
        this.log.error?.({ err }, 'AMI event listener threw');
        if (this.listenerCount('error') > 0) this.emit('error', err as Error);
      }
    }
    for (const s of this.streams) s.offer(m);
  }
}
