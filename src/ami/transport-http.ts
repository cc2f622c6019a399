import http from 'node:http';
import https from 'node:https';
import { type AmiDigestChallenge, digestAuthorization, parseDigestChallenge } from './digest.js';
import { AmiConnectError, AmiProtocolError } from './errors.js';
import { AmiMessage } from './message.js';
import { AmiParser } from './parser.js';
import type { AmiEncodedAction } from './serializer.js';
import type { AmiTransport, AmiTransportHandlers } from './transport.js';
import type { AmiTlsOptions } from './transport-tcp.js';

/** Options of {@link HttpTransport}. */
export interface HttpTransportOptions {
  protocol: string;
  host: string;
  port: number;
  /** e.g. `/asterisk/rawman` (`…/arawman` is used in Digest mode). */
  path: string;
  /** Digest mode (`/arawman`, no Login, no cookie): the credentials every request answers the challenge with. */
  digest?: AmiDigestCredentials;
  tls?: AmiTlsOptions;
  maxPacketBytes?: number;
  /** Most header lines in one packet (parser default when absent). */
  maxHeaders?: number;
}

/** Who answers the Digest challenge. The secret stays in the transport: never logged, never in an error. */
export interface AmiDigestCredentials {
  readonly username: string;
  readonly secret: string;
}

const COOKIE = /mansession_id="?([0-9a-fA-F]+)"?/;
// A request answered 401 is sent again with the new nonce; more than this in a row means refused credentials.
const DIGEST_RETRIES = 3;

/**
 * AMI over HTTP (AJAM `/rawman`): every action is one POST carrying the `mansession_id` cookie; the reply body
 * is parsed as AMI packets. Events only arrive through `WaitEvent`, which the client polls (`kind: 'poll'`).
 * In Digest mode (`/arawman`) there is no cookie and no Login: every request carries `Authorization: Digest`
 * for the current nonce with a growing `nc`; a 401 (first challenge, renewed or stale nonce) is answered by
 * sending the same request again, and refused credentials come back as that action's `Response: Error`.
 */
export class HttpTransport implements AmiTransport {
  readonly kind = 'poll' as const;
  private cookie: string | undefined;
  private digest: AmiDigestCredentials | undefined;
  private challenge: AmiDigestChallenge | undefined;
  private nc = 0;
  private dead = false;
  private readonly agent: http.Agent;
  private readonly requests = new Set<http.ClientRequest>();

  constructor(
    private readonly options: HttpTransportOptions,
    private readonly handlers: AmiTransportHandlers,
  ) {
    const t = options.tls;
    this.agent =
      options.protocol === 'https:'
        ? new https.Agent({
            keepAlive: true,
            rejectUnauthorized: t?.rejectUnauthorized ?? true,
            ...(t?.ca === undefined ? {} : { ca: t.ca }),
            ...(t?.cert === undefined ? {} : { cert: t.cert }),
            ...(t?.key === undefined ? {} : { key: t.key }),
            ...(t?.servername === undefined ? {} : { servername: t.servername }),
          })
        : new http.Agent({ keepAlive: true });
    this.digest = options.digest;
  }

  /** True in Digest mode. */
  get usesDigest(): boolean {
    return this.digest !== undefined;
  }

  /** Switches to Digest (`/arawman`) for every later request (after `/rawman` refused the login). */
  switchToDigest(credentials: AmiDigestCredentials): void {
    this.digest = credentials;
    this.cookie = undefined;
  }

  /**
   * Whether the server offers Digest on `/arawman`: one unauthenticated `GET …/arawman?action=Ping`, which
   * Asterisk answers 401 with a Digest challenge (a server without it answers 404).
   */
  probeDigest(timeoutMs = 5000): Promise<boolean> {
    const { protocol, host, port } = this.options;
    const mod = protocol === 'https:' ? https : http;
    return new Promise((resolve) => {
      const req = mod.request(
        { host, port, path: `${this.digestPath}?action=Ping`, method: 'GET', agent: this.agent },
        (res) => {
          res.resume();
          const ch =
            res.statusCode === 401 ? parseDigestChallenge(res.headers['www-authenticate']) : undefined;
          if (ch) this.challenge = ch;
          resolve(ch !== undefined);
        },
      );
      req.setTimeout(timeoutMs, () => req.destroy());
      req.on('error', () => resolve(false));
      req.end();
    });
  }

