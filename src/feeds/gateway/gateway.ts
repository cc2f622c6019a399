/**
 * The AMI gateway (like astmanproxy, done safely): AMI clients log in to Switchboard with their own credentials
 * and share the server's single upstream login per PBX. Each gets only the events its read classes, event mask and
 * filter allow, may send only the actions its write classes / allow-list / command prefixes allow, and sees its
 * own ActionIDs on every reply.
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import {
  type AmiClient,
  type AmiGap,
  type AmiMessage,
  type AmiParams,
  serializePacket,
} from '../../ami/index.js';
import { FeedsError } from '../errors.js';
import { eventText } from '../event-text.js';
import { compileFeedFilter, type FeedFilterSpec } from '../filter.js';
import { RegexWorker } from '../regex-worker.js';
import type { GatewayUserConfig } from './config.js';
import { Forwarder, NOT_CONNECTED } from './forward.js';
import { compileRights, mayRead, mayWrite, parseMask } from './permissions.js';
import { type GatewayLogin, GatewaySession } from './session.js';
import { gapNotice, reply } from './wire.js';

/** The upstream of one PBX (the server's `PbxLink`): its state, its client, its events and gaps. */
export interface GatewayUpstream {
  readonly state: string;
  readonly ami: AmiClient | undefined;
  info(): { banner?: string };
  on(event: 'event', listener: (m: AmiMessage) => void): unknown;
  on(event: 'gap', listener: (g: AmiGap) => void): unknown;
  off(event: 'event', listener: (m: AmiMessage) => void): unknown;
  off(event: 'gap', listener: (g: AmiGap) => void): unknown;
}

/** Minimal logger (pino-compatible); secrets are never passed to it. */
export interface GatewayLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Options of {@link AmiGateway}. */
export interface AmiGatewayOptions {
  /** PBX id → upstream. */
  upstreams: ReadonlyMap<string, GatewayUpstream>;
  /** The logins (config and API users); replace them with `setUsers`. */
  users: readonly GatewayUserConfig[];
  host?: string;
  port?: number;
  /** PEM certificate and key: serve AMI over TLS. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Unread output bytes per client before it is disconnected (default 4 MiB). */
  maxQueue?: number;
  /** Delay before a failed login is answered (default 1,000 ms, like Asterisk). */
  loginFailDelay?: number;
  /** Actions one client may have forwarded and unanswered at once (default 1,000). */
  maxInFlight?: number;
  /** Time budget of one filter regex match in ms (default 250); a slower pattern is suspended. */
  regexBudgetMs?: number;
  /** Upstream timeout of a forwarded action in ms (default 30,000; synchronous Originate: 120,000). */
  actionTimeout?: number;
  logger?: GatewayLogger;
}

/** Counters for monitoring. */
export interface GatewayStats {
  logins: number;
  loginFailures: number;
  forwarded: number;
  denied: number;
  slowDisconnects: number;
  events: number;
}

/** A user compiled for login: the rights, filter and PBX it resolves to. */
interface CompiledUser {
  readonly config: GatewayUserConfig;
  readonly login: Omit<GatewayLogin, 'user'>;
}

const DEFAULT_BANNER = 'Asterisk Call Manager/13.0.0';
/** Actions the gateway never forwards: they would change the one shared upstream session for everybody. */
const SESSION_ACTIONS = new Set(['filter', 'waitevent']);

const NO_LOG: GatewayLogger = { info() {}, warn() {} };

/** The gateway: a TCP (or TLS) listener speaking AMI to clients, forwarding to the upstreams. */
export class AmiGateway {
  /** Counters. */
  readonly stats: GatewayStats = {
    logins: 0,
    loginFailures: 0,
    forwarded: 0,
    denied: 0,
    slowDisconnects: 0,
    events: 0,
  };
  private readonly server: net.Server;
  private readonly sessions = new Set<GatewaySession>();
  private users = new Map<string, CompiledUser>();
  private readonly listeners: Array<() => void> = [];
  private readonly forwarder: Forwarder;
  private readonly log: GatewayLogger;
  /** Filters' `regex` run here, off the event path, with a time budget (as the feeds engine does). */
  private readonly regex: RegexWorker;
  private regexIds = new Set<number>();
  private nextRegexId = 1;

