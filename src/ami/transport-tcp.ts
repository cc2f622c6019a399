import net from 'node:net';
import tls from 'node:tls';
import { AmiConnectError } from './errors.js';
import { AmiParser } from './parser.js';
import type { AmiEncodedAction } from './serializer.js';
import type { AmiTransport, AmiTransportHandlers } from './transport.js';

/** TLS options for `amis://` (verification stays on unless `rejectUnauthorized: false` is given). */
export interface AmiTlsOptions {
  /** Trusted CA certificate(s), PEM. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Client certificate, PEM. */
  cert?: string | Buffer;
  /** Client private key, PEM. */
  key?: string | Buffer;
  /** Verify the server certificate (default true). */
  rejectUnauthorized?: boolean;
  /** SNI / name to verify, when it differs from the URL host. */
  servername?: string;
}

/** Options of {@link TcpTransport}. */
export interface TcpTransportOptions {
  host: string;
  port: number;
  /** Present for `amis://`. */
  tls?: AmiTlsOptions;
  maxPacketBytes?: number;
  /** Most header lines in one packet (parser default when absent). */
  maxHeaders?: number;
}

/** AMI over a TCP or TLS socket: waits for the banner, then feeds every chunk to a streaming parser. */
export class TcpTransport implements AmiTransport {
  readonly kind = 'stream' as const;
  private socket: net.Socket | undefined;
  private dead = false;
  private readonly parser: AmiParser;
  private bannerWaiter: ((line: string) => void) | undefined;
  private outbox: string[] = [];

  constructor(
    private readonly options: TcpTransportOptions,
    private readonly handlers: AmiTransportHandlers,
  ) {
    this.parser = new AmiParser({
      onMessage: (m) => {
        if (!this.dead) this.handlers.onMessage(m);
      },
      onBanner: (line) => this.bannerWaiter?.(line),
      onError: (e) => this.handlers.onParseError(e),
      ...(options.maxPacketBytes === undefined ? {} : { maxPacketBytes: options.maxPacketBytes }),
      ...(options.maxHeaders === undefined ? {} : { maxHeaders: options.maxHeaders }),
    });
  }

  open(timeoutMs: number): Promise<string | undefined> {
    const { host, port } = this.options;
    const where = `${this.options.tls ? 'amis' : 'ami'}://${host}:${port}`;
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.destroy();
        reject(err);
      };
      const timer = setTimeout(
        () => fail(new AmiConnectError(`${where}: no AMI banner within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const t = this.options.tls;
      const socket = t
        ? tls.connect({
            host,
            port,
            ...(t.ca === undefined ? {} : { ca: t.ca }),
            ...(t.cert === undefined ? {} : { cert: t.cert }),
            ...(t.key === undefined ? {} : { key: t.key }),
            rejectUnauthorized: t.rejectUnauthorized ?? true,
            servername: t.servername ?? (net.isIP(host) ? undefined : host),
          } as tls.ConnectionOptions)
        : net.connect({ host, port });
      this.socket = socket;
      socket.setNoDelay(true);
      this.bannerWaiter = (line) => {
        this.bannerWaiter = undefined;
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(line);
      };
      socket.on('data', (chunk: Buffer) => this.parser.push(chunk));
      socket.on('error', (err) => {
        if (!settled) fail(new AmiConnectError(`${where}: ${err.message}`, err));
        else this.lost(err);
      });
      socket.on('close', () => {
        if (!settled) fail(new AmiConnectError(`${where}: connection closed before the AMI banner`));
        else this.lost();
      });
    });
  }

  send(action: AmiEncodedAction): void {
    if (this.dead || !this.socket) return;
    // Actions issued in the same event-loop turn leave in one write (one syscall instead of one per action).
    this.outbox.push(action.wire);
    if (this.outbox.length === 1) setImmediate(this.flush);
  }

  private readonly flush = (): void => {
    const out = this.outbox.length === 1 ? this.outbox[0]! : this.outbox.join('');
    this.outbox = [];
    if (!this.dead && this.socket) this.socket.write(out);
  };

  destroy(): void {
    if (this.dead) return;
    this.dead = true;
    this.socket?.destroy();
    this.socket?.removeAllListeners('data');
  }

  private lost(cause?: Error): void {
    if (this.dead) return;
    this.dead = true;
    this.socket?.destroy();
    this.handlers.onClose(cause);
  }
}
