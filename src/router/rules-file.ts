/**
 * The rule set as a YAML document (`router export` / `router import`): routes, extensions and users with the routes
 * they hold. Validated with zod and by compiling every pattern, application and window; every message names the bad
 * row (`routes[2] "pstn": pattern: …`). Users carry PIN hashes; a plain `pin` is accepted on import and hashed.
 */
import { parse as parseYaml, stringify } from 'yaml';
import { z } from 'zod';
import type { Store } from '../store/index.js';
import { compileApp } from './apps.js';
import { RouterError } from './errors.js';
import { compilePattern } from './pattern.js';
import { hashPin, isValidPin, type PinHashParams } from './pin.js';
import { compileTimeWindow } from './time-window.js';

const windowSchema = z.strictObject({
  weekdays: z.string().optional(),
  startTime: z.string().nullish(),
  endTime: z.string().nullish(),
  startDate: z.string().nullish(),
  endDate: z.string().nullish(),
  timezone: z.string().optional(),
});

const routeSchema = z.strictObject({
  name: z.string().min(1).max(100),
  pattern: z.string().min(1),
  callerId: z.string().nullish(),
  app: z.string(),
  data: z.record(z.string(), z.unknown()).default({}),
  order: z.number().int().default(0),
  enabled: z.boolean().default(true),
  rewrite: z
    .strictObject({ strip: z.number().int().min(0).default(0), prepend: z.string().default('') })
    .prefault({}),
  failoverOn: z.array(z.string()).default(['CHANUNAVAIL', 'CONGESTION']),
  targets: z
    .array(
      z.strictObject({
        template: z.string().min(1),
        options: z.string().nullish(),
        timeout: z.number().int().positive().nullish(),
      }),
    )
    .default([]),
  windows: z.array(windowSchema).default([]),
});

/** zod schema of a rules file. */
export const rulesFileSchema = z.strictObject({
  routes: z.array(routeSchema).default([]),
  extensions: z
    .array(
      z.strictObject({
        number: z.string().min(1),
        name: z.string().default(''),
        routes: z.array(z.string()).default([]),
      }),
    )
    .default([]),
  users: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        pin: z.string().optional(),
        pinHash: z.string().optional(),
        routes: z.array(z.string()).default([]),
      }),
    )
    .default([]),
});

/** A validated rules file. */
export type RulesFile = z.infer<typeof rulesFileSchema>;

function rowName(doc: unknown, path: readonly PropertyKey[]): string {
  const [section, index, ...rest] = path;
  let label = String(section ?? '');
  if (typeof index === 'number') {
    const row = (doc as Record<string, Array<Record<string, unknown>>>)?.[String(section)]?.[index];
    const id = row?.name ?? row?.number;
    label += `[${index}]${id !== undefined ? ` ${JSON.stringify(id)}` : ''}`;
  }
  return rest.length ? `${label}: ${rest.join('.')}` : label;
}

/** The fields of a route that {@link routeProblems} checks. */
export interface RouteDraft {
  pattern: string;
  callerId?: string | null | undefined;
  app: string;
  data: Record<string, unknown> | string;
  targets: ReadonlyArray<{
    template: string;
    options?: string | null | undefined;
    timeout?: number | null | undefined;
  }>;
  failoverOn: readonly string[];
  windows: ReadonlyArray<Parameters<typeof compileTimeWindow>[0]>;
  rewrite?: { strip: number; prepend: string };
}

