/**
 * FakeAriServer: an HTTP + WebSocket server on 127.0.0.1 that behaves like Asterisk's ARI where tests need it —
 * auth (401 with `WWW-Authenticate: Basic realm="Asterisk REST Interface"`), `{"message":…}` errors, replay of
 * recorded REST exchanges, scripted routes and events, ApplicationReplaced, and faults (dropped sockets,
 * unanswered pings, slow replies, error statuses).
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { isDeepStrictEqual } from 'node:util';
import { type WebSocket, WebSocketServer } from 'ws';
import { ariTimestamp } from './ari-fake-events.js';
import { rejectUpgrade, writeAriReply } from './ari-fake-http.js';
import type { AriRestRecord } from './ari-fixtures.js';

/** Options of {@link FakeAriServer}. */
export interface FakeAriServerOptions {
  /** ARI user (default `asterisk`). */
  username?: string;
  /** Its password (default `asterisk`). */
  password?: string;
  /** http.conf prefix (default `/asterisk`, as in the fixtures). */
  prefix?: string;
  /** ari.conf `auth_realm` (default `Asterisk REST Interface`). */
  realm?: string;
  /** A read-only user: non-GET requests get 403 `Write access denied`. */
  readOnly?: boolean;
  /** `Server:` header value. */
  serverHeader?: string;
}

/** A request as the fake server saw it. */
export interface FakeAriRequest {
  /** HTTP method. */
  method: string;
  /** Path below `/ari`, e.g. `/channels/abc/answer` (decoded segments are in `params`). */
  path: string;
  /** Query parameters (without `api_key`). */
  query: Record<string, string>;
  /** Parsed JSON body, or undefined. */
  body: unknown;
  /** Request headers. */
  headers: IncomingMessage['headers'];
  /** Path parameters of the matched route pattern. */
  params: Record<string, string>;
}

/** A scripted reply. */
export interface FakeAriReply {
  /** HTTP status. */
  status: number;
  /** Body: an object/array is sent as JSON, a string as is; omitted for 204. */
  body?: unknown;
  /** Reason phrase (default: Node's for the status). */
  statusMessage?: string;
  /** Extra headers. */
  headers?: Array<[string, string]>;
  /** Delay before answering, in ms. */
  delayMs?: number;
}

/** A route handler; return undefined to fall through to the next route, the replay and the 404. */
export type FakeAriHandler = (
  req: FakeAriRequest,
  server: FakeAriServer,
) => FakeAriReply | undefined | Promise<FakeAriReply | undefined>;

/** One accepted events WebSocket. */
export interface FakeAriConnection {
  /** Sequence number (1 = first accepted). */
  readonly id: number;
  /** Applications it registered. */
  readonly apps: string[];
  /** Whether it asked for `subscribeAll`. */
  readonly subscribeAll: boolean;
  /** The socket. */
  readonly ws: WebSocket;
}

interface Route {
  method: string;
  re: RegExp;
  names: string[];
  handler: FakeAriHandler;
}

/** A fake Asterisk ARI server for tests. */
export class FakeAriServer {
  readonly #opts: Required<FakeAriServerOptions>;
  readonly #http = http.createServer((req, res) => this.#onRequest(req, res));
  readonly #wss = new WebSocketServer({ noServer: true, autoPong: false });
  readonly #routes: Route[] = [];
  readonly #replay: Array<{ record: AriRestRecord; used: boolean }> = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #owners = new Map<string, FakeAriConnection>();
  readonly #connWaiters: Array<{ count: number; resolve: (c: FakeAriConnection) => void }> = [];
  #nextConn = 0;
  #port = 0;
  /** Every request received, in order. */
  readonly requests: FakeAriRequest[] = [];
  /** Live events connections. */
  readonly connections = new Set<FakeAriConnection>();
  /** Every connection ever accepted, in order. */
  readonly acceptedConnections: FakeAriConnection[] = [];
  /** Delay added to every REST reply (ms): a slow Asterisk. */
  responseDelayMs = 0;
  /** When false, pings are not answered (a dead link that keeps the TCP connection). */
  answerPings = true;
  /** When false, new WebSocket upgrades are refused with 503 (Asterisk down). */
  acceptConnections = true;

