/**
 * Static checks over a rule set (`router check`): unusable rows, routes shadowed by an earlier or more specific
 * route, routes that can never win, overlapping time windows, extensions without any route. Each finding names rows.
 */
import { comparePatterns, type DialPattern } from './pattern.js';
import type { CompiledRoute, RuleSet } from './rules.js';
import { windowsOverlap } from './time-window.js';

/** One finding of `router check`. */
export interface Finding {
  /** `error`: calls will fail; `warning`: a rule that cannot do what it says; `info`: worth a look. */
  readonly level: 'error' | 'warning' | 'info';
  /** The rows concerned, e.g. `route sip`, `extension 33`. */
  readonly rows: readonly string[];
  readonly message: string;
}

const FULL = (1 << 13) - 1;

/** True when every number `b` matches is matched by `a` as well. */
export function patternCovers(a: DialPattern, b: DialPattern): boolean {
  if (b.exact) return a.matches(b.canonical);
  if (a.exact)
    return (
      b.maxLength === a.canonical.length &&
      b.minLength === a.canonical.length &&
      b.matches(a.canonical) &&
      b.elements.every((e) => e.kind === 'set' && e.chars.length === 1)
    );
  const split = (p: DialPattern) => {
    const tail = p.elements[p.elements.length - 1];
    const hasTail = tail !== undefined && tail.kind !== 'set';
    return {
      fixed: hasTail ? p.elements.length - 1 : p.elements.length,
      tail: hasTail ? (tail.kind as 'dot' | 'bang') : 'none',
    };
  };
  const A = split(a);
  const B = split(b);
  if (A.fixed > B.fixed) return false; // A needs a set where B allows any character
  for (let i = 0; i < A.fixed; i++) {
    const ea = a.elements[i];
    const eb = b.elements[i];
    if (ea?.kind !== 'set' || eb?.kind !== 'set' || (ea.mask & eb.mask) !== eb.mask || ea.mask > FULL)
      return false;
  }
  if (A.tail === 'bang') return true;
  if (A.tail === 'dot') return B.fixed > A.fixed || B.tail === 'dot';
  return B.fixed === A.fixed && B.tail === 'none';
}

function label(r: CompiledRoute): string {
  return `route ${r.name}`;
}

function precedes(a: CompiledRoute, b: CompiledRoute): boolean {
  const d = comparePatterns(a.pattern, b.pattern);
  if (d !== 0) return d < 0;
  if ((a.callerId === null) !== (b.callerId === null)) return a.callerId !== null;
  return (
    a.record.position - b.record.position < 0 || (a.record.position === b.record.position && a.id < b.id)
  );
}

/** Runs every check; findings come errors first. */
export function checkRules(rules: RuleSet, now: Date = new Date()): Finding[] {
  const out: Finding[] = [];
  for (const p of rules.problems)
    out.push({ level: 'error', rows: [`route ${p.route}`], message: p.message });
  const routes = rules.routes;
  for (const r of routes) {
    if (r.error !== null)
      out.push({ level: 'error', rows: [label(r)], message: `calls will fail: ${r.error}` });
    if (!r.record.enabled) out.push({ level: 'info', rows: [label(r)], message: 'disabled: it never wins' });
    else if (r.extensions.size === 0 && r.holders.length === 0) {
      out.push({
        level: 'warning',
        rows: [label(r)],
        message: 'no extension and no user holds it: every caller is refused',
      });
    }
    const today = now.toISOString().slice(0, 10);
    if (
      r.windows.length > 0 &&
      r.windows.every(
        (w) =>
          (w.endDate !== null && w.endDate < today) ||
          (w.startDate !== null && w.endDate !== null && w.endDate < w.startDate),
      )
    ) {
      out.push({
        level: 'warning',
        rows: [label(r)],
        message: 'every time window has ended: it can never win',
      });
    }
  }
  for (const b of routes) {
    if (!b.record.enabled) continue;
    for (const a of routes) {
      if (a === b || !a.record.enabled || !precedes(a, b)) continue;
      const sameCid =
        a.callerId === null || (b.callerId !== null && a.callerId.canonical === b.callerId.canonical);
      if (!sameCid || !patternCovers(a.pattern, b.pattern)) continue;
      if (a.windows.length === 0) {
        out.push({
          level: 'warning',
          rows: [label(b), label(a)],
          message: `${b.pattern.source} can never win: ${a.name} (${a.pattern.source}) matches every number it matches and comes first`,
        });
        break;
      }
      if (b.windows.length > 0 && a.pattern.canonical === b.pattern.canonical) {
        const overlap = a.windows.some((wa) => b.windows.some((wb) => windowsOverlap(wa, wb)));
        if (overlap) {
          out.push({
            level: 'info',
            rows: [label(a), label(b)],
            message: `time windows overlap on ${a.pattern.source}: ${a.name} wins while both are open`,
          });
        }
      }
    }
  }
  const held = new Set<string>();
  for (const r of routes) for (const e of r.extensions) held.add(e);
  for (const [number] of rules.extensions) {
    if (!held.has(number))
      out.push({
        level: 'info',
        rows: [`extension ${number}`],
        message: 'holds no route: every call from it asks for a PIN',
      });
  }
  const order = { error: 0, warning: 1, info: 2 };
  return out.sort((x, y) => order[x.level] - order[y.level]);
}
