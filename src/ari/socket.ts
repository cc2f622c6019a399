/**
 * The ARI events WebSocket: one socket for one or more applications, every frame delivered in order (no batching,
 * no debouncing), ping with a pong deadline, reconnect with backoff and jitter, and a `gap` after each reconnect.
 */
import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import type { AriEndpoint } from './connection.js';
import { redact } from './connection.js';
import { TypedEmitter } from './emitter.js';
import {
  AriClosedError,
  AriConnectionError,
  type AriError,
  AriInvalidArgumentError,
  AriTimeoutError,
  httpErrorFor,
} from './errors.js';
import { type AriEvent, decodeAriEvent } from './events.js';

/** Reconnect policy: exponential backoff with jitter. */
export interface AriReconnectOptions {
  /** First delay in ms (default 200). */
  initialDelayMs?: number;
  /** Largest delay in ms (default 10,000). */
  maxDelayMs?: number;
  /** Growth factor per attempt (default 2). */
  factor?: number;
  /** Fraction of the delay randomised away, 0..1 (default 0.5: delay is 50–100 % of the step). */
  jitter?: number;
}

/** Options of {@link AriEventSocket}. */
export interface AriEventSocketOptions {
  /** Applications to register (at least one). */
  apps: string[];
  /** Subscribe to every channel, bridge, endpoint and device state (`subscribeAll=true`). */
  subscribeAll?: boolean;
  /** Ms between pings (default 15,000; 0 disables). */
  pingIntervalMs?: number;
  /** Ms to wait for a pong before the link is declared dead (default 5,000). */
  pongTimeoutMs?: number;
  /** Ms allowed for the opening handshake (default 10,000). */
  connectTimeoutMs?: number;
  /** Reconnect policy, or `false` to never reconnect. */
  reconnect?: AriReconnectOptions | false;
  /** Random source in [0,1) for jitter (tests). */
  random?: () => number;
}

/** Emitted after a reconnect: events between `from` and `to` may have been missed (Asterisk replays nothing). */
export interface AriGap {
  /** Last moment the old socket was known alive (last frame or pong received). */
  from: Date;
  /** When the new socket opened. */
  to: Date;
  /** `to - from` in ms. */
  durationMs: number;
  /** Why the old socket went away. */
  reason: string;
  /** Applications registered again. */
  apps: string[];
}

/** States of the socket. */
export type AriSocketState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Events of {@link AriEventSocket}. */
export interface AriEventSocketEvents {
  /** Every decoded frame, in arrival order. */
  event: AriEvent;
  /** A frame that is not a JSON object with a `type` (kept raw, nothing thrown). */
  invalidFrame: { raw: string; error: string };
  /** The socket opened (attempt 0 is the first connect). */
  open: { attempt: number; apps: string[] };
  /** The socket went away. */
  disconnect: { code: number; reason: string; willReconnect: boolean };
  /** A reconnect is scheduled. */
  reconnecting: { attempt: number; delayMs: number; error: AriError | undefined };
  /** Events may have been missed. */
  gap: AriGap;
  /** Another socket took this application; this client stops using it (see README). */
  replaced: { application: string; remainingApps: string[] };
  /** A failure that is not tied to a call (e.g. a reconnect attempt refused with 401). */
  error: AriError;
  /** The state changed. */
  state: AriSocketState;
}

