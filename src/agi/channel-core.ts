/** The transport-agnostic heart of an AGI session: one command at a time, hangup, timeouts, close. */
import { checkAgiLine, isDeadSafeCommand } from './command.js';
import {
  AgiAbortedError,
  AgiClosedError,
  AgiCommandError,
  AgiDeadChannelError,
  AgiHangupError,
  AgiInvalidCommandError,
  AgiProtocolError,
  AgiTimeoutError,
  AgiUsageError,
} from './errors.js';
import { AGI_HANGUP_GRACE_MS, waitsOnChannel } from './hangup-grace.js';
import type { AgiReply } from './reply.js';
import type { AgiRequest } from './request.js';

/**
 * How a channel reaches Asterisk: FastAGI socket, stdio pipes or AMI (AsyncAGI). The transport sends one
 * command line at a time and reports back through the channel's `receive*` methods.
 */
export interface AgiTransport {
  /** Sends one command line (no LF). Its reply must come back through `channel.receiveReply()`. */
  send(line: string): void;
  /** Ends the session from our side (FastAGI: end the socket). Called once. */
  close(): void;
}

/** Per-command options. */
export interface AgiCommandOptions {
  /** Reject with `AGI_TIMEOUT` after this many ms (counted from the call, queue wait included). No default. */
  readonly timeout?: number;
  /** Reject with `AGI_ABORTED` when this signal aborts. */
  readonly signal?: AbortSignal;
}

/** Options of a channel. */
export interface AgiChannelOptions {
  /** Close the whole session with `AGI_TIMEOUT` after this many ms. No default (a two-hour Dial is fine). */
  readonly sessionTimeout?: number;
  /**
   * How long a `result=-1` from a command that waits on the channel (prompt, GET DATA, EXEC Dial…) is held,
   * ms, to see whether Asterisk follows it with `HANGUP` (then it rejects with `AgiHangupError`) or not (then
   * it settles as usual, e.g. `AgiCommandError`). Default {@link AGI_HANGUP_GRACE_MS} (100); 0 disables.
   */
  readonly hangupGrace?: number;
}

/** The channel options found in a transport's options (only the keys that are set). */
export function channelOptionsOf(o: {
  readonly sessionTimeout?: number | undefined;
  readonly hangupGrace?: number | undefined;
}): AgiChannelOptions {
  const out: { sessionTimeout?: number; hangupGrace?: number } = {};
  if (o.sessionTimeout !== undefined) out.sessionTimeout = o.sessionTimeout;
  if (o.hangupGrace !== undefined) out.hangupGrace = o.hangupGrace;
  return out;
}

/** Turns a `200` reply into a command's value, or throws its typed error. */
export type AgiReplyMapper<T> = (reply: AgiReply, line: string) => T;

const identity: AgiReplyMapper<AgiReply> = (reply) => reply;

interface Pending {
  readonly line: string;
  readonly deadSafe: boolean;
  readonly map: AgiReplyMapper<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  settled: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/** A `-1` reply held for the grace window: it becomes a hangup if `HANGUP` or EOF comes first. */
interface Held {
  readonly p: Pending;
  readonly reply: AgiReply;
  timer: ReturnType<typeof setTimeout> | undefined;
  immediate: ReturnType<typeof setImmediate> | undefined;
}

/** Turns a final reply into a value or a typed error (5xx). `200` always resolves, whatever `result=` says. */
function outcome(line: string, reply: AgiReply): Error | undefined {
  switch (reply.code) {
    case 200:
      return undefined;
    case 510:
      return new AgiInvalidCommandError(line);
    case 511:
      return new AgiDeadChannelError(line, reply.text ?? 'Command Not Permitted on a dead channel');
    case 520:
      return new AgiUsageError(line, (reply.usage ?? []).join('\n'));
    default:
      if (reply.code >= 500)
        return new AgiCommandError(line, reply.result, reply.text ?? `code ${reply.code}`);
      return new AgiProtocolError(
        `unexpected AGI reply ${JSON.stringify(reply.lines.join('\n'))} to ${line}`,
      );
  }
}

/**
 * Sends commands one at a time (never pipelined: concurrent calls queue) and settles each with its reply.
 * On hangup the signal fires, the pending command rejects with `AgiHangupError`, commands Asterisk refuses
 * on a dead channel reject at once, and dead-safe commands keep working. Nothing is left pending on close.
 * A `result=-1` from a command that waits on the channel is held for `hangupGrace` ms: Asterisk reports a
 * hangup during a prompt that way, with the `HANGUP` line a few tens of ms later.
 */
export class AgiChannelCore {
  /** The parsed environment of this call. */
  readonly request: AgiRequest;
  private readonly transport: AgiTransport;
  // Created on first use of `signal`: most sessions never look at it, and aborting costs an Error.
  private controller: AbortController | undefined;
  private abortReason: (() => Error) | undefined;
  private queue: Pending[] = [];
  // The command sent and awaiting its reply. It stays here after being settled early (hangup, timeout,
  // abort) so that its late reply is consumed instead of being matched to the next command.
  private inflight: Pending | undefined;
  // A `-1` reply waiting out the hangup grace window; nothing else is sent meanwhile.
  private held: Held | undefined;
  private readonly graceMs: number;
  private hung = false;
  private ended = false;
  private sessionTimer: ReturnType<typeof setTimeout> | undefined;
  /** Number of commands written to the transport. */
  commandCount = 0;

