/** The REST transport of ARI: one keep-alive agent, typed errors, per-request timeout and AbortSignal. */
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { type AriEndpoint, redact } from './connection.js';
import {
  AriAbortedError,
  AriBadResponseError,
  AriClosedError,
  AriConnectionError,
  AriInvalidArgumentError,
  AriTimeoutError,
  httpErrorFor,
} from './errors.js';

/** HTTP methods ARI uses. */
export type AriMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A query parameter value: arrays become comma lists (as ARI expects), undefined is left out. */
export type AriQueryValue = string | number | boolean | readonly string[] | undefined;

/** Query parameters by their Asterisk names. */
export type AriQuery = Record<string, AriQueryValue>;

/** Per-request options accepted by every REST method. */
export interface AriRequestOptions {
  /** Milliseconds before the request fails with `ARI_TIMEOUT` (default: the client's `requestTimeoutMs`). */
  timeoutMs?: number;
  /** Aborts the request with `ARI_ABORTED`. */
  signal?: AbortSignal;
}

/** One REST call: method, path below `/ari`, query parameters and an optional JSON body. */
export interface AriCall {
  /** HTTP method. */
  method: AriMethod;
  /** Path below `/ari`, starting with `/`, segments already encoded (see {@link seg}). */
  path: string;
  /** Query parameters. */
  query?: AriQuery | undefined;
  /** JSON body (for parameters ARI types as `body`, e.g. `variables`). */
  body?: unknown;
}

/** A binary response body as a stream, with its content type. */
export interface AriBinaryResponse {
  /** The body; consume or destroy it. */
  stream: Readable;
  /** `Content-Type` sent by Asterisk, if any. */
  contentType: string | undefined;
  /** `Content-Length` sent by Asterisk, if any. */
  contentLength: number | undefined;
}

/** Encodes one path segment (ids may contain `;`, `/`, spaces…). */
export function seg(value: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new AriInvalidArgumentError('path parameter must be a non-empty string');
  }
  return encodeURIComponent(value);
}

/** Serializes ARI query parameters; arrays are joined with commas, booleans as `true`/`false`. */
export function encodeQuery(query: AriQuery | undefined, apiKey?: string): string {
  const params = new URLSearchParams();
  if (query) {
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue;
      params.append(key, Array.isArray(value) ? value.join(',') : String(value));
    }
  }
  if (apiKey !== undefined) params.append('api_key', apiKey);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Options of {@link AriHttp}. */
export interface AriHttpOptions {
  /** Default per-request timeout in ms (default 10,000). */
  requestTimeoutMs?: number;
  /** Maximum sockets kept to Asterisk (default 16). */
  maxSockets?: number;
}

interface Pending {
  fail(err: Error): void;
}

/** Sends REST requests to one Asterisk; owns its keep-alive agent. */
export class AriHttp {
  readonly #endpoint: AriEndpoint;
  readonly #agent: http.Agent;
  readonly #timeoutMs: number;
  readonly #pending = new Set<Pending>();
  #closed = false;

