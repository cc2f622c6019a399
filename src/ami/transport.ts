import type { AmiParseError } from './errors.js';
import type { AmiMessage } from './message.js';
import type { AmiEncodedAction } from './serializer.js';

/** What a transport reports to its owner (the client). */
export interface AmiTransportHandlers {
  /** One packet received, in order. */
  onMessage(message: AmiMessage): void;
  /** The link is gone (called at most once, never after `destroy()`). */
  onClose(cause?: Error): void;
  /** A packet was refused by the parser; the link stays up. */
  onParseError(error: AmiParseError): void;
}

/** One link to Asterisk: a TCP/TLS socket, or an AJAM cookie session over HTTP requests. */
export interface AmiTransport {
  /** `stream` transports deliver events by themselves; `poll` ones need a WaitEvent loop. */
  readonly kind: 'stream' | 'poll';
  /** Opens the link; resolves with the banner line (TCP/TLS) or `undefined` (AJAM). */
  open(timeoutMs: number): Promise<string | undefined>;
  /** Sends one action; failures surface through `onClose`. */
  send(action: AmiEncodedAction): void;
  /** Tears the link down now; idempotent; `onClose` is not called afterwards. */
  destroy(): void;
}
