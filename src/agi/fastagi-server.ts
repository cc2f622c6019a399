/** FastAGI server: accepts Asterisk's TCP connections and runs a handler or router per call, async. */
import { createServer, type Server, type Socket } from 'node:net';
import pino, { type Logger } from 'pino';
import { AllowList } from './allow-list.js';
import { AgiChannel } from './channel.js';
import { type AgiChannelOptions, channelOptionsOf } from './channel-core.js';
import { AgiClosedError } from './errors.js';
import { AgiMetricsRecorder, type FastAgiMetrics } from './metrics.js';
import { AgiReader } from './reader.js';
import type { AgiRequest } from './request.js';
import type { AgiHandler } from './router.js';
import { AgiRouter } from './router.js';
import { createAgiContext, runAgiHandler } from './run-handler.js';

/** Options of {@link createFastAgiServer}. */
export interface FastAgiServerOptions {
  /** Address to bind (default `127.0.0.1`: FastAGI has no authentication). */
  readonly host?: string;
  /** TCP port (default 4573; 0 picks a free one). */
  readonly port?: number;
  /** Allowed client addresses/CIDRs; others are refused and logged. Default: everyone who can reach `host`. */
  readonly allow?: string | readonly string[];
  /** Most concurrent sessions; beyond it calls are refused (dialplan sees the error variable `BUSY`). */
  readonly maxSessions?: number;
  /** pino logger (default silent). */
  readonly logger?: Logger;
  /** One handler for every call… */
  readonly handler?: AgiHandler;
  /** …or a router. */
  readonly router?: AgiRouter;
  /** Close a session after this many ms (no default). */
  readonly sessionTimeout?: number;
  /** Hangup grace window for a `-1` from a waiting command, ms (see `AgiChannelOptions.hangupGrace`). */
  readonly hangupGrace?: number;
  /** Give up on a client that sends no complete environment within this many ms (default 10000). */
  readonly environmentTimeout?: number;
  /** Channel variable set to the error code when a handler fails (default `SWITCHBOARD_ERROR`). */
  readonly errorVariable?: string;
}

/** Options of {@link FastAgiServer.close}. */
export interface FastAgiCloseOptions {
  /** How long live calls may go on before they are hung up, ms (default 10000). */
  readonly deadline?: number;
}

interface Session {
  readonly socket: Socket;
  channel: AgiChannel | undefined;
  handlerDone: boolean;
  socketClosed: boolean;
  /** When the connection was accepted (for the environment timeout). */
  readonly since: number;
  /** When we ended our side (the peer then has END_GRACE_MS to close its side). */
  endingSince: number | undefined;
}

const silent = pino({ level: 'silent' });
const END_GRACE_MS = 2000;
const SWEEP_MS = 250;

/** A FastAGI server. Create with {@link createFastAgiServer}, then `await server.listen()`. */
export class FastAgiServer {
  private readonly server: Server;
  private readonly options: FastAgiServerOptions;
  private readonly logger: Logger;
  private readonly router: AgiRouter;
  private readonly allow: AllowList | undefined;
  private readonly recorder = new AgiMetricsRecorder();
  private readonly sessions = new Set<Session>();
  private readonly errorVariable: string;
  private closing: Promise<void> | undefined;
  private idleWaiters: (() => void)[] = [];
  // One timer for all sessions (environment timeout, peers that never close): none per session.
  private sweeper: ReturnType<typeof setInterval> | undefined;
  private readonly channelOptions: AgiChannelOptions;

  constructor(options: FastAgiServerOptions) {
    if (!options.handler === !options.router) throw new TypeError('give exactly one of handler or router');
    this.options = options;
    this.logger = options.logger ?? silent;
    this.router = options.router ?? new AgiRouter().route('*', options.handler!);
    const allow = typeof options.allow === 'string' ? options.allow.split(',') : options.allow;
    this.allow = allow && allow.length > 0 ? new AllowList(allow) : undefined;
    this.errorVariable = options.errorVariable ?? 'SWITCHBOARD_ERROR';
    this.channelOptions = channelOptionsOf(options);
    this.server = createServer({ noDelay: true }, (socket) => this.accept(socket));
  }

