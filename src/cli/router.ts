// biome-ignore-all lint/suspicious/noTemplateCurlyInString: help text shows the router's ${var} template syntax
/**
 * `switchboard router …`: serve the call router (FastAGI), edit its rules (routes, extensions, users, permissions),
 * export/import them as YAML, explain a call, check the rule set, read the call log. Every command takes
 * `--db <file|postgres url>` and `--config <file>`; environment variables (SWITCHBOARD_ROUTER_*) override the file,
 * flags override both. Exit status: 0 ok, 1 bad input or failed check, 2 store or network failure.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import pino from 'pino';
import { AmiClient } from '../ami/index.js';
import {
  checkRules,
  explain,
  exportRules,
  formatExplanation,
  formatRulesFile,
  hashPin,
  importRules,
  loadDemo,
  loadRouterConfig,
  loadRuleSet,
  parseRulesFile,
  parseTimeWindowSpec,
  type RouterConfig,
  RouterServer,
  routeProblems,
} from '../router/index.js';
import { openStore, type RouteInput, type Store, StoreError } from '../store/index.js';
import { EXIT } from './program.js';

/** Options shared by every router command. */
interface CommonOptions {
  db?: string;
  config?: string;
}

/** Bad command-line input (exit 1 with its message). */
class UsageError extends Error {
  readonly code = 'CLI_USAGE';
}

function config(opts: CommonOptions, overrides: Record<string, unknown> = {}): RouterConfig {
  return loadRouterConfig({
    ...(opts.config ? { file: opts.config } : {}),
    overrides: { db: opts.db, ...overrides },
  });
}

function report(err: unknown): void {
  const e = err as { message?: string; code?: string };
  const code = typeof e?.code === 'string' ? e.code : '';
  process.stderr.write(`switchboard router: ${e?.message ?? String(err)}${code ? ` [${code}]` : ''}\n`);
  const storeDown =
    err instanceof StoreError && (code === 'STORE_OPEN_FAILED' || code === 'STORE_MIGRATION_FAILED');
  process.exitCode = storeDown || code.startsWith('ECONN') ? EXIT.connection : EXIT.errorResponse;
}

/** Runs `fn` with an open store, closes it, and turns errors into a message and an exit status. */
async function withStore(
  opts: CommonOptions,
  fn: (store: Store, cfg: RouterConfig) => Promise<void>,
): Promise<void> {
  let store: Store | undefined;
  try {
    const cfg = config(opts);
    store = await openStore({ url: cfg.db });
    await fn(store, cfg);
  } catch (err) {
    report(err);
  } finally {
    await store?.close();
  }
}

function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

interface RouteFlags {
  target?: string[];
  data?: string;
  callerId?: string;
  order?: string;
  disabled?: boolean;
  enabled?: boolean;
  strip?: string;
  prepend?: string;
  failoverOn?: string;
  window?: string[];
  noWindows?: boolean;
}

