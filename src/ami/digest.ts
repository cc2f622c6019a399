/**
 * HTTP Digest (RFC 2617, MD5, qop=auth) for AJAM's `/arawman`: reading Asterisk's challenge and answering it.
 * Pure. Asterisk (`main/manager.c`, auth_http_callback) checks the response against MD5(user:realm:secret),
 * keys the manager session by the nonce, wants `nc` to grow on every request and re-issues the nonce
 * (`stale=true`) after ~62 s or on a non-increasing `nc`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { AmiUrlError } from './errors.js';

/** A `WWW-authenticate: Digest …` challenge. */
export interface AmiDigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  readonly opaque: string | undefined;
  /** True when the server offers `qop="auth"` (Asterisk always does). */
  readonly qopAuth: boolean;
  /** `stale=true`: the nonce was renewed, the credentials themselves were fine. */
  readonly stale: boolean;
}

const UNSAFE = /["\\\u0000-\u001f\u007f]/;
const PARAM = /([A-Za-z-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;

/** Reads a Digest challenge header; `undefined` when it is absent or not Digest/MD5. */
export function parseDigestChallenge(
  header: string | readonly string[] | undefined,
): AmiDigestChallenge | undefined {
  const value = Array.isArray(header) ? header.find((h) => /^\s*digest\s/i.test(h)) : header;
  if (typeof value !== 'string' || !/^\s*digest\s/i.test(value)) return undefined;
  const params = new Map<string, string>();
  for (const m of value.replace(/^\s*digest\s+/i, '').matchAll(PARAM)) {
    params.set((m[1] ?? '').toLowerCase(), m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? ''));
  }
  const algorithm = params.get('algorithm');
  const nonce = params.get('nonce');
  if (nonce === undefined || (algorithm !== undefined && algorithm.toUpperCase() !== 'MD5')) return undefined;
  // Values go back inside quotes: refuse a challenge that could break out of them.
  for (const k of ['realm', 'nonce', 'opaque']) if (UNSAFE.test(params.get(k) ?? '')) return undefined;
  return {
    realm: params.get('realm') ?? '',
    nonce,
    opaque: params.get('opaque'),
    qopAuth: (params.get('qop') ?? '').split(',').some((q) => q.trim().toLowerCase() === 'auth'),
    stale: (params.get('stale') ?? '').toLowerCase() === 'true',
  };
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** What one request needs to answer a challenge. */
export interface AmiDigestRequest {
  readonly username: string;
  readonly secret: string;
  /** `GET` or `POST`: part of the hashed request (A2). */
  readonly method: string;
  /** The request path, e.g. `/asterisk/arawman`. */
  readonly uri: string;
  /** Request counter for this nonce, from 1. */
  readonly nc: number;
  /** Client nonce (random when absent). */
  readonly cnonce?: string;
}

/** The `Authorization: Digest …` value answering `challenge`. The secret only enters the hash. */
export function digestAuthorization(challenge: AmiDigestChallenge, r: AmiDigestRequest): string {
  if (UNSAFE.test(r.username) || UNSAFE.test(r.uri)) {
    throw new AmiUrlError(
      'the AMI user name cannot hold quotes, backslashes or control characters for Digest',
    );
  }
  const ha1 = md5(`${r.username}:${challenge.realm}:${r.secret}`);
  const ha2 = md5(`${r.method}:${r.uri}`);
  const nc = r.nc.toString(16).padStart(8, '0');
  const cnonce = r.cnonce ?? randomBytes(8).toString('hex');
  const parts = [
    `username="${r.username}"`,
    `realm="${challenge.realm}"`,
    `nonce="${challenge.nonce}"`,
    `uri="${r.uri}"`,
  ];
  if (challenge.qopAuth) {
    const response = md5(`${ha1}:${challenge.nonce}:${nc}:${cnonce}:auth:${ha2}`);
    parts.push('qop=auth', `nc=${nc}`, `cnonce="${cnonce}"`, `response="${response}"`);
  } else parts.push(`response="${md5(`${ha1}:${challenge.nonce}:${ha2}`)}"`);
  if (challenge.opaque !== undefined) parts.push(`opaque="${challenge.opaque}"`);
  parts.push('algorithm=MD5');
  return `Digest ${parts.join(', ')}`;
}
