/** `router explain`: a dry run of one call — which route wins and why, the rewritten number, failover, PIN, window. */
import { dialArgs } from './apps.js';
import type { RouterConfig } from './config.js';
import type { CompiledRoute, RuleSet, Verdict } from './rules.js';
import { windowOpen } from './time-window.js';

/** The explanation as data. */
export interface Explanation {
  dialed: string;
  caller: string;
  at: string;
  candidates: Array<{ route: string; pattern: string; verdict: Verdict }>;
  route: string | null;
  app: string | null;
  number: string | null;
  failover: string[];
  failoverOn: string[];
  pin: 'not needed' | 'required' | null;
  unlockedBy: string[];
  window: string | null;
  error: string | null;
}

function describeWindows(r: CompiledRoute, at: Date): string {
  if (r.windows.length === 0) return 'no time window: always open';
  return r.windows.map((w) => `${w.text}: ${windowOpen(w, at) ? 'open' : 'closed'}`).join('; ');
}

/** Explains how a call from `caller` to `dialed` at `at` would be routed. */
export function explain(rules: RuleSet, dialed: string, caller: string, at: Date): Explanation {
  const res = rules.resolve(dialed, { caller, at, all: true });
  const r = res.route;
  let failover: string[] = [];
  let error = r?.error ?? null;
  if (r?.app?.kind === 'dial') {
    try {
      failover = r.app.targets.map((t) => dialArgs(t, { number: res.number, dialed, caller, route: r.name }));
    } catch (err) {
      error = (err as Error).message;
    }
  }
  return {
    dialed,
    caller,
    at: at.toISOString(),
    candidates: res.considered.map((c) => ({
      route: c.route.name,
      pattern: c.route.pattern.source,
      verdict: c.verdict,
    })),
    route: r?.name ?? null,
    app: r?.record.app ?? null,
    number: r ? res.number : null,
    failover,
    failoverOn: r?.app?.kind === 'dial' ? r.record.failoverOn : [],
    pin: r ? (rules.authorized(r, caller) ? 'not needed' : 'required') : null,
    unlockedBy: r ? r.holders.map((h) => h.name) : [],
    window: r ? describeWindows(r, at) : null,
    error,
  };
}

/** The explanation as text for people. */
export function formatExplanation(e: Explanation, config?: RouterConfig): string {
  const lines = [`${e.dialed} dialed by ${e.caller || '(no caller ID)'} at ${e.at}`];
  if (e.candidates.length === 0) lines.push('  no route pattern matches this number');
  else {
    lines.push('  routes whose pattern matches, in Asterisk precedence order:');
    e.candidates.forEach((c, i) => {
      lines.push(`    ${i + 1}. ${c.route} (${c.pattern}): ${c.verdict}`);
    });
  }
  if (e.route === null) {
    lines.push(
      `  result: no route — the caller hears "${config?.prompts.invalid ?? 'ss-noservice'}" and is hung up`,
    );
    return lines.join('\n');
  }
  lines.push(`  winner: ${e.route} — application ${e.app}`);
  lines.push(`  number after rewrite: ${e.number}`);
  if (e.failover.length) {
    lines.push(`  dial order: ${e.failover.map((f, i) => `${i + 1}. ${f}`).join('  ')}`);
    lines.push(`  next target on: ${e.failoverOn.join(', ') || '(never)'}`);
  }
  lines.push(
    e.pin === 'not needed'
      ? `  PIN: not needed (extension ${e.caller} holds ${e.route})`
      : `  PIN: required${e.unlockedBy.length ? ` (unlocked by ${e.unlockedBy.join(', ')})` : ' — but no user holds this route'}`,
  );
  lines.push(`  time window: ${e.window}`);
  if (e.error) lines.push(`  PROBLEM: ${e.error} — the call would get the technical-failure prompt`);
  return lines.join('\n');
}
