/**
 * SIP and provisioning secrets: generated with the CSPRNG from `[A-Za-z0-9]` (every phone brand's config and
 * Asterisk's config parser take these unquoted; `;`, `#`, quotes and `&` break one or the other), and sealed at
 * rest with AES-256-GCM when a key is configured.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, randomInt } from 'node:crypto';
import { AdminError } from './errors.js';

/** The characters secrets are made of. */
export const SECRET_CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Length of generated secrets: 20 × log2(62) ≈ 119 bits. */
export const SECRET_LENGTH = 20;

/** A random secret of `length` characters from {@link SECRET_CHARSET} (uniform: `randomInt` rejects bias). */
export function generateSecret(length = SECRET_LENGTH): string {
  if (!Number.isInteger(length) || length < 17)
    throw new RangeError('secrets need at least 17 characters (96 bits)');
  let out = '';
  for (let i = 0; i < length; i++) out += SECRET_CHARSET[randomInt(SECRET_CHARSET.length)];
  return out;
}

/** Checks a secret given by hand (import of existing users): printable, no character a config file would eat. */
export function checkGivenSecret(secret: string, field = 'secret'): string {
  if (!/^[A-Za-z0-9!$%()*+,\-./:=?@[\]^_{}~]{4,64}$/.test(secret))
    throw new AdminError(
      'ADMIN_INVALID',
      `${field}: 4 to 64 characters, letters, digits and !$%()*+,-./:=?@[]^_{}~ only (no ; # " ' & < > \\ or spaces)`,
      field,
    );
  return secret;
}

/** Seals and opens stored secrets. Without a key secrets are stored as `plain:` (still never listed or logged). */
export class SecretBox {
  readonly #key: Buffer | undefined;

  /** `key`: any string of at least 16 characters (hashed to 256 bits), or undefined for no encryption. */
  constructor(key?: string) {
    if (key !== undefined && key.length < 16)
      throw new AdminError('ADMIN_SECRET_KEY', 'phones.secretKey must have at least 16 characters');
    this.#key = key === undefined ? undefined : createHash('sha256').update(key, 'utf8').digest();
  }

  /** Whether secrets are encrypted at rest. */
  get encrypted(): boolean {
    return this.#key !== undefined;
  }

  /** The stored form of a secret. */
  seal(secret: string): string {
    if (!this.#key) return `plain:${secret}`;
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([c.update(secret, 'utf8'), c.final()]);
    return `v1:${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')}`;
  }

  /** The secret of a stored form; `ADMIN_SECRET_KEY` when it was sealed with another (or no) key. */
  open(sealed: string): string {
    if (sealed.startsWith('plain:')) return sealed.slice('plain:'.length);
    if (!sealed.startsWith('v1:') || !this.#key)
      throw new AdminError('ADMIN_SECRET_KEY', 'a phone secret is encrypted and phones.secretKey is not set');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    try {
      const d = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, 12));
      d.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
    } catch (err) {
      throw new AdminError(
        'ADMIN_SECRET_KEY',
        'a phone secret does not open with phones.secretKey',
        undefined,
        {
          cause: err,
        },
      );
    }
  }
}
