import type { AmiMessage } from './message.js';

/** Which events a subscriber wants; every given criterion must hold. */
export interface AmiEventFilter {
  /** Event names (case-insensitive), e.g. `['Dial', 'DialBegin', 'Hangup']`. */
  events?: string | readonly string[];
  /** Header values: a string must equal the value (case-sensitive), a RegExp must match it. */
  headers?: Readonly<Record<string, string | RegExp>>;
  /** Regular expression over the packet's wire text (like Asterisk's own `eventfilter`). */
  match?: RegExp;
  /** Any other test. */
  where?: (message: AmiMessage) => boolean;
}

/** Compiles a filter into a predicate (event names into a Set, header names lower-cased once). */
export function compileFilter(filter: AmiEventFilter | undefined): (m: AmiMessage) => boolean {
  if (!filter) return () => true;
  const names =
    filter.events === undefined
      ? undefined
      : new Set(
          (typeof filter.events === 'string' ? [filter.events] : filter.events).map((e) => e.toLowerCase()),
        );
  const headers = filter.headers ? Object.entries(filter.headers) : [];
  const { match, where } = filter;
  return (m) => {
    if (names !== undefined && !names.has((m.event ?? '').toLowerCase())) return false;
    for (const [k, want] of headers) {
      const v = m.get(k);
      if (v === undefined) return false;
      if (typeof want === 'string' ? v !== want : !regexTest(want, v)) return false;
    }
    if (match !== undefined && !regexTest(match, m.text())) return false;
    return where === undefined || where(m);
  };
}

function regexTest(re: RegExp, s: string): boolean {
  // Global/sticky regexps keep state between calls; reset so every event is tested from the start.
  if (re.global || re.sticky) re.lastIndex = 0;
  return re.test(s);
}

/** Reported when a subscriber's queue is full and an event is dropped for it (other subscribers unaffected). */
export interface AmiOverflow {
  /** The subscriber that fell behind. */
  stream: AmiEventStream;
  /** Events dropped for it so far. */
  dropped: number;
}

/**
 * A `for await` subscription with its own bounded queue. The client pushes without ever waiting; when the
 * queue is full the newest event is dropped for this subscriber only and counted in `dropped`.
 */
export class AmiEventStream implements AsyncIterableIterator<AmiMessage> {
  /** Events dropped because the queue was full. */
  dropped = 0;
  /** Events accepted into the queue. */
  accepted = 0;
  private queue: AmiMessage[] = [];
  private head = 0;
  private waiter: ((r: IteratorResult<AmiMessage>) => void) | undefined;
  private done = false;
  private readonly test: (m: AmiMessage) => boolean;

  constructor(
    filter: AmiEventFilter | undefined,
    /** Largest number of undelivered events kept. */
    readonly queueSize: number,
    private readonly onClose: (s: AmiEventStream) => void,
    private readonly onOverflow: (s: AmiEventStream) => void,
  ) {
    this.test = compileFilter(filter);
  }

  /** Events waiting to be consumed. */
  get size(): number {
    return this.queue.length - this.head;
  }

  /** Whether the subscription has ended. */
  get closed(): boolean {
    return this.done;
  }

  /** Offers one event (filtered); never blocks. Returns false if it was dropped for overflow. */
  offer(m: AmiMessage): boolean {
    if (this.done || !this.test(m)) return true;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      this.accepted++;
      w({ value: m, done: false });
      return true;
    }
    if (this.size >= this.queueSize) {
      this.dropped++;
      this.onOverflow(this);
      return false;
    }
    this.accepted++;
    this.queue.push(m);
    return true;
  }

  next(): Promise<IteratorResult<AmiMessage>> {
    if (this.head < this.queue.length) {
      const value = this.queue[this.head]!;
      this.queue[this.head] = undefined as unknown as AmiMessage;
      this.head++;
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  /** Ends the subscription (also what `break` in `for await` does); queued events are discarded. */
  return(): Promise<IteratorResult<AmiMessage>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  /** Ends the subscription but lets the consumer drain what is already queued (used when the client closes). */
  end(): void {
    if (this.done) return;
    this.done = true;
    const w = this.waiter;
    this.waiter = undefined;
    w?.({ value: undefined, done: true });
    this.onClose(this);
  }

  /** Ends the subscription; a pending `next()` resolves as done. */
  close(): void {
    if (this.done) return;
    this.done = true;
    this.queue = [];
    this.head = 0;
    const w = this.waiter;
    this.waiter = undefined;
    w?.({ value: undefined, done: true });
    this.onClose(this);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<AmiMessage> {
    return this;
  }
}
