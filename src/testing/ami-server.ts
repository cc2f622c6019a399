import { createHash, randomInt } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { type AmiMessage, AmiParser } from '../ami/index.js';
import { FakeAmiSession, parseEventMask } from './ami-fake-session.js';
import type { AmiTranscriptReplay } from './ami-replay.js';
import { type FakeAmiHeaders, type FakeAmiReply, renderReply, renderResponse } from './ami-reply.js';

/** Answers one action; return `null` to stay silent. May be async. */
export type FakeAmiHandler = (
  action: AmiMessage,
  session: FakeAmiSession,
) => FakeAmiReply | Promise<FakeAmiReply>;

/** Options of {@link FakeAmiServer}. */
export interface FakeAmiServerOptions {
  /** user name → secret (default `{ admin: 'secret' }`). */
  users?: Record<string, string>;
  /** Banner line (default `Asterisk Call Manager/13.0.0`). */
  banner?: string;
  /** Send `Event: FullyBooted` after a successful login (default true). */
  fullyBooted?: boolean;
  /** Delay before answering a failed login, like Asterisk's ~1 s (default 0). */
  loginFailDelay?: number;
  /** Per-action handlers (names are case-insensitive); they override the defaults. */
  handlers?: Record<string, FakeAmiHandler>;
  /** Serve TLS (for `amis://`) with this key and certificate. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Replay a recorded transcript instead of emulating (see `AmiTranscriptReplay`). */
  replay?: AmiTranscriptReplay;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** Port to listen on (default 0: an ephemeral port). */
  port?: number;
  /** Called after each login attempt (after the response and `FullyBooted` were written). */
  onLogin?: (session: FakeAmiSession, ok: boolean, username: string) => void;
}

const PUBLIC = new Set(['login', 'logoff', 'challenge']);

/**
 * A scriptable fake Asterisk manager on 127.0.0.1 (port 0): banner, plain and MD5 login checked against
 * configured users, Events mask and Filter, default Ping/Logoff/Challenge/Events/Filter handlers, per-action
 * handlers, events on demand, transcript replay and faults (drop, stall, garbage, slow, hold).
 */
export class FakeAmiServer {
  /** Live and past sessions, in accept order. */
  readonly sessions: FakeAmiSession[] = [];
  private readonly handlers = new Map<string, FakeAmiHandler>();
  private readonly users: Record<string, string>;
  private sessionWaiters: Array<(s: FakeAmiSession) => void> = [];
  private actionWaiters: Array<{
    name: string | undefined;
    resolve: (a: { action: AmiMessage; session: FakeAmiSession }) => void;
  }> = [];
  private refusing = false;
  private stallNew = false;

  private constructor(
    private readonly server: net.Server,
    private readonly options: FakeAmiServerOptions,
  ) {
    this.users = options.users ?? { admin: 'secret' };
    for (const [k, h] of Object.entries(options.handlers ?? {})) this.handlers.set(k.toLowerCase(), h);
  }

  /** Starts listening on 127.0.0.1 with an ephemeral port. */
  static async start(options: FakeAmiServerOptions = {}): Promise<FakeAmiServer> {
    let self: FakeAmiServer | undefined;
    const onConn = (socket: net.Socket) => self?.accept(socket);
    const server = options.tls
      ? tls.createServer({ key: options.tls.key, cert: options.tls.cert }, onConn)
      : net.createServer(onConn);
    self = new FakeAmiServer(server, options);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    return self;
  }

  /** The listening port. */
  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** A client URL for a configured user (default: the first one). */
  url(user?: string, secret?: string): string {
    const u = user ?? Object.keys(this.users)[0] ?? 'admin';
    const s = secret ?? this.users[u] ?? '';
    const scheme = this.options.tls ? 'amis' : 'ami';
    return `${scheme}://${encodeURIComponent(u)}:${encodeURIComponent(s)}@127.0.0.1:${this.port}`;
  }

  /** Sessions whose connection is still open. */
  get live(): FakeAmiSession[] {
    return this.sessions.filter((s) => s.alive);
  }

  /** Sets (or replaces) the handler of an action. */
  handle(action: string, handler: FakeAmiHandler): this {
    this.handlers.set(action.toLowerCase(), handler);
    return this;
  }

  /** Sends an event to every logged-in session whose mask and filters accept it; returns how many got it. */
  emit(event: FakeAmiHeaders): number {
    let n = 0;
    for (const s of this.live) if (s.emit(event)) n++;
    return n;
  }

  /** Resolves with the next session to connect. */
  nextSession(): Promise<FakeAmiSession> {
    return new Promise((resolve) => this.sessionWaiters.push(resolve));
  }

  /** Resolves with the next action received (optionally: with this name), on any session. */
  nextAction(name?: string): Promise<{ action: AmiMessage; session: FakeAmiSession }> {
    return new Promise((resolve) => this.actionWaiters.push({ name: name?.toLowerCase(), resolve }));
  }

  /** Every action received by every session, in order. */
  get actions(): AmiMessage[] {
    return this.sessions.flatMap((s) => s.actions);
  }

  /** Drops every live connection. */
  dropAll(): void {
    for (const s of this.live) s.drop();
  }

  /** While true, new connections are closed at once (to exercise reconnect backoff). */
  refuse(on = true): void {
    this.refusing = on;
  }