/** Everything wrong with a route (compiles its pattern, caller ID, application and windows); empty when usable. */
export function routeProblems(r: RouteDraft): string[] {
  const problems: string[] = [];
  const check = (what: string, fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      problems.push(`${what}${(err as Error).message}`);
    }
  };
  check('pattern: ', () => compilePattern(r.pattern));
  if (r.callerId) check('callerId: ', () => compilePattern(r.callerId as string));
  check('', () => compileApp({ app: r.app, appData: r.data, targets: r.targets, failoverOn: r.failoverOn }));
  for (const [k, w] of r.windows.entries()) check(`windows[${k}]: `, () => compileTimeWindow(w));
  if (r.rewrite && !/^[0-9A-Za-z*#+]*$/.test(r.rewrite.prepend))
    problems.push('rewrite.prepend: only digits, letters, * # +');
  return problems;
}

/** Parses and validates a rules document; throws `ROUTER_BAD_RULES` listing every bad row. */
export function parseRulesFile(text: string): RulesFile {
  let doc: unknown;
  try {
    doc = parseYaml(text) ?? {};
  } catch (err) {
    throw new RouterError('ROUTER_BAD_RULES', `not valid YAML: ${(err as Error).message}`);
  }
  const parsed = rulesFileSchema.safeParse(doc);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${rowName(doc, i.path)}: ${i.message}`);
    throw new RouterError('ROUTER_BAD_RULES', `invalid rules:\n${lines.join('\n')}`);
  }
  const rules = parsed.data;
  const problems: string[] = [];
  const names = new Set<string>();
  rules.routes.forEach((r, i) => {
    const at = `routes[${i}] ${JSON.stringify(r.name)}`;
    if (names.has(r.name)) problems.push(`${at}: name used twice`);
    names.add(r.name);
    for (const p of routeProblems(r)) problems.push(`${at}: ${p}`);
  });
  const numbers = new Set<string>();
  rules.extensions.forEach((e, i) => {
    const at = `extensions[${i}] ${JSON.stringify(e.number)}`;
    if (numbers.has(e.number)) problems.push(`${at}: number used twice`);
    numbers.add(e.number);
    for (const r of e.routes) if (!names.has(r)) problems.push(`${at}: unknown route ${JSON.stringify(r)}`);
  });
  const users = new Set<string>();
  rules.users.forEach((u, i) => {
    const at = `users[${i}] ${JSON.stringify(u.name)}`;
    if (users.has(u.name)) problems.push(`${at}: name used twice`);
    users.add(u.name);
    if ((u.pin === undefined) === (u.pinHash === undefined))
      problems.push(`${at}: give exactly one of pin or pinHash`);
    if (u.pin !== undefined && !isValidPin(u.pin)) problems.push(`${at}: pin must be 4 to 12 digits`);
    if (u.pinHash !== undefined && !u.pinHash.startsWith('scrypt$'))
      problems.push(`${at}: pinHash is not an scrypt hash`);
    for (const r of u.routes) if (!names.has(r)) problems.push(`${at}: unknown route ${JSON.stringify(r)}`);
  });
  if (problems.length)
    throw new RouterError('ROUTER_BAD_RULES', `invalid rules:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return rules;
}

/** Reads the whole rule set from the store as a rules file (PIN hashes, never PINs). */
export async function exportRules(store: Store): Promise<RulesFile> {
  const [routes, extensions, users, permissions] = await Promise.all([
    store.routes.list(),
    store.extensions.list(),
    store.users.list(),
    store.permissions.list(),
  ]);
  return {
    routes: routes.map((r) => {
      let data: Record<string, unknown> = {};
      try {
        data = JSON.parse(r.appData || '{}') as Record<string, unknown>;
      } catch {
        data = { unreadable: r.appData };
      }
      return {
        name: r.name,
        pattern: r.pattern,
        ...(r.callerId ? { callerId: r.callerId } : {}),
        app: r.app,
        data,
        order: r.position,
        enabled: r.enabled,
        rewrite: { strip: r.rewriteStrip, prepend: r.rewritePrepend },
        failoverOn: r.failoverOn,
        targets: r.targets.map((t) => ({
          template: t.template,
          ...(t.options !== null ? { options: t.options } : {}),
          ...(t.timeout !== null ? { timeout: t.timeout } : {}),
        })),
        windows: r.windows.map((w) =>
          Object.fromEntries(Object.entries(w).filter(([, v]) => v !== null && v !== '')),
        ),
      };
    }),
    extensions: extensions.map((e) => ({
      number: e.number,
      name: e.name,
      routes: permissions.filter((p) => p.extension === e.number).map((p) => p.route),
    })),
    users: users.map((u) => ({
      name: u.name,
      pinHash: u.pinHash,
      routes: permissions.filter((p) => p.user === u.name).map((p) => p.route),
    })),
  };
}

/** The rules file as YAML text. */
export function formatRulesFile(rules: RulesFile): string {
  return stringify(rules, { lineWidth: 0 });
}

/** Replaces the store's rule set with a validated rules file, in one transaction (call log and lockouts are kept). */
export async function importRules(store: Store, rules: RulesFile, pinParams?: PinHashParams): Promise<void> {
  const hashes = await Promise.all(
    rules.users.map((u) => (u.pinHash ? u.pinHash : hashPin(u.pin as string, pinParams))),
  );
  await store.transaction(async (tx) => {
    for (const r of await tx.routes.list()) await tx.routes.remove(r.name);
    for (const e of await tx.extensions.list()) await tx.extensions.remove(e.number);
    for (const u of await tx.users.list()) await tx.users.remove(u.name);
    for (const r of rules.routes) {
      await tx.routes.create({
        name: r.name,
        pattern: r.pattern,
        callerId: r.callerId ?? null,
        app: r.app,
        appData: r.data,
        position: r.order,
        enabled: r.enabled,
        rewriteStrip: r.rewrite.strip,
        rewritePrepend: r.rewrite.prepend,
        failoverOn: r.failoverOn,
        targets: r.targets,
        windows: r.windows,
      });
    }
    for (const e of rules.extensions) {
      await tx.extensions.create({ number: e.number, name: e.name });
      for (const route of e.routes) await tx.permissions.grant({ route, extension: e.number });
    }
    for (const [i, u] of rules.users.entries()) {
      await tx.users.create({ name: u.name, pinHash: hashes[i] as string });
      for (const route of u.routes) await tx.permissions.grant({ route, user: u.name });
    }
  });
}
