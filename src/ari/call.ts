/** One call inside a Stasis application: its channel, an AbortSignal for its end, and helpers for common waits. */
import { AriAbortedError, AriError, AriHangupError, AriTimeoutError } from './errors.js';
import type { ChannelDtmfReceivedEvent, StasisStartEvent } from './events.js';
import type { AriRequestOptions } from './http.js';
import type { LiveChannel } from './live/channel.js';
import type { LivePlayback } from './live/playback.js';
import type { Playback } from './models.js';
import type { HangupReason, PlayParams } from './resources/channels.js';

/** Options of {@link StasisCall.nextDtmf}. */
export interface NextDtmfOptions {
  /** Fail with `ARI_TIMEOUT` after this many ms without a digit. */
  timeoutMs?: number;
  /** Abort this wait only. */
  signal?: AbortSignal;
}

/** Default number of digits kept per call while nobody waits; beyond it the oldest are dropped and counted. */
export const DTMF_BUFFER_LIMIT = 10_000;

/** A channel in a Stasis application, from StasisStart to StasisEnd. */
export class StasisCall {
  /** Application name. */
  readonly app: string;
  /** `StasisStart.args`. */
  readonly args: string[];
  /** The live channel. */
  readonly channel: LiveChannel;
  /** The StasisStart event. */
  readonly start: StasisStartEvent;
  /** Aborts (with an `ARI_HANGUP` reason) on StasisEnd, hangup request or ChannelDestroyed. */
  readonly signal: AbortSignal;
  /** Digits dropped because more than `dtmfBufferLimit` were waiting unread (0 unless a flow stops reading). */
  droppedDtmf = 0;
  readonly #abort = new AbortController();
  readonly #digits: string[] = [];
  #digitWaiter: ((digit: string) => void) | undefined;
  readonly #offs: Array<() => void> = [];
  readonly #dtmfLimit: number;

  constructor(
    app: string,
    start: StasisStartEvent,
    channel: LiveChannel,
    dtmfBufferLimit = DTMF_BUFFER_LIMIT,
  ) {
    this.#dtmfLimit = dtmfBufferLimit;
    this.app = app;
    this.start = start;
    this.args = start.args ?? [];
    this.channel = channel;
    this.signal = this.#abort.signal;
    // Digits are buffered from StasisStart on, so a digit pressed between two waits is never lost.
    this.#offs.push(
      channel.on('ChannelDtmfReceived', (e: ChannelDtmfReceivedEvent) => this.#onDigit(e.digit)),
      channel.on('ChannelHangupRequest', () => this.end('hangup requested')),
      channel.on('StasisEnd', () => this.end('left the application (StasisEnd)')),
      channel.on('ChannelDestroyed', () => this.end('was destroyed')),
      channel.on('released', ({ reason }) => this.end(`was released (${reason})`)),
    );
  }

  /** Channel id. */
  get id(): string {
    return this.channel.id;
  }

  /** True once the call has ended. */
  get ended(): boolean {
    return this.#abort.signal.aborted;
  }

  /** Ends the call: aborts the signal and drops every listener this call added. Idempotent. @internal */
  end(why: string): void {
    if (this.#abort.signal.aborted) return;
    for (const off of this.#offs.splice(0)) off();
    this.#digits.length = 0;
    // A hangup is a normal outcome, not a bug: its reason needs no stack trace (capturing one per call is costly).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    let reason: AriHangupError;
    try {
      reason = new AriHangupError(this.channel.id, why);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.#abort.abort(reason);
  }

  /** Resolves with the next DTMF digit (buffered ones first); rejects on timeout or when the call ends. */
  nextDtmf(options: NextDtmfOptions = {}): Promise<string> {
    const buffered = this.#digits.shift();
    if (buffered !== undefined) return Promise.resolve(buffered);
    if (this.ended) return Promise.reject(this.signal.reason);
    if (this.#digitWaiter)
      return Promise.reject(new AriError('ARI_INVALID_ARGUMENT', 'nextDtmf() already waiting'));
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const cleanup = () => {
        this.#digitWaiter = undefined;
        if (timer) clearTimeout(timer);
        this.signal.removeEventListener('abort', onEnd);
        options.signal?.removeEventListener('abort', onAbort);
      };
      const onEnd = () => {
        cleanup();
        reject(this.signal.reason);
      };
      const onAbort = () => {
        cleanup();
        reject(new AriAbortedError('nextDtmf aborted', options.signal?.reason));
      };
      this.#digitWaiter = (digit) => {
        cleanup();
        resolve(digit);
      };
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(() => {
          cleanup();
          reject(new AriTimeoutError(`no DTMF on ${this.channel.id} within ${options.timeoutMs} ms`));
        }, options.timeoutMs);
      }
      this.signal.addEventListener('abort', onEnd, { once: true });
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Collects digits until `maxDigits`, the terminator (default `#`, not included), or a per-digit timeout. */
  async collectDtmf(options: {
    maxDigits: number;
    terminator?: string;
    timeoutMs?: number;
  }): Promise<string> {
    let out = '';
    const term = options.terminator ?? '#';
    while (out.length < options.maxDigits) {
      let d: string;
      try {
        d = await this.nextDtmf({ timeoutMs: options.timeoutMs });
      } catch (err) {
        if (err instanceof AriTimeoutError) return out;
        throw err;
      }
      if (d === term) return out;
      out += d;
    }
    return out;
  }

  /** Answers the channel. */
  answer(options?: AriRequestOptions): Promise<void> {
    return this.#guard(this.channel.answer(this.#opts(options)));
  }

  /** Starts a playback (tracked before the request) and returns it. */
  play(
    media: string | string[],
    params: Omit<PlayParams, 'media'> = {},
    options?: AriRequestOptions,
  ): Promise<LivePlayback> {
    return this.#guard(this.channel.play(media, params, this.#opts(options)));
  }

  /** Plays media and resolves when PlaybackFinished arrives; rejects with `ARI_HANGUP` if the call ends first. */
  async playAndWait(
    media: string | string[],
    params: Omit<PlayParams, 'media'> = {},
    options?: AriRequestOptions,
  ): Promise<Playback> {
    const playback = await this.play(media, params, options);
    return this.#guard(playback.finished({ signal: this.signal }));
  }

  /** Hangs up (ignores "channel not found": it is already gone). */
  async hangup(reason?: HangupReason): Promise<void> {
    try {
      await this.channel.hangup(reason ? { reason } : {});
    } catch (err) {
      if ((err as { status?: number }).status !== 404) throw err;
    }
  }

  /** Resolves when the call ends (StasisEnd, hangup or destruction). */
  waitForEnd(): Promise<void> {
    if (this.ended) return Promise.resolve();
    return new Promise((resolve) => this.signal.addEventListener('abort', () => resolve(), { once: true }));
  }

  #onDigit(digit: string): void {
    const waiter = this.#digitWaiter;
    if (waiter) {
      waiter(digit);
      return;
    }
    this.#digits.push(digit);
    if (this.#digits.length > this.#dtmfLimit) {
      this.#digits.shift();
      this.droppedDtmf++;
    }
  }

  // Work cut short because the call ended rejects with the call's ARI_HANGUP reason, whatever broke first.
  #guard<T>(p: Promise<T>): Promise<T> {
    return p.catch((err: unknown) => {
      throw this.ended ? this.signal.reason : err;
    });
  }

  #opts(options?: AriRequestOptions): AriRequestOptions {
    return options?.signal ? options : { ...options, signal: this.signal };
  }
}
