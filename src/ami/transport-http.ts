import http from 'node:http';
import https from 'node:https';
import { AmiConnectError, AmiProtocolError } from './errors.js';
import { AmiParser } from './parser.js';
import type { AmiEncodedAction } from './serializer.js';
import type { AmiTransport, AmiTransportHandlers } from './transport.js';
import type { AmiTlsOptions } from './transport-tcp.js';

/** Options of {@link HttpTransport}. */
export interface HttpTransportOptions {
  protocol: string;
  host: string;
  port: number;
  /** e.g. `/asterisk/rawman` */
  path: string;
  tls?: AmiTlsOptions;
  maxPacketBytes?: number;
  /** Most header lines in one packet (parser default when absent). */
  maxHeaders?: number;
}

const COOKIE = /mansession_id="?([0-9a-fA-F]+)"?/;

/**
 * AMI over HTTP (AJAM `/rawman`): every action is one POST carrying the `mansession_id` cookie; the reply body
 * is parsed as AMI packets. Events only arrive through `WaitEvent`, which the client polls (`kind: 'poll'`).
 */
export class HttpTransport implements AmiTransport {
  readonly kind = 'poll' as const;
  private cookie: string | undefined;
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
    const { protocol, host, port, path } = this.options;
    const where = `${protocol}//${host}:${port}${path}`;
    const mod = protocol === 'https:' ? https : http;
    const req = mod.request({
      host,
      port,
      path,
      method: 'POST',
      agent: this.agent,
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Length': Buffer.byteLength(body),
        ...(this.cookie === undefined ? {} : { Cookie: `mansession_id="${this.cookie}"` }),
      },
    });
    this.requests.add(req);
    req.on('response', (res) => {
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
