/**
 * A rule set: every route compiled once (pattern, caller-ID pattern, time windows, application, who holds it) and
 * indexed so that resolving a dialed number costs a trie walk, not a scan. Built from the store's rows; pure.
 */
import type { ExtensionRecord, PermissionRecord, RouteRecord, Store, UserRecord } from '../store/index.js';
import { type CompiledApp, compileApp } from './apps.js';
import { compilePattern, type DialPattern } from './pattern.js';
import { PatternIndex } from './pattern-index.js';
import { anyWindowOpen, compileTimeWindow, type TimeWindow } from './time-window.js';

/** The rows a rule set is built from. */
export interface RuleSource {
  routes: readonly RouteRecord[];
  extensions: readonly ExtensionRecord[];
  users: readonly UserRecord[];
  permissions: readonly PermissionRecord[];
}

/** A user who may unlock a route with their PIN. */
export interface PinHolder {
  readonly name: string;
  readonly pinHash: string;
}

/** A route ready to use. `error` is set when its data is unusable (it still wins, and the call fails safely). */
export interface CompiledRoute {
  readonly id: number;
  readonly name: string;
  readonly record: RouteRecord;
  readonly pattern: DialPattern;
  readonly callerId: DialPattern | null;
  readonly windows: readonly TimeWindow[];
  readonly app: CompiledApp | null;
  readonly error: string | null;
  /** Extension numbers that may use the route without a PIN. */
  readonly extensions: ReadonlySet<string>;
  /** Users whose PIN unlocks the route. */
  readonly holders: readonly PinHolder[];
}

/** Why a candidate route was passed over, or that it won. */
export type Verdict =
  | 'chosen'
  | 'disabled'
  | 'caller-id does not match'
  | 'time window closed'
  | 'lower precedence';

/** The outcome of resolving one dialed number. */
export interface Resolution {
  /** The winning route, if any. */
  readonly route: CompiledRoute | undefined;
  /** With `all: true`: every route whose pattern matched, in Asterisk precedence order, with what happened to it. */
  readonly considered: ReadonlyArray<{ route: CompiledRoute; verdict: Verdict }>;
  /** The number after the winner's rewrite (strip, prepend). */
  readonly number: string;
}

/** A route row that could not be indexed at all (its pattern does not compile). */
export interface RuleProblem {
  readonly route: string;
  readonly message: string;
}

/** Options of {@link RuleSet.resolve}. */
export interface ResolveOptions {
  /** Caller ID number ('' when unknown). */
  caller: string;
  /** When the call happens (time windows). */
  at: Date;
  /** Keep walking after the winner to list every candidate (for `explain`). */
  all?: boolean;
}

function cmpRoutes(a: CompiledRoute, b: CompiledRoute): number {
  // Same pattern: a route with a caller-ID pattern is more specific, then the configured order, then age.
  if ((a.callerId === null) !== (b.callerId === null)) return a.callerId ? -1 : 1;
  return a.record.position - b.record.position || a.id - b.id;
}

/** Compiled routes plus the index used to resolve dialed numbers. */
export class RuleSet {
  /** Every route that compiled (in store order). */
  readonly routes: readonly CompiledRoute[];
  /** Routes left out because their pattern does not compile. */
  readonly problems: readonly RuleProblem[];
  /** Known extensions by number. */
  readonly extensions: ReadonlyMap<string, ExtensionRecord>;
  readonly #index = new PatternIndex<CompiledRoute>(cmpRoutes);