function routeInputFrom(flags: RouteFlags): Partial<RouteInput> {
  const input: Partial<RouteInput> = {};
  if (flags.target) input.targets = flags.target.map((t) => ({ template: t }));
  if (flags.data !== undefined) {
    try {
      input.appData = JSON.parse(flags.data) as Record<string, unknown>;
    } catch {
      throw new UsageError('--data must be a JSON object, e.g. \'{"timeout": 30}\'');
    }
  }
  if (flags.callerId !== undefined) input.callerId = flags.callerId || null;
  if (flags.order !== undefined) input.position = Number.parseInt(flags.order, 10);
  if (flags.disabled) input.enabled = false;
  if (flags.enabled) input.enabled = true;
  if (flags.strip !== undefined) input.rewriteStrip = Number.parseInt(flags.strip, 10);
  if (flags.prepend !== undefined) input.rewritePrepend = flags.prepend;
  if (flags.failoverOn !== undefined)
    input.failoverOn = flags.failoverOn
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (flags.window)
    input.windows = flags.window.map((w) => {
      try {
        const spec = parseTimeWindowSpec(w);
        return { ...spec, weekdays: spec.weekdays ?? undefined, timezone: spec.timezone ?? undefined };
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
    });
  if (flags.noWindows) input.windows = [];
  return input;
}

function validate(route: RouteInput): void {
  const problems = routeProblems({
    pattern: route.pattern,
    callerId: route.callerId ?? null,
    app: route.app,
    data: route.appData ?? {},
    targets: route.targets ?? [],
    failoverOn: route.failoverOn ?? ['CHANUNAVAIL', 'CONGESTION'],
    windows: route.windows ?? [],
    rewrite: { strip: route.rewriteStrip ?? 0, prepend: route.rewritePrepend ?? '' },
  });
  if (problems.length) throw new UsageError(`route ${route.name}: ${problems.join('; ')}`);
}

function routeOptions(c: Command): Command {
  return c
    .option('--target <template>', 'dial target, e.g. PJSIP/${number} (repeat for failover order)', collect)
    .option('--data <json>', 'application data as JSON')
    .option('--caller-id <pattern>', 'only for callers matching this pattern')
    .option('--order <n>', 'order among routes with the same pattern')
    .option('--disabled', 'create/leave the route disabled')
    .option('--enabled', 'enable the route')
    .option('--strip <n>', 'strip N leading digits before dialing')
    .option('--prepend <digits>', 'prepend digits before dialing')
    .option('--failover-on <list>', 'dial statuses / cause:N that move to the next target')
    .option('--window <spec>', 'time window, e.g. "mon-fri 08:00-18:00 Europe/Madrid" (repeatable)', collect)
    .option('--no-windows', 'remove every time window');
}

async function readPin(opts: { pin?: string; pinStdin?: boolean }): Promise<string> {
  if (opts.pin !== undefined) return opts.pin;
  if (!opts.pinStdin) throw new UsageError('give --pin <digits> or --pin-stdin');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0]?.trim() ?? '';
}