  private constructor(private readonly o: AmiGatewayOptions) {
    this.log = o.logger ?? NO_LOG;
    this.forwarder = new Forwarder(o.actionTimeout ?? 30_000);
    this.regex = new RegexWorker({
      budgetMs: o.regexBudgetMs ?? 250,
      onSlow: (id) => this.log.warn({ regex: id }, 'AMI gateway filter regex too slow; suspended'),
    });
    this.setUsers(o.users);
    const onConn = (socket: net.Socket) => this.accept(socket);
    this.server = o.tls
      ? tls.createServer({ cert: o.tls.cert, key: o.tls.key }, onConn)
      : net.createServer(onConn);
    for (const [id, up] of o.upstreams) {
      const onEvent = (m: AmiMessage) => this.fanOut(id, up, m);
      const onGap = (g: AmiGap) => this.gap(id, g);
      up.on('event', onEvent);
      up.on('gap', onGap);
      this.listeners.push(() => {
        up.off('event', onEvent);
        up.off('gap', onGap);
      });
    }
  }

  /** Starts listening (default 127.0.0.1:5039). Throws `FeedsError GATEWAY_BAD_CONFIG` for a bad user. */
  static async start(o: AmiGatewayOptions): Promise<AmiGateway> {
    const g = new AmiGateway(o);
    await new Promise<void>((resolve, reject) => {
      g.server.once('error', reject);
      g.server.listen(o.port ?? 5039, o.host ?? '127.0.0.1', () => {
        g.server.off('error', reject);
        resolve();
      });
    });
    return g;
  }

  /** The listening port. */
  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Clients connected now. */
  get clients(): number {
    return this.sessions.size;
  }

  /** Replaces the logins (sessions already open keep the rights they logged in with). */
  setUsers(users: readonly GatewayUserConfig[]): void {
    const next = new Map<string, CompiledUser>();
    const patterns: Array<[number, string]> = [];
    const firstPbx = this.o.upstreams.keys().next().value;
    for (const u of users) {
      const pbx = u.pbx ?? firstPbx;
      if (pbx === undefined || !this.o.upstreams.has(pbx)) {
        throw new FeedsError(
          'GATEWAY_BAD_CONFIG',
          `gateway user ${u.name}: unknown PBX ${u.pbx ?? '(none)'}`,
          'pbx',
        );
      }
      if (next.has(u.name)) {
        throw new FeedsError('GATEWAY_BAD_CONFIG', `gateway user ${u.name} is listed twice`, 'name');
      }
      let filter: GatewayLogin['filter'];
      try {
        filter = u.filter === undefined ? undefined : compileFeedFilter(u.filter as FeedFilterSpec);
      } catch (err) {
        const e = err as FeedsError;
        throw new FeedsError('GATEWAY_BAD_CONFIG', `gateway user ${u.name}: ${e.message}`, e.field);
      }
      const scope = u.extensions === undefined ? undefined : { extensions: new Set(u.extensions) };
      let regexId: number | undefined;
      if (filter?.regex) {
        regexId = this.nextRegexId++;
        patterns.push([regexId, filter.regex.source]);
      }
      next.set(u.name, { config: u, login: { pbx, rights: compileRights(u), filter, scope, regexId } });
    }
    // Only once every user is valid: a refused list changes nothing (and starts no worker thread).
    for (const [id, source] of patterns) this.regex.set(id, source);
    this.users = next;
    // Patterns nobody can log in with any more and no open session uses are dropped from the worker.
    const used = new Set<number>();
    for (const u of next.values()) if (u.login.regexId !== undefined) used.add(u.login.regexId);
    for (const s of this.sessions) if (s.login?.regexId !== undefined) used.add(s.login.regexId);
    for (const id of this.regexIds) if (!used.has(id)) this.regex.delete(id);
    this.regexIds = used;
  }

