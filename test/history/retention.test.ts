/** Retention: calls older than `retentionDays` are purged at start and on each run; 0 keeps everything. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startRetention, toHistoryRow } from '../../src/history/index.js';
import { HistoryRepository, openStore } from '../../src/store/index.js';
import { callRecord } from './fixtures.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);

test('purges calls that started before now − retentionDays, at start and when asked', async () => {
  const store = await openStore({ url: ':memory:' });
  try {
    const repo = new HistoryRepository(store.db, store.dialect);
    const at = (days: number, id: string) =>
      toHistoryRow(callRecord({ linkedid: id, start: NOW - days * DAY, duration: 1 }));
    await repo.insert([at(40, 'old'), at(31, 'older-than-30'), at(29, 'recent'), at(0, 'today')]);
    let now = NOW;
    const purged: number[] = [];
    const r = startRetention(repo, { retentionDays: 30, now: () => now, onPurged: (n) => purged.push(n) });
    assert.equal(await r.purge(), 0, 'the start-up purge already ran');
    assert.deepEqual(purged, [2, 0]);
    assert.equal(await repo.count(), 2);
    now += 2 * DAY;
    assert.equal(await r.purge(), 1, 'the 29-day-old call is now 31 days old');
    await r.close();
    const keep = startRetention(repo, { retentionDays: 0 });
    assert.equal(await keep.purge(), 0);
    await keep.close();
    assert.equal(await repo.count(), 1);
  } finally {
    await store.close();
  }
});
