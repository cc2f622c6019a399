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
  /** Digest realm of `/arawman` (Asterisk: `systemname`, else `asterisk`). */
  realm?: string;
  /** Serve `/arawman` with Digest (default true; false answers 404 like an Asterisk without it). */
  digest?: boolean;
  /** Refuse every Login on `/rawman` (as a server where only `/arawman` lets the user in). */
  refuseRawmanLogin?: boolean;
}

/** One request as received (for assertions). */
export interface FakeAjamRequest {
  method: string;
  path: string;
  cookie: string | undefined;
  /** The `Authorization` header (Digest requests). */
  authorization: string | undefined;
  /** The HTTP status answered. */
  status: number;
  action: AmiMessage;
}

/** What Asterisk keeps per Digest session (manager.c: managerid = current nonce, oldnonce, nc, noncetime). */
interface DigestState {
  nonce: number;
  oldNonce: number | undefined;
  nc: number;
  nonceTime: number;
}

/** Asterisk re-issues a session's nonce when it is older than this (manager.c: `> 62` seconds). */
const NONCE_LIFETIME_S = 62;

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
  private readonly realm: string;
  private readonly digestOn: boolean;
  private readonly refuseRawman: boolean;
  private readonly digest = new Map<FakeAjamSession, DigestState>();

  private constructor(
    private readonly server: http.Server,
    options: FakeAjamServerOptions,
  ) {
    this.users = options.users ?? { admin: 'secret' };
    this.prefix = `/${(options.prefix ?? 'asterisk').replace(/^\/+|\/+$/g, '')}`.replace(/^\/$/, '');
    for (const [k, h] of Object.entries(options.handlers ?? {})) this.handlers.set(k.toLowerCase(), h);
    this.realm = options.realm ?? 'asterisk';
    this.digestOn = options.digest !== false;
    this.refuseRawman = options.refuseRawmanLogin === true;
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
    this.digest.clear();
    for (const s of all) s.waiter?.();
  }

  /** Ages every Digest nonce past its 62 s lifetime: the next request of each session gets a stale 401. */
  expireNonces(): void {
    for (const d of this.digest.values()) d.nonceTime -= (NONCE_LIFETIME_S + 1) * 1000;
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
    if (this.digestOn && url.pathname === `${this.prefix}/arawman`) {
      await this.serveDigest(req, res, url);
      return;
    }
    if (url.pathname !== `${this.prefix}/rawman`) {
      res.writeHead(404, { 'Content-Type': 'text/html' }).end('<h1>Not Found</h1>');
      return;
    }
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const params = req.method === 'POST' ? new URLSearchParams(body) : url.searchParams;
    const action = AmiMessage.from([...params.entries()]);
    const cookie = /mansession_id="?([0-9a-f]+)"?/i.exec(req.headers.cookie ?? '')?.[1];
    this.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      cookie,
      authorization: req.headers.authorization,
      status: 200,
      action,
    });
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
          this.refuseRawman ||
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
      case 'events': {
        // As the TCP fake (and the events-off-on fixture): the session's mask, answered On or Off.
        const mask = m.get('EventMask');
        if (mask === undefined || mask === '')
          return renderResponse({ Response: 'Error', Message: 'Invalid event mask' }, id);
        s.eventMask = parseEventMask(mask);
        return renderResponse({ Events: s.eventMask.size > 0 ? 'On' : 'Off' }, id);
      }
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

  /**
   * `/arawman`, as manager.c's auth_http_callback: no Authorization → 401 with a fresh nonce; a wrong user or
   * response → 401 with a fresh nonce; a valid answer for an unknown nonce opens a session keyed by it (no
   * Login); the session's previous nonce → 401 `stale=true` with the current one; `nc` not above the last one
   * or a nonce older than 62 s → a new nonce and 401 `stale=true`. Replies carry no cookie.
   */
  private async serveDigest(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const params = method === 'POST' ? new URLSearchParams(body) : url.searchParams;
    const action = AmiMessage.from([...params.entries()]);
    const record: FakeAjamRequest = {
      method,
      path: url.pathname,
      cookie: undefined,
      authorization: req.headers.authorization,
      status: 401,
      action,
    };
    this.requests.push(record);
    if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') {
      record.status = 501;
      res.writeHead(501, { 'Content-type': 'text/html' }).end(httpPage(501, 'Not Implemented', ''));
      return;
    }
    const challenge = (nonce: number, stale: boolean) => {
      const n = hex8(nonce);
      res.writeHead(401, 'Unauthorized', {
        Server: 'Asterisk/switchboard-fake',
        'WWW-authenticate': `Digest algorithm=MD5, realm="${this.realm}", nonce="${n}", qop="auth", opaque="${n}"${stale ? ', stale=true' : ''}`,
        'Content-type': 'text/html',
      });
      res.end(httpPage(401, 'Unauthorized', ''));
    };
    const d = parseDigestParams(req.headers.authorization);
    const nonce = d ? Number.parseInt(d['nonce'] ?? '', 16) : Number.NaN;
    if (!d || !Number.isFinite(nonce)) return challenge(randomNonce(), false);
    const user = d['username'] ?? '';
    const secret = this.users[user];
    if (secret === undefined) return challenge(randomNonce(), false);
    const ha1 = md5hex(`${user}:${this.realm}:${secret}`);
    const ha2 = md5hex(`${method}:${d['uri'] ?? ''}`);
    const expected =
      d['qop'] !== undefined
        ? md5hex(`${ha1}:${hex8(nonce)}:${d['nc'] ?? ''}:${d['cnonce'] ?? ''}:auth:${ha2}`)
        : md5hex(`${ha1}:${hex8(nonce)}:${ha2}`);
    if (!(d['response'] ?? '').toLowerCase().startsWith(expected)) return challenge(randomNonce(), false);
    let session: FakeAjamSession | undefined;
    let state: DigestState | undefined;
    for (const [s, st] of this.digest) {
      if (s.username !== user) continue;
      if (st.nonce === nonce || st.oldNonce === nonce) {
        session = s;
        state = st;
        break;
      }
    }
    const now = Date.now();
    if (!session || !state) {
      session = {
        id: randomBytes(4).toString('hex'),
        username: user,
        eventMask: parseEventMask(undefined),
        queue: [],
        waiter: undefined,
      };
      this.sessions.set(session.id, session);
      this.digest.set(session, { nonce, oldNonce: undefined, nc: 0, nonceTime: now });
    } else if (state.nonce !== nonce) {
      return challenge(state.nonce, true); // an old nonce: repeat the current one
    } else {
      const nc = Number.parseInt(d['nc'] ?? '', 16);
      if (!(nc > state.nc) || now - state.nonceTime > NONCE_LIFETIME_S * 1000) {
        state.nc = 0;
        state.oldNonce = state.nonce;
        state.nonce = randomNonce();
        state.nonceTime = now;
        return challenge(state.nonce, true);
      }
      state.nc = nc;
    }
    record.status = 200;
    const out = await this.answer(action, session, res);
    if (!this.sessions.has(session.id)) this.digest.delete(session); // Logoff
    res.writeHead(200, {
      Server: 'Asterisk/switchboard-fake',
      'Content-type': 'text/plain',
      'Content-Length': Buffer.byteLength(out),
    });
    res.end(out);
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

