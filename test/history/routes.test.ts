/** `/api/v1/history` and `/api/v1/stats` over real sockets: a recorded call replayed through the fake AMI, pages, CSV, auth. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { type AmiMessage, AmiParser } from '../../src/ami/index.js';
import { toHistoryRow } from '../../src/history/index.js';
import { historyService } from '../../src/server/rooms/history.js';
import { HistoryRepository, openStore, type Store } from '../../src/store/index.js';
import { waitUntil } from '../helpers/wait.js';
import { type Harness, startHarness } from '../server/harness.js';
import { callRecord } from './fixtures.js';

function events(name: string): AmiMessage[] {
  const out: AmiMessage[] = [];
  const p = new AmiParser({ onMessage: (m) => m.kind === 'event' && out.push(m) });
  p.push(readFileSync(new URL(`../fixtures/asterisk/ami/${name}.raw`, import.meta.url)));
  return out.filter((m) => !['FullyBooted', 'SuccessfulAuth'].includes(m.get('Event') ?? ''));
}

const T0 = Date.UTC(2026, 10, 22, 0, 0, 0);

describe('history routes', () => {
  let h: Harness;
  let store: Store;
  before(async () => {
    store = await openStore({ url: ':memory:' });
    // A long flush interval: the click-to-dial call below is written by close() or by the batch, never by the timer.
    h = await startHarness({ store, services: [historyService({ flushEveryMs: 50 })] });
    await h.user('vic', 'viewer');
    await h.user('ada', 'admin');
    await h.server.context.pbx.monitor.ready();
  });
  after(async () => {
    await h.close();
    await store.close();
  });

  test('401 without credentials, 403 for a click-to-dial token, on every history route', async () => {
    const anon = h.anonymous();
    const scoped = await h.token('vic', 'click-to-dial');
    for (const path of [
      '/api/v1/history',
      '/api/v1/history/1',
      '/api/v1/stats',
      '/api/v1/history?format=csv',
    ]) {
      assert.equal((await anon.call('GET', path)).status, 401, path);
      const r = await scoped.call('GET', path);
      assert.equal(r.status, 403, path);
      assert.equal(r.body.error.code, 'FORBIDDEN');
    }
  });

  test('a click-to-dial call replayed through the fake AMI is stored and shown with its legs, to 200', async () => {
    for (const m of events('sip-click-to-dial')) h.ami[0]!.emit(m.headers);
    const vic = await h.login('vic');
    let items: { id: number; destination: string; source: string; pbx: string }[] = [];
    // The recorder writes on its own schedule: wait for the monitor's record, then for the row.
    const repo = new HistoryRepository(store.db, store.dialect);
    let stored = 0;
    const poll = setInterval(() => void repo.count().then((n) => (stored = n)), 10);
    try {
      await waitUntil(() => stored >= 1, 'the call in the history');
    } finally {
      clearInterval(poll);
    }
    items = (await vic.call('GET', '/api/v1/history?pbx=pbx1&dst=200')).body.items;
    assert.equal(items.length, 1);
    assert.deepEqual([items[0]!.source, items[0]!.destination, items[0]!.pbx], ['reina', '200', 'pbx1']);
    const one = await vic.call('GET', `/api/v1/history/${items[0]!.id}`);
    assert.equal(one.status, 200);
    assert.equal(one.body.legs.length, 4);
    assert.ok(one.body.dials.length >= 1);
    assert.ok(Array.isArray(one.body.transfers) && Array.isArray(one.body.queues));
    assert.equal((await vic.call('GET', '/api/v1/history/999999')).status, 404);
    const metrics = await h.server.context.metrics.registry.getSingleMetricAsString(
      'switchboard_history_writes_total',
    );
    assert.match(metrics, /switchboard_history_writes_total 1/);
  });

  test('pages with a cursor; bad input is a 400 naming the field', async () => {
    const repo = new HistoryRepository(store.db, store.dialect);
    await repo.insert(
      Array.from({ length: 25 }, (_, i) =>
        toHistoryRow(
          callRecord({
            linkedid: `P${i}`,
            start: T0 + i * 1000,
            duration: 3,
            source: '201',
            destination: '300',
          }),
        ),
      ),
    );
    const vic = await h.token('vic');
    const ids: number[] = [];
    let next: string | undefined;
    do {
      const r = await vic.call('GET', `/api/v1/history?dst=300&limit=10${next ? `&cursor=${next}` : ''}`);
      assert.equal(r.status, 200);
      ids.push(...r.body.items.map((c: { id: number }) => c.id));
      next = r.body.next;
    } while (next);
    assert.equal(ids.length, 25);
    assert.equal(new Set(ids).size, 25);
    const bad = await vic.call('GET', '/api/v1/history?cursor=zzz');
    assert.deepEqual(
      [bad.status, bad.body.error.code, bad.body.error.field],
      [400, 'HISTORY_INVALID_CURSOR', 'query.cursor'],
    );
    const badTime = await vic.call('GET', '/api/v1/history?from=yesterday');
    assert.deepEqual([badTime.status, badTime.body.error.field], [400, 'query.from']);
    const badDisp = await vic.call('GET', '/api/v1/history?disposition=MAYBE');
    assert.deepEqual([badDisp.status, badDisp.body.error.field], [400, 'query.disposition']);
  });

  test('CSV export: every page streamed, quoted, formulas neutralised', async () => {
    const repo = new HistoryRepository(store.db, store.dialect);
    const evil = callRecord({
      linkedid: 'E1',
      start: T0 + 99_000,
      duration: 1,
      source: '=HYPERLINK("x")',
      destination: '300',
    });
    await repo.insert([toHistoryRow(evil)]);
    const vic = await h.token('vic');
    const r = await vic.call('GET', '/api/v1/history?dst=300', undefined, { accept: 'text/csv' });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/csv/);
    const lines = r.text.split('\r\n').filter(Boolean);
    assert.equal(lines.length, 1 + 26, 'header + every matching call, beyond one page');
    assert.ok(lines[0]!.startsWith('id,callId,pbx,start,'));
    assert.ok(lines[1]!.includes(`,"'=HYPERLINK(""x"")",300,`), lines[1]);
    const viaFormat = await vic.call('GET', '/api/v1/history?dst=300&format=csv');
    assert.equal(viaFormat.text, r.text);
  });

  test('stats per hour over a range, with totals', async () => {
    const vic = await h.token('vic');
    const r = await vic.call(
      'GET',
      `/api/v1/stats?from=${new Date(T0).toISOString()}&to=${T0 + 3_600_000}&groupBy=hour`,
    );
    assert.equal(r.status, 200);
    assert.equal(r.body.groups.length, 1);
    assert.equal(r.body.groups[0].key, new Date(T0).toISOString());
    assert.equal(r.body.totals.total, 26);
    assert.equal(r.body.totals.missed, 26);
    assert.equal(r.body.totals.answerRatio, 0);
    const bad = await vic.call('GET', '/api/v1/stats?groupBy=week');
    assert.deepEqual([bad.status, bad.body.error.field], [400, 'query.groupBy']);
  });
});

test('a clean shutdown writes the calls still waiting for their batch', async () => {
  const store = await openStore({ url: ':memory:' });
  try {
    const h = await startHarness({
      store,
      services: [historyService({ flushEveryMs: 3_600_000, batchSize: 1000 })],
    });
    await h.server.context.pbx.monitor.ready();
    let records = 0;
    h.server.context.pbx.monitor.on('change', (c) => {
      if (c.type === 'record') records++;
    });
    for (const m of events('sip-click-to-dial')) h.ami[0]!.emit(m.headers);
    await waitUntil(() => records === 1, 'the record');
    const repo = new HistoryRepository(store.db, store.dialect);
    assert.equal(await repo.count(), 0, 'still in the batch');
    await h.close();
    assert.equal(await repo.count(), 1);
  } finally {
    await store.close();
  }
});
