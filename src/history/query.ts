/** `queryHistory`: one page of calls newest first, with an opaque keyset cursor; `historyPages` walks every page. */
import type { HistoryEntry, HistoryFilter, HistoryKey, HistoryRepository } from '../store/index.js';
import { HistoryError } from './errors.js';

/** A call as the API shows it in lists (times ISO-8601 UTC). */
export interface HistoryCall {
  /** Row id (for `GET /api/v1/history/:id`). */
  id: number;
  /** Call id (`<pbx>/<linkedid>`). */
  callId: string;
  /** PBX id. */
  pbx: string;
  /** Linkedid. */
  linkedid: string;
  /** Start. */
  start: string;
  /** Answer (null when unanswered). */
  answer: string | null;
  /** End. */
  end: string;
  /** Seconds from start to end. */
  durationSeconds: number;
  /** Seconds from answer to end. */
  billableSeconds: number;
  /** Caller number. */
  source: string | null;
  /** The number dialled. */
  destination: string | null;
  /** Caller name. */
  callerName: string | null;
  /** ANSWERED, NO ANSWER, BUSY or FAILED. */
  disposition: string;
  /** Hangup cause code. */
  hangupCause: number | null;
  /** Its text. */
  hangupCauseText: string | null;
  /** Queue. */
  queue: string | null;
  /** Agent that answered. */
  agent: string | null;
  /** Queue visit outcome. */
  queueOutcome: string | null;
  /** Seconds waited in the queue. */
  waitSeconds: number | null;
  /** Seconds talked with the agent. */
  talkSeconds: number | null;
  /** Router route. */
  route: string | null;
  /** A leg ended while the AMI link was down. */
  endedWhileDisconnected: boolean;
}

/** Page options. */
export interface HistoryPageOptions {
  /** Rows per page (1–1000, default 50). */
  limit?: number;
  /** The `next` of the previous page. */
  cursor?: string;
}

/** One page: the calls and the cursor of the next page (absent on the last page). */
export interface HistoryPage {
  /** Calls, newest first. */
  items: HistoryCall[];
  /** Cursor for the next page. */
  next?: string;
}

/** The largest row id (`serial` is a 32-bit integer). */
export const MAX_ID = 2_147_483_647;

/** Encodes a keyset position as an opaque cursor. */
export function encodeCursor(key: HistoryKey): string {
  return Buffer.from(`${key.start}.${key.id}`).toString('base64url');
}

/** Decodes a cursor; a malformed one is a `HISTORY_INVALID_CURSOR` error. */
export function decodeCursor(cursor: string): HistoryKey {
  const m = /^(\d{1,16})\.(\d{1,16})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  // Row ids are 32-bit (`serial`): a larger one cannot come from this server, and PostgreSQL would refuse it.
  if (!m || Number(m[2]) > MAX_ID)
    throw new HistoryError('HISTORY_INVALID_CURSOR', 'cursor is not one this server gave', 'query.cursor');
  return { start: Number(m[1]), id: Number(m[2]) };
}

/** The list shape of a stored call. */
export function toHistoryCall(e: HistoryEntry): HistoryCall {
  const { detail: _d, start, answer, end, ...rest } = e;
  return {
    ...rest,
    start: new Date(start).toISOString(),
    answer: answer === null ? null : new Date(answer).toISOString(),
    end: new Date(end).toISOString(),
  };
}

/** Refuses a filter whose range is reversed (`HISTORY_INVALID_RANGE`). */
export function checkHistoryFilter(filter: HistoryFilter): void {
  if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to) {
    throw new HistoryError('HISTORY_INVALID_RANGE', '`from` is after `to`', 'query.from');
  }
}

/** One page of the calls matching `filter`, newest first (keyset: stable while new calls are stored). */
export async function queryHistory(
  repo: Pick<HistoryRepository, 'page'>,
  filter: HistoryFilter,
  options: HistoryPageOptions = {},
): Promise<HistoryPage> {
  checkHistoryFilter(filter);
  const limit = Math.min(1000, Math.max(1, Math.floor(options.limit ?? 50)));
  const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
  const rows = await repo.page(filter, limit, after);
  const last = rows.at(-1);
  return {
    items: rows.map(toHistoryCall),
    ...(rows.length === limit && last ? { next: encodeCursor(last) } : {}),
  };
}

/** Every page of a query in turn (CSV export): one page in memory at a time. */
export async function* historyPages(
  repo: Pick<HistoryRepository, 'page'>,
  filter: HistoryFilter,
  pageSize = 1000,
): AsyncGenerator<HistoryCall[]> {
  checkHistoryFilter(filter);
  let after: HistoryKey | undefined;
  for (;;) {
    const rows = await repo.page(filter, pageSize, after);
    if (rows.length > 0) yield rows.map(toHistoryCall);
    const last = rows.at(-1);
    if (rows.length < pageSize || !last) return;
    after = { start: last.start, id: last.id };
  }
}