  constructor(endpoint: AriEndpoint, options: AriHttpOptions = {}) {
    this.#endpoint = endpoint;
    this.#timeoutMs = options.requestTimeoutMs ?? 10_000;
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 16 };
    this.#agent = endpoint.baseUrl.startsWith('https:')
      ? new https.Agent(agentOptions)
      : new http.Agent(agentOptions);
  }

  /** Number of requests in flight. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Sends a request and returns the parsed JSON body (`undefined` for 204 / empty bodies). */
  async request<T>(call: AriCall, options: AriRequestOptions = {}): Promise<T> {
    const res = await this.#send(call, options, false);
    const { body, response } = res as { body: Buffer; response: IncomingMessage };
    if (body.length === 0) return undefined as T;
    const text = body.toString('utf8');
    const type = String(response.headers['content-type'] ?? '');
    if (!/json/i.test(type)) return text as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new AriBadResponseError(`${call.method} ${call.path}: response is not valid JSON`);
    }
  }

  /** Sends a request whose successful reply is binary (e.g. a stored recording) and returns it as a stream. */
  async requestStream(call: AriCall, options: AriRequestOptions = {}): Promise<AriBinaryResponse> {
    const { response } = (await this.#send(call, options, true)) as { response: IncomingMessage };
    const signal = options.signal;
    if (signal) {
      // The signal keeps governing the body: aborting destroys the stream with ARI_ABORTED.
      const onAbort = () =>
        response.destroy(new AriAbortedError(`${call.method} ${call.path} aborted`, signal.reason));
      signal.addEventListener('abort', onAbort, { once: true });
      response.once('close', () => signal.removeEventListener('abort', onAbort));
    }
    const length = response.headers['content-length'];
    return {
      stream: response,
      contentType: response.headers['content-type'],
      contentLength: length === undefined ? undefined : Number(length),
    };
  }

  /** Rejects pending requests with `ARI_CLOSED` and destroys every socket. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const p of [...this.#pending]) p.fail(new AriClosedError('ARI client closed before the reply came'));
    this.#agent.destroy();
  }

  #send(
    call: AriCall,
    options: AriRequestOptions,
    stream: boolean,
  ): Promise<{ response: IncomingMessage; body?: Buffer }> {
    if (this.#closed) return Promise.reject(new AriClosedError());
    const ep = this.#endpoint;
    const what = `${call.method} ${call.path}`;
    if (options.signal?.aborted) {
      return Promise.reject(new AriAbortedError(`${what} aborted before it was sent`, options.signal.reason));
    }
    let payload: Buffer | undefined;
    if (call.body !== undefined) payload = Buffer.from(JSON.stringify(call.body), 'utf8');
    const url = new URL(ep.baseUrl + call.path + encodeQuery(call.query, ep.apiKey));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (ep.authorization) headers.authorization = ep.authorization;
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(payload.length);
    }
    const mod = url.protocol === 'https:' ? https : http;
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;

    return new Promise((resolve, reject) => {
      let done = false;
      let timer: NodeJS.Timeout | undefined;
      const entry: Pending = { fail: (err) => finish(err) };
      const onAbort = () => finish(new AriAbortedError(`${what} aborted`, options.signal?.reason));
      const finish = (err: Error | undefined, value?: { response: IncomingMessage; body?: Buffer }) => {
        if (done) return;
        done = true;
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        this.#pending.delete(entry);
        if (err) {
          req.destroy();
          reject(err);
        } else resolve(value!);
      };
      this.#pending.add(entry);
      const req = mod.request(url, { method: call.method, headers, agent: this.#agent }, (response) => {
        const status = response.statusCode ?? 0;
        if (stream && status >= 200 && status < 300) {
          finish(undefined, { response });
          return;
        }
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('error', (e) => finish(new AriConnectionError(`${what}: ${redact(e.message, ep)}`, e)));
        response.on('end', () => {
          const body = Buffer.concat(chunks);
          if (status >= 200 && status < 300) {
            finish(undefined, { response, body });
            return;
          }
          const info = { method: call.method, path: call.path };
          finish(httpErrorFor(status, response.statusMessage ?? '', messageOf(body), info));
        });
      });
      req.on('error', (e: NodeJS.ErrnoException) => {
        const cause = e.code ?? e.message;
        finish(new AriConnectionError(`${what}: cannot reach ${ep.display} (${redact(cause, ep)})`, e));
      });
      if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
        timer = setTimeout(
          () => finish(new AriTimeoutError(`${what}: no reply from ${ep.display} within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }
      options.signal?.addEventListener('abort', onAbort, { once: true });
      req.end(payload);
    });
  }
}

/** Extracts Asterisk's `{"message":…}` from an error body, falling back to the raw text. */
function messageOf(body: Buffer): string {
  const text = body.toString('utf8').trim();
  if (!text) return '';
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && 'message' in parsed) {
      const m = (parsed as { message: unknown }).message;
      if (typeof m === 'string') return m;
    }
  } catch {
    // Not JSON: keep the text (bounded so a huge HTML page does not become an error message).
  }
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
