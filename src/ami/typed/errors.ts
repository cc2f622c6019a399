/** Errors of the typed AMI API. */
import type { AmiPacket } from './runner.js';

/** Asterisk answered an action with `Response: Error`; `asteriskMessage` carries its `Message:` text. */
export class AmiActionError extends Error {
  /** Stable machine-readable code. */
  readonly code = 'AMI_ACTION_FAILED' as const;
  /** The action that failed, e.g. `Getvar`. */
  readonly action: string;
  /** Asterisk's `Message:` header (trimmed), or an empty string when it sent none. */
  readonly asteriskMessage: string;
  /** The error reply itself, for headers beyond `Message:` (e.g. Command `Output:`). */
  readonly reply: AmiPacket;
  constructor(action: string, reply: AmiPacket) {
    const text = (reply.get('Message') ?? '').trim();
    super(`AMI action ${action} failed: ${text || 'Response: Error without a message'}`);
    this.name = 'AmiActionError';
    this.action = action;
    this.asteriskMessage = text;
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
