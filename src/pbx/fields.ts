/** Small readers for AMI header values, tolerant of the spellings Asterisk 11, 13 and current use. */
import type { PbxChange, PbxChangeType, PbxMessage } from './types.js';

/** A header value, with `<unknown>`, `unknown` and empty turned into `undefined`. */
export function str(m: PbxMessage, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = m.get(n);
    if (v === undefined) continue;
    if (v === '' || v === '<unknown>' || v === 'unknown' || v === '(null)') return undefined;
    return v;
  }
  return undefined;
}

/** A header value as written (empty string kept), first of several names. */
export function raw(m: PbxMessage, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = m.get(n);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** An integer header, or `undefined`. */
export function int(m: PbxMessage, ...names: string[]): number | undefined {
  const v = raw(m, ...names);
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number.parseInt(v, 10);
  return Number.isFinite(n) ? n : undefined;
}

/** A yes/no/true/false/1/0 header. */
export function bool(m: PbxMessage, ...names: string[]): boolean | undefined {
  const v = raw(m, ...names);
  if (v === undefined) return undefined;
  return /^(yes|true|1|on)$/i.test(v.trim());
}

/** Channel state texts by number (`ChannelStateDesc`). */
export const STATE_DESC = [
  'Down',
  'Rsrvd',
  'OffHook',
  'Dialing',
  'Ring',
  'Ringing',
  'Up',
  'Busy',
  'Dialing Offhook',
  'Pre-ring',
];

/** Parses a state from `ChannelState` (number) or a state text (`State: Up` on old Status items). */
export function channelState(m: PbxMessage): { state: number; desc: string } | undefined {
  const n = int(m, 'ChannelState');
  const d = raw(m, 'ChannelStateDesc');
  if (n !== undefined) return { state: n, desc: d ?? STATE_DESC[n] ?? String(n) };
  const text = d ?? raw(m, 'State');
  if (text === undefined) return undefined;
  const i = STATE_DESC.findIndex((s) => s.toLowerCase() === text.toLowerCase());
  return i >= 0 ? { state: i, desc: STATE_DESC[i]! } : undefined;
}

/** Removes `undefined` properties so snapshots and JSON stay small and comparable. */
export function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/** Collects change events and numbers them per server. */
export class ChangeSink {
  /** Last sequence number handed out. */
  seq = 0;
  /** Changes of the current `apply` call. */
  out: PbxChange[] = [];

  /** @param server the server id written into each change */
  constructor(readonly server: string) {}

  /** Records one change. */
  push(type: PbxChangeType, op: PbxChange['op'], id: string, data: unknown, disconnected?: boolean): void {
    const c: PbxChange = { seq: ++this.seq, server: this.server, type, op, id, data };
    if (disconnected) c.endedWhileDisconnected = true;
    this.out.push(c);
  }

  /** Hands out the collected changes and starts a new batch. */
  take(): PbxChange[] {
    const o = this.out;
    this.out = [];
    return o;
  }
}

/** Parses Asterisk's `HH:MM:SS` duration (CoreShowChannel `Duration`) into seconds. */
export function hms(v: string | undefined): number | undefined {
  if (!v) return undefined;
  const p = v.split(':').map((x) => Number.parseInt(x, 10));
  if (p.some((x) => !Number.isFinite(x))) return undefined;
  return p.reduce((a, b) => a * 60 + b, 0);
}
