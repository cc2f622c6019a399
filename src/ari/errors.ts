/** Typed errors of the ARI client: every failure has a class and a stable `code`. */

/** Stable codes of every ARI error. */
export type AriErrorCode =
  | 'ARI_BAD_REQUEST'
  | 'ARI_UNAUTHORIZED'
  | 'ARI_FORBIDDEN'
  | 'ARI_NOT_FOUND'
  | 'ARI_METHOD_NOT_ALLOWED'
  | 'ARI_CONFLICT'
  | 'ARI_PRECONDITION_FAILED'
  | 'ARI_UNPROCESSABLE'
  | 'ARI_SERVER_ERROR'
  | 'ARI_HTTP_ERROR'
  | 'ARI_TIMEOUT'
  | 'ARI_ABORTED'
  | 'ARI_CONNECTION'
  | 'ARI_CLOSED'
  | 'ARI_BAD_RESPONSE'
  | 'ARI_INVALID_ARGUMENT'
  | 'ARI_HANGUP';

/** Base class of every ARI error. */
export class AriError extends Error {
  /** Stable machine-readable code. */
  readonly code: AriErrorCode;
  constructor(code: AriErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AriError';
    this.code = code;
  }
}

/** What the request was, for error messages (never carries credentials). */
export interface AriRequestInfo {
  /** HTTP method. */
  method: string;
  /** Path below `/ari`, e.g. `/channels/abc`. */
  path: string;
}

/** Asterisk answered with an HTTP error status; `message` is Asterisk's own `{"message":…}` text when present. */
export class AriHttpError extends AriError {
  /** HTTP status code. */
  readonly status: number;
  /** HTTP reason phrase as sent by Asterisk. */
  readonly statusText: string;
  /** Asterisk's `message` field (or the raw body when it was not JSON). */
  readonly asteriskMessage: string;
  /** The request that failed. */
  readonly request: AriRequestInfo;
  constructor(
    code: AriErrorCode,
    status: number,
    statusText: string,
    asteriskMessage: string,
    request: AriRequestInfo,
  ) {
    super(
      code,
      `${request.method} ${request.path} failed: ${status} ${statusText}${asteriskMessage ? ` (${asteriskMessage})` : ''}`,
    );
    this.name = 'AriHttpError';
    this.status = status;
    this.statusText = statusText;
    this.asteriskMessage = asteriskMessage;
    this.request = request;
  }
}

/** 400: missing or invalid parameters. */
export class AriBadRequestError extends AriHttpError {
  override readonly name = 'AriBadRequestError';
}
/** 401: missing or wrong credentials. */
export class AriUnauthorizedError extends AriHttpError {
  override readonly name = 'AriUnauthorizedError';
}
/** 403: ACL refused the address, or a read-only user tried to write. */
export class AriForbiddenError extends AriHttpError {
  override readonly name = 'AriForbiddenError';
}
/** 404: the resource (channel, bridge, route, variable…) does not exist. */
export class AriNotFoundError extends AriHttpError {
  override readonly name = 'AriNotFoundError';
}
/** 405: the route exists but not with this method. */
export class AriMethodNotAllowedError extends AriHttpError {
  override readonly name = 'AriMethodNotAllowedError';
}
/** 409: the object is in the wrong state (e.g. channel not in a Stasis application). */
export class AriConflictError extends AriHttpError {
  override readonly name = 'AriConflictError';
}
/** 412: the channel is in a state that forbids the operation. */
export class AriPreconditionFailedError extends AriHttpError {
  override readonly name = 'AriPreconditionFailedError';
}
/** 422: an object referenced by a parameter is missing (e.g. a recording to play). */
export class AriUnprocessableError extends AriHttpError {
  override readonly name = 'AriUnprocessableError';
}
/** 5xx: Asterisk failed internally. */
export class AriServerError extends AriHttpError {
  override readonly name = 'AriServerError';
}

/** The request did not complete within its timeout. */
export class AriTimeoutError extends AriError {
  constructor(message: string) {
    super('ARI_TIMEOUT', message);
    this.name = 'AriTimeoutError';
  }
}

/** The caller's AbortSignal aborted the request or wait. */
export class AriAbortedError extends AriError {
  constructor(message: string, cause?: unknown) {
    super('ARI_ABORTED', message, { cause });
    this.name = 'AriAbortedError';
  }
}

/** Asterisk could not be reached (refused, reset, DNS, TLS…). */
export class AriConnectionError extends AriError {
  constructor(message: string, cause?: unknown) {
    super('ARI_CONNECTION', message, { cause });
    this.name = 'AriConnectionError';
  }
}

/** The client (or object) was closed while work was pending. */
export class AriClosedError extends AriError {
  constructor(message = 'ARI client closed') {
    super('ARI_CLOSED', message);
    this.name = 'AriClosedError';
  }
}

/** Asterisk sent something that is not what ARI promises (e.g. a non-JSON body on a JSON route). */
export class AriBadResponseError extends AriError {
  constructor(message: string) {
    super('ARI_BAD_RESPONSE', message);
    this.name = 'AriBadResponseError';
  }
}

/** A parameter given by the caller was refused before anything was sent. */
export class AriInvalidArgumentError extends AriError {
  constructor(message: string) {
    super('ARI_INVALID_ARGUMENT', message);
    this.name = 'AriInvalidArgumentError';
  }
}

/** The call ended (StasisEnd or hangup) while a helper was waiting on it. */
export class AriHangupError extends AriError {
  /** Id of the channel that went away. */
  readonly channelId: string;
  constructor(channelId: string, why: string) {
    super('ARI_HANGUP', `channel ${channelId} ${why}`);
    this.name = 'AriHangupError';
    this.channelId = channelId;
  }
}

/** Builds the typed error for an HTTP error status. */
export function httpErrorFor(
  status: number,
  statusText: string,
  asteriskMessage: string,
  request: AriRequestInfo,
): AriHttpError {
  const args = [status, statusText, asteriskMessage, request] as const;
  switch (status) {
    case 400:
      return new AriBadRequestError('ARI_BAD_REQUEST', ...args);
    case 401:
      return new AriUnauthorizedError('ARI_UNAUTHORIZED', ...args);
    case 403:
      return new AriForbiddenError('ARI_FORBIDDEN', ...args);
    case 404:
      return new AriNotFoundError('ARI_NOT_FOUND', ...args);
    case 405:
      return new AriMethodNotAllowedError('ARI_METHOD_NOT_ALLOWED', ...args);
    case 409:
      return new AriConflictError('ARI_CONFLICT', ...args);
    case 412:
      return new AriPreconditionFailedError('ARI_PRECONDITION_FAILED', ...args);
    case 422:
      return new AriUnprocessableError('ARI_UNPROCESSABLE', ...args);
    default:
      if (status >= 500) return new AriServerError('ARI_SERVER_ERROR', ...args);
      return new AriHttpError('ARI_HTTP_ERROR', ...args);
  }
}
