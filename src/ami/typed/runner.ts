/** The minimal surface the typed API needs from an AMI connection (an `AmiClient` or any test double). */
import type { AmiMessage } from '../message.js';
import type { AmiParams } from '../serializer.js';

/** Parameters of an action (the core's type): arrays become repeated headers (e.g. several `Variable`). */
export type { AmiParams } from '../serializer.js';

/** One AMI packet as the typed API reads it: the core's `AmiMessage`. */
export type AmiPacket = AmiMessage;

/** The settled reply of an action (structurally the core's `AmiResponse`). */
export interface AmiReply {
  /** `Response: Success` (or another non-error reply). */
  ok: boolean;
  /** The `Response:` packet. */
  message: AmiPacket;
  /** List items, for event-list actions. */
  items: AmiPacket[];
  /** The `…Complete` packet that closed a list. */
  complete?: AmiPacket | undefined;
}

/** Per-call options forwarded to the runner. */
export interface AmiCallOptions {
  /** Milliseconds before the action is abandoned with `AMI_TIMEOUT`. */
  timeout?: number;
  /** Aborts the action with `AMI_ABORTED`. */
  signal?: AbortSignal;
}

/**
 * Anything that can run an AMI action and settle with its reply: an `AmiClient`, or a test double. The typed API
 * depends only on this, never on client internals.
 */
export interface AmiActionRunner {
  /** Sends one action and resolves with its reply (also for `Response: Error`). */
  action(name: string, params?: AmiParams, opts?: AmiCallOptions): Promise<AmiReply>;
  /** Async Originate correlated with its `OriginateResponse` event (optional; `AmiClient` has it). */
  originate?(params: AmiParams, opts?: { timeout?: number }): Promise<AmiPacket>;
}
