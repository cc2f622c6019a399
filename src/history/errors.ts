/** Typed errors of the history room. */

/** A history failure with a stable `code` (`HISTORY_INVALID_CURSOR`, `HISTORY_INVALID_RANGE`, `HISTORY_CLOSED`). */
export class HistoryError extends Error {
  /** Stable machine-readable code. */
  readonly code: string;
  /** The input field at fault, when there is one. */
  readonly field?: string;
  constructor(code: string, message: string, field?: string) {
    super(message);
    this.name = 'HistoryError';
    this.code = code;
    if (field !== undefined) this.field = field;
  }
}
