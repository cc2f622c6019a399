/** One client connection of the AMI gateway: its parser, login state, event mask and bounded output queue. */
import type { Socket } from 'node:net';
import { type AmiMessage, AmiParser } from '../../ami/index.js';
import type { FeedFilter, MineScope } from '../filter.js';
import type { GatewayRights } from './permissions.js';

/** What the gateway knows of a logged-in client. */
export interface GatewayLogin {
  readonly user: string;
  readonly pbx: string;
  readonly rights: GatewayRights;
  readonly filter: FeedFilter | undefined;
  /** The filter's `regex` id in the gateway's `RegexWorker` (run there, with a time budget). */
  readonly regexId: number | undefined;
  readonly scope: MineScope | undefined;
}

/** Largest packet a client may send (an action is a few hundred bytes; UpdateConfig a few KiB). */
const MAX_CLIENT_PACKET = 256 * 1024;

/**
 * A client socket. Output goes straight to the socket; when more than `maxQueue` bytes wait in it (the client
 * does not read), the client is disconnected — the upstream and the other clients never wait for it.
 */
export class GatewaySession {
  /** Set after a successful Login. */
  login: GatewayLogin | undefined;
  /** Classes enabled by Login's `Events` or the `Events` action. */
  mask: ReadonlySet<string> = new Set();
  /** The MD5 challenge issued, if any. */
  challenge: string | undefined;
  /** True while a failed login waits out its delay (input ignored, then closed). */
  refusing = false;
  /** Actions forwarded and not yet answered. */
  inFlight = 0;
  /** Why the gateway closed it (`slow`, `login`, `logoff`, `shutdown`), if it did. */
  closedBy: string | undefined;
  private readonly parser: AmiParser;
  private gone = false;

  constructor(
    readonly socket: Socket,
    private readonly maxQueue: number,
    onAction: (m: AmiMessage, s: GatewaySession) => void,
    private readonly onSlow: (s: GatewaySession) => void,
  ) {
    this.parser = new AmiParser({
      banner: false,
      maxPacketBytes: MAX_CLIENT_PACKET,
      onMessage: (m) => {
        if (!this.gone && !this.refusing) onAction(m, this);
      },
    });
    socket.on('data', (c: Buffer) => this.parser.push(c));
    socket.on('close', () => {
      this.gone = true;
    });
    socket.on('error', () => {});
  }

  /** Whether the socket is still open. */
  get alive(): boolean {
    return !this.gone && !this.socket.destroyed;
  }

  /** Writes bytes; disconnects the client if its unread output exceeds the bound. */
  write(data: string | Buffer): void {
    if (!this.alive || data.length === 0) return;
    this.socket.write(data);
    if (this.socket.writableLength > this.maxQueue) {
      this.closedBy = 'slow';
      this.socket.destroy();
      this.gone = true;
      this.onSlow(this);
    }
  }

  /** Ends the connection after what was written (Logoff, failed login). */
  end(reason: string): void {
    this.closedBy ??= reason;
    this.gone = true;
    this.socket.end();
  }

  /** Drops the connection at once. */
  destroy(reason: string): void {
    this.closedBy ??= reason;
    this.gone = true;
    this.socket.destroy();
  }
}
