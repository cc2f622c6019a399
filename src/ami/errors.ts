/** Stable error codes of the AMI module. */
export type AmiErrorCode =
  | 'AMI_PACKET_TOO_LARGE'
  | 'AMI_TOO_MANY_HEADERS'
  | 'AMI_INVALID_HEADER'
  | 'AMI_TIMEOUT'
  | 'AMI_ABORTED'
  | 'AMI_DISCONNECTED'
  | 'AMI_CLOSED'
  | 'AMI_LOGIN_FAILED'
  | 'AMI_CONNECT_FAILED'
  | 'AMI_INVALID_URL'
  | 'AMI_PROTOCOL_ERROR'
  | 'AMI_ACTION_FAILED';

/** Base class of every error raised by `switchboard/ami`; `code` is stable, `message` is for humans. */
export class AmiError extends Error {
  /** Stable machine-readable code, e.g. `AMI_TIMEOUT`. */
  readonly code: AmiErrorCode;
  constructor(code: AmiErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The parser met a packet it refuses (too large, too many headers); the stream resynchronised after it. */
export class AmiParseError extends AmiError {
  /** Bytes of the offending packet that were discarded. */
  readonly discardedBytes: number;
  constructor(
    code: 'AMI_PACKET_TOO_LARGE' | 'AMI_TOO_MANY_HEADERS',
    message: string,
    discardedBytes: number,
  ) {
    super(code, message);
    this.discardedBytes = discardedBytes;
  }
}

/** A header name or value would break AMI framing (CR/LF, or a colon in a name); nothing was written. */
export class AmiInvalidHeaderError extends AmiError {
  /** The offending header name (never its value, which may be a secret). */
  readonly header: string;
  constructor(header: string, reason: string) {
    super('AMI_INVALID_HEADER', `AMI header ${JSON.stringify(header)} refused: ${reason}`);
    this.header = header;
  }
}

/** An action got no (complete) reply in time; its slot was freed. */
export class AmiTimeoutError extends AmiError {
  constructor(what: string, ms: number) {
    super('AMI_TIMEOUT', `${what} got no reply within ${ms} ms`);
  }
}

/** The caller's AbortSignal fired before the reply arrived. */
export class AmiAbortedError extends AmiError {
  constructor(what: string, reason?: unknown) {
    super('AMI_ABORTED', `${what} was aborted`, reason === undefined ? undefined : { cause: reason });
  }
}

/** The link carrying an action dropped before its reply; the action is never replayed. */
export class AmiDisconnectedError extends AmiError {
  constructor(what: string, cause?: unknown) {
    super(
      'AMI_DISCONNECTED',
      `${what}: connection to Asterisk lost before the reply (not retried)`,
      cause === undefined ? undefined : { cause },
    );
  }
}

/** The client was closed (or is closing); no more actions are accepted. */
export class AmiClosedError extends AmiError {
  constructor(what = 'AMI client') {
    super('AMI_CLOSED', `${what}: client is closed`);
  }
}

/** Asterisk refused the credentials; the client does not retry with the same ones. */
export class AmiLoginError extends AmiError {
  /** Asterisk's `Message:` text, e.g. `Authentication failed`. */
  readonly reason: string;
  constructor(username: string, reason: string) {
    super('AMI_LOGIN_FAILED', `AMI login refused for user ${JSON.stringify(username)}: ${reason}`);
    this.reason = reason;
  }
}

/** The transport could not be opened (refused, DNS, TLS verification, HTTP error). */
export class AmiConnectError extends AmiError {
  constructor(message: string, cause?: unknown) {
    super('AMI_CONNECT_FAILED', message, cause === undefined ? undefined : { cause });
  }
}

/** A connection URL or option is unusable. */
export class AmiUrlError extends AmiError {
  constructor(message: string) {
    super('AMI_INVALID_URL', message);
  }
}

/** The peer said something that breaks the protocol (e.g. an HTTP status that is not 200). */
export class AmiProtocolError extends AmiError {
  constructor(message: string) {
    super('AMI_PROTOCOL_ERROR', message);
  }
}

/** Asterisk answered an action with `Response: Error` where a success was required (e.g. Originate). */
export class AmiActionError extends AmiError {
  /** Asterisk's `Message:` text. */
  readonly reason: string;
  constructor(action: string, reason: string) {
    super('AMI_ACTION_FAILED', `AMI action ${action} failed: ${reason}`);
    this.reason = reason;
  }
}
