/** Shapes of `/api/v1/feeds`. */

/** A feed's filter. */
export interface FeedFilter {
  events?: string[];
  headers?: Record<string, string>;
  regex?: string;
  mine?: boolean;
}

/** A feed. */
export interface Feed {
  id: number;
  owner: number;
  name: string;
  pbx: string | null;
  kind: 'ami' | 'call';
  filter: FeedFilter;
  slow: boolean;
  createdAt: string;
  updatedAt: string;
}

/** `POST /api/v1/feeds/:id/test`. */
export interface FeedTest {
  scanned: number;
  matched: Record<string, string | string[]>[];
}

/** A message of `/api/v1/feeds/:id/live`. */
export interface FeedMessage {
  seq: number;
  pbx: string;
  at: number;
  type: string;
  event?: Record<string, string | string[]>;
  call?: Record<string, unknown>;
}

/** An event's headers as `Name: value` lines (text only). */
export function eventLines(e: Record<string, unknown>): string {
  return Object.entries(e)
    .flatMap(([k, v]) =>
      Array.isArray(v)
        ? v.map((x) => `${k}: ${String(x)}`)
        : [`${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`],
    )
    .join('\n');
}

/** A one-line summary of a filter. */
export function filterSummary(f: FeedFilter, any: string, mine: string): string {
  const parts: string[] = [];
  if (f.events?.length) parts.push(f.events.join(', '));
  for (const [k, v] of Object.entries(f.headers ?? {})) parts.push(`${k} ~ /${v}/`);
  if (f.regex) parts.push(`/${f.regex}/`);
  if (f.mine) parts.push(mine);
  return parts.length ? parts.join(' · ') : any;
}

/** A webhook target (`/api/v1/feeds/:id/webhooks`; the secret only once, on creation). */
export interface WebhookTarget {
  id: number;
  feed: number;
  url: string;
  secretHint: string;
  headers: Record<string, string>;
  paused: boolean;
  pausedReason: string | null;
  failures: number;
  pending: number;
  createdAt: string;
  updatedAt: string;
  secret?: string;
}

/** One delivery of a target (`/api/v1/webhooks/:id/deliveries`). */
export interface Delivery {
  id: string;
  outboxId: number;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  eventAt: string;
  createdAt: string;
  nextAt: string | null;
  finishedAt: string | null;
  responseCode: number | null;
  latencyMs: number | null;
  responseBody: string | null;
  error: string | null;
}
