/**
 * Simulated time: `now()` runs `speed` times faster than the wall clock from a start instant, and `sleep()` waits
 * simulated milliseconds. Every timer is tracked so `close()` leaves nothing behind.
 */

/** A sleep that ended early because the clock closed or the caller cancelled it. */
export class SimSleepCancelled extends Error {
  /** Stable code. */
  readonly code = 'SIM_SLEEP_CANCELLED';
  constructor() {
    super('sleep cancelled');
    this.name = 'SimSleepCancelled';
  }
}

/** The simulator's clock. */
export class SimClock {
  private readonly startReal = Date.now();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  /**
   * @param speed how many simulated ms pass per real ms (1 = real time)
   * @param startMs simulated time at start (default: now)
   */
  constructor(
    readonly speed = 1,
    private readonly startMs = Date.now(),
  ) {
    if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError('speed must be a positive number');
  }

  /** Simulated epoch milliseconds. */
  now(): number {
    return this.startMs + (Date.now() - this.startReal) * this.speed;
  }

  /** Runs `fn` after `ms` simulated milliseconds; returns a cancel function. */
  after(ms: number, fn: () => void): () => void {
    if (this.closed) return () => {};
    const t = setTimeout(
      () => {
        this.timers.delete(t);
        fn();
      },
      Math.max(0, ms / this.speed),
    );
    this.timers.add(t);
    return () => {
      clearTimeout(t);
      this.timers.delete(t);
    };
  }

  /** Waits `ms` simulated milliseconds; rejects with `SimSleepCancelled` when `signal` fires or the clock closes. */
  sleep(ms: number, signal?: { readonly aborted: boolean; onAbort(fn: () => void): void }): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closed || signal?.aborted) {
        reject(new SimSleepCancelled());
        return;
      }
      let cancel = () => {};
      const done = () => {
        this.waiters.delete(fail);
        resolve();
      };
      const fail = () => {
        cancel();
        this.waiters.delete(fail);
        reject(new SimSleepCancelled());
      };
      this.waiters.add(fail);
      cancel = this.after(ms, done);
      signal?.onAbort(fail);
    });
  }

  private readonly waiters = new Set<() => void>();

  /** Cancels every timer and pending sleep. */
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const w of [...this.waiters]) w();
  }
}

/** A one-shot cancellation signal (a channel's hangup). */
export class SimSignal {
  private fired = false;
  private readonly listeners: Array<() => void> = [];

  /** Whether it fired. */
  get aborted(): boolean {
    return this.fired;
  }

  /** Calls `fn` once when it fires (at once if it already did). */
  onAbort(fn: () => void): void {
    if (this.fired) fn();
    else this.listeners.push(fn);
  }

  /** Fires. */
  abort(): void {
    if (this.fired) return;
    this.fired = true;
    for (const l of this.listeners.splice(0)) l();
  }
}
