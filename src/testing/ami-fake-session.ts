import type { Socket } from 'node:net';
import { type AmiMessage, serializePacket } from '../ami/index.js';
import { type FakeAmiHeaders, toPairs } from './ami-reply.js';

const TRUE = new Set(['on', 'yes', 'true', 'y', 't', '1']);
const FALSE = new Set(['off', 'no', 'false', 'n', 'f', '0']);

/** Parses an AMI event mask (`on`, `off`, `call,system`…) into the set of enabled classes (`all` = every one). */
export function parseEventMask(mask: string | undefined): Set<string> {
  if (mask === undefined || mask.trim() === '') return new Set(['all']);
  const m = mask.trim().toLowerCase();
  if (TRUE.has(m)) return new Set(['all']);
  if (FALSE.has(m)) return new Set();
  return new Set(m.split(',').map((s) => s.trim()));
}

/**
 * One client connection to a {@link FakeAmiServer}: what it sent, its login state, event mask and filters,
 * and the faults a test can inject (drop, stall, slow, hold, garbage).
 */
export class FakeAmiSession {
  /** Every action received, in order (also while stalled). */
  readonly actions: AmiMessage[] = [];
  /** Logged-in user name. */
  username: string | undefined;
  /** Classes enabled by the login `Events` header or the `Events` action. */
  eventMask: Set<string> = new Set(['all']);
  /** Regular expressions added with the `Filter` action (`!` prefix = exclude). */
  readonly filters: string[] = [];
  /** The MD5 challenge issued to this session, if any. */
  challenge: string | undefined;
  /** Resolves when the connection is gone. */
  readonly closed: Promise<void>;
  private stalled = false;
  private slowMs = 0;
  private held: Array<string | Buffer> | undefined;
  private chain: Promise<void> = Promise.resolve();
  private gone = false;

  constructor(readonly socket: Socket) {
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.gone = true;
        resolve();
      });
    });
  }

  /** Whether the session logged in successfully. */
  get loggedIn(): boolean {
    return this.username !== undefined;
  }

  /** Whether the link is still open. */
  get alive(): boolean {
    return !this.gone;
  }

  /** Whether the session is stalled (answers nothing, sends nothing). */
  get isStalled(): boolean {
    return this.stalled;
  }

  /** Writes bytes as they are (subject to slow/hold/stall). */
  write(data: string | Buffer): void {
    if (this.gone || this.stalled || data.length === 0) return;
    if (this.held) {
      this.held.push(data);
      return;
    }
    if (this.slowMs > 0) {
      const ms = this.slowMs;
      this.chain = this.chain.then(
        () =>
          new Promise<void>((resolve) =>
            setTimeout(() => {
              if (!this.gone) this.socket.write(data);
              resolve();
            }, ms),
          ),
      );
      return;
    }
    this.socket.write(data);
  }

  /** Sends one packet built from headers. */
  send(headers: FakeAmiHeaders): void {
    this.write(serializePacket(toPairs(headers)));
  }

  /** Sends an event if this session's mask and filters let it through; returns whether it was sent. */
  emit(headers: FakeAmiHeaders): boolean {
    if (!this.loggedIn || !this.accepts(headers)) return false;
    this.send(headers);
    return true;
  }

  /** Mask rule: every class of the event's `Privilege` must be enabled; then the filters must accept it. */
  accepts(headers: FakeAmiHeaders): boolean {
    const pairs = toPairs(headers);
    if (this.eventMask.size === 0) return false;
    const priv = pairs.find(([k]) => k.toLowerCase() === 'privilege')?.[1];
    if (priv !== undefined && !this.eventMask.has('all')) {
      for (const c of priv.toLowerCase().split(',')) {
        if (c !== 'all' && c !== '' && !this.eventMask.has(c)) return false;
      }
    }
    if (this.filters.length === 0) return true;
    const text = serializePacket(pairs);
    const inc = this.filters.filter((f) => !f.startsWith('!')).map((f) => new RegExp(f));
    const exc = this.filters.filter((f) => f.startsWith('!')).map((f) => new RegExp(f.slice(1)));
    if (inc.length > 0 && !inc.some((r) => r.test(text))) return false;
    return !exc.some((r) => r.test(text));
  }

  /** Closes the TCP connection abruptly. */
  drop(): void {
    this.socket.destroy();
  }

  /** Stops answering and sending anything (Pong included) until `resume()`. */
  stall(): void {
    this.stalled = true;
  }

  /** Ends a stall. */
  resume(): void {
    this.stalled = false;
  }

  /** Delays every later write by `ms` (order kept); 0 turns it off. */
  slow(ms: number): void {
    this.slowMs = ms;
  }

  /** Buffers every later write until `release()`. */
  hold(): void {
    this.held ??= [];
  }

  /** Writes everything held, in order, as one chunk. */
  release(): void {
    const held = this.held;
    this.held = undefined;
    if (held && held.length > 0)
      this.write(Buffer.concat(held.map((d) => (typeof d === 'string' ? Buffer.from(d) : d))));
  }

  /** Sends bytes that are not AMI (default: binary noise then a blank line, so the stream can resync). */
  garbage(data?: string | Buffer): void {
    this.write(
      data ?? Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0x80]), Buffer.from('garbage line\r\n\r\n')]),
    );
  }
}
