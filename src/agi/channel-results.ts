/** Result types of the typed AGI commands and the functions that read them from replies. Pure. */
import type { AgiReplyMapper } from './channel-core.js';
import { AgiCommandError } from './errors.js';
import type { AgiReply } from './reply.js';

/** Result of a playback command that can be interrupted by a digit. */
export interface AgiPlayback {
  /** The digit that stopped playback (`'1'`, `'#'`…), absent when it played to the end. */
  readonly digit?: string;
  /** Sample offset where playback stopped (`endpos=`), when Asterisk reports it. */
  readonly endpos?: number;
}

/** Result of GET DATA. */
export interface AgiDigits {
  /** Digits entered, as characters (may be empty). */
  readonly digits: string;
  /** True when input ended by timeout rather than by `#` or reaching the maximum. */
  readonly timeout: boolean;
}

/** Result of RECORD FILE. */
export interface AgiRecording {
  /** Digit that stopped the recording, if any. */
  readonly digit?: string;
  /** True when recording ended by timeout (or silence). */
  readonly timeout: boolean;
  /** Sample offset of the end of the recording. */
  readonly endpos?: number;
}

/** Result of SPEECH RECOGNIZE. */
export interface AgiSpeechResult {
  /** `speech`, `digit`, `timeout`… (the data of the reply; `none` when nothing was recognised). */
  readonly kind: string;
  /** Digit pressed, for `digit` results. */
  readonly digit?: string;
  /** Sample offset where the prompt stopped. */
  readonly endpos?: number;
  /** Recognised results (`score`, `text`, `grammar` per index). */
  readonly results: readonly { readonly score: number; readonly text: string; readonly grammar: string }[];
}

/** Options of CONTROL STREAM FILE. */
export interface AgiControlStreamOptions {
  /** Skip step in ms (Asterisk default 3000). */
  readonly skipMs?: number;
  /** Fast-forward key (default `#`). */
  readonly forwardDigit?: string;
  /** Rewind key (default `*`). */
  readonly rewindDigit?: string;
  /** Pause key. */
  readonly pauseDigit?: string;
  /** Start offset in ms. */
  readonly offsetMs?: number;
}

/** Options of RECORD FILE. */
export interface AgiRecordOptions {
  /** Sample offset to start at. */
  readonly offset?: number;
  /** Play a beep first. */
  readonly beep?: boolean;
  /** Stop after this many seconds of silence. */
  readonly silenceSeconds?: number;
}

/** A digit result (ASCII code) as a character; `undefined` for 0 (none). */
export function digitOf(result: string): string | undefined {
  const n = Number(result);
  return Number.isInteger(n) && n > 0 ? String.fromCharCode(n) : undefined;
}

/** Reads a playback reply: the stopping digit and `endpos`. */
export function playback(reply: AgiReply): AgiPlayback {
  const digit = digitOf(reply.result);
  if (digit === undefined && reply.endpos === undefined) return {};
  if (digit === undefined) return { endpos: reply.endpos };
  return reply.endpos === undefined ? { digit } : { digit, endpos: reply.endpos };
}

/** Rejects `result=-1` with `AgiCommandError`; returns the reply otherwise. */
export function checked(reply: AgiReply, line: string): AgiReply {
  if (reply.result === '-1') throw new AgiCommandError(line, reply.result, reply.data ?? reply.text);
  return reply;
}

/** Reply mapper: no value. */
export const toVoid: AgiReplyMapper<void> = (r, l) => {
  checked(r, l);
};
/** Reply mapper: true when `result=1`. */
export const toSuccess: AgiReplyMapper<boolean> = (r, l) => checked(r, l).result === '1';
/** Reply mapper: the `(data)` when `result=1`, else `undefined`. */
export const toValue: AgiReplyMapper<string | undefined> = (r, l) =>
  checked(r, l).result === '1' ? (r.data ?? '') : undefined;
/** Reply mapper: the digit pressed, if any. */
export const toDigit: AgiReplyMapper<string | undefined> = (r, l) => digitOf(checked(r, l).result);
/** Reply mapper: digit and endpos. */
export const toPlayback: AgiReplyMapper<AgiPlayback> = (r, l) => playback(checked(r, l));
/** Reply mapper: the result as a number. */
export const toNumber: AgiReplyMapper<number> = (r, l) => Number(checked(r, l).result);
/** Reply mapper: true when `result=0` (DATABASE DELTREE). */
export const toDeleted: AgiReplyMapper<boolean> = (r, l) => checked(r, l).result === '0';
/** Reply mapper: the `(data)` text. */
export const toText: AgiReplyMapper<string> = (r, l) => checked(r, l).data ?? '';
/** Reply mapper: GET DATA digits and timeout flag. */
export const toDigits: AgiReplyMapper<AgiDigits> = (r, l) => ({
  digits: checked(r, l).result,
  timeout: r.data === 'timeout',
});
/** Reply mapper: EXEC: the application return code; -2 rejects. */
export const toExit: AgiReplyMapper<number> = (r, l) => {
  if (r.result === '-2') throw new AgiCommandError(l, r.result, 'application not found');
  return Number(r.result);
};