  constructor(options: FakeAriServerOptions = {}) {
    this.#opts = {
      username: options.username ?? 'asterisk',
      password: options.password ?? 'asterisk',
      prefix: (options.prefix ?? '/asterisk').replace(/\/+$/, ''),
      realm: options.realm ?? 'Asterisk REST Interface',
      readOnly: options.readOnly ?? false,
      serverHeader: options.serverHeader ?? 'Asterisk/UNKNOWN__and_probably_unsupported',
    };
    this.#http.on('upgrade', (req, socket, head) => this.#onUpgrade(req, socket, head));
  }

  /** Starts listening on 127.0.0.1 with an ephemeral port. */
  async listen(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.#http.once('error', reject);
      this.#http.listen(0, '127.0.0.1', () => resolve());
    });
    this.#port = (this.#http.address() as AddressInfo).port;
    return this;
  }

  /** The port. */
  get port(): number {
    return this.#port;
  }
  /** Base URL with credentials, e.g. `http://asterisk:asterisk@127.0.0.1:PORT/asterisk`. */
  get url(): string {
    const u = encodeURIComponent(this.#opts.username);
    const p = encodeURIComponent(this.#opts.password);
    return `http://${u}:${p}@127.0.0.1:${this.#port}${this.#opts.prefix}`;
  }
  /** Base URL without credentials. */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.#port}${this.#opts.prefix}`;
  }

  /**
   * Adds a route (`/channels/:channelId/answer`); later routes are tried first so a test can override.
   * Returns a function that removes it.
   */
  route(method: string, pattern: string, handler: FakeAriHandler): () => void {
    const names: string[] = [];
    const re = new RegExp(
      `^${pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\/:(\w+)/g, (_m, n: string) => {
        names.push(n);
        return '/([^/]+)';
      })}$`,
    );
    const route: Route = { method: method.toUpperCase(), re, names, handler };
    this.#routes.unshift(route);
    return () => {
      const i = this.#routes.indexOf(route);
      if (i >= 0) this.#routes.splice(i, 1);
    };
  }

  /** Answers `times` matching requests with an error status and Asterisk's `{"message":…}` body. */
  fail(
    method: string,
    pattern: string,
    status: number,
    message: string,
    times = Number.POSITIVE_INFINITY,
  ): () => void {
    let left = times;
    const remove = this.route(method, pattern, () => {
      if (left <= 0) return undefined;
      left--;
      if (left <= 0) remove();
      return { status, body: { message } };
    });
    return remove;
  }

  /**
   * Replays recorded exchanges: a request matching a record's method, path, query and body gets the recorded
   * status, headers and body, byte for byte. Each record answers once, in recorded order. Records made without
   * valid credentials are skipped (the server's own auth check answers those).
   */
  replayRest(records: AriRestRecord[]): void {
    for (const record of records)
      if (record.auth.startsWith('basic ') && !record.auth.includes('wrong'))
        this.#replay.push({ record, used: false });
  }

  /** Number of replay records not used yet. */
  get unusedReplays(): number {
    return this.#replay.filter((r) => !r.used).length;
  }

  /** Resolves when at least `count` connections have been accepted in total (default: one more than now). */
  waitForConnection(count = this.acceptedConnections.length + 1): Promise<FakeAriConnection> {
    const have = this.acceptedConnections[count - 1];
    if (have) return Promise.resolve(have);
    return new Promise((resolve) => this.#connWaiters.push({ count, resolve }));
  }

  /**
   * Sends one event (object → JSON, string → raw frame). Routed like Asterisk: to the connection owning
   * `event.application` when there is one, else to every connection; `conn` forces one. Returns frames sent.
   * With no connection, the event is lost — exactly what Asterisk does.
   */
  send(event: object | string, conn?: FakeAriConnection): number {
    const text = typeof event === 'string' ? event : JSON.stringify(event);
    let targets: FakeAriConnection[];
    if (conn) targets = [conn];
    else {
      let app: unknown;
      if (typeof event === 'string') {
        try {
          app = (JSON.parse(event) as { application?: unknown }).application;
        } catch {
          app = undefined;
        }
      } else app = (event as { application?: unknown }).application;
      const owner = typeof app === 'string' ? this.#owners.get(app) : undefined;
      targets = owner ? [owner] : [...this.connections];
    }
    let n = 0;
    for (const c of targets) {
      if (c.ws.readyState === c.ws.OPEN) {
        c.ws.send(text);
        n++;
      }
    }
    return n;
  }

  /** Kills every events socket without a close frame (a dropped link). */
  dropConnections(): void {
    for (const c of this.connections) c.ws.terminate();
  }

  /** Closes everything: sockets, keep-alive connections, timers. Idempotent. */
  async close(): Promise<void> {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    for (const c of this.connections) c.ws.terminate();
    this.#wss.close();
    if (!this.#http.listening) return;
    await new Promise<void>((resolve) => {
      this.#http.close(() => resolve());
      this.#http.closeAllConnections();
    });
  }

  #authorized(req: IncomingMessage, url: URL): boolean {
    const { username, password } = this.#opts;
    const header = req.headers.authorization;
    if (header?.startsWith('Basic ')) {
      const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
      return decoded === `${username}:${password}`;
    }
    const key = url.searchParams.get('api_key');
    return key === `${username}:${password}`;
  }

  #write(
    res: ServerResponse,
    status: number,
    statusMessage: string | undefined,
    body: unknown,
    extra: Array<[string, string]> = [],
  ): void {
    writeAriReply(res, this.#opts.serverHeader, status, statusMessage, body, extra);
  }

  #writeRaw(res: ServerResponse, record: AriRestRecord): void {
    res.writeHead(record.status, record.statusMessage, record.responseHeaders.flat());
    res.end(record.responseBody);
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.#handle(req, res, Buffer.concat(chunks)).catch((err: unknown) => {
        if (!res.headersSent) this.#write(res, 500, undefined, { message: String(err) });
      });
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ariRoot = `${this.#opts.prefix}/ari`;
    if (url.pathname !== ariRoot && !url.pathname.startsWith(`${ariRoot}/`)) {
      this.#write(res, 404, 'Not Found', '<html><body>Not Found</body></html>');
      return;
    }
    if (!this.#authorized(req, url)) {
      this.#write(res, 401, 'Unauthorized', { message: 'Authentication required' }, [
        ['WWW-Authenticate', `Basic realm="${this.#opts.realm}"`],
      ]);
      return;
    }
    const method = (req.method ?? 'GET').toUpperCase();
    if (this.#opts.readOnly && method !== 'GET') {
      this.#write(res, 403, 'Forbidden', { message: 'Write access denied' });
      return;
    }
    const path = url.pathname.slice(ariRoot.length) || '/';
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) if (k !== 'api_key') query[k] = v;
    let body: unknown;
    if (raw.length) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        this.#write(res, 400, 'Bad Request', { message: 'Error parsing request body' });
        return;
      }
    }
    const request: FakeAriRequest = { method, path, query, body, headers: req.headers, params: {} };
    this.requests.push(request);

    let reply: FakeAriReply | undefined;
    for (const route of [...this.#routes]) {
      if (route.method !== method && route.method !== '*') continue;
      const m = route.re.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.names.forEach((n, i) => {
        params[n] = decodeURIComponent(m[i + 1] ?? '');
      });
      reply = await route.handler({ ...request, params }, this);
      if (reply) break;
    }
    const delay = (reply?.delayMs ?? 0) + this.responseDelayMs;
    if (delay > 0) await this.#sleep(delay);
    if (res.destroyed) return;
    if (reply) {
      this.#write(res, reply.status, reply.statusMessage, reply.body, reply.headers);
      return;
    }
    const entry = this.#replay.find(
      (r) =>
        !r.used &&
        r.record.method === method &&
        r.record.path === `/ari${path === '/' ? '' : path}` &&
        isDeepStrictEqual(r.record.query, query) &&
        (r.record.body === null ? body === undefined : isDeepStrictEqual(r.record.body, body)),
    );
    if (entry) {
      entry.used = true;
      this.#writeRaw(res, entry.record);
      return;
    }
    this.#write(res, 404, 'Not Found', { message: 'Resource not found' });
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.#timers.delete(t);
        resolve();
      }, ms);
      this.#timers.add(t);
    });
  }

  #reject(socket: Duplex, status: number, reason: string, body: object, extra: string[] = []): void {
    rejectUpgrade(socket, this.#opts.serverHeader, status, reason, body, extra);
  }

  #onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== `${this.#opts.prefix}/ari/events`) {
      this.#reject(socket, 404, 'Not Found', { message: 'Resource not found' });
      return;
    }
    if (!this.#authorized(req, url)) {
      this.#reject(socket, 401, 'Unauthorized', { message: 'Authentication required' }, [
        `WWW-Authenticate: Basic realm="${this.#opts.realm}"`,
      ]);
      return;
    }
    if (!this.acceptConnections) {
      this.#reject(socket, 503, 'Service Unavailable', { message: 'Service Unavailable' });
      return;
    }
    const apps = (url.searchParams.get('app') ?? '').split(',').filter(Boolean);
    if (apps.length === 0) {
      this.#reject(socket, 400, 'Bad Request', { message: 'Missing required param app' });
      return;
    }
    const subscribeAll = url.searchParams.get('subscribeAll') === 'true';
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      const conn: FakeAriConnection = { id: ++this.#nextConn, apps, subscribeAll, ws };
      ws.on('ping', (data) => {
        if (this.answerPings) ws.pong(data);
      });
      ws.on('error', () => {});
      ws.on('close', () => {
        this.connections.delete(conn);
        for (const app of apps) if (this.#owners.get(app) === conn) this.#owners.delete(app);
      });
      for (const app of apps) {
        const previous = this.#owners.get(app);
        // Like Asterisk: the old socket is told, then simply gets nothing more for that app (it is not closed).
        if (previous && previous.ws.readyState === previous.ws.OPEN) {
          previous.ws.send(
            JSON.stringify({
              type: 'ApplicationReplaced',
              timestamp: ariTimestamp(),
              application: app,
              asterisk_id: '02:fc:00:00:00:01',
            }),
          );
        }
        this.#owners.set(app, conn);
      }
      this.connections.add(conn);
      this.acceptedConnections.push(conn);
      for (const w of [...this.#connWaiters]) {
        if (this.acceptedConnections.length >= w.count) {
          this.#connWaiters.splice(this.#connWaiters.indexOf(w), 1);
          w.resolve(this.acceptedConnections[w.count - 1]!);
        }
      }
    });
  }
}
