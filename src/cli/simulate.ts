/**
 * `switchboard simulate`: runs the simulated PBX (`SimulatedPbx` from `switchboard/testing`) on a real AMI
 * socket until SIGINT/SIGTERM — for trying Switchboard, its apps and your own AMI code without an Asterisk.
 * Prints the AMI URL without the secret. Exit status: 0 stopped cleanly, 1 bad input, 2 could not listen.
 */
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { EXIT } from './program.js';

/** The options of `switchboard simulate`. */
interface SimulateOptions {
  host: string;
  port: string;
  user: string;
  secret?: string;
  seed?: string;
  speed?: string;
  callsPerMinute?: string;
  answerRatio?: string;
  traffic: boolean;
  fastagi?: string;
  logFile?: string;
}

/** Bad command-line input. */
class SimulateUsageError extends Error {
  readonly code = 'CLI_USAGE';
}

function num(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new SimulateUsageError(`--${name} must be a number from ${min} to ${max}`);
  return n;
}

function hostPort(v: string | undefined): { host: string; port: number } | undefined {
  if (v === undefined) return undefined;
  const m = /^([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(v);
  const port = Number(m?.[2]);
  if (!m || port < 1 || port > 65535) throw new SimulateUsageError('--fastagi must be host:port');
  return { host: (m[1] ?? '').replace(/^\[|\]$/g, ''), port };
}

async function simulate(o: SimulateOptions): Promise<void> {
  let stop: () => void = () => {};
  try {
    if (/[\u0000-\u001f\u007f]/.test(`${o.user}${o.secret ?? ''}`))
      throw new SimulateUsageError('--user and --secret may not hold control characters');
    const port = num('port', o.port, 0, 65535) ?? 5038;
    const speed = num('speed', o.speed, 0.01, 10_000);
    const seed = num('seed', o.seed, 0, 2 ** 31);
    const cpm = num('calls-per-minute', o.callsPerMinute, 0.01, 100_000);
    const ratio = num('answer-ratio', o.answerRatio, 0, 1);
    const fastAgi = hostPort(o.fastagi);
    const secret = o.secret ?? randomBytes(12).toString('base64url');
    const { SimulatedPbx } = await import('../testing/index.js');
    const stopped = new Promise<void>((resolve) => {
      stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    const pbx = await SimulatedPbx.start({
      host: o.host,
      port,
      users: { [o.user]: secret },
      ...(seed !== undefined ? { seed } : {}),
      ...(speed !== undefined ? { speed } : {}),
      traffic: o.traffic
        ? {
            ...(cpm !== undefined ? { callsPerMinute: cpm } : {}),
            ...(ratio !== undefined ? { answerRatio: ratio } : {}),
          }
        : false,
      ...(fastAgi ? { fastAgi } : {}),
      ...(o.logFile ? { logFile: o.logFile } : {}),
    });
    pbx.on('error', (e) => process.stderr.write(`switchboard simulate: ${e.message}\n`));
    process.stdout.write(
      `Simulated PBX listening at ${pbx.publicUrl} (user ${o.user}${o.secret ? '' : ', secret printed on stderr'})${o.traffic ? '' : ' — no traffic'}\n`,
    );
    // A generated secret goes to stderr only, so stdout (which logs keep) never holds it.
    if (!o.secret) process.stderr.write(`secret: ${secret}\n`);
    await stopped;
    await pbx.close();
    process.stdout.write('Simulated PBX stopped\n');
  } catch (err) {
    stop();
    const e = err as { message?: string; code?: string };
    process.stderr.write(
      `switchboard simulate: ${e.message ?? String(err)}${e.code ? ` [${e.code}]` : ''}\n`,
    );
    process.exitCode = err instanceof SimulateUsageError ? EXIT.errorResponse : EXIT.connection;
  }
}

/** Adds `switchboard simulate`. */
export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description(
      'run a simulated Asterisk (AMI, AsyncAGI, FastAGI to your router, log lines, seeded traffic) until Ctrl-C',
    )
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'AMI port (0 = any free port)', '5038')
    .option('--user <name>', 'manager user', 'admin')
    .option('--secret <secret>', 'manager secret (default: a random one, printed on stderr)')
    .option('--seed <n>', 'seed of every random choice')
    .option('--speed <x>', 'simulated time runs this many times faster')
    .option('--calls-per-minute <n>', 'new calls per simulated minute')
    .option('--answer-ratio <r>', 'share of calls answered (0–1)')
    .option('--no-traffic', 'no background calls (drive it yourself over AMI)')
    .option('--fastagi <host:port>', "where the dialplan's AGI(agi://…) calls go (your router)")
    .option('--log-file <path>', 'append Asterisk-format log lines to this file')
    .action((o: SimulateOptions) => simulate(o));
}
