import { createHash, randomBytes, randomInt } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AmiMessage } from '../ami/index.js';
import { parseEventMask } from './ami-fake-session.js';
import { type FakeAmiHeaders, type FakeAmiReply, renderReply, renderResponse, toPairs } from './ami-reply.js';

/** Answers one AJAM action (same shape as the TCP fake's handlers, without a socket session). */
export type FakeAjamHandler = (
  action: AmiMessage,
  session: FakeAjamSession,
) => FakeAmiReply | Promise<FakeAmiReply>;

/** One `mansession_id` cookie session of the fake AJAM server. */
export interface FakeAjamSession {
  readonly id: string;
  username: string | undefined;
  eventMask: Set<string>;
  /** Events queued until the next WaitEvent. */
  queue: string[];
  /** The pending WaitEvent, if any. */
  waiter: (() => void) | undefined;
  /** The MD5 challenge issued to this session, if any. */
  challenge?: string;
}

/** Options of {@link FakeAjamServer}. */
export interface FakeAjamServerOptions {
  /** user name → secret (default `{ admin: 'secret' }`). */
  users?: Record<string, string>;
  /** http.conf `prefix` (default `asterisk`). */
  prefix?: string;
  /** Per-action handlers (case-insensitive names). */
  handlers?: Record<string, FakeAjamHandler>;
}

/** One request as received (for assertions). */
export interface FakeAjamRequest {
  method: string;
  path: string;
  cookie: string | undefined;
  action: AmiMessage;
}

const PUBLIC = new Set(['login', 'logoff', 'challenge']);

/**
 * A fake Asterisk HTTP manager (AJAM) on 127.0.0.1: `/<prefix>/rawman` with GET query or POST form
 * parameters, `mansession_id` cookie sessions, login, Ping, Logoff, per-action handlers, and events queued
 * per session and delivered by the `WaitEvent` long poll — framed like the recorded Asterisk replies.
 */
export class FakeAjamServer {
  /** Every request received, in order. */
  readonly requests: FakeAjamRequest[] = [];
  private readonly sessions = new Map<string, FakeAjamSession>();
  private readonly handlers = new Map<string, FakeAjamHandler>();
  private readonly users: Record<string, string>;
  private readonly prefix: string;

  private constructor(
    private readonly server: http.Server,
    options: FakeAjamServerOptions,
  ) {
    this.users = options.users ?? { admin: 'secret' };
    this.prefix = `/${(options.prefix ?? 'asterisk').replace(/^\/+|\/+$/g, '')}`.replace(/^\/$/, '');
    for (const [k, h] of Object.entries(options.handlers ?? {})) this.handlers.set(k.toLowerCase(), h);
  }

  /** Starts listening on 127.0.0.1 with an ephemeral port. */
  static async start(options: FakeAjamServerOptions = {}): Promise<FakeAjamServer> {
    let self: FakeAjamServer | undefined;
    const server = http.createServer((req, res) => void self?.serve(req, res));
    self = new FakeAjamServer(server, options);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return self;
  }

  /** The listening port. */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** A client URL for a configured user (default: the first one). */
  url(user?: string, secret?: string): string {
    const u = user ?? Object.keys(this.users)[0] ?? 'admin';
    const s = secret ?? this.users[u] ?? '';
    return `http://${encodeURIComponent(u)}:${encodeURIComponent(s)}@127.0.0.1:${this.port}${this.prefix}`;
  }

  /** Sets the handler of an action. */
  handle(action: string, handler: FakeAjamHandler): this {
    this.handlers.set(action.toLowerCase(), handler);
    return this;
  }

  /** Queues an event for every logged-in session whose mask accepts it; returns how many. */
  emit(event: FakeAmiHeaders): number {
    const pairs = toPairs(event);
    const priv = pairs.find(([k]) => k.toLowerCase() === 'privilege')?.[1];
    const text = pairs.map(([k, v]) => `${k}: ${v}\r\n`).join('');
    let n = 0;
    for (const s of this.sessions.values()) {
      if (s.username === undefined || s.eventMask.size === 0) continue;
      if (priv !== undefined && !s.eventMask.has('all')) {
        const classes = priv
          .toLowerCase()
          .split(',')
          .filter((c) => c !== 'all' && c !== '');
        if (!classes.every((c) => s.eventMask.has(c))) continue;
      }
      s.queue.push(`${text}\r\n`);
      s.waiter?.();
      n++;
    }
    return n;
  }

  /** Forgets every session (as if they expired); pending WaitEvents complete empty. */
  expireAll(): void {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    for (const s of all) s.waiter?.();
  }