  /** Closes the listener and every client; forwarded actions still running upstream are answered to nobody. */
  async close(): Promise<void> {
    for (const off of this.listeners.splice(0)) off();
    for (const s of this.sessions) s.destroy('shutdown');
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.regex.close();
  }

  private accept(socket: net.Socket): void {
    socket.setNoDelay(true);
    const s = new GatewaySession(
      socket,
      this.o.maxQueue ?? 4 * 1024 * 1024,
      (m, sess) => this.onAction(m, sess),
      (sess) => {
        this.stats.slowDisconnects++;
        this.log.warn(
          { user: sess.login?.user },
          'AMI gateway client too slow (output queue full); disconnected',
        );
      },
    );
    this.sessions.add(s);
    socket.on('close', () => this.sessions.delete(s));
    // Before login we do not know the client's PBX: the banner is the first PBX's (what most setups have).
    const first = this.o.upstreams.values().next().value;
    s.write(`${first?.info().banner ?? DEFAULT_BANNER}\r\n`);
  }

  private onAction(m: AmiMessage, s: GatewaySession): void {
    const rawId = m.get('ActionID');
    // The client's ActionID is echoed back; one with a bare CR cannot be written safely, so it is not echoed.
    const id = rawId !== undefined && rawId.indexOf('\r') >= 0 ? undefined : rawId;
    const action = m.get('Action');
    if (action === undefined || action === '') {
      s.write(reply('Error', id, [['Message', 'Missing action in request']]));
      return;
    }
    const name = action.toLowerCase();
    if (name === 'challenge') {
      this.challenge(m, s, id);
      return;
    }
    if (name === 'logoff') {
      s.write(reply('Goodbye', id, [['Message', 'Thanks for all the fish.']]));
      s.end('logoff');
      return;
    }
    if (name === 'login') {
      if (s.login) s.write(reply('Success', id, [['Message', 'Already authenticated']]));
      else void this.loginAction(m, s, id);
      return;
    }
    const login = s.login;
    if (!login) {
      s.write(reply('Error', id, [['Message', 'Permission denied']]));
      return;
    }
    if (name === 'ping') {
      s.write(
        reply('Success', id, [
          ['Ping', 'Pong'],
          ['Timestamp', (Date.now() / 1000).toFixed(6)],
        ]),
      );
      return;
    }
    if (name === 'events') {
      const mask = m.get('EventMask');
      if (mask === undefined || mask.trim() === '') {
        s.write(reply('Error', id, [['Message', 'Invalid event mask']]));
        return;
      }
      s.mask = parseMask(mask);
      s.write(reply('Success', id, [['Events', s.mask.size > 0 ? 'On' : 'Off']]));
      return;
    }
    if (SESSION_ACTIONS.has(name) || !mayWrite(login.rights, action, m)) {
      this.stats.denied++;
      s.write(reply('Error', id, [['Message', 'Permission denied']]));
      return;
    }
    const up = this.o.upstreams.get(login.pbx);
    const ami = up?.ami;
    if (!up || !ami || up.state !== 'ready') {
      s.write(reply('Error', id, [['Message', NOT_CONNECTED]]));
      return;
    }
    if (s.inFlight >= (this.o.maxInFlight ?? 1000)) {
      s.write(reply('Error', id, [['Message', 'Too many actions in flight']]));
      return;
    }
    const params: AmiParams = {};
    for (const [k, v] of m.headers) {
      if (k === '') continue;
      const lower = k.toLowerCase();
      if (lower === 'action' || lower === 'actionid') continue;
      const prev = params[k];
      params[k] =
        prev === undefined ? v : Array.isArray(prev) ? [...(prev as string[]), v] : [prev as string, v];
    }
    s.inFlight++;
    this.stats.forwarded++;
    const done = () => {
      s.inFlight--;
    };
    const async = name === 'originate' && /^(true|yes|1|on|y|t)$/i.test(m.get('Async') ?? '');
    if (async) void this.forwarder.originate(ami, params, s, id).finally(done);
    else void this.forwarder.forward(ami, action, params, name, s, id).finally(done);
  }

