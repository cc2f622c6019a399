/**
 * `switchboard ami <Action> [Key=Value ...]` and `switchboard ami events`: one AMI action printed as JSON, or the
 * event stream as JSON lines. Exit status: 0 success, 1 error response, 2 connection/login failure or bad input (one
 * line on stderr naming the cause, never the secret).
 */
import type { Command } from 'commander';
import { AmiClient, type AmiMessage, type AmiParams } from '../ami/index.js';
import { CliUsageError, failureLine, secretsOf } from './failure.js';
import { EXIT } from './program.js';

/** Options of `switchboard ami`. */
export interface AmiCliOptions {
  /** Connection URL (else `SWITCHBOARD_AMI_URL`). */
  url?: string;
  /** MD5 challenge login. */
  md5?: boolean;
  /** AJAM: HTTP Digest on `/arawman` instead of Login on `/rawman`. */
  digest?: boolean;
  /** Action timeout in ms (string from the command line). */
  timeout?: string;
  /** Event names to keep (events mode). */
  event?: string[];
  /** Regular expression over the event's wire text (events mode). */
  filter?: string;
  /** Stop after this many events (events mode). */
  count?: string;
}

/** Where `runAmiCommand` reads its environment and writes its output (the process, or a test's buffers). */
export interface AmiCliIo {
  /** Standard output. */
  stdout: { write(s: string): unknown };
  /** Standard error. */
  stderr: { write(s: string): unknown };
  /** Environment variables (`SWITCHBOARD_AMI_URL`). */
  env: Readonly<Record<string, string | undefined>>;
  /** Ends `events` mode cleanly (exit 0), e.g. on SIGINT. */
  signal?: AbortSignal;
}

/** `Key=Value` words to action parameters; a repeated key becomes a repeated header (e.g. `Variable`). */
export function parseKeyValues(words: readonly string[]): AmiParams {
  const params: Record<string, string | string[]> = {};
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq <= 0) throw new CliUsageError(`expected Key=Value, got ${JSON.stringify(w)}`);
    const key = w.slice(0, eq);
    const value = w.slice(eq + 1);
    const prev = params[key];
    if (prev === undefined) params[key] = value;
    else if (Array.isArray(prev)) prev.push(value);
    else params[key] = [prev, value];
  }
  return params;
}

/** Runs one action and prints `{ response, items, complete }` as JSON; returns the exit status. */
async function runAction(
  client: AmiClient,
  name: string,
  params: AmiParams,
  timeout: number | undefined,
  io: AmiCliIo,
): Promise<number> {
  const r = await client.action(name, params, timeout === undefined ? {} : { timeout });
  const out: Record<string, unknown> = { response: r.message.toJSON() };
  if (r.items.length > 0 || r.complete) out.items = r.items.map((m) => m.toJSON());
  if (r.complete) out.complete = r.complete.toJSON();
  io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  return r.ok ? EXIT.ok : EXIT.errorResponse;
}

/** Prints events as JSON lines until `count` were printed, the io signal fires, or the link drops. */
function runEvents(client: AmiClient, opts: AmiCliOptions, io: AmiCliIo): Promise<number> {
  const events = opts.event ?? [];
  const names = events.length ? new Set(events.map((e) => e.toLowerCase())) : undefined;
  let re: RegExp | undefined;
  try {
    re = opts.filter === undefined ? undefined : new RegExp(opts.filter);
  } catch (e) {
    throw new CliUsageError(`--filter is not a valid regular expression: ${(e as Error).message}`);
  }
  const max = opts.count === undefined ? Number.POSITIVE_INFINITY : Number(opts.count);
  return new Promise<number>((resolve) => {
    let printed = 0;
    let finished = false;
    const finish = (code: number) => {
      if (finished) return;
      finished = true;
      io.signal?.removeEventListener('abort', onAbort);
      client.off('event', onEvent);
      client.off('state', onState);
      resolve(code);
    };
    const onAbort = () => finish(EXIT.ok);
    const onEvent = (m: AmiMessage) => {
      if (finished) return;
      if (names && !names.has((m.event ?? '').toLowerCase())) return;
      if (re && !re.test(m.text())) return;
      io.stdout.write(`${JSON.stringify(m.toJSON())}\n`);
      if (++printed >= max) finish(EXIT.ok);
    };
    const onState = (s: string) => {
      if (s === 'closed' && !finished) {
        io.stderr.write('switchboard ami: connection to Asterisk lost\n');
        finish(EXIT.connection);
      }
    };
    if (io.signal?.aborted) return finish(EXIT.ok);
    io.signal?.addEventListener('abort', onAbort, { once: true });
    client.on('event', onEvent);
    client.on('state', onState);
  });
}

