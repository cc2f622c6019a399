/** Base of the live objects: per-object typed event subscription, waits, and release when the object ends. */
import { TypedEmitter } from '../emitter.js';
import { AriAbortedError, AriClosedError, AriTimeoutError } from '../errors.js';
import type { AriEvent, AriEventOf, KnownAriEventType } from '../events.js';

/** Event map of a live object: every known event type, `event` for all of them, `released` when it ends. */
export type LiveObjectEvents = { [K in KnownAriEventType]: AriEventOf<K> } & {
  /** Every event for this object, known or not. */
  event: AriEvent;
  /** The object was released (ended, or released by hand); listeners are removed right after. */
  released: { reason: string };
};

/** Options of {@link LiveObject.waitFor}. */
export interface WaitOptions<T> {
  /** Fail with `ARI_TIMEOUT` after this many ms. */
  timeoutMs?: number;
  /** Fail with `ARI_ABORTED` when aborted. */
  signal?: AbortSignal;
  /** Only accept events passing this test. */
  filter?: (event: T) => boolean;
}

/** What the registry needs from a live object. */
export interface Releasable {
  /** Registry key: `channel:<id>`, `bridge:<id>`, `playback:<id>` or `recording:<name>`. */
  readonly key: string;
  /** Delivers one event; returns true when the event ends the object. @internal */
  deliver(event: AriEvent): boolean;
  /** Stops tracking the object and removes its listeners. */
  release(reason?: string): void;
  /** Number of listeners still attached. */
  listenerCount(): number;
}

/** Callbacks a live object uses to leave its registry. */
export interface RegistryHandle {
  /** Removes the object from the registry. */
  remove(obj: Releasable): void;
}

/** A live ARI object (channel, bridge, playback, recording) with its own event stream. */
export abstract class LiveObject implements Releasable {
  /** Registry key. */
  abstract readonly key: string;
  readonly #emitter = new TypedEmitter<LiveObjectEvents>();
  readonly #registry: RegistryHandle;
  #released = false;
  #releaseReason = '';
  #endEvent: AriEvent | undefined;

  constructor(registry: RegistryHandle) {
    this.#registry = registry;
  }

  /** True once released; no more events are delivered. */
  get released(): boolean {
    return this.#released;
  }

  /** Subscribes to one event type (or `event` for all); returns the unsubscribe function. */
  on<K extends keyof LiveObjectEvents>(type: K, listener: (event: LiveObjectEvents[K]) => void): () => void {
    if (this.#released) return () => {};
    return this.#emitter.on(type, listener);
  }

  /** Subscribes once. */
  once<K extends keyof LiveObjectEvents>(
    type: K,
    listener: (event: LiveObjectEvents[K]) => void,
  ): () => void {
    if (this.#released) return () => {};
    return this.#emitter.once(type, listener);
  }

  /** Unsubscribes. */
  off<K extends keyof LiveObjectEvents>(type: K, listener: (event: LiveObjectEvents[K]) => void): void {
    this.#emitter.off(type, listener);
  }

  /** Waits for the next event of a type; rejects on timeout, abort or release (`ARI_CLOSED`). */
  waitFor<K extends KnownAriEventType>(
    type: K,
    options: WaitOptions<AriEventOf<K>> = {},
  ): Promise<AriEventOf<K>> {
    return this.waitForAny([type], options);
  }

  /** Waits for the next event of any of the given types. */
  waitForAny<K extends KnownAriEventType>(
    types: readonly K[],
    options: WaitOptions<AriEventOf<K>> = {},
  ): Promise<AriEventOf<K>> {
    const what = types.join('/');
    return new Promise((resolve, reject) => {
      if (this.#released) {
        // The end event (e.g. PlaybackFinished) may have come before the caller started waiting: answer with it.
        const end = this.#endEvent as AriEventOf<K> | undefined;
        if (end && types.includes(end.type as K) && (!options.filter || options.filter(end))) {
          resolve(end);
          return;
        }
        reject(new AriClosedError(`${this.key} was released (${this.#releaseReason}) before ${what}`));
        return;
      }
      if (options.signal?.aborted) {
        reject(new AriAbortedError(`wait for ${what} aborted`, options.signal.reason));
        return;
      }
      let timer: NodeJS.Timeout | undefined;
      const cleanup = () => {
        offEvent();
        offRelease();
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        cleanup();
        reject(new AriAbortedError(`wait for ${what} on ${this.key} aborted`, options.signal?.reason));
      };
      const wanted = new Set<string>(types);
      const offEvent = this.#emitter.on('event', (event) => {
        if (!wanted.has(event.type)) return;
        const typed = event as AriEventOf<K>;
        if (options.filter && !options.filter(typed)) return;
        cleanup();
        resolve(typed);
      });
      const offRelease = this.#emitter.on('released', ({ reason }) => {
        cleanup();
        reject(new AriClosedError(`${this.key} was released (${reason}) before ${what}`));
      });
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(() => {
          cleanup();
          reject(new AriTimeoutError(`no ${what} on ${this.key} within ${options.timeoutMs} ms`));
        }, options.timeoutMs);
      }
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The event that ended the object, once it has ended. */
  get endEvent(): AriEvent | undefined {
    return this.#endEvent;
  }

  /** Number of listeners attached (0 after release). */
  listenerCount(): number {
    return this.#emitter.listenerCount();
  }

  /** Delivers one event to the listeners; returns true when it ends the object. @internal */
  deliver(event: AriEvent): boolean {
    if (this.#released) return false;
    this.update(event);
    this.#emitter.emit('event', event);
    this.#emitter.emit(event.type as KnownAriEventType, event as never);
    const terminal = this.isTerminal(event);
    if (terminal) this.#endEvent = event;
    return terminal;
  }

  /** Stops tracking: emits `released`, removes every listener and leaves the registry. Idempotent. */
  release(reason = 'released'): void {
    if (this.#released) return;
    this.#released = true;
    this.#releaseReason = reason;
    this.#emitter.emit('released', { reason });
    this.#emitter.clear();
    this.#registry.remove(this);
  }

  /** Updates the cached snapshot from an event. */
  protected abstract update(event: AriEvent): void;
  /** True when the event means the object is gone. */
  protected abstract isTerminal(event: AriEvent): boolean;
}

/**
 * Sends the request that starts an object which is already tracked (so none of its events can be missed): stores
 * the reply as its snapshot, or releases the object and rethrows when the request fails.
 */
export async function startTracked<S, T extends Releasable & { snapshot: S | undefined }>(
  obj: T,
  what: string,
  request: () => Promise<S>,
): Promise<T> {
  try {
    obj.snapshot = await request();
  } catch (err) {
    obj.release(`${what} request failed`);
    throw err;
  }
  return obj;
}