  /** While true, new sessions start stalled (connected, but no banner and no answers). */
  stallNewSessions(on = true): void {
    this.stallNew = on;
  }

  /** Closes every connection and the listener. */
  async close(): Promise<void> {
    for (const s of this.sessions) s.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    if (this.refusing) {
      socket.destroy();
      return;
    }
    socket.on('error', () => {});
    socket.setNoDelay(true);
    const session = new FakeAmiSession(socket);
    this.sessions.push(session);
    if (this.stallNew) session.stall();
    const replay = this.options.replay?.start(session);
    const parser = new AmiParser({
      banner: false,
      onMessage: (m) => {
        session.actions.push(m);
        this.notifyAction(m, session);
        if (session.isStalled) return;
        if (replay) replay.onAction(m);
        else void this.answer(m, session);
      },
    });
    socket.on('data', (c: Buffer) => parser.push(c));
    if (!replay) session.write(`${this.options.banner ?? 'Asterisk Call Manager/13.0.0'}\r\n`);
    const waiters = this.sessionWaiters;
    this.sessionWaiters = [];
    for (const w of waiters) w(session);
  }

  private notifyAction(m: AmiMessage, session: FakeAmiSession): void {
    const name = (m.get('Action') ?? '').toLowerCase();
    const keep: typeof this.actionWaiters = [];
    for (const w of this.actionWaiters) {
      if (w.name === undefined || w.name === name) w.resolve({ action: m, session });
      else keep.push(w);
    }
    this.actionWaiters = keep;
  }

  private async answer(m: AmiMessage, s: FakeAmiSession): Promise<void> {
    const name = (m.get('Action') ?? '').toLowerCase();
    const id = m.get('ActionID') || undefined;
    if (name === '') {
      s.write(renderResponse({ Response: 'Error', Message: 'Missing action in request' }, id));
      return;
    }
    if (!s.loggedIn && !PUBLIC.has(name)) {
      s.write(renderResponse({ Response: 'Error', Message: 'Permission denied' }, id));
      return;
    }
    const custom = this.handlers.get(name);
    if (custom) {
      const reply = await custom(m, s);
      s.write(renderReply(reply, id));
      return;
    }
    switch (name) {
      case 'login':
        return this.login(m, s, id);
      case 'challenge': {
        if ((m.get('AuthType') ?? '').toLowerCase() !== 'md5') {
          s.write(renderResponse({ Response: 'Error', Message: 'Must specify AuthType' }, id));
          return;
        }
        s.challenge ??= String(randomInt(100_000_000, 999_999_999));
        s.write(renderResponse({ Challenge: s.challenge }, id));
        return;
      }
      case 'ping':
        s.write(renderResponse({ Ping: 'Pong', Timestamp: (Date.now() / 1000).toFixed(6) }, id));
        return;
      case 'logoff':
        s.write(renderResponse({ Response: 'Goodbye', Message: 'Thanks for all the fish.' }, id));
        s.socket.end();
        return;
      case 'events': {
        const mask = m.get('EventMask');
        if (mask === undefined || mask === '') {
          s.write(renderResponse({ Response: 'Error', Message: 'Invalid event mask' }, id));
          return;
        }
        s.eventMask = parseEventMask(mask);
        s.write(renderResponse({ Events: s.eventMask.size > 0 ? 'On' : 'Off' }, id));
        return;
      }
      case 'filter': {
        const f = m.get('Filter') ?? '';
        try {
          new RegExp(f.replace(/^!/, ''));
        } catch {
          s.write(
            renderResponse(
              {
                Response: 'Error',
                Message: 'Filter did not compile.  Check the syntax of the filter given.',
              },
              id,
            ),
          );
          return;
        }
        s.filters.push(f);
        s.write(renderResponse({ Message: 'Filter Added Successfully' }, id));
        return;
      }
      default:
        s.write(
          renderResponse(
            {
              Response: 'Error',
              Message: `Invalid/unknown command: ${m.get('Action')}. Use Action: ListCommands to show available commands.`,
            },
            id,
          ),
        );
    }
  }

  private async login(m: AmiMessage, s: FakeAmiSession, id: string | undefined): Promise<void> {
    if (s.loggedIn) {
      s.write(renderResponse({ Message: 'Already authenticated' }, id));
      return;
    }
    const user = m.get('Username') ?? '';
    const secret = this.users[user];
    let ok = false;
    if (secret !== undefined) {
      if ((m.get('AuthType') ?? '').toLowerCase() === 'md5') {
        const key =
          s.challenge === undefined
            ? undefined
            : createHash('md5')
                .update(s.challenge + secret)
                .digest('hex');
        ok = key !== undefined && m.get('Key') === key;
      } else ok = m.get('Secret') === secret;
    }
    if (!ok) {
      const delay = this.options.loginFailDelay ?? 0;
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      s.write(renderResponse({ Response: 'Error', Message: 'Authentication failed' }, id));
      s.socket.end();
      this.options.onLogin?.(s, false, user);
      return;
    }
    s.username = user;
    s.eventMask = parseEventMask(m.get('Events'));
    s.write(renderResponse({ Message: 'Authentication accepted' }, id));
    if (this.options.fullyBooted ?? true) {
      s.emit({
        Event: 'FullyBooted',
        Privilege: 'system,all',
        Uptime: '1',
        LastReload: '1',
        Status: 'Fully Booted',
      });
    }
    this.options.onLogin?.(s, true, user);
  }
}
