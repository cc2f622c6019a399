/**
 * `switchboard ari <METHOD> <path> [key=value ...]` and `switchboard ari events --app NAME`: one ARI request printed
 * as JSON, or the events of one or more Stasis applications as JSON lines. Exit status: 0 success, 1 error response,
 * 2 connection/authentication failure or bad usage (one line on stderr naming the cause, never the password).
 */
import type { Command } from 'commander';
import { AriClient, AriHttpError, type AriMethod, type AriQuery } from '../ari/index.js';
import { CliUsageError, scrub, secretsOf } from './failure.js';
import { EXIT } from './program.js';

/** Where the command writes (process streams in the CLI; buffers in tests). */
export interface AriCliIo {
  /** Writes to standard output. */
  out(text: string): void;
  /** Writes to standard error. */
  err(text: string): void;
}

const processIo: AriCliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

/** Options of `switchboard ari`. */
export interface AriCliOptions {
  url?: string;
  app?: string[];
  subscribeAll?: boolean;
  timeout?: string;
  count?: string;
  body?: string;
  reconnect?: boolean;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE']);

/** Turns `key=value` words into query parameters; `variables.NAME=value` goes to the JSON body's `variables`. */
export function parseAriParams(words: readonly string[]): {
  query: AriQuery;
  variables?: Record<string, string>;
} {
  const query: Record<string, string> = {};
  let variables: Record<string, string> | undefined;
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq <= 0) throw new CliUsageError(`expected key=value, got ${JSON.stringify(w)}`);
    const key = w.slice(0, eq);
    const value = w.slice(eq + 1);
    if (key.startsWith('variables.') && key.length > 10) {
      variables ??= {};
      variables[key.slice(10)] = value;
    } else {
      // A repeated key becomes ARI's comma list (e.g. channel=a channel=b).
      query[key] = key in query ? `${query[key]},${value}` : value;
    }
  }
  return variables ? { query, variables } : { query };
}

/** One stderr line, secrets masked. */
function line(text: string, secrets: readonly string[]): string {
  return `switchboard ari: ${scrub(text.split('\n')[0] ?? '', secrets)}\n`;
}

/** Exit status for a failure: 1 for an error response from Asterisk, 2 for everything else (401 included). */
function exitFor(err: unknown): number {
  return err instanceof AriHttpError && err.status !== 401 ? EXIT.errorResponse : EXIT.connection;
}

