/**
 * `switchboard agi serve <module>`: serves a user module (exporting an AgiRouter or a handler) over FastAGI,
 * logging one line per call. SIGINT/SIGTERM shut down gracefully (live calls get `--deadline` ms).
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import pino from 'pino';
import { type AgiHandler, AgiRouter, createFastAgiServer } from '../agi/index.js';
import { EXIT } from './program.js';

/** Options of `switchboard agi serve`. */
interface ServeOptions {
  host: string;
  port: string;
  allow?: string;
  maxSessions?: string;
  deadline: string;
  logLevel: string;
}

/** What a served module may export: `router`, `handler`, or either as `default`. */
export type AgiModuleTarget = { router: AgiRouter } | { handler: AgiHandler };

/** Finds the router or handler a user module exports (`router`, `handler`, or `default`). */
export function agiTargetOf(mod: Record<string, unknown>): AgiModuleTarget {
  for (const key of ['router', 'default', 'handler']) {
    const v = mod[key];
    if (v instanceof AgiRouter) return { router: v };
    // A router from another copy of the package: duck-typed.
    if (v && typeof v === 'object' && typeof (v as AgiRouter).handle === 'function')
      return { router: v as AgiRouter };
    if (typeof v === 'function') return { handler: v as AgiHandler };
  }
  throw new TypeError(
    'the module exports neither a router nor a handler (export `router`, `handler` or `default`)',
  );
}

function int(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new TypeError(`--${name} must be a non-negative integer, got ${value}`);
  return n;
}

async function serve(modulePath: string, opts: ServeOptions): Promise<void> {
  const logger = pino({ level: opts.logLevel, base: undefined });
  let target: AgiModuleTarget;
  let port: number;
  let deadline: number;
  try {
    port = int('port', opts.port);
    // Checked now, not at SIGTERM: a bad value must not surface as a crash during shutdown.
    deadline = int('deadline', opts.deadline);
    const file = isAbsolute(modulePath) ? modulePath : resolve(process.cwd(), modulePath);
    target = agiTargetOf((await import(pathToFileURL(file).href)) as Record<string, unknown>);
  } catch (err) {
    process.stderr.write(`switchboard agi serve: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = EXIT.connection;
    return;
  }
  const server = createFastAgiServer({
    ...target,
    host: opts.host,
    port,
    logger,
    ...(opts.allow ? { allow: opts.allow.split(',').map((s) => s.trim()) } : {}),
    ...(opts.maxSessions ? { maxSessions: int('max-sessions', opts.maxSessions) } : {}),
  });
  try {
    const a = await server.listen();
    process.stderr.write(
      `FastAGI on ${a.host}:${a.port} — dialplan: AGI(agi://${a.host}:${a.port}/<path>)\n`,
    );
  } catch (err) {
    process.stderr.write(
      `switchboard agi serve: cannot listen: ${err instanceof Error ? err.message : err}\n`,
    );
    process.exitCode = EXIT.connection;
    return;
  }
  await new Promise<void>((resolveStop) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close({ deadline }).then(resolveStop);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** Adds `switchboard agi …` to the program. */
export function registerAgi(program: Command): void {
  const agi = program.command('agi').description('AGI tools: serve a FastAGI router or handler');
  agi
    .command('serve')
    .description('serve a module exporting an AgiRouter (`router`/`default`) or a handler over FastAGI')
    .argument('<module>', 'path of the module (.js, or .ts when run through tsx)')
    .option('--host <host>', 'address to bind (FastAGI has no authentication)', '127.0.0.1')
    .option('--port <port>', 'TCP port', '4573')
    .option('--allow <list>', 'comma-separated client addresses/CIDRs allowed to connect')
    .option('--max-sessions <n>', 'refuse calls beyond this many concurrent sessions')
    .option('--deadline <ms>', 'on SIGINT/SIGTERM, how long live calls may continue', '10000')
    .option('--log-level <level>', 'pino log level (one line per call at info)', 'info')
    .action((modulePath: string, opts: ServeOptions) => serve(modulePath, opts));
}