async function serve(
  opts: CommonOptions & {
    demo?: boolean;
    host?: string;
    port?: string;
    path?: string;
    allow?: string;
    ami?: string;
  },
) {
  let store: Store | undefined;
  let server: RouterServer | undefined;
  let ami: AmiClient | undefined;
  try {
    const port = opts.port === undefined ? undefined : Number.parseInt(opts.port, 10);
    const cfg = config(opts, {
      'listen.host': opts.host,
      'listen.port': port,
      'listen.path': opts.path,
      'listen.allow': opts.allow?.split(',').map((s) => s.trim()),
      'asyncAgi.url': opts.ami,
    });
    store = await openStore({ url: cfg.db });
    if (opts.demo) {
      const loaded = await loadDemo(store);
      print(
        loaded
          ? 'switchboard router: demo data loaded'
          : 'switchboard router: --demo: the store already has routes, left as they are',
      );
    }
    const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' }, pino.destination(2));
    if (cfg.asyncAgi) {
      ami = new AmiClient({ url: cfg.asyncAgi.url });
      await ami.connect();
    }
    server = new RouterServer({ store, config: cfg, logger, ...(ami ? { ami } : {}) });
    // Signal handlers go in before the ready message: whoever reads it may press Ctrl-C at once.
    let stop: () => void = () => {};
    const stopped = new Promise<void>((resolve) => {
      stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    let addr: { host: string; port: number };
    try {
      addr = await server.listen();
    } catch (err) {
      stop();
      throw err;
    }
    print(
      [
        `switchboard router: FastAGI on ${addr.host}:${addr.port}, path ${cfg.listen.path}, rules in ${store.location}`,
        'Add this line to the Asterisk dialplan (extensions.conf), in the context your phones dial from:',
        '',
        `  ${server.dialplanLine()}`,
        ...(ami
          ? [
              '',
              'or, to route over AsyncAGI through the AMI connection:',
              '',
              '  exten => _X.,1,AGI(agi:async)',
            ]
          : []),
        '',
        'Press Ctrl-C to stop.',
      ].join('\n'),
    );
    const s = server;
    const st = store;
    await stopped;
    print('switchboard router: stopping (live calls get 10 s to finish)');
    await s.close({ deadline: 10_000 });
    await ami?.close();
    await st.close();
  } catch (err) {
    report(err);
    await server?.close({ deadline: 0 }).catch(() => {});
    await ami?.close().catch(() => {});
    await store?.close();
  }
}

/** Registers `switchboard router` and its subcommands. */
export function registerRouter(program: Command): void {
  const router = program
    .command('router')
    .description('the call router: serve it over FastAGI, edit its rules, explain a call, check the rules');
  const common = (c: Command) =>
    c
      .option('--db <file|url>', 'SQLite file or postgres:// URL (default ./.switchboard/router.sqlite)')
      .option('--config <file>', 'YAML configuration file');

  common(router.command('serve'))
    .description('serve the router over FastAGI and print the dialplan line to add to Asterisk')
    .option('--demo', 'load the demo rules into an empty store')
    .option('--host <address>', 'bind address (default 127.0.0.1)')
    .option('--port <port>', 'TCP port (default 4573)')
    .option('--path <path>', 'AGI script path (default /router)')
    .option('--allow <list>', 'comma-separated addresses/CIDRs allowed to connect')
    .option(
      '--ami <url>',
      'also serve AGI(agi:async) calls over this AMI connection (ami://user:secret@host:5038)',
    )
    .action(serve);

  const routes = router.command('routes').description('list, add, update and remove routes');
  common(routes.command('list'))
    .option('--json', 'print JSON')
    .action((o: CommonOptions & { json?: boolean }) =>
      withStore(o, async (store) => {
        const list = await store.routes.list();
        if (o.json) return print(JSON.stringify(list, null, 2));
        const rows = [
          ['ORDER', 'NAME', 'PATTERN', 'CALLER-ID', 'APP', 'TARGETS / DATA', 'WINDOWS', 'ENABLED'],
        ];
        for (const r of list) {
          rows.push([
            String(r.position),
            r.name,
            r.pattern,
            r.callerId ?? '',
            r.app,
            r.targets.length ? r.targets.map((t) => t.template).join(' → ') : r.appData,
            String(r.windows.length),
            r.enabled ? 'yes' : 'no',
          ]);
        }
        print(table(rows));
      }),
    );
  routeOptions(common(routes.command('add').argument('<name>').argument('<pattern>').argument('<app>')))
    .description(
      'add a route (app: dial, voicemail, conference, playback, busy, congestion, hangup, gosub, custom)',
    )
    .action((name: string, pattern: string, app: string, o: CommonOptions & RouteFlags) =>
      withStore(o, async (store) => {
        const input: RouteInput = { name, pattern, app, ...routeInputFrom(o) };
        validate(input);
        await store.routes.create(input);
        print(`route ${name} added`);
      }),
    );
  routeOptions(common(routes.command('update').argument('<name>')))
    .option('--pattern <pattern>', 'new dial pattern')
    .option('--app <app>', 'new application')
    .description('change a route (targets and windows, when given, replace the old ones)')
    .action((name: string, o: CommonOptions & RouteFlags & { pattern?: string; app?: string }) =>
      withStore(o, async (store) => {
        const old = await store.routes.get(name);
        if (!old) throw new UsageError(`route ${name} not found`);
        const patch: Partial<RouteInput> = { ...routeInputFrom(o) };
        if (o.pattern) patch.pattern = o.pattern;
        if (o.app) patch.app = o.app;
        validate({
          name,
          pattern: old.pattern,
          callerId: old.callerId,
          app: old.app,
          appData: old.appData,
          targets: old.targets,
          windows: old.windows,
          failoverOn: old.failoverOn,
          rewriteStrip: old.rewriteStrip,
          rewritePrepend: old.rewritePrepend,
          ...patch,
        });
        await store.routes.update(name, patch);
        print(`route ${name} updated`);
      }),
    );
  common(routes.command('remove').argument('<name>')).action((name: string, o: CommonOptions) =>
    withStore(o, async (store) => {
      if (!(await store.routes.remove(name))) throw new UsageError(`route ${name} not found`);
      print(`route ${name} removed`);
    }),
  );

  const exts = router.command('extensions').description('list, add, update and remove extensions');
  common(exts.command('list')).action((o: CommonOptions) =>
    withStore(o, async (store) => {
      const held = await store.permissions.list();
      const rows = [['NUMBER', 'NAME', 'ROUTES WITHOUT PIN']];
      for (const e of await store.extensions.list()) {
        rows.push([
          e.number,
          e.name,
          held
            .filter((p) => p.extension === e.number)
            .map((p) => p.route)
            .join(', '),
        ]);
      }
      print(table(rows));
    }),
  );
  common(exts.command('add').argument('<number>'))
    .option('--name <name>', 'display name', '')
    .action((number: string, o: CommonOptions & { name: string }) =>
      withStore(o, async (store) => {
        await store.extensions.create({ number, name: o.name });
        print(`extension ${number} added`);
      }),
    );
  common(exts.command('update').argument('<number>'))
    .requiredOption('--name <name>', 'display name')
    .action((number: string, o: CommonOptions & { name: string }) =>
      withStore(o, async (store) => {
        await store.extensions.update(number, { name: o.name });
        print(`extension ${number} updated`);
      }),
    );
  common(exts.command('remove').argument('<number>')).action((number: string, o: CommonOptions) =>
    withStore(o, async (store) => {
      if (!(await store.extensions.remove(number))) throw new UsageError(`extension ${number} not found`);
      print(`extension ${number} removed`);
    }),
  );

  const users = router.command('users').description('list, add and remove users; set their PIN');
  common(users.command('list')).action((o: CommonOptions) =>
    withStore(o, async (store) => {
      const held = await store.permissions.list();
      const rows = [['NAME', 'ROUTES UNLOCKED BY PIN']];
      for (const u of await store.users.list()) {
        rows.push([
          u.name,
          held
            .filter((p) => p.user === u.name)
            .map((p) => p.route)
            .join(', '),
        ]);
      }
      print(table(rows));
    }),
  );
  const pinOptions = (c: Command) =>
    c
      .option('--pin <digits>', 'the PIN (visible in the process list: prefer --pin-stdin)')
      .option('--pin-stdin', 'read the PIN from stdin');
  pinOptions(common(users.command('add').argument('<name>'))).action(
    (name: string, o: CommonOptions & { pin?: string; pinStdin?: boolean }) =>
      withStore(o, async (store) => {
        await store.users.create({ name, pinHash: await hashPin(await readPin(o)) });
        print(`user ${name} added`);
      }),
  );
  pinOptions(common(users.command('set-pin').argument('<name>'))).action(
    (name: string, o: CommonOptions & { pin?: string; pinStdin?: boolean }) =>
      withStore(o, async (store) => {
        await store.users.setPinHash(name, await hashPin(await readPin(o)));
        print(`PIN of ${name} changed`);
      }),
  );
  common(users.command('remove').argument('<name>')).action((name: string, o: CommonOptions) =>
    withStore(o, async (store) => {
      if (!(await store.users.remove(name))) throw new UsageError(`user ${name} not found`);
      print(`user ${name} removed`);
    }),
  );

  const perms = router
    .command('permissions')
    .description('which extension may use a route, which user a PIN unlocks it for');
  common(perms.command('list')).action((o: CommonOptions) =>
    withStore(o, async (store) => {
      const rows = [['ROUTE', 'HOLDER']];
      for (const p of await store.permissions.list())
        rows.push([p.route, p.extension !== null ? `extension ${p.extension}` : `user ${p.user}`]);
      print(table(rows));
    }),
  );
  const holder = (c: Command) =>
    c.option('--extension <number>', 'an extension').option('--user <name>', 'a user');
  const holderOf = (o: { extension?: string; user?: string }) => {
    if ((o.extension === undefined) === (o.user === undefined))
      throw new UsageError('give exactly one of --extension or --user');
    return o.extension !== undefined ? { extension: o.extension } : { user: o.user as string };
  };
  holder(common(perms.command('grant').argument('<route>'))).action(
    (route: string, o: CommonOptions & { extension?: string; user?: string }) =>
      withStore(o, async (store) => {
        await store.permissions.grant({ route, ...holderOf(o) });
        print(`granted ${route}`);
      }),
  );
  holder(common(perms.command('revoke').argument('<route>'))).action(
    (route: string, o: CommonOptions & { extension?: string; user?: string }) =>
      withStore(o, async (store) => {
        if (!(await store.permissions.revoke({ route, ...holderOf(o) })))
          throw new UsageError('no such permission');
        print(`revoked ${route}`);
      }),
  );

  common(router.command('export'))
    .description('write the rules as YAML (PIN hashes only)')
    .option('--out <file>', 'write to a file instead of stdout')
    .action((o: CommonOptions & { out?: string }) =>
      withStore(o, async (store) => {
        const text = formatRulesFile(await exportRules(store));
        if (o.out) writeFileSync(o.out, text, { mode: 0o600 });
        else print(text);
      }),
    );
  common(router.command('import').argument('<file>'))
    .description('replace the rules with a YAML file (validated first; nothing changes if a row is bad)')
    .action((file: string, o: CommonOptions) =>
      withStore(o, async (store) => {
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (err) {
          throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
        }
        const rules = parseRulesFile(text);
        await importRules(store, rules);
        print(
          `imported ${rules.routes.length} routes, ${rules.extensions.length} extensions, ${rules.users.length} users`,
        );
      }),
    );

  common(router.command('explain').argument('<dialed>'))
    .description('dry run: which route wins for this call and why')
    .option('--caller <number>', 'caller ID / extension of the caller', '')
    .option('--at <time>', 'when the call happens (ISO 8601; default now)')
    .option('--json', 'print JSON')
    .action((dialed: string, o: CommonOptions & { caller: string; at?: string; json?: boolean }) =>
      withStore(o, async (store, cfg) => {
        const at = o.at ? new Date(o.at) : new Date();
        if (Number.isNaN(at.getTime()))
          throw new UsageError(`--at ${JSON.stringify(o.at)} is not a date (use ISO 8601)`);
        const rules = await loadRuleSet(store);
        const e = explain(rules, dialed, o.caller, at);
        print(o.json ? JSON.stringify(e, null, 2) : formatExplanation(e, cfg));
      }),
    );
  common(router.command('check'))
    .description(
      'static checks: bad rows, shadowed routes, routes that never win, overlapping windows, idle extensions',
    )
    .option('--json', 'print JSON')
    .action((o: CommonOptions & { json?: boolean }) =>
      withStore(o, async (store) => {
        const findings = checkRules(await loadRuleSet(store));
        if (o.json) print(JSON.stringify(findings, null, 2));
        else if (findings.length === 0) print('no findings');
        else for (const f of findings) print(`${f.level.padEnd(7)} ${f.rows.join(', ')}: ${f.message}`);
        if (findings.some((f) => f.level === 'error')) process.exitCode = EXIT.errorResponse;
      }),
    );
  common(router.command('log'))
    .description('the latest routed calls')
    .option('--limit <n>', 'how many', '20')
    .action((o: CommonOptions & { limit: string }) =>
      withStore(o, async (store) => {
        const rows = [
          ['TIME', 'UNIQUEID', 'CALLER', 'DIALED', 'ROUTE', 'OUTCOME', 'PIN TRIES', 'TARGET', 'USER'],
        ];
        for (const e of await store.callLog.list({ limit: Number.parseInt(o.limit, 10) || 20 })) {
          rows.push([
            e.at,
            e.uniqueid,
            e.caller,
            e.dialed,
            e.route ?? '',
            e.outcome,
            String(e.attempts),
            e.target ?? '',
            e.userName ?? '',
          ]);
        }
        print(table(rows));
      }),
    );
}