  /** Starts listening; resolves with the bound address. */
  listen(): Promise<{ host: string; port: number }> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.server.once('error', onError);
      const listen = {
        port: this.options.port ?? 4573,
        host: this.options.host ?? '127.0.0.1',
        backlog: 4096,
      };
      this.server.listen(listen, () => {
        this.server.off('error', onError);
        this.server.on('error', (err) => this.logger.error({ err }, 'FastAGI server error'));
        const a = this.address!;
        this.logger.info(a, 'FastAGI server listening');
        resolve(a);
      });
    });
  }

  /** The bound address, once listening. */
  get address(): { host: string; port: number } | undefined {
    const a = this.server.address();
    return a && typeof a === 'object' ? { host: a.address, port: a.port } : undefined;
  }

  /** Live counters (a snapshot). */
  metrics(): FastAgiMetrics {
    return this.recorder.snapshot();
  }

  /** Number of live sessions. */
  get activeSessions(): number {
    return this.sessions.size;
  }

  /** Resolves once no session is live (sessions opened meanwhile are waited for too). */
  idle(): Promise<void> {
    if (this.sessions.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Graceful shutdown: stop accepting, let live calls finish until `deadline`, then hang them up (HANGUP
   * command, socket end). Resolves when every socket is closed. Idempotent.
   */
  close(options: FastAgiCloseOptions = {}): Promise<void> {
    if (this.closing) return this.closing;
    const deadline = options.deadline ?? 10000;
    this.closing = (async () => {
      const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
      if (this.sessions.size > 0) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const expired = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, deadline);
        });
        await Promise.race([this.idle(), expired]);
        clearTimeout(timer);
        for (const s of this.sessions) this.hangUp(s);
        await this.idle();
      }
      await stopped;
      this.logger.info('FastAGI server closed');
    })();
    return this.closing;
  }

  private hangUp(s: Session): void {
    if (s.socketClosed) return;
    if (!s.socket.destroyed && s.socket.writable) s.socket.write('HANGUP\n');
    s.channel?.close(new AgiClosedError('the FastAGI server shut down'));
    this.endSocket(s);
  }

  private endSocket(s: Session): void {
    if (s.socketClosed || s.endingSince !== undefined) return;
    s.endingSince = Date.now();
    s.socket.end();
  }

  private sweep(): void {
    const now = Date.now();
    const envTimeout = this.options.environmentTimeout ?? 10000;
    for (const s of this.sessions) {
      if (s.socketClosed) continue;
      if (s.endingSince !== undefined) {
        if (now - s.endingSince >= END_GRACE_MS) s.socket.destroy();
      } else if (!s.channel && now - s.since >= envTimeout) {
        this.logger.warn({ remote: s.socket.remoteAddress }, 'FastAGI client sent no environment in time');
        s.socket.destroy();
      }
    }
  }

  private refuse(socket: Socket, reason: string): void {
    this.recorder.refused();
    this.logger.warn({ remote: socket.remoteAddress, reason }, 'FastAGI connection refused');
  }

  private accept(socket: Socket): void {
    if (this.allow && !this.allow.allows(socket.remoteAddress)) {
      this.refuse(socket, 'address not in the allow-list');
      socket.destroy();
      return;
    }
    if (
      this.closing ||
      (this.options.maxSessions !== undefined && this.sessions.size >= this.options.maxSessions)
    ) {
      this.refuse(
        socket,
        this.closing ? 'server shutting down' : `max sessions (${this.options.maxSessions}) reached`,
      );
      // Asterisk reads commands once it has sent the environment: the line waits in its buffer.
      socket.on('error', () => {});
      socket.resume();
      socket.end(`SET VARIABLE ${this.errorVariable} BUSY\n`);
      const t = setTimeout(() => socket.destroy(), END_GRACE_MS);
      socket.once('close', () => clearTimeout(t));
      return;
    }
    const s: Session = {
      socket,
      channel: undefined,
      handlerDone: false,
      socketClosed: false,
      since: Date.now(),
      endingSince: undefined,
    };
    this.sessions.add(s);
    this.recorder.opened();
    this.sweeper ??= setInterval(() => this.sweep(), SWEEP_MS);
    const reader = new AgiReader((event) => {
      const ch = s.channel;
      switch (event.type) {
        case 'environment':
          this.start(s, event.request);
          break;
        case 'reply':
          ch?.receiveReply(event.reply);
          break;
        case 'hangup':
          ch?.receiveHangup();
          break;
        default:
          break; // interim (GOSUB 100 Trying)
      }
    });
    socket.on('data', (chunk: Buffer) => {
      try {
        reader.push(chunk);
      } catch (err) {
        this.logger.warn({ err, uniqueid: s.channel?.request.uniqueid }, 'FastAGI protocol error; closing');
        socket.destroy();
      }
    });
    socket.on('error', (err) => {
      this.logger.debug({ err, uniqueid: s.channel?.request.uniqueid }, 'FastAGI socket error');
    });
    socket.on('close', () => {
      s.socketClosed = true;
      s.channel?.transportClosed();
      if (!s.channel) s.handlerDone = true;
      this.settle(s);
    });
  }

  private settle(s: Session): void {
    if (!s.handlerDone || !s.socketClosed || !this.sessions.has(s)) return;
    this.sessions.delete(s);
    this.recorder.closed();
    if (this.sessions.size === 0) {
      if (this.sweeper) clearInterval(this.sweeper);
      this.sweeper = undefined;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private start(s: Session, request: AgiRequest): void {
    const socket = s.socket;
    const recorder = this.recorder;
    const channel = new AgiChannel(
      request,
      {
        send(line) {
          recorder.command();
          socket.write(`${line}\n`);
        },
        close: () => this.endSocket(s),
      },
      this.channelOptions,
    );
    s.channel = channel;
    const ctx = createAgiContext(channel, () =>
      this.logger.child({ uniqueid: request.uniqueid, channel: request.channel }),
    );
    const started = performance.now();
    void runAgiHandler(this.options.handler ?? this.router, channel, ctx, this.errorVariable).then(
      (outcome) => {
        const ms = performance.now() - started;
        const route = ctx.route ?? (this.options.handler ? '(handler)' : '(not found)');
        recorder.session(route, ms, outcome);
        if (this.logger.isLevelEnabled('info')) {
          ctx.logger.info(
            { path: request.path, route, ms: Math.round(ms), commands: channel.commandCount, outcome },
            'AGI call',
          );
        }
        channel.close();
        s.handlerDone = true;
        this.settle(s);
      },
    );
  }
}

/** Creates a FastAGI server (not yet listening): `await createFastAgiServer({ router }).listen()`. */
export function createFastAgiServer(options: FastAgiServerOptions): FastAgiServer {
  return new FastAgiServer(options);
}