  constructor(request: AgiRequest, transport: AgiTransport, options: AgiChannelOptions = {}) {
    this.request = request;
    this.transport = transport;
    this.graceMs = Math.max(0, options.hangupGrace ?? AGI_HANGUP_GRACE_MS);
    if (options.sessionTimeout !== undefined && options.sessionTimeout > 0) {
      const ms = options.sessionTimeout;
      this.sessionTimer = setTimeout(() => {
        this.sessionTimer = undefined;
        this.close(new AgiTimeoutError(`AGI session exceeded its ${ms} ms timeout`));
      }, ms);
    }
  }

  /** Fires when the channel hangs up, the transport closes, or the session is closed. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.abortReason) this.controller.abort(this.abortReason());
    }
    return this.controller.signal;
  }

  private abort(reason: () => Error): void {
    if (this.abortReason) return;
    this.abortReason = reason;
    this.controller?.abort(reason());
  }

  /** True once Asterisk reported a hangup (HANGUP line, 511) or the transport closed. */
  get hungUp(): boolean {
    return this.hung;
  }

  /** True once the session is over (closed by us or by the transport). */
  get closed(): boolean {
    return this.ended;
  }

  /** True while a command is sent or queued. */
  get busy(): boolean {
    return this.inflight !== undefined || this.held !== undefined || this.queue.length > 0;
  }

