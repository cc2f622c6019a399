/** The one way the UI talks to `/api/v1`: JSON in and out, the CSRF header on writes, errors as `ApiError`. */

/** An API failure with the server's code and message (or a network failure, code `NETWORK`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | undefined;

/** Remembers the session's CSRF token (from sign-in or `GET /api/v1/session`). */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Calls the API; resolves with the parsed JSON body (undefined for 204), rejects with `ApiError`. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  return send<T>(
    method,
    path,
    body === undefined ? undefined : { type: 'application/json', data: JSON.stringify(body) },
  );
}

/** Sends a file as the raw request body (`application/octet-stream`), e.g. a firmware upload. */
export function apiUpload<T>(path: string, file: Blob): Promise<T> {
  return send<T>('POST', path, { type: 'application/octet-stream', data: file });
}

async function send<T>(
  method: string,
  path: string,
  body: { type: string; data: string | Blob } | undefined,
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body) headers['content-type'] = body.type;
  if (WRITES.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body ? { body: body.data } : {}),
    });
  } catch (err) {
    throw new ApiError(0, 'NETWORK', (err as Error).message);
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!res.ok) {
    const e = (parsed as { error?: { code?: string; message?: string; field?: string } } | undefined)?.error;
    throw new ApiError(res.status, e?.code ?? `HTTP_${res.status}`, e?.message ?? res.statusText, e?.field);
  }
  return parsed as T;
}

/** A path segment for an id that may contain `/` (`pbx1/1764840123.45`). */
export const seg = (id: string): string => encodeURIComponent(id);
