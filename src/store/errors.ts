/** Typed errors of the store. */

/** A store failure with a stable `code` (`STORE_OPEN_FAILED`, `STORE_MIGRATION_FAILED`, `STORE_NOT_FOUND`, `STORE_CONFLICT`). */
export class StoreError extends Error {
  /** Stable machine-readable code. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}
