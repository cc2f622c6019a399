/** Text helpers for calls: who is on them, their state, durations (all as plain text). */
import type { Call, Channel } from './api/types';

/** `m:ss` or `h:mm:ss`. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** A party: name and number (either may be missing). */
export interface Party {
  name?: string;
  number?: string;
}

/** "Name (number)", "number" or the fallback. */
export function partyText(p: Party, unknown: string): string {
  if (p.name && p.number && p.name !== p.number) return `${p.name} (${p.number})`;
  return p.name || p.number || unknown;
}

/** The live channels of a call, oldest first. */
export function callChannels(call: Call, channels: ReadonlyMap<string, Channel>): Channel[] {
  return call.channels
    .map((u) => channels.get(`${call.server}/${u}`))
    .filter((c): c is Channel => c !== undefined)
    .sort((a, b) => a.createdAt - b.createdAt);
}

/** Who called and who was called. */
export function parties(call: Call, chans: Channel[]): { caller: Party; callee: Party } {
  const first = chans[0];
  const leg = call.legs[0];
  const caller: Party = {
    ...(first?.callerIdName ? { name: first.callerIdName } : {}),
    ...((first?.callerIdNum ?? leg?.callerIdNum) ? { number: first?.callerIdNum ?? leg?.callerIdNum } : {}),
  };
  const other = chans[1];
  const calleeName = first?.connectedLineName ?? other?.callerIdName;
  const calleeNum =
    first?.connectedLineNum ??
    other?.callerIdNum ??
    (leg?.exten && leg.exten !== 's' ? leg.exten : undefined);
  const callee: Party = {
    ...(calleeName ? { name: calleeName } : {}),
    ...(calleeNum ? { number: calleeNum } : {}),
  };
  return { caller, callee };
}

/** The call's state in one word. */
export type CallState = 'connected' | 'onHold' | 'ringing' | 'dialling' | 'other';

/** Derives the state from the channels (bridged & up → connected…). */
export function callState(chans: Channel[]): { state: CallState; raw: string } {
  if (chans.some((c) => c.onHold)) return { state: 'onHold', raw: '' };
  if (chans.length > 1 && chans.filter((c) => c.stateDesc === 'Up').length >= 2)
    return { state: 'connected', raw: '' };
  if (chans.some((c) => c.stateDesc === 'Ringing' || c.stateDesc === 'Ring'))
    return { state: 'ringing', raw: '' };
  if (chans.some((c) => c.stateDesc === 'Up')) return { state: 'connected', raw: '' };
  if (chans.some((c) => c.stateDesc === 'Dialing')) return { state: 'dialling', raw: '' };
  return { state: 'other', raw: chans[0]?.stateDesc ?? '' };
}

/** Extensions a channel involves (like the server's rule: the device name, caller and connected numbers). */
export function channelExtensions(ch: Channel): string[] {
  const out = new Set<string>();
  const m = /^[A-Za-z0-9]+\/([^-@;/]+)/.exec(ch.name);
  if (m?.[1]) out.add(m[1]);
  if (ch.callerIdNum) out.add(ch.callerIdNum);
  if (ch.connectedLineNum) out.add(ch.connectedLineNum);
  return [...out];
}