  private get digestPath(): string {
    return this.options.path.replace(/\/a?rawman$/, '/arawman');
  }

  /** The AJAM session id currently in use (for diagnostics). */
  get session(): string | undefined {
    return this.cookie;
  }

  async open(): Promise<string | undefined> {
    // HTTP has no connection to open; reachability shows with the first request (the login).
    return undefined;
  }

  send(action: AmiEncodedAction): void {
    if (this.dead) return;
    const body = new URLSearchParams((action.pairs ?? []) as Array<[string, string]>).toString();
    this.post(action, body, 0);
  }

  private post(action: AmiEncodedAction, body: string, attempt: number): void {
    if (this.dead) return;
    const { protocol, host, port } = this.options;
    const digest = this.digest;
    const path = digest ? this.digestPath : this.options.path.replace(/\/arawman$/, '/rawman');
    const where = `${protocol}//${host}:${port}${path}`;
    const mod = protocol === 'https:' ? https : http;
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/x-www-form-urlencoded',
      'Content-Length': Buffer.byteLength(body),
    };
    const answered = digest !== undefined && this.challenge !== undefined;
    if (digest && this.challenge) {
      headers['Authorization'] = digestAuthorization(this.challenge, {
        username: digest.username,
        secret: digest.secret,
        method: 'POST',
        uri: path,
        nc: ++this.nc,
      });
    } else if (!digest && this.cookie !== undefined) headers['Cookie'] = `mansession_id="${this.cookie}"`;
    const req = mod.request({ host, port, path, method: 'POST', agent: this.agent, headers });
    this.requests.add(req);
    req.on('response', (res) => {
      if (digest && res.statusCode === 401) {
        res.resume();
        this.requests.delete(req);
        const ch = parseDigestChallenge(res.headers['www-authenticate']);
        if (ch) {
          this.challenge = ch;
          this.nc = 0;
        }
        // Sent again when this was the first contact or the nonce was renewed; a fresh non-stale challenge
        // after a full answer means the user name or secret is wrong.
        if (ch && (!answered || ch.stale) && attempt < DIGEST_RETRIES) this.post(action, body, attempt + 1);
        else this.refuse(action);
        return;
      }
      const setCookie = res.headers['set-cookie'];
      for (const c of setCookie ?? []) {
        const m = COOKIE.exec(c);
        if (m) this.cookie = m[1];
      }
      if (res.statusCode !== 200) {
        res.resume();
        this.requests.delete(req);
        this.lost(new AmiProtocolError(`${where}: HTTP ${res.statusCode} ${res.statusMessage ?? ''}`.trim()));
        return;
      }
      const parser = new AmiParser({
        banner: false,
        onMessage: (m) => {
          if (!this.dead) this.handlers.onMessage(m);
        },
        onError: (e) => this.handlers.onParseError(e),
        ...(this.options.maxPacketBytes === undefined ? {} : { maxPacketBytes: this.options.maxPacketBytes }),
        ...(this.options.maxHeaders === undefined ? {} : { maxHeaders: this.options.maxHeaders }),
      });
      res.on('data', (chunk: Buffer) => parser.push(chunk));
      res.on('end', () => {
        this.requests.delete(req);
        // A body that does not end with a blank line still holds one last packet.
        if (parser.pending > 0) parser.push(Buffer.from('\r\n\r\n'));
      });
      res.on('error', (err) => {
        this.requests.delete(req);
        this.lost(err);
      });
    });
    req.on('error', (err) => {
      this.requests.delete(req);
      this.lost(new AmiConnectError(`${where}: ${err.message}`, err));
    });
    req.end(body);
  }

  /** Answers an action as Asterisk answers a refused Login (the secret is nowhere in it). */
  private refuse(action: AmiEncodedAction): void {
    const id = action.pairs?.find(([k]) => k === 'ActionID')?.[1];
    const pairs: Array<[string, string]> = [['Response', 'Error']];
    if (id !== undefined) pairs.push(['ActionID', id]);
    pairs.push(['Message', 'Authentication failed']);
    if (!this.dead) this.handlers.onMessage(AmiMessage.from(pairs));
  }

  destroy(): void {
    if (this.dead) return;
    this.dead = true;
    for (const r of this.requests) r.destroy();
    this.requests.clear();
    this.agent.destroy();
  }

  private lost(cause: Error): void {
    if (this.dead) return;
    this.destroy();
    this.handlers.onClose(cause);
  }
}
