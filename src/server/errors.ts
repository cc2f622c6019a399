/**
 * The server's one error shape, `{"error": {"code", "message", "field"}}`, and the one table that maps the
 * application rooms' error codes to HTTP statuses.
 */

/** An error meant for the HTTP client: status, stable code, words, and the input field at fault. */
export class HttpError extends Error {
  constructor(
    /** HTTP status. */
    readonly status: number,
    /** Stable code, e.g. `BAD_REQUEST`. */
    readonly code: string,
    message: string,
    /** The request field at fault (`body.to`, `query.limit`…). */
    readonly field?: string,
    /** Extra response headers (e.g. `Retry-After`). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** 400 with the field at fault. */
export const badRequest = (message: string, field?: string) =>
  new HttpError(400, 'BAD_REQUEST', message, field);
/** 404. */
export const notFound = (what: string) => new HttpError(404, 'NOT_FOUND', `${what} not found`);
/** 403. */
export const forbidden = (message = 'your role does not allow this') =>
  new HttpError(403, 'FORBIDDEN', message);

/**
 * Status for each room's error code (exact codes first, then prefixes). Rooms add their codes here with one
 * line each; an unknown code is a 500 whose message is not shown.
 */
const byCode: Record<string, number> = {
  STORE_NOT_FOUND: 404,
  STORE_CONFLICT: 409,
  AMI_INVALID_HEADER: 400,
  AMI_ACTION_FAILED: 502,
  AMI_TIMEOUT: 504,
  AMI_DISCONNECTED: 503,
  AMI_CLOSED: 503,
  AMI_CONNECT_FAILED: 503,
  PBX_NOT_CONNECTED: 503,
  PBX_NOT_FOUND: 404,
  PBX_REFUSED: 502,
  CONTROL_NOT_FOUND: 404,
  CONTROL_INVALID: 400,
  CONTROL_FORBIDDEN: 403,
  CONTROL_REFUSED: 502,
  CONTROL_TIMEOUT: 504,
  ROUTER_INVALID_RULES: 422,
};

/** The HTTP status of a room error's code, or undefined when the code is unknown. */
export function statusOfCode(code: string): number | undefined {
  return byCode[code];
}

/** Registers statuses for a room's codes (used by rooms whose errors the server maps). */
export function registerErrorCodes(codes: Record<string, number>): void {
  Object.assign(byCode, codes);
}

/** The JSON body of an error response. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

/** Turns anything thrown by a handler into a status and body; unknown errors hide their message. */
export function toHttp(err: unknown): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  if (err instanceof HttpError) {
    return {
      status: err.status,
      body: { error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) } },
      ...(err.headers ? { headers: err.headers } : {}),
    };
  }
  const e = err as {
    code?: unknown;
    message?: unknown;
    field?: unknown;
    statusCode?: unknown;
    validation?: unknown;
  };
  if (typeof e?.code === 'string') {
    const status = statusOfCode(e.code);
    if (status !== undefined) {
      const field = typeof e.field === 'string' ? e.field : undefined;
      return {
        status,
        body: { error: { code: e.code, message: String(e.message ?? e.code), ...(field ? { field } : {}) } },
      };
    }
  }
  // Fastify's own errors (bad JSON, body too large, unsupported media type): 4xx with their words.
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    const code =
      e.statusCode === 413
        ? 'PAYLOAD_TOO_LARGE'
        : e.statusCode === 415
          ? 'UNSUPPORTED_MEDIA_TYPE'
          : 'BAD_REQUEST';
    return { status: e.statusCode, body: { error: { code, message: String(e.message ?? 'bad request') } } };
  }
  return {
    status: 500,
    body: { error: { code: 'INTERNAL', message: 'internal error (see the server log)' } },
  };
}