const md5hex = (s: string) => createHash('md5').update(s).digest('hex');
const hex8 = (n: number) => n.toString(16).padStart(8, '0');
// Asterisk's ast_random() is a 31-bit random(): at most 8 hex digits.
const randomNonce = () => randomInt(1, 2 ** 31);

/** The fields of an `Authorization: Digest …` header (lower-case keys), or undefined when it is not Digest. */
function parseDigestParams(header: string | undefined): Record<string, string> | undefined {
  if (header === undefined || !/^\s*digest\s/i.test(header)) return undefined;
  const out: Record<string, string> = {};
  for (const m of header
    .replace(/^\s*digest\s+/i, '')
    .matchAll(/([A-Za-z-]+)\s*=\s*(?:"([^"]*)"|([^,\s]*))/g))
    out[(m[1] ?? '').toLowerCase()] = m[2] ?? m[3] ?? '';
  return out.nonce === undefined || out.response === undefined ? undefined : out;
}

/** The HTML page main/http.c writes for an HTTP error (ast_http_create_response). */
function httpPage(code: number, title: string, text: string): string {
  return (
    '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\r\n' +
    `<html><head>\r\n<title>${code} ${title}</title>\r\n</head><body>\r\n<h1>${title}</h1>\r\n` +
    `<p>${text}</p>\r\n<hr />\r\n<address>Asterisk Server</address>\r\n</body></html>\r\n`
  );
}