  /**
   * Sends a raw command line and resolves with its final reply when Asterisk answers `200` (whatever the
   * `result=`); rejects with a typed error for 510/511/520, hangup, timeout, abort or close.
   */
  command(line: string, options: AgiCommandOptions = {}): Promise<AgiReply> {
    try {
      checkAgiLine(line);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.exchange(line, options, identity);
  }

  /**
   * Queues a checked command line; `map` turns its `200` reply into the value (or throws). One promise per
   * command: the typed methods are built on this.
   */
  protected exchange<T>(
    line: string,
    options: AgiCommandOptions | undefined,
    map: AgiReplyMapper<T>,
    deadSafe = isDeadSafeCommand(line),
  ): Promise<T> {
    if (this.ended) return Promise.reject(this.endError());
    if (this.hung && !deadSafe) return Promise.reject(new AgiHangupError(hangupMessage(line)));
    const signal = options?.signal;
    const timeout = options?.timeout;
    if (signal?.aborted) return Promise.reject(new AgiAbortedError());
    return new Promise<T>((resolve, reject) => {
      const p: Pending = {
        line,
        deadSafe,
        map,
        resolve: resolve as (value: unknown) => void,
        reject,
        settled: false,
        timer: undefined,
        signal,
        onAbort: undefined,
      };
      if (timeout !== undefined) {
        const ms = timeout;
        p.timer = setTimeout(() => {
          p.timer = undefined;
          this.fail(p, new AgiTimeoutError(`${JSON.stringify(line)} got no reply within ${ms} ms`));
        }, ms);
      }
      if (signal) {
        p.onAbort = () => this.fail(p, new AgiAbortedError(`${JSON.stringify(line)} was aborted`));
        signal.addEventListener('abort', p.onAbort, { once: true });
      }
      if (this.inflight === undefined && !this.held && this.queue.length === 0 && !this.ended)
        this.dispatch(p);
      else {
        this.queue.push(p);
        this.pump();
      }
    });
  }

  /** Transport hook: the final reply to the command in flight arrived. */
  receiveReply(reply: AgiReply): void {
    const p = this.inflight;
    this.inflight = undefined;
    if (p && !p.settled) {
      // Only a `-1` pays for the command lookup: every other reply takes the plain path.
      if (reply.code === 200 && reply.result === '-1' && waitsOnChannel(p.line)) {
        if (this.hung) this.fail(p, new AgiHangupError(cutShortMessage(p.line)));
        else if (this.graceMs > 0 && !this.ended) {
          this.hold(p, reply);
          return;
        } else this.succeed(p, reply);
      } else {
        const err = outcome(p.line, reply);
        if (err) this.fail(p, err);
        else this.succeed(p, reply);
      }
    }
    if (reply.code === 511) this.markHungUp();
    this.pump();
  }

  /**
   * Waits out the grace window for a `-1`. The timer is followed by one `setImmediate`, so that a `HANGUP`
   * already read by the kernel when the timer fires (a busy event loop) is still seen first.
   */
  private hold(p: Pending, reply: AgiReply): void {
    const held: Held = { p, reply, timer: undefined, immediate: undefined };
    this.held = held;
    held.timer = setTimeout(() => {
      held.timer = undefined;
      held.immediate = setImmediate(() => {
        held.immediate = undefined;
        if (this.held !== held) return;
        this.held = undefined;
        this.succeed(p, reply);
        this.pump();
      });
    }, this.graceMs);
  }

  /** Ends a hold; the held command rejects with `err` (when given). */
  private release(err?: Error): void {
    const held = this.held;
    if (!held) return;
    this.held = undefined;
    if (held.timer) clearTimeout(held.timer);
    if (held.immediate) clearImmediate(held.immediate);
    if (err) this.fail(held.p, err);
  }

  /** Transport hook: the command in flight could not be delivered or answered (e.g. AMI action refused). */
  receiveError(error: Error): void {
    const p = this.inflight;
    this.inflight = undefined;
    if (p) this.fail(p, error);
    this.pump();
  }

  /** Transport hook: Asterisk reported a hangup (HANGUP line, SIGHUP, AsyncAGIEnd…). Idempotent. */
  receiveHangup(): void {
    this.markHungUp();
    this.pump();
  }

  /** Transport hook: the transport is gone (socket closed): everything pending rejects with `AgiHangupError`. */
  transportClosed(): void {
    if (this.ended) return;
    this.ended = true;
    this.markHungUp();
    this.drain(() => new AgiHangupError('the AGI connection closed'));
    this.clearSessionTimer();
  }

  /**
   * Ends the session from our side: pending commands reject (`AGI_CLOSED` or `reason`), the signal fires, and
   * the transport is closed. Idempotent.
   */
  close(reason?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.closeReason = reason;
    this.clearSessionTimer();
    this.abort(() => reason ?? new AgiClosedError());
    this.drain(() => reason ?? new AgiClosedError());
    this.transport.close();
  }

  private closeReason: Error | undefined;

  private endError(): Error {
    if (this.closeReason) return this.closeReason;
    return this.hung ? new AgiHangupError('the AGI connection closed') : new AgiClosedError();
  }

  private clearSessionTimer(): void {
    if (this.sessionTimer) clearTimeout(this.sessionTimer);
    this.sessionTimer = undefined;
  }

  private markHungUp(): void {
    if (this.hung) return;
    this.hung = true;
    this.abort(() => new AgiHangupError());
    if (this.held) this.release(new AgiHangupError(cutShortMessage(this.held.p.line)));
    const p = this.inflight;
    if (p && !p.deadSafe) this.fail(p, new AgiHangupError(hangupMessage(p.line)));
    const kept: Pending[] = [];
    for (const q of this.queue) {
      if (q.deadSafe) kept.push(q);
      else this.fail(q, new AgiHangupError(hangupMessage(q.line)));
    }
    this.queue = kept;
  }

  private drain(error: () => Error): void {
    if (this.held) this.release(error());
    const p = this.inflight;
    this.inflight = undefined;
    if (p) this.fail(p, error());
    const queue = this.queue;
    this.queue = [];
    for (const q of queue) this.fail(q, error());
  }

  private pump(): void {
    while (this.inflight === undefined && !this.held && !this.ended) {
      const p = this.queue.shift();
      if (!p) return;
      if (p.settled) continue;
      if (this.hung && !p.deadSafe) {
        this.fail(p, new AgiHangupError(hangupMessage(p.line)));
        continue;
      }
      this.dispatch(p);
    }
  }

  private dispatch(p: Pending): void {
    this.inflight = p;
    this.commandCount++;
    try {
      this.transport.send(p.line);
    } catch (err) {
      this.inflight = undefined;
      this.fail(p, err instanceof Error ? err : new Error(String(err)));
    }
  }

  private cleanup(p: Pending): boolean {
    if (p.settled) return false;
    p.settled = true;
    if (p.timer) clearTimeout(p.timer);
    p.timer = undefined;
    if (p.signal && p.onAbort) p.signal.removeEventListener('abort', p.onAbort);
    p.onAbort = undefined;
    return true;
  }

  private succeed(p: Pending, reply: AgiReply): void {
    if (!this.cleanup(p)) return;
    let value: unknown;
    try {
      value = p.map(reply, p.line);
    } catch (err) {
      p.reject(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    p.resolve(value);
  }

  private fail(p: Pending, err: Error): void {
    if (!this.cleanup(p)) return;
    if (this.held?.p === p) {
      // Timed out or aborted while held: the reply is already consumed, the next command may go.
      this.release();
      queueMicrotask(() => this.pump());
    }
    // A queued command that times out or aborts leaves the queue; a sent one stays in flight until its reply.
    if (this.inflight !== p) {
      const i = this.queue.indexOf(p);
      if (i >= 0) this.queue.splice(i, 1);
    }
    p.reject(err);
  }
}

function cutShortMessage(line: string): string {
  return `the channel hung up while ${JSON.stringify(line)} was running (Asterisk answered result=-1, then HANGUP)`;
}

function hangupMessage(line: string): string {
  return `the channel hung up; ${JSON.stringify(line)} cannot run (only dead-safe commands still work)`;
}
