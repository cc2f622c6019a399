/** The signature of a delivery, and the checks on a target's extra headers. */
import { createHmac } from 'node:crypto';
import { FeedsError } from '../errors.js';

/** `Switchboard-Signature` value: `sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`. */
export function signDelivery(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Headers a target may not set: ours, and the ones that frame the request. */
const RESERVED = new Set([
  'content-type',
  'content-length',
  'host',
  'transfer-encoding',
  'connection',
  'expect',
]);
const TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/;

/** Validates a target's extra headers; throws `WEBHOOK_BAD_HEADER` naming `headers.<Name>`. */
export function checkExtraHeaders(headers: Record<string, string>): Record<string, string> {
  const names = Object.keys(headers);
  if (names.length > 20) throw new FeedsError('WEBHOOK_BAD_HEADER', 'at most 20 extra headers', 'headers');
  const seen = new Set<string>();
  for (const name of names) {
    const field = `headers.${name}`;
    const lower = name.toLowerCase();
    if (!TOKEN.test(name)) throw new FeedsError('WEBHOOK_BAD_HEADER', 'not a header name', field);
    if (RESERVED.has(lower) || lower.startsWith('switchboard-')) {
      throw new FeedsError('WEBHOOK_BAD_HEADER', `${name} is set by Switchboard`, field);
    }
    if (seen.has(lower)) throw new FeedsError('WEBHOOK_BAD_HEADER', 'header given twice', field);
    seen.add(lower);
    const value = headers[name]!;
    if (value.length > 1000 || /[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) {
      throw new FeedsError('WEBHOOK_BAD_HEADER', 'CR, LF and control characters are refused', field);
    }
  }
  return headers;
}

/** What a list shows instead of a secret: its last four characters. */
export function secretHint(secret: string): string {
  return `…${secret.slice(-4)}`;
}
