/**
 * HTTP authentication for provisioning (server side): RFC 7616 Digest with MD5 and `qop=auth` (what phones
 * implement), and Basic (RFC 7617). Nonces are stateless — a timestamp signed with a per-process key — and expire
 * after `nonceTtlMs` (the phone then gets `stale=true` and retries without asking anyone for a password).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

/** `key="quoted", key=token` pairs of an Authorization header (after the scheme). */
export function parseAuthParams(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*(?:,|$)/y;
  let m: RegExpExecArray | null = re.exec(text);
  while (m !== null) {
    out.set(m[1]!.toLowerCase(), m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? ''));
    if (re.lastIndex >= text.length) break;
    m = re.exec(text);
  }
  return out;
}

/** The outcome of checking credentials. */
export type AuthCheck =
  | { ok: true; username: string; scheme: 'digest' | 'basic' }
  | { ok: false; reason: string; username?: string; stale?: boolean };

/** Looks up the stored HA1 (`MD5(user:realm:password)`) of a user name. */
export type Ha1Lookup = (username: string) => Promise<string | undefined>;

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Digest and Basic checks for one realm. */
export class HttpAuth {
  readonly #key = randomBytes(32);

  constructor(
    /** The realm (part of every stored HA1). */
    readonly realm: string,
    private readonly nonceTtlMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  #sign(ts: string): string {
    return createHmac('sha256', this.#key).update(ts).digest('hex').slice(0, 32);
  }

  /** A fresh nonce. */
  nonce(): string {
    const ts = String(this.now());
    return Buffer.from(`${ts}:${this.#sign(ts)}`).toString('base64url');
  }

  /** The `WWW-Authenticate` values to send with a 401 (Digest first; Basic only when allowed here). */
  challenges(basic: boolean, stale = false): string[] {
    const digest = `Digest realm="${this.realm}", qop="auth", algorithm=MD5, nonce="${this.nonce()}"${stale ? ', stale=true' : ''}`;
    return basic ? [digest, `Basic realm="${this.realm}", charset="UTF-8"`] : [digest];
  }

  #nonceState(nonce: string): 'ok' | 'stale' | 'bad' {
    let text: string;
    try {
      text = Buffer.from(nonce, 'base64url').toString('utf8');
    } catch {
      return 'bad';
    }
    const [ts, sig] = text.split(':');
    if (!ts || !sig || !/^\d+$/.test(ts) || !same(sig, this.#sign(ts))) return 'bad';
    return this.now() - Number(ts) > this.nonceTtlMs ? 'stale' : 'ok';
  }

  /** Checks an Authorization header for `method` and the request target `uri`. */
  async check(
    header: string,
    method: string,
    uri: string,
    basicAllowed: boolean,
    ha1Of: Ha1Lookup,
  ): Promise<AuthCheck> {
    const sp = header.indexOf(' ');
    const scheme = (sp < 0 ? header : header.slice(0, sp)).toLowerCase();
    const rest = sp < 0 ? '' : header.slice(sp + 1);
    if (scheme === 'basic') {
      if (!basicAllowed) return { ok: false, reason: 'Basic credentials are refused over plain HTTP' };
      const decoded = Buffer.from(rest.trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return { ok: false, reason: 'malformed Basic credentials' };
      const username = decoded.slice(0, colon);
      const ha1 = await ha1Of(username);
      if (!ha1 || !same(md5(`${username}:${this.realm}:${decoded.slice(colon + 1)}`), ha1))
        return { ok: false, reason: 'wrong user name or password', username };
      return { ok: true, username, scheme: 'basic' };
    }
    if (scheme !== 'digest') return { ok: false, reason: `unsupported scheme ${scheme}` };
    const p = parseAuthParams(rest);
    const username = p.get('username') ?? '';
    const nonce = p.get('nonce') ?? '';
    const response = (p.get('response') ?? '').toLowerCase();
    const qop = p.get('qop');
    const nc = p.get('nc') ?? '';
    const cnonce = p.get('cnonce') ?? '';
    const algorithm = (p.get('algorithm') ?? 'MD5').toUpperCase();
    if (!username || !nonce || !response)
      return { ok: false, reason: 'incomplete Digest credentials', username };
    if (p.get('realm') !== this.realm) return { ok: false, reason: 'wrong realm', username };
    if (algorithm !== 'MD5') return { ok: false, reason: `unsupported algorithm ${algorithm}`, username };
    if (p.get('uri') !== uri)
      return { ok: false, reason: 'the Digest uri is not the request target', username };
    if (qop !== undefined && qop !== 'auth') return { ok: false, reason: `unsupported qop ${qop}`, username };
    if (qop === 'auth' && (!/^[0-9a-f]{8}$/i.test(nc) || !cnonce))
      return { ok: false, reason: 'qop=auth needs nc and cnonce', username };
    const state = this.#nonceState(nonce);
    if (state === 'bad') return { ok: false, reason: 'unknown nonce', username };
    const ha1 = await ha1Of(username);
    if (!ha1) return { ok: false, reason: 'wrong user name or password', username };
    const ha2 = md5(`${method}:${uri}`);
    const expected =
      qop === 'auth' ? md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
    if (!same(expected, response)) return { ok: false, reason: 'wrong user name or password', username };
    // A right answer to an expired nonce: ask again with stale=true (RFC 7616 §3.3).
    if (state === 'stale') return { ok: false, reason: 'stale nonce', username, stale: true };
    return { ok: true, username, scheme: 'digest' };
  }
}

/** A client-side Digest answer (for tests and tools): the Authorization header for a challenge. */
export function digestAuthorization(o: {
  challenge: string;
  username: string;
  password: string;
  method: string;
  uri: string;
  cnonce?: string;
  nc?: string;
}): string {
  const p = parseAuthParams(o.challenge.replace(/^Digest\s+/i, ''));
  const realm = p.get('realm') ?? '';
  const nonce = p.get('nonce') ?? '';
  const cnonce = o.cnonce ?? randomBytes(8).toString('hex');
  const nc = o.nc ?? '00000001';
  const ha1 = md5(`${o.username}:${realm}:${o.password}`);
  const ha2 = md5(`${o.method}:${o.uri}`);
  const response = md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
  return `Digest username="${o.username}", realm="${realm}", nonce="${nonce}", uri="${o.uri}", algorithm=MD5, qop=auth, nc=${nc}, cnonce="${cnonce}", response="${response}"`;
}
