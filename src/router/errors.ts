/** Typed errors of the call router, each with a stable `code`. */

/** Base class of every router error: a message for people and a stable `code` for programs. */
export class RouterError extends Error {
  /** Stable machine-readable code, e.g. `ROUTER_INVALID_PATTERN`. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RouterError';
    this.code = code;
  }
}

/** A dial pattern that cannot be compiled; `position` is the 0-based index of the bad character. */
export class PatternError extends RouterError {
  /** The pattern as given. */
  readonly pattern: string;
  /** 0-based index of the offending character in `pattern`. */
  readonly position: number;
  constructor(pattern: string, position: number, reason: string) {
    super(
      'ROUTER_INVALID_PATTERN',
      `invalid dial pattern ${JSON.stringify(pattern)}: ${reason} at position ${position + 1}\n  ${pattern}\n  ${' '.repeat(position)}^`,
    );
    this.name = 'PatternError';
    this.pattern = pattern;
    this.position = position;
  }
}

/** Rule data that cannot be used (bad application data, bad template, bad time window…). */
export class RuleError extends RouterError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ROUTER_BAD_RULE', message, options);
    this.name = 'RuleError';
  }
}
