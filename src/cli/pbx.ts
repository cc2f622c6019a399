/**
 * `switchboard pbx watch --url … [--url …] [--snapshot]`: the live model's change events as JSON lines;
 * `switchboard pbx snapshot --url …`: the current model of every server once, as JSON. Exit status: 0 success,
 * 2 connection or login failure (one stderr line naming the cause, never the secret).
 */
import type { Command } from 'commander';
import { AmiClient } from '../ami/index.js';
import { type PbxChange, PbxMonitor } from '../pbx/index.js';
import { CliUsageError, failureLine, secretsOf } from './failure.js';
import { EXIT } from './program.js';

/** Options of `switchboard pbx`. */
interface PbxCliOptions {
  url: string[];
  md5?: boolean;
  snapshot?: boolean;
  timeout?: string;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** A server id from its URL: `host:port` (never the credentials); repeats get `#2`, `#3`… */
export function serverIds(urls: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return urls.map((u) => {
    let id: string;
    try {
      const p = new URL(u);
      id = `${p.hostname}:${p.port || (p.protocol === 'amis:' ? '5039' : p.protocol.startsWith('http') ? '8088' : '5038')}`;
    } catch {
      throw new CliUsageError(`not a URL: ${JSON.stringify(u.replace(/\/\/[^@/]*@/, '//***@'))}`);
    }
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    return n === 1 ? id : `${id}#${n}`;
  });
}

function fail(err: unknown, secrets: readonly string[]): void {
  process.stderr.write(failureLine('pbx', err, secrets));
}

function write(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Connects every URL, runs `body` with a started monitor, and always closes everything. */
async function withMonitor(
  opts: PbxCliOptions,
  watch: boolean,
  body: (monitor: PbxMonitor, clients: AmiClient[]) => Promise<number>,
): Promise<void> {
  const urls = opts.url.length
    ? opts.url
    : process.env.SWITCHBOARD_AMI_URL
      ? [process.env.SWITCHBOARD_AMI_URL]
      : [];
  const secrets = secretsOf(urls);
  const clients: AmiClient[] = [];
  let monitor: PbxMonitor | undefined;
  try {
    if (urls.length === 0)
      throw new CliUsageError('no AMI URL: pass --url (repeatable) or set SWITCHBOARD_AMI_URL');
    const timeout = opts.timeout === undefined ? undefined : Number(opts.timeout);
    if (timeout !== undefined && !(timeout > 0))
      throw new CliUsageError('--timeout must be a positive number of ms');
    const ids = serverIds(urls);
    for (const url of urls) {
      const c = new AmiClient({
        url,
        md5: opts.md5 === true,
        reconnect: watch ? {} : false,
        keepalive: watch ? {} : false,
        ...(timeout === undefined ? {} : { actionTimeout: timeout, connectTimeout: timeout }),
      });
      c.on('error', () => {}); // failures surface through connect() and the `closed` state
      clients.push(c);
    }
    monitor = new PbxMonitor(
      ids.map((id, i) => ({ id, client: clients[i]! })),
      { kpiEveryMs: watch ? 10_000 : 0 },
    );
    monitor.on('error', (e) => fail(e, secrets));
    await Promise.all(clients.map((c) => c.connect()));
    process.exitCode = await body(monitor, clients);
  } catch (err) {
    fail(err, secrets);
    process.exitCode = EXIT.connection;
  } finally {
    await monitor?.close();
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
  }
}

/** Prints changes until a signal arrives or every link is closed for good. */
function watchChanges(monitor: PbxMonitor, clients: AmiClient[], snapshotFirst: boolean): Promise<number> {
  return new Promise<number>((resolve) => {
    let held: PbxChange[] | undefined = snapshotFirst ? [] : undefined;
    let finished = false;
    const finish = (code: number) => {
      if (finished) return;
      finished = true;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(code);
    };
    const onSignal = () => finish(EXIT.ok);
    monitor.on('change', (c) => {
      if (finished) return;
      if (held) held.push(c);
      else write(JSON.stringify(c));
    });
    for (const c of clients) {
      c.on('state', (s) => {
        if (s === 'closed' && clients.every((x) => x.state === 'closed')) {
          process.stderr.write('switchboard pbx: every connection to Asterisk is closed\n');
          finish(EXIT.connection);
        }
      });
    }
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.stdout.on('error', () => finish(EXIT.ok)); // reader went away (e.g. `| head`)
    monitor.start();
    if (held) {
      monitor.ready().then(
        () => {
          // The snapshot already holds what the first re-snapshot's changes describe; later ones follow it.
          const seqs = new Map(monitor.snapshot().map((s) => [s.server, s.seq]));
          write(JSON.stringify({ type: 'snapshot', servers: monitor.snapshot() }));
          for (const c of held ?? []) if (c.seq > (seqs.get(c.server) ?? 0)) write(JSON.stringify(c));
          held = undefined;
        },
        () => finish(EXIT.connection),
      );
    }
  });
}

/** Adds `switchboard pbx`. */
export function registerPbx(program: Command): void {
  const pbx = program
    .command('pbx')
    .description(
      'the live model of one or many Asterisk servers: channels, calls, bridges, queues, endpoints',
    );
  const common = (c: Command) =>
    c
      .option(
        '--url <url>',
        'ami://user:secret@host:5038 (repeat for several servers); default $SWITCHBOARD_AMI_URL',
        collect,
        [],
      )
      .option('--md5', 'log in with the MD5 challenge instead of sending the secret')
      .option('--timeout <ms>', 'connect and action timeout in milliseconds (default 10000)');
  common(
    pbx
      .command('watch')
      .description(
        'print change events (channel, call, bridge, queue, member, caller, endpoint, record, kpi) as JSON lines',
      )
      .option('--snapshot', 'print the whole model first, as one {"type":"snapshot"} line'),
  )
    .addHelpText(
      'after',
      '\nExample:\n  switchboard pbx watch --url ami://admin:secret@pbx1:5038 --url ami://admin:secret@pbx2:5038 --snapshot',
    )
    .action(async (opts: PbxCliOptions) => {
      await withMonitor(opts, true, (monitor, clients) =>
        watchChanges(monitor, clients, opts.snapshot === true),
      );
    });
  common(
    pbx.command('snapshot').description('print the current model of every server once, as JSON, and exit'),
  ).action(async (opts: PbxCliOptions) => {
    await withMonitor(opts, false, async (monitor) => {
      monitor.start();
      await monitor.ready();
      write(JSON.stringify({ servers: monitor.snapshot(), kpis: monitor.kpis() }, null, 2));
      return EXIT.ok;
    });
  });
}
