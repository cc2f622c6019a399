/** Small readers that turn AMI header strings into typed values, shared by results and events. */
import type { AmiPacket } from './runner.js';

/** A header value, or undefined when absent. */
export function str(m: AmiPacket, name: string): string | undefined {
  return m.get(name);
}

/** A header value with empty strings turned into undefined. */
export function opt(m: AmiPacket, name: string): string | undefined {
  const v = m.get(name);
  return v === undefined || v === '' ? undefined : v;
}

/** A header value, or '' when absent (for fields every version sends). */
export function req(m: AmiPacket, name: string): string {
  return m.get(name) ?? '';
}

/** The first present header among several spellings (Asterisk renamed some across versions). */
export function first(m: AmiPacket, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = m.get(n);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** Caller-ID style values where Asterisk writes `<unknown>` (channel events) or `unknown` (QueueEntry) for "absent". */
export function cid(v: string | undefined): string | undefined {
  if (v === undefined || v === '' || v === '<unknown>' || v === 'unknown') return undefined;
  return v;
}

/** A number, or undefined when absent, empty or not numeric (e.g. `N/A`). */
export function num(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** Asterisk booleans (`1`, `yes`, `true`, `on`, `Yes`…); undefined when absent or empty. */
export function bool(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  const t = v.trim().toLowerCase();
  if (t === '') return undefined;
  return t === '1' || t === 'yes' || t === 'true' || t === 'on' || t === 'y' || t === 't';
}

/** `HH:MM:SS` (CoreShowChannel `Duration`) to seconds. */
export function hms(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+):(\d\d):(\d\d)$/.exec(v.trim());
  if (!m) return num(v);
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

/** `name=value` headers (Status `Variable:`) to a record; Asterisk's `(null)` means unset → undefined. */
export function variables(values: string[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const line of values) {
    const i = line.indexOf('=');
    if (i < 0) {
      out[line] = undefined;
      continue;
    }
    const value = line.slice(i + 1);
    out[line.slice(0, i)] = value === '(null)' ? undefined : value;
  }
  return out;
}

/** Percent-decoding that never throws (AsyncAGI `Env` / `Result`). */
export function urlDecode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v.replace(/%([0-9a-fA-F]{2})/g, (_s, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
  }
}
