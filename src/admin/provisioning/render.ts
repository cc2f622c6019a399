/** Template values of one phone and the renderer (`{{key}}`, XML-escaped in XML files, overridable from a folder). */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PhoneSpec } from '../asterisk-writer.js';
import type { ProvisioningTemplate } from './templates.js';

/** Where phones register. */
export interface SipServer {
  host: string;
  port: number;
  transport: 'udp' | 'tcp' | 'tls';
}

/** What a template is filled with. */
export interface TemplateContext {
  phone: PhoneSpec & { mac: string; model: string | null };
  sip: SipServer;
  timezone: string;
  /** Moment whose UTC offset is written (DST rules are not: phones get the current offset). */
  now?: Date;
}

const LANGUAGES: Record<string, { name: string; snom: string; polycom: string }> = {
  en: { name: 'English', snom: 'English', polycom: 'English_United_States' },
  es: { name: 'Spanish', snom: 'Espanol', polycom: 'Spanish_Spain' },
  fr: { name: 'French', snom: 'Francais', polycom: 'French_France' },
  de: { name: 'German', snom: 'Deutsch', polycom: 'German_Germany' },
  it: { name: 'Italian', snom: 'Italiano', polycom: 'Italian_Italy' },
  pt: { name: 'Portuguese', snom: 'Portugues', polycom: 'Portuguese_Portugal' },
};

/** Snom's own zone names for common zones (its list is not IANA); others get `GMT±h`. */
const SNOM_TZ: Record<string, string> = {
  'Europe/Madrid': 'ESP+1',
  'Europe/Berlin': 'GER+1',
  'Europe/Paris': 'FRA+1',
  'Europe/Rome': 'ITA+1',
  'Europe/London': 'GBR-0',
  'Europe/Lisbon': 'POR-0',
  'America/New_York': 'USA-5',
  'America/Mexico_City': 'MEX-6',
};

/** Minutes east of UTC of an IANA zone at `at`. */
export function utcOffsetMinutes(timezone: string, at: Date): number {
  const text = new Intl.DateTimeFormat('en-US', { timeZone: timezone, timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(text ?? '');
  if (!m) return 0;
  const v = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -v : v;
}

/** Every placeholder value of a phone's files. */
export function templateValues(c: TemplateContext): Record<string, string> {
  const p = c.phone;
  const lang = (p.language ?? 'en').slice(0, 2);
  const l = LANGUAGES[lang] ?? LANGUAGES.en!;
  const off = utcOffsetMinutes(c.timezone, c.now ?? new Date());
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  const hours = abs % 60 === 0 ? String(abs / 60) : (abs / 60).toFixed(1);
  const posixHours = `${Math.floor(abs / 60)}${abs % 60 === 0 ? '' : `:${mm}`}`;
  const t = c.sip.transport;
  return {
    extension: p.extension,
    name: p.name,
    authUser: p.extension,
    secret: p.secret,
    mac: p.mac,
    MAC: p.mac.toUpperCase(),
    model: p.model ?? '',
    server: c.sip.host,
    port: String(c.sip.port),
    transport: t,
    transportUpper: t.toUpperCase(),
    transportYealink: { udp: '0', tcp: '1', tls: '2' }[t],
    transportPolycom: { udp: 'UDPOnly', tcp: 'TCPOnly', tls: 'TLS' }[t],
    transportGrandstream: { udp: '0', tcp: '1', tls: '2' }[t],
    transportFanvil: { udp: '0', tcp: '1', tls: '3' }[t],
    language: lang,
    languageName: l.name,
    languageSnom: l.snom,
    languagePolycom: l.polycom,
    timezone: c.timezone,
    utcOffset: `${sign}${hh}:${mm}`,
    utcOffsetHours: `${sign}${hours}`,
    utcOffsetSeconds: String(off * 60),
    // POSIX TZ counts west of UTC: UTC+1 is "<+01>-1".
    posixTz: `<${sign}${hh}${mm === '00' ? '' : mm}>${off > 0 ? '-' : ''}${posixHours}`,
    snomTz: SNOM_TZ[c.timezone] ?? `GMT${sign}${hours}`,
    // Firmware (filled by firmwareValues when the model has a current firmware): nothing, or Polycom's default.
    firmwareUrl: '',
    firmwareVersion: '',
    firmwareYealink: '',
    firmwareGrandstream: '',
    firmwareSnom: '',
    firmwareSnomText: '',
    firmwareCisco: '',
    polycomAppFile: 'sip.ld',
  };
}

const XML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes a value for XML text or attributes. */
export function xmlEscape(v: string): string {
  return v.replace(/[&<>"']/g, (ch) => XML[ch]!);
}

/**
 * Firmware blocks: whole lines (or elements) built by the firmware room with their values already escaped, empty
 * when the model has no current firmware — so a template keeps its exact bytes without one.
 */
export const FIRMWARE_RAW_KEYS: ReadonlySet<string> = new Set([
  'firmwareYealink',
  'firmwareGrandstream',
  'firmwareSnom',
  'firmwareSnomText',
  'firmwareCisco',
]);

/**
 * Fills a template body; unknown placeholders are left as written (a typo in an override shows in the file).
 * `raw` keys are inserted as they are (their producer escaped them).
 */
export function fill(
  body: string,
  values: Record<string, string>,
  mode: 'xml' | 'text',
  raw: ReadonlySet<string> = new Set(),
): string {
  return body.replace(/\{\{\s*([A-Za-z]+)\s*\}\}/g, (whole, key: string) => {
    const v = values[key];
    if (v === undefined) return whole;
    return mode === 'xml' && !raw.has(key) ? xmlEscape(v) : v;
  });
}

/** The template body: `<dir>/<key>` when that file exists, else the built-in one. Read per fetch (no rebuild). */
export async function templateBody(t: ProvisioningTemplate, dir: string | undefined): Promise<string> {
  if (!dir) return t.body;
  try {
    return await readFile(join(dir, t.key), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return t.body;
    throw err;
  }
}
