/** Tables of the webhooks part of the feeds room: targets per feed and the durable outbox (times ISO-8601 UTC text). */
import type { Generated } from 'kysely';

/** `webhook_targets`: one URL a feed's events are POSTed to. */
export interface WebhookTargetsTable {
  id: Generated<number>;
  feed_id: number;
  url: string;
  /** HMAC key (needed in clear to sign; never listed). */
  secret: string;
  /** Extra request headers as a JSON object. */
  headers: string;
  /** 1 while paused (by an operator or after repeated failures). */
  paused: number;
  /** Why it was paused (`manual`, `failures`), null when running. */
  paused_reason: string | null;
  /** Consecutive failed attempts (reset by a success or a resume). */
  failures: number;
  created_at: string;
  updated_at: string;
}

/** `webhook_outbox`: one row per event per target; delivered rows stay as the delivery log until pruned. */
export interface WebhookOutboxTable {
  /** Order of the target's queue. */
  id: Generated<number>;
  target_id: number;
  /** `Switchboard-Delivery`: made at enqueue, kept across retries, restarts, redelivery and replay. */
  delivery_id: string;
  /** The event as JSON, exactly the bytes that are signed and sent (with batch 1). */
  body: string;
  /** `pending`, `delivered`, `failed`. */
  status: string;
  attempts: number;
  /** Not before (ISO). */
  next_at: string;
  /** Lease holder and expiry: a crashed holder's lease runs out and another engine takes the row. */
  locked_by: string | null;
  locked_until: string | null;
  created_at: string;
  /** When the event was first accepted (replay copies keep it; `created_at` is the copy's). */
  event_at: string;
  finished_at: string | null;
  last_code: number | null;
  last_error: string | null;
  last_latency_ms: number | null;
  /** First 256 bytes of the last response body. */
  last_body: string | null;
}

/** The webhooks tables. */
export interface WebhookTables {
  webhook_targets: WebhookTargetsTable;
  webhook_outbox: WebhookOutboxTable;
}
