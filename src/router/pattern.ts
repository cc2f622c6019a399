/**
 * Asterisk dial patterns, compiled once: `_` prefix, `X` `Z` `N`, sets and ranges (`[1-5]`, `[137-9]`), `.` (one or
 * more), `!` (zero or more), literal digits, `*`, `#`, `+`, `-` ignored — and exact numbers. Pure: no I/O.
 *
 * Ordering follows Asterisk's `ext_cmp()` in main/pbx.c: exact numbers before patterns; patterns compared position by
 * position, where a set scores `count << 8 | lowest ASCII` (so a literal beats a small set, which beats a larger set;
 * equal scores go to the set holding the lower characters), `.` scores after every set, `!` after `.`, and the end of
 * the pattern after everything.
 */
import { PatternError } from './errors.js';

/** Characters a pattern position can match, in a fixed order (index = bit in a set mask). */
export const PATTERN_ALPHABET = '0123456789*#+';

/** One position of a compiled pattern. */
export type PatternElement =
  | {
      readonly kind: 'set' /** sorted characters */;
      readonly chars: string /** bit i = PATTERN_ALPHABET[i] */;
      readonly mask: number;
    }
  | { readonly kind: 'dot' }
  | { readonly kind: 'bang' };

/** A compiled dial pattern or exact number. */
export interface DialPattern {
  /** The text as written (e.g. `_2X`, `100`). */
  readonly source: string;
  /** True for an exact number (no leading `_`). */
  readonly exact: boolean;
  /** Exact numbers: the number with `-` removed. Patterns: a canonical spelling (`_[0-9]` becomes `_X`). */
  readonly canonical: string;
  /** Pattern positions (empty for exact numbers). */
  readonly elements: readonly PatternElement[];
  /** Fewest characters a matching number can have. */
  readonly minLength: number;
  /** Most characters a matching number can have (`Infinity` with `.` or `!`). */
  readonly maxLength: number;
  /** True when `number` (with `-` ignored) matches, as Asterisk's `ast_extension_match()` would say. */
  matches(number: string): boolean;
}