  /** Builds a rule set from the store's rows. Never throws: bad rows become `problems` or route `error`s. */
  constructor(src: RuleSource) {
    const extByRoute = new Map<string, Set<string>>();
    const usersByRoute = new Map<string, PinHolder[]>();
    const users = new Map(src.users.map((u) => [u.name, u]));
    for (const p of src.permissions) {
      if (p.extension !== null) {
        const set = extByRoute.get(p.route) ?? new Set<string>();
        extByRoute.set(p.route, set);
        set.add(p.extension);
      } else if (p.user !== null) {
        const u = users.get(p.user);
        if (!u) continue;
        const list = usersByRoute.get(p.route) ?? [];
        usersByRoute.set(p.route, list);
        list.push({ name: u.name, pinHash: u.pinHash });
      }
    }
    const routes: CompiledRoute[] = [];
    const problems: RuleProblem[] = [];
    for (const r of src.routes) {
      let pattern: DialPattern;
      let callerId: DialPattern | null = null;
      try {
        pattern = compilePattern(r.pattern);
        if (r.callerId) callerId = compilePattern(r.callerId);
      } catch (err) {
        problems.push({ route: r.name, message: (err as Error).message });
        continue;
      }
      let error: string | null = null;
      let app: CompiledApp | null = null;
      let windows: TimeWindow[] = [];
      try {
        windows = r.windows.map(compileTimeWindow);
        app = compileApp(r);
      } catch (err) {
        error = (err as Error).message;
      }
      if (error === null && (r.rewriteStrip < 0 || !/^[0-9A-Za-z*#+]*$/.test(r.rewritePrepend))) {
        error = 'rewrite: strip must be >= 0 and prepend only digits, letters, * # +';
      }
      const route: CompiledRoute = {
        id: r.id,
        name: r.name,
        record: r,
        pattern,
        callerId,
        windows,
        app,
        error,
        extensions: extByRoute.get(r.name) ?? new Set(),
        holders: usersByRoute.get(r.name) ?? [],
      };
      routes.push(route);
      this.#index.add(pattern, route);
    }
    this.routes = routes;
    this.problems = problems;
    this.extensions = new Map(src.extensions.map((e) => [e.number, e]));
  }

  /** Finds the route Asterisk precedence picks among the enabled routes whose caller ID matches and window is open. */
  resolve(dialed: string, options: ResolveOptions): Resolution {
    if (!options.all) {
      // Hot path: no bookkeeping, the first eligible route in precedence order wins.
      const found = this.#index.find(dialed, (route) => verdictOf(route, options) === 'chosen');
      return { route: found?.value, considered: [], number: found ? rewrite(found.value, dialed) : dialed };
    }
    const considered: Array<{ route: CompiledRoute; verdict: Verdict }> = [];
    let winner: CompiledRoute | undefined;
    this.#index.visit(dialed, ({ value: route }) => {
      const verdict: Verdict = winner ? 'lower precedence' : verdictOf(route, options);
      considered.push({ route, verdict });
      if (verdict === 'chosen') winner = route;
      return false;
    });
    return { route: winner, considered, number: winner ? rewrite(winner, dialed) : dialed };
  }

  /** True when the caller's extension may use the route without a PIN. */
  authorized(route: CompiledRoute, caller: string): boolean {
    return caller !== '' && route.extensions.has(caller);
  }
}

function verdictOf(route: CompiledRoute, options: ResolveOptions): Verdict {
  if (!route.record.enabled) return 'disabled';
  if (route.callerId && !route.callerId.matches(options.caller)) return 'caller-id does not match';
  if (route.error === null && !anyWindowOpen(route.windows, options.at)) return 'time window closed';
  return 'chosen';
}

/** Applies a route's rewrite (strip N leading characters, then prepend). */
export function rewrite(route: CompiledRoute, dialed: string): string {
  const digits = dialed.replaceAll('-', '');
  return route.record.rewritePrepend + digits.slice(route.record.rewriteStrip);
}

/** Reads every rule row from the store and compiles them. */
export async function loadRuleSet(store: Store): Promise<RuleSet> {
  const [routes, extensions, users, permissions] = await Promise.all([
    store.routes.list(),
    store.extensions.list(),
    store.users.list(),
    store.permissions.list(),
  ]);
  return new RuleSet({ routes, extensions, users, permissions });
}
