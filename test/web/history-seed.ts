/** Test helper: finished calls written straight into a server's history (the same rows the recorder writes). */
import { toHistoryRow } from '../../src/history/index.js';
import { HistoryRepository, type Store } from '../../src/store/index.js';
import { type CallOptions, callRecord } from '../history/fixtures.js';

/** Stores the calls (each through `toHistoryRow`, with its route when given); resolves with how many were new. */
export function seedHistory(store: Store, calls: (CallOptions & { route?: string })[]): Promise<number> {
  const repo = new HistoryRepository(store.db, store.dialect);
  return repo.insert(calls.map((c) => toHistoryRow(callRecord(c), c.route)));
}

/** Local midnight today (the pages' "today"). */
export function todayMidnight(now = Date.now()): number {
  const d = new Date(now);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}
