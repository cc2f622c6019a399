/** Errors of call control, with stable codes (the server maps them to HTTP statuses). */

/** Codes of {@link ControlError}. */
export type ControlErrorCode =
  | 'CONTROL_NOT_FOUND'
  | 'CONTROL_INVALID'
  | 'CONTROL_FORBIDDEN'
  | 'CONTROL_REFUSED'
  | 'CONTROL_TIMEOUT';

/** A call-control failure: unknown object, bad input, not allowed, Asterisk refused, or no answer in time. */
export class ControlError extends Error {
  constructor(
    /** Stable code. */
    readonly code: ControlErrorCode,
    message: string,
    /** The input field at fault. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ControlError';
  }
}