function describe(err: unknown): string {
  if (err instanceof AriHttpError) {
    const what = `${err.status} ${err.statusText}${err.asteriskMessage ? `: ${err.asteriskMessage}` : ''}`;
    return `${err.request.method} ${err.request.path} -> ${what} [${err.code}]`;
  }
  if (err instanceof Error) {
    const code = 'code' in err && typeof err.code === 'string' ? ` [${err.code}]` : '';
    return `${err.message}${code}`;
  }
  return String(err);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * Prints events as JSON lines until `count` events, a signal, or (without reconnect) a lost link. `cancel()` removes
 * every listener it added (used when the first connect fails, so nothing stays on `process`).
 */
function runEvents(
  ari: AriClient,
  opts: AriCliOptions,
  secrets: readonly string[],
  io: AriCliIo,
): { done: Promise<number>; cancel: () => void } {
  const max = opts.count === undefined ? Number.POSITIVE_INFINITY : Number(opts.count);
  let cancel: () => void = () => {};
  const done = new Promise<number>((resolve) => {
    let printed = 0;
    let finished = false;
    const offs: Array<() => void> = [];
    const finish = (code: number) => {
      if (finished) return;
      finished = true;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      for (const off of offs) off();
      resolve(code);
    };
    const onSignal = () => finish(EXIT.ok);
    offs.push(
      ari.on('event', (e) => {
        if (finished) return;
        io.out(`${JSON.stringify(e)}\n`);
        if (++printed >= max) finish(EXIT.ok);
      }),
      ari.on('gap', (g) => {
        io.err(
          line(`reconnected; events may have been missed for ${g.durationMs} ms (${g.reason})`, secrets),
        );
      }),
      ari.on('replaced', (r) => {
        io.err(line(`application ${r.application} was taken by another connection`, secrets));
      }),
      ari.on('state', (s) => {
        if (s === 'closed' && !finished) {
          io.err(line('events connection to Asterisk closed', secrets));
          finish(EXIT.connection);
        }
      }),
    );
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    if (io === processIo) process.stdout.on('error', () => finish(EXIT.ok)); // reader went away (e.g. `| head`)
    cancel = () => finish(EXIT.connection);
  });
  return { done, cancel };
}

/** Adds `switchboard ari`. */
export function registerAri(program: Command): void {
  program
    .command('ari')
    .description(
      'send one ARI request and print the JSON reply, or `ari events --app NAME` to print events as JSON lines',
    )
    .argument('<method>', 'GET, POST, PUT or DELETE, or "events"')
    .argument('[path]', 'resource path below /ari, e.g. /channels or /asterisk/info')
    .argument('[params...]', 'parameters as key=value (query); variables.NAME=value goes in the JSON body')
    .option(
      '--url <url>',
      'http://user:password@host:8088/asterisk (http.conf prefix included); default $SWITCHBOARD_ARI_URL',
    )
    .option('--app <name>', 'events: Stasis application to register (repeatable)', collect, [])
    .option('--subscribe-all', 'events: subscribe to every channel, bridge, endpoint and device state')
    .option('--count <n>', 'events: exit after printing this many events')
    .option('--no-reconnect', 'events: exit (status 2) instead of reconnecting when the link drops')
    .option('--body <json>', 'request: JSON body to send (merged with variables.*)')
    .option('--timeout <ms>', 'request timeout in milliseconds (default 10000)')
    .addHelpText(
      'after',
      '\nExit status: 0 success, 1 error response, 2 connection or authentication failure.\nExamples:\n  switchboard ari GET /asterisk/info\n  switchboard ari POST /channels endpoint=PJSIP/alice app=ivr variables.CAMPAIGN=spring\n  switchboard ari events --app ivr --app dialer',
    )
    .action(async (method: string, path: string | undefined, words: string[], opts: AriCliOptions) => {
      process.exitCode = await runAriCommand(method, path, words, opts);
    });
}

/** Runs `switchboard ari …` and resolves with its exit status (0, 1 or 2). */
export async function runAriCommand(
  method: string,
  path: string | undefined,
  words: readonly string[],
  opts: AriCliOptions,
  io: AriCliIo = processIo,
): Promise<number> {
  const url = opts.url ?? process.env.SWITCHBOARD_ARI_URL;
  const secrets = secretsOf([url]);
  let ari: AriClient | undefined;
  try {
    if (!url) throw new CliUsageError('no ARI URL: pass --url or set SWITCHBOARD_ARI_URL');
    const timeout = opts.timeout === undefined ? undefined : Number(opts.timeout);
    if (timeout !== undefined && !(timeout > 0))
      throw new CliUsageError('--timeout must be a positive number of ms');
    if (method.toLowerCase() === 'events') {
      const apps = opts.app ?? [];
      if (path !== undefined)
        throw new CliUsageError(`ari events takes no path (got ${JSON.stringify(path)})`);
      if (apps.length === 0) throw new CliUsageError('ari events needs at least one --app NAME');
      if (opts.count !== undefined && !(Number.isInteger(Number(opts.count)) && Number(opts.count) > 0)) {
        throw new CliUsageError('--count must be a positive integer');
      }
      ari = new AriClient({
        url,
        apps,
        subscribeAll: opts.subscribeAll === true,
        reconnect: opts.reconnect === false ? false : undefined,
        ...(timeout === undefined ? {} : { connectTimeoutMs: timeout }),
      });
      ari.on('error', () => {}); // reconnect failures are retried; the first connect() reports its own
      const events = runEvents(ari, opts, secrets, io);
      try {
        await ari.connect();
      } catch (err) {
        events.cancel();
        throw err;
      }
      return await events.done;
    }
    const verb = method.toUpperCase();
    if (!METHODS.has(verb))
      throw new CliUsageError(`method must be GET, POST, PUT, DELETE or events, got ${method}`);
    if (!path) throw new CliUsageError('missing resource path (e.g. /channels)');
    const { query, variables } = parseAriParams(words);
    let body: Record<string, unknown> | undefined;
    if (opts.body !== undefined) {
      try {
        body = JSON.parse(opts.body) as Record<string, unknown>;
      } catch {
        throw new CliUsageError('--body is not valid JSON');
      }
    }
    if (variables)
      body = { ...body, variables: { ...(body?.variables as object | undefined), ...variables } };
    ari = new AriClient({ url, ...(timeout === undefined ? {} : { requestTimeoutMs: timeout }) });
    const reply = await ari.request(verb as AriMethod, path, { query, body });
    if (reply !== undefined)
      io.out(typeof reply === 'string' ? `${reply}\n` : `${JSON.stringify(reply, null, 2)}\n`);
    return EXIT.ok;
  } catch (err) {
    io.err(line(describe(err), secrets));
    return err instanceof CliUsageError ? EXIT.connection : exitFor(err);
  } finally {
    await ari?.close().catch(() => {});
  }
}
