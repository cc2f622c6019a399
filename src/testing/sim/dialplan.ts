/**
 * The office dialplan, interpreted: `extensions.conf` from the in-memory configuration (reloaded with
 * `Reload Module: pbx_config.so` or `dialplan reload`), exact extensions before patterns (`_X.`, `_0X.`, `N`, `Z`,
 * `[1-5]`, `.`, `!`), `same => n` priorities, `${VAR}` substitution, and the applications of the table below.
 * Apps live in {@link dialplanApps}; a module (queues, conferences, AGI, a future trunk module) adds its own.
 */

import { destroyChannel, newExten, setCallerId, setState, setVar, softHangup } from './channels.js';
import { SimSignal } from './clock.js';
import type { SimConfigStore } from './config-store.js';
import type { SimCore } from './core.js';
import { localRunner } from './dial.js';
import type { SimChannel } from './state.js';

/** One priority: application and raw data. */
export interface DialplanStep {
  app: string;
  data: string;
}

/** What an app returns: nothing (go on), `hangup` (stop), or a jump. */
export type AppResult = undefined | 'hangup' | { context: string; exten: string; priority: number };

/** A dialplan application. */
export type DialplanApp = (core: SimCore, ch: SimChannel, args: string[], data: string) => Promise<AppResult>;

/** Applications by lower-case name. */
export const dialplanApps = new Map<string, DialplanApp>();

/** Parsed dialplan: context → exten (or `_pattern`) → steps. */
export type Dialplan = Map<string, Map<string, DialplanStep[]>>;

/** Parses `extensions.conf` from the config store. */
export function loadDialplan(config: SimConfigStore): Dialplan {
  const plan: Dialplan = new Map();
  for (const cat of config.get('extensions.conf') ?? []) {
    if (cat.name === 'general' || cat.name === 'globals') continue;
    const ctx = new Map<string, DialplanStep[]>();
    let last: DialplanStep[] | undefined;
    for (const l of cat.lines) {
      const parts = splitTop(l.value);
      if (l.key === 'exten') {
        const [ext = '', , ...rest] = parts;
        last = ctx.get(ext) ?? [];
        ctx.set(ext, last);
        last.push(step(rest.join(',')));
      } else if (l.key === 'same' && last) {
        const [, ...rest] = parts;
        last.push(step(rest.join(',')));
      }
    }
    plan.set(cat.name, ctx);
  }
  return plan;
}

function step(text: string): DialplanStep {
  const m = /^([A-Za-z0-9_]+)\s*(?:\((.*)\))?\s*$/.exec(text.trim());
  return { app: m?.[1] ?? 'NoOp', data: m?.[2] ?? '' };
}

/** Splits at top-level commas (not inside parentheses). */
export function splitTop(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of text) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** Whether a dialled string matches an extension or `_pattern`. */
export function matchExten(pattern: string, dialled: string): boolean {
  if (!pattern.startsWith('_')) return pattern === dialled;
  let re = '^';
  const p = pattern.slice(1);
  for (let i = 0; i < p.length; i++) {
    const c = p[i] ?? '';
    if (c === 'X' || c === 'x') re += '[0-9]';
    else if (c === 'Z' || c === 'z') re += '[1-9]';
    else if (c === 'N' || c === 'n') re += '[2-9]';
    else if (c === '.') re += '.+';
    else if (c === '!') re += '.*';
    else if (c === '[') {
      const end = p.indexOf(']', i);
      re += `[${p.slice(i + 1, end).replace(/[\\^]/g, '\\$&')}]`;
      i = end;
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`${re}$`).test(dialled);
}

/** The steps for an extension in a context (exact first, then the first pattern that matches). */
export function findExten(plan: Dialplan, context: string, exten: string): DialplanStep[] | undefined {
  const ctx = plan.get(context);
  if (!ctx) return undefined;
  const exact = ctx.get(exten);
  if (exact) return exact;
  for (const [k, v] of ctx) if (k.startsWith('_') && matchExten(k, exten)) return v;
  return undefined;
}

/** Replaces `${VAR}` / `${EXTEN}` / `${CALLERID(num)}` (no expressions: `$[…]` is left as is). */
export function substitute(core: SimCore, ch: SimChannel, text: string): string {
  let out = text.replace(/\$\{([A-Za-z0-9_()]+)\}/g, (_m, name: string) => readVar(core, ch, name));
  // The one expression form the office dialplan uses: ${IF($["a" = "b"]?then:else)}.
  out = out.replace(
    /\$\{IF\(\$\["([^"]*)" = "([^"]*)"\]\?([^:)]*):([^)]*)\)\}/g,
    (_m, a: string, b: string, yes: string, no: string) => (a === b ? yes : no),
  );
  return out;
}