/** One events WebSocket to Asterisk; owns its socket and timers. */
export class AriEventSocket extends TypedEmitter<AriEventSocketEvents> {
  readonly #endpoint: AriEndpoint;
  readonly #opts: Required<Omit<AriEventSocketOptions, 'reconnect' | 'apps'>> & {
    reconnect: Required<AriReconnectOptions> | false;
  };
  #apps: string[];
  #ws: WebSocket | undefined;
  #state: AriSocketState = 'idle';
  #attempt = 0;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #pingTimer: NodeJS.Timeout | undefined;
  #pongTimer: NodeJS.Timeout | undefined;
  #lastAlive = 0;
  #lostReason = '';
  #everOpen = false;
  #closeWaiters: Array<() => void> = [];

  constructor(endpoint: AriEndpoint, options: AriEventSocketOptions) {
    super();
    if (!options.apps.length) throw new AriInvalidArgumentError('at least one application name is required');
    for (const app of options.apps) {
      if (!app || /[,\s]/.test(app))
        throw new AriInvalidArgumentError(`invalid application name: ${JSON.stringify(app)}`);
    }
    this.#endpoint = endpoint;
    this.#apps = [...new Set(options.apps)];
    const r = options.reconnect;
    this.#opts = {
      subscribeAll: options.subscribeAll ?? false,
      pingIntervalMs: options.pingIntervalMs ?? 15_000,
      pongTimeoutMs: options.pongTimeoutMs ?? 5_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      random: options.random ?? Math.random,
      reconnect:
        r === false
          ? false
          : {
              initialDelayMs: r?.initialDelayMs ?? 200,
              maxDelayMs: r?.maxDelayMs ?? 10_000,
              factor: r?.factor ?? 2,
              jitter: Math.min(1, Math.max(0, r?.jitter ?? 0.5)),
            },
    };
  }

  /** Current state. */
  get state(): AriSocketState {
    return this.#state;
  }

  /** Applications this socket registers. */
  get apps(): readonly string[] {
    return this.#apps;
  }

  /** Opens the socket; rejects with a typed error if the first attempt fails (401 → `ARI_UNAUTHORIZED`). */
  connect(): Promise<void> {
    if (this.#state === 'closed') return Promise.reject(new AriClosedError('events socket is closed'));
    if (this.#state !== 'idle')
      return Promise.reject(new AriInvalidArgumentError('connect() was already called'));
    this.#setState('connecting');
    return new Promise((resolve, reject) => {
      this.#open(0, (err) => {
        if (err) {
          if (this.#state !== 'closed') this.#setState('idle');
          reject(err);
        } else resolve();
      });
    });
  }

  /** Closes the socket and every timer; no reconnect follows. Idempotent; resolves once the socket is gone. */
  close(): Promise<void> {
    if (this.#state === 'closed' && !this.#ws) return Promise.resolve();
    this.#setState('closed');
    this.#clearTimers();
    const ws = this.#ws;
    if (!ws) return Promise.resolve();
    return new Promise((resolve) => {
      this.#closeWaiters.push(resolve);
      if (ws.readyState === WebSocket.OPEN) {
        ws.close(1000, 'client closing');
        // A peer that never answers the close frame must not keep us waiting.
        const t = setTimeout(() => ws.terminate(), 1000);
        ws.once('close', () => clearTimeout(t));
      } else ws.terminate();
    });
  }

  #url(): string {
    const params = new URLSearchParams({ app: this.#apps.join(',') });
    if (this.#opts.subscribeAll) params.set('subscribeAll', 'true');
    if (this.#endpoint.apiKey !== undefined) params.set('api_key', this.#endpoint.apiKey);
    return `${this.#endpoint.eventsUrl}?${params.toString()}`;
  }

  #open(attempt: number, settle?: (err?: AriError) => void): void {
    const headers: Record<string, string> = {};
    if (this.#endpoint.authorization) headers.authorization = this.#endpoint.authorization;
    const ws = new WebSocket(this.#url(), { headers, handshakeTimeout: this.#opts.connectTimeoutMs });
    this.#ws = ws;
    let opened = false;
    let failure: AriError | undefined;

    ws.on('unexpected-response', (_req, res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        let message = Buffer.concat(chunks).toString('utf8');
        try {
          const parsed = JSON.parse(message) as { message?: unknown };
          if (typeof parsed.message === 'string') message = parsed.message;
        } catch {
          // keep raw text
        }
        failure = httpErrorFor(res.statusCode ?? 0, res.statusMessage ?? '', message, {
          method: 'GET',
          path: '/events',
        });
        ws.terminate();
      });
      res.on('error', () => ws.terminate());
    });
    ws.on('open', () => {
      opened = true;
      const now = Date.now();
      const from = this.#lastAlive;
      this.#lastAlive = now;
      if (this.#state === 'closed') {
        ws.terminate();
        settle?.(new AriClosedError('events socket closed while connecting'));
        settle = undefined;
        return;
      }
      this.#attempt = 0;
      this.#setState('open');
      this.emit('open', { attempt, apps: [...this.#apps] });
      if (this.#everOpen) {
        this.emit('gap', {
          from: new Date(from),
          to: new Date(now),
          durationMs: now - from,
          reason: this.#lostReason,
          apps: [...this.#apps],
        });
      }
      this.#everOpen = true;
      this.#lostReason = ''; // the reason of the drop just reported must not name the next one
      this.#startPing(ws);
      settle?.();
      settle = undefined;
    });
    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      this.#lastAlive = Date.now();
      const raw = isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString();
      const decoded = decodeAriEvent(raw);
      if (!decoded.ok) {
        this.emit('invalidFrame', { raw, error: decoded.error });
        return;
      }
      this.emit('event', decoded.event);
      if (decoded.event.type === 'ApplicationReplaced')
        this.#onReplaced(String(decoded.event.application), ws);
    });
    ws.on('pong', () => {
      this.#lastAlive = Date.now();
      if (this.#pongTimer) clearTimeout(this.#pongTimer);
      this.#pongTimer = undefined;
    });
    ws.on('error', (err: Error & { code?: string }) => {
      if (!failure) {
        const detail = redact(err.code ?? err.message, this.#endpoint);
        failure = /timed out/i.test(err.message)
          ? new AriTimeoutError(`events socket: no handshake from ${this.#endpoint.display} in time`)
          : new AriConnectionError(`events socket: cannot reach ${this.#endpoint.display} (${detail})`, err);
      }
    });
    ws.on('close', (code: number, reasonBuf: Buffer) => {
      if (this.#ws === ws) this.#ws = undefined;
      this.#stopPing();
      const reason =
        reasonBuf.toString() || this.#lostReason || (failure ? failure.message : `closed (${code})`);
      if (!opened) {
        const err =
          failure ?? new AriConnectionError(`events socket: ${this.#endpoint.display} closed the handshake`);
        if (settle) {
          settle(err);
          settle = undefined;
          this.#flushClose();
          return;
        }
        if (this.#state !== 'closed') this.emit('error', err);
        this.#scheduleReconnect(err);
        this.#flushClose();
        return;
      }
      const willReconnect =
        this.#state !== 'closed' && this.#opts.reconnect !== false && this.#apps.length > 0;
      this.#lostReason = reason;
      this.emit('disconnect', { code, reason, willReconnect });
      if (willReconnect) this.#scheduleReconnect(undefined);
      else if (this.#state !== 'closed') this.#setState('closed');
      this.#flushClose();
    });
  }

  #flushClose(): void {
    if (this.#ws) return;
    const waiters = this.#closeWaiters;
    this.#closeWaiters = [];
    for (const w of waiters) w();
  }

  #scheduleReconnect(error: AriError | undefined): void {
    if (this.#state === 'closed') return;
    const policy = this.#opts.reconnect;
    if (policy === false || this.#apps.length === 0) {
      this.#setState('closed');
      return;
    }
    this.#setState('reconnecting');
    const attempt = ++this.#attempt;
    const step = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** (attempt - 1));
    const delayMs = Math.round(step * (1 - policy.jitter * this.#opts.random()));
    this.emit('reconnecting', { attempt, delayMs, error });
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      if (this.#state === 'closed') return;
      this.#open(attempt);
    }, delayMs);
  }

  #startPing(ws: WebSocket): void {
    const interval = this.#opts.pingIntervalMs;
    if (!(interval > 0)) return;
    this.#pingTimer = setInterval(() => {
      if (ws.readyState !== WebSocket.OPEN || this.#pongTimer) return;
      this.#pongTimer = setTimeout(() => {
        this.#pongTimer = undefined;
        this.#lostReason = `no pong within ${this.#opts.pongTimeoutMs} ms`;
        ws.terminate();
      }, this.#opts.pongTimeoutMs);
      ws.ping();
    }, interval);
  }

  #stopPing(): void {
    if (this.#pingTimer) clearInterval(this.#pingTimer);
    if (this.#pongTimer) clearTimeout(this.#pongTimer);
    this.#pingTimer = undefined;
    this.#pongTimer = undefined;
  }

  #clearTimers(): void {
    this.#stopPing();
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
  }

  // Asterisk does not close a replaced socket; it just stops sending that app's events to it. We stop claiming the
  // app (so a reconnect does not steal it back and start a tug of war), and close the socket once no app is left.
  #onReplaced(application: string, ws: WebSocket): void {
    if (!this.#apps.includes(application)) return;
    this.#apps = this.#apps.filter((a) => a !== application);
    this.emit('replaced', { application, remainingApps: [...this.#apps] });
    if (this.#apps.length === 0 && this.#state !== 'closed') {
      this.#lostReason = `application ${application} replaced by another connection`;
      this.#setState('closed');
      this.#clearTimers();
      ws.close(1000, 'application replaced');
      const t = setTimeout(() => ws.terminate(), 1000);
      ws.once('close', () => clearTimeout(t));
    }
  }

  #setState(state: AriSocketState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.emit('state', state);
  }
}
