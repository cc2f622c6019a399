/** A small typed event emitter: listeners never break dispatch, counts are observable, clear() leaves nothing. */

/** A listener of one event. */
export type Listener<T> = (value: T) => void;

/** Where a throwing listener's error goes (the emitter itself never throws out of emit). */
export type ListenerErrorSink = (error: unknown) => void;

/** Typed emitter over an event map `{ name: payload }`. */
export class TypedEmitter<M extends object> {
  readonly #listeners = new Map<keyof M, Set<Listener<never>>>();
  readonly #onError: ListenerErrorSink;

  constructor(onError?: ListenerErrorSink) {
    this.#onError =
      onError ??
      ((err) => {
        process.emitWarning(`ARI listener threw: ${err instanceof Error ? err.message : String(err)}`);
      });
  }

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof M>(type: K, listener: Listener<M[K]>): () => void {
    let set = this.#listeners.get(type);
    if (!set) {
      set = new Set();
      this.#listeners.set(type, set);
    }
    set.add(listener as Listener<never>);
    return () => this.off(type, listener);
  }

  /** Adds a listener that runs once. */
  once<K extends keyof M>(type: K, listener: Listener<M[K]>): () => void {
    const off = this.on(type, (value) => {
      off();
      listener(value);
    });
    return off;
  }

  /** Removes a listener. */
  off<K extends keyof M>(type: K, listener: Listener<M[K]>): void {
    const set = this.#listeners.get(type);
    if (!set) return;
    set.delete(listener as Listener<never>);
    if (set.size === 0) this.#listeners.delete(type);
  }

  /** Calls every listener of `type` in order; a throwing listener is reported and the others still run. */
  emit<K extends keyof M>(type: K, value: M[K]): void {
    const set = this.#listeners.get(type);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as Listener<M[K]>)(value);
      } catch (err) {
        this.#onError(err);
      }
    }
  }

  /** Number of listeners of one type, or of all types. */
  listenerCount(type?: keyof M): number {
    if (type !== undefined) return this.#listeners.get(type)?.size ?? 0;
    let n = 0;
    for (const set of this.#listeners.values()) n += set.size;
    return n;
  }

  /** Removes every listener. */
  clear(): void {
    this.#listeners.clear();
  }
}
