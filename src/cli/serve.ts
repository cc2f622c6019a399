/**
 * `switchboard serve`: the whole platform (API, live push, room services, web UI). With `--demo` and no PBX
 * configured (what `npm start` runs) it also starts the simulated PBX and the call router on loopback, and
 * demo users whose credentials it prints.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import pino from 'pino';
import {
  ConfigError,
  loadConfig,
  type RunningServer,
  type ServerConfig,
  startServer,
} from '../server/index.js';
import { CliUsageError, failureLine, secretsOf } from './failure.js';

/** Options shared by `serve`, `users` and `tokens`. */
export interface ServeCommonOptions {
  config?: string;
  db?: string;
}

interface ServeOptions extends ServeCommonOptions {
  host?: string;
  port?: string;
  ami?: string[];
  demo?: boolean;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** `--config`/`--db` (+ serve's own flags) → the validated configuration. */
export function configFrom(o: ServeOptions, extra: Record<string, unknown> = {}): ServerConfig {
  const flags: Record<string, unknown> = {};
  if (o.db) flags.db = o.db;
  const http: Record<string, unknown> = {};
  if (o.host) http.host = o.host;
  if (o.port !== undefined) {
    const port = Number(o.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new CliUsageError(`--port: not a port number: ${o.port}`);
    http.port = port;
  }
  if (Object.keys(http).length) flags.http = http;
  if (o.ami?.length) flags.pbx = o.ami.map((ami) => ({ ami }));
  return loadConfig({ ...(o.config ? { file: o.config } : {}), flags: { ...flags, ...extra } });
}

function report(command: string, err: unknown, secrets: string[]): void {
  if (err instanceof ConfigError) process.stderr.write(`switchboard ${command}: ${err.message}\n`);
  else process.stderr.write(failureLine(command, err, secrets));
  process.exitCode = err instanceof CliUsageError || err instanceof ConfigError ? 2 : 1;
}

/** Resolves on SIGINT/SIGTERM (the handlers go in before anything is printed). */
function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (sig: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(sig);
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}

interface DemoCredentials {
  admin: string;
  operator: string;
  agent: string;
  amiSecret: string;
  /** Seals the phones' SIP secrets in the database (`phones.secretKey`). */
  phonesKey: string;
}

/** The demo's credentials: made once (random), kept in `.switchboard/demo-credentials.json` (mode 0600). */
function demoCredentials(dir: string): DemoCredentials {
  const file = join(dir, 'demo-credentials.json');
  const pw = () => randomBytes(9).toString('base64url');
  const key = () => randomBytes(32).toString('base64url');
  // Kept values win (the demo users already have those passwords); what a file from an older version lacks is added.
  const old = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<DemoCredentials>) : {};
  const creds: DemoCredentials = {
    admin: old.admin ?? pw(),
    operator: old.operator ?? pw(),
    agent: old.agent ?? pw(),
    amiSecret: old.amiSecret ?? pw(),
    phonesKey: old.phonesKey ?? key(),
  };
  if (JSON.stringify(creds) === JSON.stringify(old)) return creds;
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return creds;
}

interface Demo {
  /** The simulated PBX, as a `pbx:` entry of the config. */
  pbx: Record<string, unknown>;
  creds: DemoCredentials;
  close(): Promise<void>;
}

/** Starts the simulated PBX and the router on loopback and points the config at them. */
async function startDemo(config: ServerConfig): Promise<Demo> {
  const dir = './.switchboard';
  const creds = demoCredentials(dir);
  // The CLI wires the demo; the server never imports the test kit.
  const { SimulatedPbx } = await import('../testing/index.js');
  const { RouterServer, loadDemo, parseRouterConfig } = await import('../router/index.js');
  const { openStore } = await import('../store/index.js');
  const routerStore = await openStore({ url: config.db });
  await loadDemo(routerStore);
  const routerConfig = parseRouterConfig({ db: config.db, listen: { host: '127.0.0.1', port: 0 } });
  const routerLog = pino({ level: 'warn' }, pino.destination(2));
  const router = new RouterServer({ store: routerStore, config: routerConfig, logger: routerLog });
  const fastAgi = await router.listen();
  const logFile = join(dir, 'asterisk-sim.log');
  const sim = await SimulatedPbx.start({
    users: { switchboard: creds.amiSecret },
    seed: Date.now() % 100_000,
    traffic: { callsPerMinute: 20 },
    fastAgi: { host: fastAgi.host, port: fastAgi.port },
    logFile,
  });
  // Something to look at from the first second: one call between two office phones.
  try {
    sim.placeCall({ from: 'alonso', to: '188', talkMs: 45_000 });
  } catch {
    // a customised simulator without these phones: the traffic generator still runs
  }
  return {
    pbx: {
      id: 'sim',
      name: 'Demo office',
      ami: sim.url('switchboard'),
      simulated: true,
      clickToDial: { channel: 'PJSIP/$' + '{from}', context: 'oficina2', timeout: 30 },
      // The log console follows the simulator's Asterisk-format log.
      logs: { file: logFile, fromStart: true },
    },
    creds,
    async close() {
      await sim.close();
      await router.close({ deadline: 2000 });
      await routerStore.close();
    },
  };
}

async function ensureDemoUsers(server: RunningServer, creds: DemoCredentials): Promise<void> {
  const auth = server.context.auth;
  const users = [
    { name: 'admin', role: 'admin' as const, password: creds.admin, extensions: [] },
    { name: 'operator', role: 'operator' as const, password: creds.operator, extensions: ['manuel'] },
    { name: 'agent', role: 'agent' as const, password: creds.agent, extensions: ['reina'] },
  ];
  // The printed credentials always work: a demo user that exists (from an older demo) gets them again.
  for (const u of users) {
    if (!(await auth.accounts.findByName(u.name))) await auth.createAccount(u);
    else await auth.setPassword(u.name, u.password);
  }
}

async function serve(o: ServeOptions): Promise<void> {
  let server: RunningServer | undefined;
  let demo: Demo | undefined;
  const secrets = secretsOf(o.ami ?? []);
  try {
    const opts = { ...o, ...(o.port === undefined && process.env.PORT ? { port: process.env.PORT } : {}) };
    let config = configFrom(opts);
    for (const p of config.pbx) secrets.push(...secretsOf([p.ami]));
    if (o.demo && config.pbx.length === 0) {
      demo = await startDemo(config);
      config = configFrom(opts, {
        pbx: [demo.pbx],
        phones: { driver: 'pjsip', secretKey: demo.creds.phonesKey },
      });
    }
    const stopped = untilSignal();
    server = await startServer({ config, ...(o.config ? { configFile: o.config } : {}) });
    const base = `${server.url.replace('http://localhost', 'http://127.0.0.1')}/`;
    if (demo) {
      await ensureDemoUsers(server, demo.creds);
      process.stdout.write(
        `Switchboard is running at ${base} (simulated PBX) — demo login: admin / ${demo.creds.admin}\n`,
      );
      process.stdout.write(
        `  also: operator / ${demo.creds.operator}, agent / ${demo.creds.agent} (in .switchboard/demo-credentials.json)\n`,
      );
    } else {
      process.stdout.write(`Switchboard is running at ${base}\n`);
      if ((await server.context.auth.accounts.count()) === 0) {
        process.stdout.write(
          `No user exists yet. Create the first admin:\n  switchboard users add admin --role admin --password-stdin${o.config ? ` --config ${o.config}` : ''}${o.db ? ` --db ${o.db}` : ''}\n`,
        );
      }
    }
    process.stdout.write('Press Ctrl-C to stop.\n');
    await stopped;
    process.stdout.write('switchboard: stopping (finishing requests, flushing history)\n');
    await server.close();
    await demo?.close();
  } catch (err) {
    report('serve', err, secrets);
    await server?.close().catch(() => {});
    await demo?.close().catch(() => {});
  }
}

/** Adds `serve`. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the API, the live push and the web UI for the configured PBXs')
    .option('--config <file>', 'YAML configuration file')
    .option('--db <file|url>', 'SQLite file or postgres:// URL (default ./.switchboard/switchboard.sqlite)')
    .option('--host <address>', 'bind address (default 127.0.0.1)')
    .option('--port <port>', 'TCP port (default 8080, or $PORT)')
    .option('--ami <url>', 'a PBX to connect to, ami://user:secret@host:5038 (repeat for several)', collect)
    .option(
      '--demo',
      'with no PBX configured: start the simulated PBX, the router and demo users (npm start)',
    )
    .action(serve);
}
