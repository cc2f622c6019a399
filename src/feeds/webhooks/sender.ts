/**
 * One HTTP attempt of a delivery: POST with the signature headers, a time budget for the whole exchange, the
 * SSRF-guarded lookup unless private targets are allowed, and keep-alive agents (a receiver gets thousands of
 * requests a second on a few sockets). The answer is classified: delivered (2xx), retry (network error, timeout,
 * 5xx, 429 — with `Retry-After` in ms when given), or final failure (other statuses, a refused address).
 */
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { signDelivery } from './signature.js';
import { guardedLookup, isPrivateAddress, PRIVATE_TARGET_REFUSED } from './ssrf.js';

/** The outcome of one attempt. */
export interface SendResult {
  verdict: 'delivered' | 'retry' | 'failed';
  code: number | null;
  error: string | null;
  latencyMs: number;
  /** First 256 bytes of the response body (UTF-8, may cut a character). */
  body: string | null;
  /** `Retry-After` in ms, when the receiver sent one. */
  retryAfterMs?: number;
}

/** What is sent. */
export interface SendRequest {
  url: string;
  secret: string;
  headers: Record<string, string>;
  deliveryId: string;
  body: string;
}

/** Parses `Retry-After` (delta seconds or an HTTP date) into ms from `now`; undefined when absent or bad. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Sends deliveries; one per target at a time (the engine sees to that). */
export class WebhookSender {
  private readonly agents: { http: http.Agent; https: https.Agent };

  constructor(private readonly options: { timeoutMs: number; allowPrivateTargets: boolean }) {
    const lookup = options.allowPrivateTargets ? undefined : guardedLookup;
    const base = { keepAlive: true, maxSockets: 256, ...(lookup ? { lookup } : {}) };
    this.agents = { http: new http.Agent(base), https: new https.Agent(base) };
  }

  /** One attempt (never rejects). */
  send(req: SendRequest): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const timestamp = Math.floor(Date.now() / 1000);
    const payload = Buffer.from(req.body);
    return new Promise<SendResult>((resolve) => {
      let done = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = (r: Omit<SendResult, 'latencyMs'>) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve({ ...r, latencyMs: elapsed() });
      };
      let url: URL;
      try {
        url = new URL(req.url);
      } catch {
        finish({ verdict: 'failed', code: null, error: 'bad URL', body: null });
        return;
      }
      // Node does not call `lookup` for an IP literal: check it here.
      const literal = url.hostname.replace(/^\[|\]$/g, '');
      if (!this.options.allowPrivateTargets && isIP(literal) !== 0 && isPrivateAddress(literal)) {
        finish({
          verdict: 'failed',
          code: null,
          error: `refused: ${literal} is a private address`,
          body: null,
        });
        return;
      }
      const secure = url.protocol === 'https:';
      const r = (secure ? https : http).request(url, {
        method: 'POST',
        agent: secure ? this.agents.https : this.agents.http,
        headers: {
          ...req.headers,
          'content-type': 'application/json',
          'content-length': String(payload.length),
          'switchboard-delivery': req.deliveryId,
          'switchboard-timestamp': String(timestamp),
          'switchboard-signature': signDelivery(req.secret, timestamp, req.body),
        },
      });
      timer = setTimeout(() => {
        r.destroy(new Error(`timed out after ${this.options.timeoutMs} ms`));
      }, this.options.timeoutMs);
      r.on('error', (err: NodeJS.ErrnoException) => {
        const refused = err.code === PRIVATE_TARGET_REFUSED;
        finish({
          verdict: refused ? 'failed' : 'retry',
          code: null,
          error: err.message.slice(0, 200),
          body: null,
        });
      });
      r.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < 256) chunks.push(c);
          size += c.length;
        });
        res.on('error', () => {});
        res.on('end', () => {
          const code = res.statusCode ?? 0;
          const body = Buffer.concat(chunks).subarray(0, 256).toString('utf8');
          const header = res.headers['retry-after'];
          const retryAfterMs = parseRetryAfter(Array.isArray(header) ? header[0] : header);
          const verdict =
            code >= 200 && code < 300 ? 'delivered' : code >= 500 || code === 429 ? 'retry' : 'failed';
          finish({
            verdict,
            code,
            error: verdict === 'delivered' ? null : `HTTP ${code}`,
            body,
            ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
          });
        });
      });
      r.end(payload);
    });
  }

  /** Closes idle sockets. */
  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
}