  /** Number of live cookie sessions. */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Closes the listener and every connection. */
  async close(): Promise<void> {
    this.expireAll();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== `${this.prefix}/rawman`) {
      res.writeHead(404, { 'Content-Type': 'text/html' }).end('<h1>Not Found</h1>');
      return;
    }
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const params = req.method === 'POST' ? new URLSearchParams(body) : url.searchParams;
    const action = AmiMessage.from([...params.entries()]);
    const cookie = /mansession_id="?([0-9a-f]+)"?/i.exec(req.headers.cookie ?? '')?.[1];
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, cookie, action });
    let session = cookie === undefined ? undefined : this.sessions.get(cookie);
    if (!session) {
      session = {
        id: randomBytes(4).toString('hex'),
        username: undefined,
        eventMask: new Set(),
        queue: [],
        waiter: undefined,
      };
      this.sessions.set(session.id, session);
    }
    const out = await this.answer(action, session, res);
    res.writeHead(200, {
      Server: 'Asterisk/switchboard-fake',
      'Cache-Control': 'no-cache, no-store',
      'Content-type': 'text/plain',
      'Set-Cookie': `mansession_id="${session.id}"; Version=1; Max-Age=60`,
      Pragma: 'SuppressEvents',
      'Content-Length': Buffer.byteLength(out),
    });
    res.end(out);
  }

  private async answer(
    m: AmiMessage,
    s: FakeAjamSession,
    res: http.ServerResponse,
  ): Promise<string | Buffer> {
    const name = (m.get('Action') ?? '').toLowerCase();
    const id = m.get('ActionID') || undefined;
    if (!s.username && !PUBLIC.has(name))
      return renderResponse({ Response: 'Error', Message: 'Permission denied' }, id);
    const custom = this.handlers.get(name);
    if (custom) return renderReply(await custom(m, s), id);
    switch (name) {
      case 'login': {
        const user = m.get('Username') ?? '';
        const secret = this.users[user];
        const md5 = (m.get('AuthType') ?? '').toLowerCase() === 'md5';
        const key =
          md5 && secret !== undefined && s.challenge !== undefined
            ? createHash('md5')
                .update(s.challenge + secret)
                .digest('hex')
            : undefined;
        if (
          secret === undefined ||
          (md5 ? key === undefined || m.get('Key') !== key : secret !== m.get('Secret'))
        ) {
          this.sessions.delete(s.id);
          return renderResponse({ Response: 'Error', Message: 'Authentication failed' }, id);
        }
        s.username = user;
        s.eventMask = parseEventMask(m.get('Events'));
        // Like Asterisk: FullyBooted rides in the login body, without a final blank line.
        const booted =
          s.eventMask.size > 0
            ? 'Event: FullyBooted\r\nPrivilege: system,all\r\nStatus: Fully Booted\r\n'
            : '';
        return renderResponse({ Message: 'Authentication accepted' }, id) + booted;
      }
      case 'challenge':
        if ((m.get('AuthType') ?? '').toLowerCase() !== 'md5')
          return renderResponse({ Response: 'Error', Message: 'Must specify AuthType' }, id);
        s.challenge ??= String(randomInt(100_000_000, 999_999_999));
        return renderResponse({ Challenge: s.challenge }, id);
      case 'logoff':
        this.sessions.delete(s.id);
        return renderResponse({ Response: 'Goodbye', Message: 'Thanks for all the fish.' }, id);
      case 'ping':
        return renderResponse({ Ping: 'Pong', Timestamp: (Date.now() / 1000).toFixed(6) }, id);
      case 'waitevent':
        return this.waitEvent(s, Number(m.get('Timeout') ?? '30'), id, res);
      default:
        return renderResponse(
          {
            Response: 'Error',
            Message: `Invalid/unknown command: ${m.get('Action')}. Use Action: ListCommands to show available commands.`,
          },
          id,
        );
    }
  }

  private async waitEvent(
    s: FakeAjamSession,
    timeoutS: number,
    id: string | undefined,
    res: http.ServerResponse,
  ) {
    if (s.queue.length === 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          res.off('close', done);
          if (s.waiter === done) s.waiter = undefined;
          resolve();
        };
        const timer = setTimeout(done, Math.max(0, timeoutS) * 1000);
        s.waiter?.();
        s.waiter = done;
        res.on('close', done);
      });
    }
    const events = s.queue.splice(0).join('');
    const tail = `Event: WaitEventComplete\r\n${id ? `ActionID: ${id}\r\n` : ''}\r\n`;
    return renderResponse({ Message: 'Waiting for Event completed.' }, id) + events + tail;
  }
}