/**
 * The whole `switchboard ami` command: `action` is an AMI action name, or `events` (without Key=Value words) for the
 * event stream. Returns the exit status; writes only to `io`.
 */
export async function runAmiCommand(
  action: string,
  words: readonly string[],
  opts: AmiCliOptions,
  io: AmiCliIo,
): Promise<number> {
  const url = opts.url ?? io.env.SWITCHBOARD_AMI_URL;
  const secrets = secretsOf([url]);
  const eventsMode = action.toLowerCase() === 'events' && words.length === 0;
  let client: AmiClient | undefined;
  try {
    if (!url) throw new CliUsageError('no AMI URL: pass --url or set SWITCHBOARD_AMI_URL');
    if (opts.digest === true && !/^https?:/i.test(url))
      throw new CliUsageError('--digest works over AJAM only (an http:// or https:// URL)');
    const timeout = opts.timeout === undefined ? undefined : Number(opts.timeout);
    if (timeout !== undefined && !(timeout > 0))
      throw new CliUsageError('--timeout must be a positive number of ms');
    if (opts.count !== undefined && !(Number.isInteger(Number(opts.count)) && Number(opts.count) > 0))
      throw new CliUsageError('--count must be a positive integer');
    const params = eventsMode ? {} : parseKeyValues(words);
    client = new AmiClient({
      url,
      md5: opts.md5 === true,
      ...(opts.digest === true ? { digest: true } : {}),
      events: eventsMode ? 'on' : 'off',
      keepalive: eventsMode ? undefined : false,
      reconnect: false,
      ...(timeout === undefined ? {} : { actionTimeout: timeout, connectTimeout: timeout }),
    });
    client.on('error', () => {}); // failures surface through connect()/action()
    // Subscribe before logging in: events can arrive in the same read as the login reply.
    const events = eventsMode ? runEvents(client, opts, io) : undefined;
    await client.connect();
    return events ? await events : await runAction(client, action, params, timeout, io);
  } catch (err) {
    io.stderr.write(failureLine('ami', err, secrets));
    return EXIT.connection;
  } finally {
    await client?.close().catch(() => {});
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Adds `switchboard ami`. */
export function registerAmi(program: Command): void {
  program
    .command('ami')
    .description(
      'run one AMI action and print its reply (with list items) as JSON, or `ami events` to print events as JSON lines',
    )
    .argument('<action>', 'AMI action name (e.g. Ping, CoreShowChannels), or "events"')
    .argument('[params...]', 'action headers as Key=Value (repeat a key for repeated headers)')
    .option(
      '--url <url>',
      'ami://user:secret@host:5038, amis://… (TLS) or http://user:secret@host:8088/asterisk (AJAM); default $SWITCHBOARD_AMI_URL',
    )
    .option('--md5', 'log in with the MD5 challenge instead of sending the secret')
    .option(
      '--digest',
      'AJAM: authenticate every request with HTTP Digest on /arawman (no Login, no cookie); chosen by itself when /rawman refuses the login',
    )
    .option('--timeout <ms>', 'action timeout in milliseconds (default 10000)')
    .option('--event <name>', 'events: only this event name (repeatable)', collect, [])
    .option('--filter <regex>', 'events: only events whose wire text matches this regular expression')
    .option('--count <n>', 'events: exit after printing this many events')
    .addHelpText(
      'after',
      '\nExit status: 0 success, 1 error response, 2 connection or login failure.\nExamples:\n  switchboard ami Ping\n  switchboard ami Getvar Variable=CHANNEL(state) Channel=PJSIP/alonso-00000001\n  switchboard ami events --event Hangup --filter "Exten: 902" --count 10',
    )
    .action(async (action: string, words: string[], opts: AmiCliOptions) => {
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      process.stdout.on('error', onSignal); // the reader went away (e.g. `| head`)
      try {
        process.exitCode = await runAmiCommand(action, words, opts, {
          stdout: process.stdout,
          stderr: process.stderr,
          env: process.env,
          signal: stop.signal,
        });
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        process.stdout.off('error', onSignal);
      }
    });
}