const EXACT_CHARS = /^[0-9A-Za-z*#+]$/;
const DIGITS = '0123456789';

/** Index of a character in {@link PATTERN_ALPHABET}, or -1. */
export function alphabetIndex(ch: string): number {
  const c = ch.charCodeAt(0);
  if (c >= 48 && c <= 57) return c - 48;
  if (c === 42) return 10;
  if (c === 35) return 11;
  if (c === 43) return 12;
  return -1;
}

function setOf(chars: Iterable<string>): PatternElement {
  const unique = [...new Set(chars)].sort();
  let mask = 0;
  for (const ch of unique) mask |= 1 << alphabetIndex(ch);
  return { kind: 'set', chars: unique.join(''), mask };
}

const NAMED: Record<string, PatternElement> = {
  X: setOf('0123456789'),
  Z: setOf('123456789'),
  N: setOf('23456789'),
};

/** Removes the `-` characters Asterisk ignores in extensions and dialed numbers. */
export function stripDashes(number: string): string {
  return number.includes('-') ? number.replaceAll('-', '') : number;
}

/** Compiles a pattern (`_…`) or an exact number; throws {@link PatternError} pointing at the bad character. */
export function compilePattern(source: string): DialPattern {
  if (typeof source !== 'string' || source.length === 0)
    throw new PatternError(String(source), 0, 'empty pattern');
  if (source[0] !== '_') return compileExact(source);
  const elements: PatternElement[] = [];
  let i = 1;
  while (i < source.length) {
    const ch = source[i] as string;
    const last = elements[elements.length - 1];
    if (last && last.kind !== 'set' && ch !== '-') {
      throw new PatternError(source, i, `nothing may follow '${last.kind === 'dot' ? '.' : '!'}'`);
    }
    if (ch === '-') {
      i++;
      continue;
    }
    const upper = ch.toUpperCase();
    const named = NAMED[upper];
    if (named) {
      elements.push(named);
      i++;
    } else if (ch === '.') {
      elements.push({ kind: 'dot' });
      i++;
    } else if (ch === '!') {
      elements.push({ kind: 'bang' });
      i++;
    } else if (ch === '[') {
      const [element, next] = parseSet(source, i);
      elements.push(element);
      i = next;
    } else if (alphabetIndex(ch) >= 0) {
      elements.push(setOf(ch));
      i++;
    } else if (ch === ']') {
      throw new PatternError(source, i, "']' without '['");
    } else {
      throw new PatternError(source, i, `unexpected character ${JSON.stringify(ch)}`);
    }
  }
  if (elements.length === 0) throw new PatternError(source, source.length - 1, 'pattern has no positions');
  return makePattern(source, elements);
}

function parseSet(source: string, open: number): [PatternElement, number] {
  const close = source.indexOf(']', open + 1);
  if (close < 0) throw new PatternError(source, open, "'[' is never closed");
  const chars: string[] = [];
  let j = open + 1;
  while (j < close) {
    const c1 = source[j] as string;
    if (c1 === '[') throw new PatternError(source, j, "'[' inside a set");
    if (alphabetIndex(c1) < 0)
      throw new PatternError(source, j, `unexpected character ${JSON.stringify(c1)} in a set`);
    if (j + 2 < close && source[j + 1] === '-') {
      const c2 = source[j + 2] as string;
      if (!DIGITS.includes(c1) || !DIGITS.includes(c2)) {
        throw new PatternError(source, j + 1, 'ranges are only allowed between digits');
      }
      if (c2 < c1) throw new PatternError(source, j + 2, `range ${c1}-${c2} runs backwards`);
      for (let c = c1.charCodeAt(0); c <= c2.charCodeAt(0); c++) chars.push(String.fromCharCode(c));
      j += 3;
    } else {
      if (c1 === '-') throw new PatternError(source, j, "'-' in a set must sit between two digits");
      chars.push(c1);
      j++;
    }
  }
  if (chars.length === 0) throw new PatternError(source, open, 'empty set []');
  return [setOf(chars), close + 1];
}

function compileExact(source: string): DialPattern {
  for (let i = 0; i < source.length; i++) {
    const ch = source[i] as string;
    if (ch !== '-' && !EXACT_CHARS.test(ch)) {
      throw new PatternError(source, i, `unexpected character ${JSON.stringify(ch)} in an exact number`);
    }
  }
  const canonical = stripDashes(source);
  if (canonical.length === 0) throw new PatternError(source, 0, 'empty number');
  return {
    source,
    exact: true,
    canonical,
    elements: [],
    minLength: canonical.length,
    maxLength: canonical.length,
    matches: (number: string) => stripDashes(number) === canonical,
  };
}

function elementText(e: PatternElement): string {
  if (e.kind === 'dot') return '.';
  if (e.kind === 'bang') return '!';
  for (const [name, named] of Object.entries(NAMED))
    if (named.kind === 'set' && named.mask === e.mask) return name;
  return e.chars.length === 1 ? e.chars : `[${e.chars}]`;
}

function makePattern(source: string, elements: PatternElement[]): DialPattern {
  const tail = elements[elements.length - 1] as PatternElement;
  const fixed = tail.kind === 'set' ? elements.length : elements.length - 1;
  const minLength = tail.kind === 'dot' ? fixed + 1 : fixed;
  const maxLength = tail.kind === 'set' ? fixed : Number.POSITIVE_INFINITY;
  const sets = elements.slice(0, fixed) as Array<Extract<PatternElement, { kind: 'set' }>>;
  return {
    source,
    exact: false,
    canonical: `_${elements.map(elementText).join('')}`,
    elements,
    minLength,
    maxLength,
    matches(input: string): boolean {
      const number = stripDashes(input);
      if (number.length < minLength || number.length > maxLength) return false;
      for (let i = 0; i < fixed; i++) {
        const idx = alphabetIndex(number[i] as string);
        if (idx < 0 || ((sets[i] as { mask: number }).mask & (1 << idx)) === 0) return false;
      }
      return true;
    },
  };
}

/** Score of a position as in `ext_cmp_pattern_pos()`; `undefined` is the end of the pattern. */
function score(e: PatternElement | undefined): number {
  if (e === undefined) return 0x30000;
  if (e.kind === 'dot') return 0x18000;
  if (e.kind === 'bang') return 0x28000;
  return (e.chars.length << 8) | e.chars.charCodeAt(0);
}

/** Orders two positions the way Asterisk does (negative: `a` is more specific). */
export function compareElements(a: PatternElement | undefined, b: PatternElement | undefined): number {
  const d = score(a) - score(b);
  if (d !== 0 || a === undefined || b === undefined || a.kind !== 'set' || b.kind !== 'set') return d;
  // Same size and same lowest character: the set holding the lower characters comes first.
  return a.chars < b.chars ? -1 : a.chars > b.chars ? 1 : 0;
}

/** Orders two patterns as Asterisk's `ext_cmp()` (negative: `a` wins). */
export function comparePatterns(a: DialPattern, b: DialPattern): number {
  if (a.exact !== b.exact) return a.exact ? -1 : 1;
  if (a.exact) return a.canonical < b.canonical ? -1 : a.canonical > b.canonical ? 1 : 0;
  const n = Math.max(a.elements.length, b.elements.length);
  for (let i = 0; i <= n; i++) {
    const d = compareElements(a.elements[i], b.elements[i]);
    if (d !== 0) return d;
    if (a.elements[i] === undefined) return 0;
  }
  return 0;
}

/** True when the text compiles; never throws. */
export function isValidPattern(source: string): boolean {
  try {
    compilePattern(source);
    return true;
  } catch {
    return false;
  }
}
