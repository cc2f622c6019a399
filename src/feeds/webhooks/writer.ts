/**
 * Puts feed messages in the outbox: each message the feeds engine emits is written, for every target of its
 * feed, in one transaction with the others of the same tick (one INSERT for hundreds of events), in emit order,
 * and the delivery engine is woken. The message is in the database before anything is sent.
 */
import { randomUUID } from 'node:crypto';
import type { WebhookOutboxRepository } from '../../store/index.js';
import type { FeedMessage } from '../engine.js';

/** The JSON a receiver gets for one event. */
export interface WebhookEvent extends FeedMessage {
  /** The delivery id (also `Switchboard-Delivery` when `batch` is 1). */
  id: string;
  /** The feed it matched. */
  feed: number;
}

/** See the file comment. */
export class OutboxWriter {
  private pending: Array<{ feedId: number; m: FeedMessage }> = [];
  private scheduled = false;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly outbox: WebhookOutboxRepository,
    private readonly onWritten: (rows: number) => void,
    private readonly onError: (err: Error) => void = () => {},
  ) {}

  /** Accepts one feed message. */
  add(feedId: number, m: FeedMessage): void {
    this.pending.push({ feedId, m });
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  /** Writes what is pending (in order after earlier flushes). */
  flush(): Promise<void> {
    const events = this.pending;
    this.pending = [];
    if (events.length === 0) return this.chain;
    this.chain = this.chain.then(async () => {
      try {
        const rows = await this.outbox.enqueue(
          events.map(({ feedId, m }) => ({
            feedId,
            eventAt: new Date(m.at).toISOString(),
            make: (id: string) => JSON.stringify({ id, feed: feedId, ...m } satisfies WebhookEvent),
          })),
          randomUUID,
        );
        if (rows > 0) this.onWritten(rows);
      } catch (err) {
        this.onError(err as Error);
      }
    });
    return this.chain;
  }
}
