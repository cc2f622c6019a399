/**
 * User regular expressions without catastrophic backtracking. Node has no regex timeout and `re2` is not a
 * dependency, so the guard is static: constructs that make V8's backtracking engine super-linear are refused when
 * a filter is saved (backreferences, a quantifier applied to a group that itself holds a quantifier or an
 * alternation, lookbehind), the number of unbounded quantifiers is capped, and the text matched is capped in
 * length (`MAX_MATCH_TEXT`). `timedTest` measures every match so a filter that is still slow is reported and
 * switched off by its owner (see `FeedFilter.slow`), never stalling the event path for long.
 */
import { FeedsError } from './errors.js';

/** Longest pattern accepted. */
export const MAX_PATTERN_LENGTH = 1000;
/** Longest text a user regex runs over (longer event texts are cut: AMI events are far below this). */
export const MAX_MATCH_TEXT = 16_384;
/** Most unbounded quantifiers (`*`, `+`, `{n,}`) in one pattern. */
export const MAX_UNBOUNDED = 8;

interface Group {
  quantified: boolean;
  alternation: boolean;
}

/** Why a pattern is unsafe, or undefined when it passes the static check. */
export function unsafeReason(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) return `longer than ${MAX_PATTERN_LENGTH} characters`;
  const stack: Group[] = [];
  let unbounded = 0;
  let inClass = false;
  let lastClosed: Group | undefined;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    let closed: Group | undefined;
    if (c === '\\') {
      const n = pattern[i + 1] ?? '';
      if (!inClass && (/[1-9]/.test(n) || n === 'k')) return 'backreferences are not allowed';
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') inClass = true;
    else if (c === '(') {
      if (pattern.startsWith('(?<=', i) || pattern.startsWith('(?<!', i)) return 'lookbehind is not allowed';
      stack.push({ quantified: false, alternation: false });
    } else if (c === ')') {
      closed = stack.pop();
      if (!closed) return 'unbalanced parenthesis';
    } else if (c === '|') {
      const top = stack[stack.length - 1];
      if (top) top.alternation = true;
    } else if (c === '*' || c === '+' || c === '?' || c === '{') {
      const q = quantifier(pattern, i);
      if (q) {
        if (q.unbounded) unbounded++;
        const target = lastClosed;
        if (target && q.repeats && (target.quantified || target.alternation)) {
          return 'a repeated group that contains a quantifier or an alternation (nested quantifiers) is not allowed';
        }
        for (const g of stack) if (q.repeats) g.quantified = true;
        i = q.end;
        lastClosed = undefined;
        continue;
      }
    }
    lastClosed = closed;
  }
  if (unbounded > MAX_UNBOUNDED) return `more than ${MAX_UNBOUNDED} unbounded quantifiers`;
  return undefined;
}

function quantifier(p: string, i: number): { end: number; unbounded: boolean; repeats: boolean } | undefined {
  const c = p[i]!;
  let end = i;
  let unbounded = false;
  let repeats = true;
  if (c === '*' || c === '+') unbounded = true;
  else if (c === '?') repeats = false;
  else {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
    if (!m) return undefined;
    end = i + m[0].length - 1;
    unbounded = m[2] !== undefined && m[3] === '';
    repeats = unbounded || Number(m[3] ?? m[1]) > 1;
  }
  if (p[end + 1] === '?' || p[end + 1] === '+') end++;
  return { end, unbounded, repeats };
}

/** Compiles a user pattern after the static check; throws `FeedsError` naming `field`. */
export function compileUserRegex(pattern: string, field: string): RegExp {
  const why = unsafeReason(pattern);
  if (why) throw new FeedsError('FEED_UNSAFE_REGEX', `${field}: unsafe regular expression (${why})`, field);
  try {
    return new RegExp(pattern);
  } catch (err) {
    throw new FeedsError(
      'FEED_BAD_FILTER',
      `${field}: invalid regular expression (${(err as Error).message})`,
      field,
    );
  }
}

/** Longest header value a header condition runs over (these run inline, so they are kept short). */
export const MAX_HEADER_TEXT = 1024;

/** Tests a compiled user regex over at most `max` characters of `text`. */
export function cappedTest(re: RegExp, text: string, max = MAX_MATCH_TEXT): boolean {
  return re.test(text.length > max ? text.slice(0, max) : text);
}
