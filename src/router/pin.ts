/**
 * PINs: stored only as a slow salted scrypt hash (`scrypt$N$r$p$salt$hash`, base64), compared in constant time.
 * A PIN never appears in a log, an error message or the call log.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { RouterError } from './errors.js';

/** scrypt cost parameters; N=2^14 takes tens of milliseconds, which is what makes guessing slow. */
export interface PinHashParams {
  N: number;
  r: number;
  p: number;
}

/** Default scrypt cost. */
export const DEFAULT_PIN_PARAMS: PinHashParams = { N: 16384, r: 8, p: 1 };

const KEY_LENGTH = 32;

/** True for an acceptable PIN: 4 to 12 digits. */
export function isValidPin(pin: string): boolean {
  return /^[0-9]{4,12}$/.test(pin);
}

function derive(pin: string, salt: Buffer, params: PinHashParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      pin,
      salt,
      KEY_LENGTH,
      { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r },
      (err, key) => (err ? reject(err) : resolve(key)),
    );
  });
}

/** Hashes a PIN with a fresh random salt. Rejects `ROUTER_INVALID_PIN` (without echoing it) if it is not 4–12 digits. */
export async function hashPin(pin: string, params: PinHashParams = DEFAULT_PIN_PARAMS): Promise<string> {
  if (!isValidPin(pin)) throw new RouterError('ROUTER_INVALID_PIN', 'a PIN must be 4 to 12 digits');
  const salt = randomBytes(16);
  const key = await derive(pin, salt, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** True when `pin` matches the stored hash; false for a wrong PIN or an unreadable hash. */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > 2 ** 20) return false;
  const salt = Buffer.from(parts[4] as string, 'base64');
  const expected = Buffer.from(parts[5] as string, 'base64');
  if (expected.length !== KEY_LENGTH || !/^[0-9]*$/.test(pin) || pin.length === 0 || pin.length > 32)
    return false;
  const key = await derive(pin, salt, { N, r, p });
  return timingSafeEqual(key, expected);
}