/** Reads a channel variable or function the way `Getvar`/`GET VARIABLE` see it. */
export function readVar(core: SimCore, ch: SimChannel | undefined, name: string): string {
  const up = name.toUpperCase();
  if (ch) {
    if (up === 'EXTEN') return ch.exten;
    if (up === 'CONTEXT') return ch.context;
    if (up === 'CHANNEL') return ch.name;
    if (up === 'UNIQUEID') return ch.uniqueid;
    if (up === 'CALLERID(NUM)') return ch.callerNum;
    if (up === 'CALLERID(NAME)') return ch.callerName;
    if (up === 'CHANNEL(LANGUAGE)') return ch.language;
    const v = ch.vars.get(name);
    if (v !== undefined) return v;
  }
  return core.state.globals.get(name) ?? '';
}

/** The cause a channel hangs up with when its dialplan ends after a failed Dial (pbx.c autofallthrough). */
function fallthroughCause(ch: SimChannel): number {
  switch (ch.vars.get('DIALSTATUS')) {
    case 'BUSY':
      return 17;
    case 'NOANSWER':
      return 19;
    case 'CONGESTION':
      return 34;
    case 'CHANUNAVAIL':
      return 20;
    default:
      return 16;
  }
}

/** Runs a channel through the dialplan from its context/exten/priority until it hangs up. */
export async function runDialplan(core: SimCore, ch: SimChannel): Promise<void> {
  let guard = 0;
  while (!ch.gone.aborted && !core.closing && guard++ < 200) {
    const steps = findExten(currentPlan(core), ch.context, ch.exten);
    const s = steps?.[ch.priority - 1];
    if (!s) break;
    const data = substitute(core, ch, s.data);
    newExten(core, ch, s.app, data);
    core.log.verbose(
      ch,
      'pbx.c',
      `Executing [${ch.exten}@${ch.context}:${ch.priority}] ${s.app}("${ch.name}", "${data}") in new stack`,
    );
    const app = dialplanApps.get(s.app.toLowerCase());
    ch.kick = new SimSignal();
    const result = app ? await app(core, ch, splitTop(data), data) : undefined;
    if (!app)
      core.log.warning(
        ch,
        'pbx.c',
        `No application '${s.app}' for extension (${ch.context}, ${ch.exten}, ${ch.priority})`,
      );
    if (result === 'hangup' || ch.gone.aborted) break;
    const jump = ch.redirect ?? (typeof result === 'object' ? result : undefined);
    ch.redirect = undefined;
    if (jump) {
      ch.context = jump.context;
      ch.exten = jump.exten;
      ch.priority = jump.priority;
    } else ch.priority++;
  }
  if (core.state.channels.has(ch.name)) destroyChannel(core, ch, ch.hangupCause ?? fallthroughCause(ch));
}

const plans = new WeakMap<SimConfigStore, Dialplan>();

/** The dialplan in force (loaded on first use and on reload). */
export function currentPlan(core: SimCore): Dialplan {
  let p = plans.get(core.config);
  if (!p) {
    p = loadDialplan(core.config);
    plans.set(core.config, p);
  }
  return p;
}

/** Applies `extensions.conf` again (`dialplan reload`). */
export function reloadDialplan(core: SimCore): void {
  plans.set(core.config, loadDialplan(core.config));
}

localRunner.run = runDialplan;

dialplanApps.set('noop', async () => undefined);
dialplanApps.set('answer', async (core, ch) => {
  setState(core, ch, 6);
  return undefined;
});
dialplanApps.set('hangup', async (core, ch, args) => {
  const cause = Number(args[0]) || 16;
  softHangup(core, ch, cause);
  ch.hangupCause = cause;
  destroyChannel(core, ch, cause);
  return 'hangup';
});
dialplanApps.set('set', async (core, ch, _args, data) => {
  const i = data.indexOf('=');
  if (i <= 0) return undefined;
  const name = data.slice(0, i);
  const value = data.slice(i + 1);
  if (name.toUpperCase() === 'CALLERID(NUM)') setCallerId(core, ch, value, undefined);
  else if (name.toUpperCase() === 'CALLERID(NAME)') setCallerId(core, ch, undefined, value);
  else setVar(core, ch, name, value);
  return undefined;
});
dialplanApps.set('goto', async (_core, ch, args) => {
  const [a = '', b, c] = args;
  if (c !== undefined) return { context: a, exten: b ?? 's', priority: Number(c) || 1 };
  if (b !== undefined) return { context: ch.context, exten: a, priority: Number(b) || 1 };
  return { context: ch.context, exten: ch.exten, priority: Number(a) || 1 };
});
