/** AGI command lines: argument quoting exactly as Asterisk's `parse_args` reads them, and the reverse. Pure. */
import { AgiInvalidArgumentError } from './errors.js';

/** One argument of a command; numbers are written in decimal, `undefined` ends the argument list. */
export type AgiArg = string | number | undefined;

/** Asterisk reads AGI lines into a buffer of this size (`AGI_BUF_LEN`). */
export const AGI_MAX_LINE = 8192;

/** Asterisk's `MAX_ARGS`: arguments past this are dropped by `parse_args`. */
export const AGI_MAX_ARGS = 128;

const NEEDS_QUOTES = /[ \t"\\]/;

/**
 * Writes one argument so that `parse_args` yields exactly `value`: plain when it has no space, tab, quote or
 * backslash; otherwise `"…"` with `"` and `\` escaped by a backslash; the empty string as `""`.
 * CR and LF are refused (they would end the line and inject a command).
 */
export function quoteAgiArg(value: string | number): string {
  const s = typeof value === 'number' ? formatNumber(value) : value;
  if (s === '') return '""';
  if (s.includes('\n') || s.includes('\r')) {
    throw new AgiInvalidArgumentError('an AGI argument cannot contain CR or LF (it would inject a command)');
  }
  if (!NEEDS_QUOTES.test(s)) return s;
  return `"${s.replace(/["\\]/g, '\\$&')}"`;
}

function formatNumber(n: number): string {
  if (!Number.isFinite(n))
    throw new AgiInvalidArgumentError(`an AGI number argument must be finite, got ${n}`);
  return String(n);
}

/**
 * Builds a command line (without LF) from the command words and its arguments. Trailing `undefined`
 * arguments are left out; an `undefined` followed by a defined argument is refused (positions would shift).
 */
export function serializeAgiCommand(words: string, args: readonly AgiArg[] = []): string {
  let last = args.length - 1;
  while (last >= 0 && args[last] === undefined) last--;
  let line = words;
  for (let i = 0; i <= last; i++) {
    const a = args[i];
    if (a === undefined) {
      throw new AgiInvalidArgumentError(`argument ${i + 1} of ${words} is missing but a later one is given`);
    }
    line += ` ${quoteAgiArg(a)}`;
  }
  checkAgiLine(line);
  return line;
}

/** Refuses a raw command line containing CR/LF or longer than Asterisk's buffer. */
export function checkAgiLine(line: string): void {
  if (line.includes('\n') || line.includes('\r')) {
    throw new AgiInvalidArgumentError(
      'an AGI command line cannot contain CR or LF (it would inject a command)',
    );
  }
  // A UTF-16 unit is at most 3 UTF-8 bytes: only long lines need counting.
  if (line.length * 3 >= AGI_MAX_LINE && Buffer.byteLength(line) >= AGI_MAX_LINE) {
    throw new AgiInvalidArgumentError(
      `AGI command line of ${Buffer.byteLength(line)} bytes exceeds ${AGI_MAX_LINE - 1}`,
    );
  }
}

/**
 * Splits a command line like Asterisk's `parse_args` (res_agi.c): space/tab separate arguments; `"` toggles
 * quoting (quotes removed, `""` is an empty argument); a backslash makes the next character literal.
 */
export function parseAgiArgs(line: string): string[] {
  const argv: string[] = [];
  let cur: string | undefined;
  let quoted = false;
  let escaped = false;
  let whitespace = true;
  for (const ch of line) {
    if (ch === '"' && !escaped) {
      quoted = !quoted;
      if (quoted && whitespace) {
        if (cur !== undefined) argv.push(cur);
        cur = '';
        whitespace = false;
      }
      continue;
    }
    if ((ch === ' ' || ch === '\t') && !quoted && !escaped) {
      whitespace = true;
      continue;
    }
    if (ch === '\\' && !escaped) {
      escaped = true;
      continue;
    }
    if (whitespace) {
      if (cur !== undefined) argv.push(cur);
      if (argv.length >= AGI_MAX_ARGS - 1) {
        cur = undefined;
        escaped = false;
        break;
      }
      cur = '';
      whitespace = false;
    }
    cur += ch;
    escaped = false;
  }
  if (cur !== undefined) argv.push(cur);
  return argv;
}

/** Every AGI command name Asterisk knows (res_agi.c), longest first within a common prefix. */
export const AGI_COMMANDS: readonly string[] = [
  'ANSWER',
  'ASYNCAGI BREAK',
  'CHANNEL STATUS',
  'CONTROL STREAM FILE',
  'DATABASE DELTREE',
  'DATABASE DEL',
  'DATABASE GET',
  'DATABASE PUT',
  'EXEC',
  'GET DATA',
  'GET FULL VARIABLE',
  'GET OPTION',
  'GET VARIABLE',
  'GOSUB',
  'HANGUP',
  'NOOP',
  'RECEIVE CHAR',
  'RECEIVE TEXT',
  'RECORD FILE',
  'SAY ALPHA',
  'SAY DIGITS',
  'SAY NUMBER',
  'SAY PHONETIC',
  'SAY DATETIME',
  'SAY DATE',
  'SAY TIME',
  'SEND IMAGE',
  'SEND TEXT',
  'SET AUTOHANGUP',
  'SET CALLERID',
  'SET CONTEXT',
  'SET EXTENSION',
  'SET MUSIC',
  'SET PRIORITY',
  'SET VARIABLE',
  'SPEECH ACTIVATE GRAMMAR',
  'SPEECH CREATE',
  'SPEECH DEACTIVATE GRAMMAR',
  'SPEECH DESTROY',
  'SPEECH LOAD GRAMMAR',
  'SPEECH RECOGNIZE',
  'SPEECH SET',
  'SPEECH UNLOAD GRAMMAR',
  'STREAM FILE',
  'TDD MODE',
  'VERBOSE',
  'WAIT FOR DIGIT',
];

/** Splits a command's argv into the command name (from {@link AGI_COMMANDS}) and its arguments. */
export function splitAgiCommand(argv: readonly string[]): { name: string | undefined; args: string[] } {
  const upper = argv.slice(0, 3).map((w) => w.toUpperCase());
  for (const name of AGI_COMMANDS) {
    const parts = name.split(' ');
    if (parts.every((p, i) => upper[i] === p)) return { name, args: argv.slice(parts.length) };
  }
  return { name: undefined, args: argv.slice() };
}

/** Commands Asterisk still runs after the channel hung up (flagged dead-safe in res_agi.c). */
const DEAD_SAFE = [
  'ASYNCAGI BREAK',
  'DATABASE DEL',
  'DATABASE DELTREE',
  'DATABASE GET',
  'DATABASE PUT',
  'EXEC',
  'GET FULL VARIABLE',
  'GET VARIABLE',
  'NOOP',
  'SET VARIABLE',
  'VERBOSE',
  'SPEECH DESTROY',
  'SPEECH UNLOAD GRAMMAR',
];

const DEAD_SAFE_SET = new Set(DEAD_SAFE);

/** True when the (upper-case) command name is dead-safe, e.g. `GET VARIABLE`. */
export function isDeadSafeName(name: string): boolean {
  return DEAD_SAFE_SET.has(name);
}

/** True when Asterisk runs this command line on a dead (hung-up) channel. */
export function isDeadSafeCommand(line: string): boolean {
  const head = line.length > 64 ? line.slice(0, 64) : line;
  // Plain single-spaced words split like parse_args would; anything else goes through parse_args itself.
  const words = /[\t"\\]| {2}|^ /.test(head) ? parseAgiArgs(head).slice(0, 3) : head.split(' ', 3);
  const w1 = (words[0] ?? '').toUpperCase();
  if (DEAD_SAFE_SET.has(w1)) return true;
  if (words.length < 2) return false;
  const w2 = `${w1} ${words[1]!.toUpperCase()}`;
  if (DEAD_SAFE_SET.has(w2)) return true;
  return words.length > 2 && DEAD_SAFE_SET.has(`${w2} ${words[2]!.toUpperCase()}`);
}
