import type { AmiMessage } from './message.js';
import type { AmiTlsOptions } from './transport-tcp.js';

/** Connection states, in the order a healthy client goes through them. */
export type AmiClientState = 'idle' | 'connecting' | 'authenticating' | 'ready' | 'reconnecting' | 'closed';

/** Reply to an action: `ok` is false for `Response: Error` (the promise still resolves). */
export interface AmiResponse {
  /** True for Success/Follows/Goodbye. */
  ok: boolean;
  /** The `Response:` packet. */
  message: AmiMessage;
  /** Event-list items (`EventList: start` … or the Asterisk 11 lists without it); empty otherwise. */
  items: AmiMessage[];
  /** The list's completion event (`…Complete`). */
  complete?: AmiMessage;
}

/** Per-action options. */
export interface AmiActionOptions {
  /** Milliseconds to wait for the complete reply (default: the client's `actionTimeout`, 10 s). */
  timeout?: number;
  /** Aborts the wait (the action may still run on Asterisk). */
  signal?: AbortSignal;
  /** Called with each list item as it arrives (the same items are in the final `items`). */
  onItem?: (item: AmiMessage) => void;
  /** Also deliver this action's list items to the event stream (default false). */
  emitItems?: boolean;
}

/** Reconnect policy: exponential backoff with jitter. */
export interface AmiReconnectOptions {
  /** First delay in ms (default 250). */
  initialDelay?: number;
  /** Largest delay in ms (default 30,000). */
  maxDelay?: number;
  /** Growth per attempt (default 2). */
  factor?: number;
  /** Fraction of the delay randomly removed, 0..1 (default 0.5). */
  jitter?: number;
  /** Give up (and close) after this many failed attempts in a row (default: never). */
  maxAttempts?: number;
}

/** Keepalive: a Ping every `interval` ms; no Pong within `timeout` ms means the link is dead. */
export interface AmiKeepaliveOptions {
  /** Default 15,000 ms. */
  interval?: number;
  /** Default 5,000 ms. */
  timeout?: number;
}

/** Minimal structured logger (pino-compatible argument order). Secrets are never passed to it. */
export interface AmiLogger {
  debug?(obj: object, msg: string): void;
  info?(obj: object, msg: string): void;
  warn?(obj: object, msg: string): void;
  error?(obj: object, msg: string): void;
}

/** Options of `AmiClient`. */
export interface AmiClientOptions {
  /** `ami://user:secret@host:5038`, `amis://…` (TLS) or `http(s)://user:secret@host:8088/asterisk` (AJAM). */
  url: string;
  /** Log in with the MD5 challenge instead of sending the secret. */
  md5?: boolean;
  /** Login event mask: `'on'`, `'off'`, or classes such as `'call,system'` (default: the user's `read`). */
  events?: string | boolean;
  /** Default per-action timeout in ms (default 10,000). */
  actionTimeout?: number;
  /** Time to open the link and read the banner, in ms (default 10,000). */
  connectTimeout?: number;
  /** Default wait for an OriginateResponse after the Originate reply, in ms (default 60,000). */
  originateTimeout?: number;
  /** Keepalive over TCP/TLS (`false` disables it). */
  keepalive?: AmiKeepaliveOptions | false;
  /** Reconnect policy (`false`: a lost link closes the client). */
  reconnect?: AmiReconnectOptions | false;
  /** TLS options for `amis://` and `https://`. */
  tls?: AmiTlsOptions;
  /** Queue size of each `events()` subscriber (default 10,000). */
  queueSize?: number;
  /** Largest packet accepted (default 1 MiB). */
  maxPacketBytes?: number;
  /** Most header lines accepted in one packet (default 10,000); more raise `AMI_TOO_MANY_HEADERS` on `error`. */
  maxHeaders?: number;
  /**
   * AJAM only: HTTP Digest on `/arawman` (no Login action, no cookie) instead of Login on `/rawman`. Default:
   * on when the URL path ends in `/arawman`, else chosen when `/rawman` refuses the login and `/arawman`
   * answers with a Digest challenge; `false` never uses it.
   */
  digest?: boolean;
  /** AJAM only: WaitEvent timeout in seconds (default 20). */
  pollTimeout?: number;
  /** Where to report state changes and problems. */
  logger?: AmiLogger;
}

/** The span during which events may have been missed (link lost → new session ready). */
export interface AmiGap {
  from: Date;
  to: Date;
}
