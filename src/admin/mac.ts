/** MAC addresses in any common notation (`00:0B:82:…`, `00-0b-82-…`, `000b.8212.3456`, bare) → 12 lowercase hex. */
import { AdminError } from './errors.js';

/** Normalises a MAC; throws `ADMIN_INVALID` (field `mac`) when it is not 12 hex digits in a known notation. */
export function normalizeMac(input: string): string {
  const s = input.trim();
  const ok =
    /^[0-9a-f]{12}$/i.test(s) ||
    /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/i.test(s) ||
    /^([0-9a-f]{4}\.){2}[0-9a-f]{4}$/i.test(s);
  if (!ok)
    throw new AdminError('ADMIN_INVALID', `not a MAC address: ${JSON.stringify(s.slice(0, 40))}`, 'mac');
  const hex = s.replace(/[^0-9a-f]/gi, '').toLowerCase();
  if (hex === '000000000000' || hex === 'ffffffffffff')
    throw new AdminError('ADMIN_INVALID', 'the MAC address cannot be all zeros or all ones', 'mac');
  return hex;
}

/** The MAC in upper case (Polycom, Snom file names). */
export const macUpper = (mac: string): string => mac.toUpperCase();
