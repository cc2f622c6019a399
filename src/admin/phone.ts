/** A phone's fields as the admin room takes them, checked before anything reaches the store or Asterisk. */
import { AdminError } from './errors.js';
import { normalizeMac } from './mac.js';

/** Brands with a provisioning template. */
export const BRANDS = ['yealink', 'polycom', 'grandstream', 'snom', 'cisco', 'fanvil', 'generic'] as const;
/** A phone brand. */
export type Brand = (typeof BRANDS)[number];

/** What a caller gives to create a phone. */
export interface PhoneInput {
  extension: string;
  /** The person responsible (shown as caller ID name). */
  name: string;
  brand: string;
  model?: string | null;
  mac?: string | null;
  context?: string;
  language?: string | null;
  codecs?: string[];
  voicemail?: boolean;
  pbx?: string;
  /** A given SIP secret (import of existing users only; new phones get a random one). */
  secret?: string;
}

/** What may change on a phone (extension and PBX are its identity). */
export type PhoneChange = Partial<Omit<PhoneInput, 'extension' | 'pbx' | 'secret'>>;

const EXTENSION = /^[A-Za-z0-9_.+-]{1,40}$/;
const WORD = /^[A-Za-z0-9_.-]{1,64}$/;

/** Checks an extension: it becomes an Asterisk category and endpoint name. */
export function checkExtension(ext: string): string {
  if (!EXTENSION.test(ext))
    throw new AdminError('ADMIN_INVALID', 'extension: 1 to 40 letters, digits and _ . + - only', 'extension');
  return ext;
}

/** Checks a display name: it goes into `callerid = "name" <ext>`, so no quotes, angle brackets or `;`. */
export function checkName(name: string): string {
  const n = name.trim();
  if (n === '' || n.length > 80 || /[\x00-\x1f\x7f"<>;\\]/.test(n))
    throw new AdminError(
      'ADMIN_INVALID',
      'name: 1 to 80 characters, no quotes, < > ; \\ or control characters',
      'name',
    );
  return n;
}

/** Checks the fields that may change; returns them normalised. */
export function checkChange(c: PhoneChange): PhoneChange {
  const out: PhoneChange = {};
  if (c.name !== undefined) out.name = checkName(c.name);
  if (c.brand !== undefined) {
    const b = c.brand.toLowerCase();
    if (!(BRANDS as readonly string[]).includes(b))
      throw new AdminError('ADMIN_INVALID', `brand: one of ${BRANDS.join(', ')}`, 'brand');
    out.brand = b;
  }
  if (c.model !== undefined) {
    if (c.model !== null && !/^[A-Za-z0-9_.+-]{1,40}$/.test(c.model))
      throw new AdminError(
        'ADMIN_INVALID',
        'model: letters, digits and _ . + - only (e.g. T46S, 370)',
        'model',
      );
    out.model = c.model;
  }
  if (c.mac !== undefined) out.mac = c.mac === null ? null : normalizeMac(c.mac);
  if (c.context !== undefined) {
    if (!WORD.test(c.context))
      throw new AdminError('ADMIN_INVALID', 'context: letters, digits and _ . - only', 'context');
    out.context = c.context;
  }
  if (c.language !== undefined) {
    if (c.language !== null && !/^[a-z]{2}(_[A-Z]{2})?$/.test(c.language))
      throw new AdminError('ADMIN_INVALID', 'language: a code such as es or pt_BR', 'language');
    out.language = c.language;
  }
  if (c.codecs !== undefined) {
    if (c.codecs.length === 0 || c.codecs.length > 10 || c.codecs.some((x) => !/^[a-z0-9_]{1,20}$/.test(x)))
      throw new AdminError(
        'ADMIN_INVALID',
        'codecs: 1 to 10 codec names such as ulaw, alaw, g722, opus',
        'codecs',
      );
    out.codecs = [...c.codecs];
  }
  if (c.voicemail !== undefined) out.voicemail = c.voicemail;
  return out;
}
