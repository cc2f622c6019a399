/** `webhooks:` — delivery settings of the signed-webhook outbox. */
import { z } from 'zod';

/** The `webhooks:` section. */
export const webhooksSchema = z
  .object({
    /** Allow loopback/private/link-local/ULA targets (SSRF guard off): for a receiver on the same host or LAN. */
    allowPrivateTargets: z.boolean().default(false),
    /** Attempts per delivery before it is marked failed. */
    maxAttempts: z.number().int().min(1).max(100).default(10),
    /** Time budget of one HTTP attempt (connect + response), ms. */
    timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
    /** Events per POST: 1 = one JSON object per request; more = a JSON array of up to `batch` events. */
    batch: z.number().int().min(1).max(100).default(1),
    /** Consecutive failed attempts after which the target is paused (resume with PATCH {paused: false}). */
    pauseAfterFailures: z.number().int().min(1).max(100_000).default(30),
    /** First retry delay (doubles each attempt, with jitter), ms. */
    backoffMs: z.number().int().min(1).max(3_600_000).default(1000),
    /** Longest retry delay (also caps `Retry-After`), ms. */
    maxBackoffMs: z.number().int().min(1).max(86_400_000).default(3_600_000),
    /** Targets delivered to at once by one server. */
    concurrency: z.number().int().min(1).max(1000).default(64),
    /** How often an idle engine looks for due deliveries (other servers' rows, retries), ms. */
    pollMs: z.number().int().min(10).max(60_000).default(500),
    /** Finished deliveries kept in the log, days (0 = forever). */
    keepDays: z.number().int().min(0).max(3650).default(7),
  })
  .strict();

/** The validated `webhooks:` section. */
export type WebhooksConfig = z.output<typeof webhooksSchema>;

/** Defaults of `webhooks:`. */
export const WEBHOOKS_DEFAULTS: WebhooksConfig = webhooksSchema.parse({});