  private challenge(m: AmiMessage, s: GatewaySession, id: string | undefined): void {
    if ((m.get('AuthType') ?? '').toLowerCase() !== 'md5') {
      s.write(reply('Error', id, [['Message', 'Must specify AuthType']]));
      return;
    }
    s.challenge ??= String(randomInt(100_000_000, 999_999_999));
    s.write(reply('Success', id, [['Challenge', s.challenge]]));
  }

  private async loginAction(m: AmiMessage, s: GatewaySession, id: string | undefined): Promise<void> {
    const username = m.get('Username') ?? '';
    const user = this.users.get(username);
    let ok = false;
    if (user !== undefined) {
      if ((m.get('AuthType') ?? '').toLowerCase() === 'md5') {
        const key = m.get('Key');
        if (s.challenge !== undefined && key !== undefined && key !== '') {
          const want = createHash('md5')
            .update(s.challenge + user.config.secret)
            .digest('hex');
          ok = sameText(key.toLowerCase(), want);
        }
      } else ok = sameText(m.get('Secret') ?? '', user.config.secret);
    }
    if (!ok || user === undefined) {
      this.stats.loginFailures++;
      this.log.warn({ user: username.slice(0, 64) }, 'AMI gateway login failed');
      s.refusing = true;
      const delay = this.o.loginFailDelay ?? 1000;
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      s.write(reply('Error', id, [['Message', 'Authentication failed']]));
      s.end('login');
      return;
    }
    this.stats.logins++;
    s.login = { user: username, ...user.login };
    s.mask = parseMask(m.get('Events'));
    s.write(reply('Success', id, [['Message', 'Authentication accepted']]));
    const up = this.o.upstreams.get(user.login.pbx);
    if (up?.state === 'ready' && s.mask.has('system') && user.login.rights.read.has('system')) {
      s.write(FULLY_BOOTED);
    }
    this.log.info({ user: username, pbx: user.login.pbx }, 'AMI gateway login');
  }

  private fanOut(pbx: string, up: GatewayUpstream, m: AmiMessage): void {
    if (this.sessions.size === 0) return;
    const event = m.event;
    if (event !== undefined && event.length === 17 && event.toLowerCase() === 'originateresponse') {
      // Ours (a gateway client's or the server's own Originate): routed to whoever asked, never broadcast.
      if (this.forwarder.isOurs(up.ami, m)) return;
    }
    let bytes: Buffer | undefined;
    let viaWorker: GatewaySession[] | undefined;
    for (const s of this.sessions) {
      const l = s.login;
      if (l === undefined || l.pbx !== pbx || !s.alive) continue;
      if (!mayRead(m, l.rights.read, s.mask)) continue;
      if (l.filter !== undefined && !l.filter.prefilter(m, l.scope)) continue;
      if (l.regexId !== undefined) {
        viaWorker ??= [];
        viaWorker.push(s);
        continue;
      }
      bytes ??= Buffer.concat([m.raw, CRLF]);
      this.stats.events++;
      s.write(bytes);
    }
    if (viaWorker === undefined) return;
    // The worker answers in request order, so each regex client still sees its events in wire order.
    const ids = [...new Set(viaWorker.map((s) => s.login!.regexId!))];
    const out = bytes ?? Buffer.concat([m.raw, CRLF]);
    const waiting = viaWorker;
    void this.regex.match(eventText(m), ids).then((hits) => {
      for (const s of waiting) {
        if (!hits.has(s.login!.regexId!)) continue;
        this.stats.events++;
        s.write(out);
      }
    });
  }

  private gap(pbx: string, g: AmiGap): void {
    const notice = gapNotice(g.from, g.to);
    for (const s of this.sessions) if (s.login?.pbx === pbx) s.write(notice);
  }
}

const CRLF = Buffer.from('\r\n');

/** Sent after a login whose mask and read classes include `system`, as Asterisk does once fully booted. */
const FULLY_BOOTED = serializePacket([
  ['Event', 'FullyBooted'],
  ['Privilege', 'system,all'],
  ['Status', 'Fully Booted'],
]);

/** Constant-time comparison of two strings (different lengths compare unequal, still without early exit). */
function sameText(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}
