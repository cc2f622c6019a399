/** Errors of the typed AMI API. */
import { AmiActionError } from '../errors.js';
import type { AmiPacket } from './runner.js';

/**
 * Asterisk answered an action with `Response: Error`. An `AmiActionError` (code `AMI_ACTION_FAILED`, `reason` =
 * Asterisk's `Message:`), which also carries the error reply itself for headers beyond `Message:` (e.g. `Output:`).
 */
export class AmiActionReplyError extends AmiActionError {
  /** The action that failed, e.g. `Getvar`. */
  readonly action: string;
  /** The error reply. */
  readonly reply: AmiPacket;
  constructor(action: string, reply: AmiPacket) {
    super(action, (reply.get('Message') ?? '').trim() || 'Response: Error without a message');
    this.name = 'AmiActionReplyError';
    this.action = action;
    this.reply = reply;
  }
}

/** A typed call or the UpdateConfig builder was given input it cannot send (empty name, CR/LF, bad option). */
export class AmiTypedInputError extends Error {
  /** Stable machine-readable code. */
  readonly code = 'AMI_INVALID_INPUT' as const;
  constructor(message: string) {
    super(message);
    this.name = 'AmiTypedInputError';
  }
}
