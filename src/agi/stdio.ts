/** Classic AGI: the same handler as a script Asterisk starts, talking over stdin/stdout (EAGI audio on fd 3). */
import { createReadStream } from 'node:fs';
import { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { AgiChannel } from './channel.js';
import { channelOptionsOf } from './channel-core.js';
import { AgiProtocolError } from './errors.js';
import { AgiReader } from './reader.js';
import type { AgiRequest } from './request.js';
import { type AgiContext, type AgiHandler, AgiRouter } from './router.js';
import { type AgiOutcome, createAgiContext, runAgiHandler } from './run-handler.js';

/** Handler context of a stdio AGI call: adds the EAGI audio stream. */
export interface StdioAgiContext extends AgiContext {
  /** EAGI: the caller's audio (signed linear, 8 kHz by default) read from fd 3. Throws for plain AGI. */
  eagiAudio(): Readable;
}

/** Options of {@link runAgi}. */
export interface RunAgiOptions {
  /** Where Asterisk writes (default `process.stdin`). */
  readonly input?: Readable;
  /** Where commands go (default `process.stdout`). */
  readonly output?: Writable;
  /**
   * Redirect other writes to `process.stdout` (console.log, stray prints) to stderr while the call runs, so
   * they cannot corrupt the AGI stream (default true when `output` is `process.stdout`).
   */
  readonly guardStdout?: boolean;
  /** Treat SIGHUP (how Asterisk signals a hangup to local scripts) as a hangup (default true with stdin). */
  readonly handleSighup?: boolean;
  /** pino logger (default: silent). Write it to stderr, never stdout. */
  readonly logger?: Logger;
  /** Close the session after this many ms (no default). */
  readonly sessionTimeout?: number;
  /** Hangup grace window for a `-1` from a waiting command, ms (see `AgiChannelOptions.hangupGrace`). */
  readonly hangupGrace?: number;
  /** Channel variable set to the error code when the handler fails (default `SWITCHBOARD_ERROR`). */
  readonly errorVariable?: string;
  /** Where EAGI audio comes from (default fd 3). */
  readonly audio?: () => Readable;
}

function openFd3(): Readable {
  try {
    return new Socket({ fd: 3, readable: true, writable: false });
  } catch {
    return createReadStream('', { fd: 3 });
  }
}

/**
 * Runs `handler` (or a router) for the call Asterisk hands to this process. Resolves with the outcome when
 * the handler is done and the streams are released; exit the process then (Asterisk continues the dialplan).
 */
export async function runAgi(
  handler: ((channel: AgiChannel, ctx: StdioAgiContext) => Promise<void> | void) | AgiRouter,
  options: RunAgiOptions = {},
): Promise<AgiOutcome> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const logger = options.logger ?? pino({ level: 'silent' });
  const router = handler instanceof AgiRouter ? handler : new AgiRouter().route('*', handler as AgiHandler);
  const guard = options.guardStdout ?? output === process.stdout;
  const write = output.write.bind(output) as (chunk: string) => boolean;
  const originalWrite = process.stdout.write;
  if (guard) {
    // Anything else printing to stdout would be read by Asterisk as a command: send it to stderr instead.
    process.stdout.write = ((chunk: unknown, ...rest: unknown[]) =>
      (process.stderr.write as (...a: unknown[]) => boolean)(chunk, ...rest)) as typeof process.stdout.write;
  }
  let channel: AgiChannel | undefined;
  let audio: Readable | undefined;
  // A hangup (SIGHUP, HANGUP line) or EOF can come before the channel exists: remembered, applied at its birth.
  let earlyHangup = false;
  let earlyEnd = false;
  const hangup = () => {
    if (channel) channel.receiveHangup();
    else earlyHangup = true;
  };
  const onSighup = hangup;
  const sighup = options.handleSighup ?? input === process.stdin;
  if (sighup) process.on('SIGHUP', onSighup);
  let onData: ((chunk: Buffer | string) => void) | undefined;
  try {
    const request = await new Promise<AgiRequest>((resolve, reject) => {
      const reader = new AgiReader((e) => {
        if (e.type === 'environment') resolve(e.request);
        else if (e.type === 'reply') channel?.receiveReply(e.reply);
        else if (e.type === 'hangup') hangup();
      });
      onData = (chunk: Buffer | string) => {
        try {
          reader.push(chunk);
        } catch (err) {
          logger.warn({ err }, 'AGI protocol error on stdin');
          channel?.transportClosed();
          reject(err);
        }
      };
      input.on('data', onData);
      input.once('end', () => {
        earlyEnd = true;
        if (channel) channel.transportClosed();
        else reject(new AgiProtocolError('stdin ended before the AGI environment'));
      });
      input.once('error', (err) => {
        earlyEnd = true;
        if (channel) channel.transportClosed();
        else reject(err);
      });
    });
    const ch = new AgiChannel(
      request,
      {
        send: (line) => {
          write(`${line}\n`);
        },
        close: () => {},
      },
      channelOptionsOf(options),
    );
    channel = ch;
    if (earlyHangup) ch.receiveHangup();
    if (earlyEnd) ch.transportClosed();
    const base = createAgiContext(ch, () => logger.child({ uniqueid: request.uniqueid }));
    const ctx: StdioAgiContext = Object.assign(base, {
      eagiAudio(): Readable {
        if (!request.enhanced && !options.audio)
          throw new AgiProtocolError('no EAGI audio: this is not an EAGI call');
        audio ??= (options.audio ?? openFd3)();
        return audio;
      },
    });
    const outcome = await runAgiHandler(router, ch, ctx, options.errorVariable ?? 'SWITCHBOARD_ERROR');
    ch.close();
    return outcome;
  } finally {
    if (sighup) process.off('SIGHUP', onSighup);
    if (guard) process.stdout.write = originalWrite;
    audio?.destroy();
    if (onData) input.off('data', onData);
    input.pause();
    if (input === process.stdin) process.stdin.destroy();
  }
}
