/** The history repository and queries on SQLite and PostgreSQL: insert once, keyset pages, filters, figures. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  decodeCursor,
  encodeCursor,
  HistoryRecorder,
  historyPages,
  historyStats,
  queryHistory,
  toHistoryRow,
} from '../../src/history/index.js';
import { computeKpis, kpiFact, type PbxCallRecord } from '../../src/pbx/index.js';
import { HistoryRepository } from '../../src/store/index.js';
import { backends, withStore } from '../store/backends.js';
import { callRecord } from './fixtures.js';

const T0 = Date.UTC(2026, 10, 22, 0, 0, 0);
const HOUR = 3_600_000;

/** 30 calls over 3 hours, every 6 minutes: a mix of dispositions, sources, destinations and a queue. */
function sample(): PbxCallRecord[] {
  const out: PbxCallRecord[] = [];
  for (let i = 0; i < 30; i++) {
    const kind = i % 5;
    const start = T0 + i * 6 * 60_000;
    const src = i % 2 === 0 ? '201' : '202';
    const dst = i % 3 === 0 ? '600' : '300';
    if (kind === 0)
      out.push(
        callRecord({
          linkedid: `L${i}`,
          start,
          duration: 60,
          answerAfter: 10,
          source: src,
          destination: dst,
          visit: {
            queue: 'ventas',
            outcome: 'answered',
            waitSeconds: 10,
            agent: 'PJSIP/alonso',
            talkSeconds: 50,
          },
        }),
      );
    else if (kind === 1)
      out.push(
        callRecord({
          linkedid: `L${i}`,
          start,
          duration: 40,
          source: src,
          destination: dst,
          visit: { queue: 'ventas', outcome: 'abandoned', leftAt: start + 40_000 },
        }),
      );
    else if (kind === 2)
      out.push(
        callRecord({
          linkedid: `L${i}`,
          start,
          duration: 5,
          source: src,
          destination: dst,
          disposition: 'BUSY',
        }),
      );
    else if (kind === 3)
      out.push(
        callRecord({
          linkedid: `L${i}`,
          start,
          duration: 120,
          answerAfter: 30,
          source: src,
          destination: dst,
        }),
      );
    else out.push(callRecord({ linkedid: `L${i}`, start, duration: 20, source: src, destination: dst }));
  }
  return out;
}

for (const b of backends) {
  describe(`history store (${b.name})`, () => {
    test('a call is stored once: the same (pbx, linkedid) again is skipped, in one batch or later', () =>
      withStore(b.open, async (store) => {
        const repo = new HistoryRepository(store.db, store.dialect);
        const rows = sample().map((r) => toHistoryRow(r));
        assert.equal(await repo.insert(rows), 30);
        assert.equal(
          await repo.insert([rows[0]!, rows[1]!, { ...rows[2]!, linkedid: 'new', callId: 'pbx1/new' }]),
          1,
        );
        assert.equal(await repo.insert([{ ...rows[0]!, pbx: 'pbx2', callId: 'pbx2/L0' }]), 1);
        assert.equal(await repo.count(), 32);
      }));

    // Two stores on one database: PostgreSQL only (each in-memory SQLite store is a database of its own).
    test('two servers on one database storing the same calls at once: each call once', {
      skip: b.name !== 'postgres',
    }, async () => {
      const one = await b.open();
      const two = await b.open();
      try {
        const rows = sample().map((r) => toHistoryRow(r));
        const a = new HistoryRepository(one.db, one.dialect);
        const c = new HistoryRepository(two.db, two.dialect);
        const stored = await Promise.all([a.insert(rows), c.insert([...rows].reverse())]);
        assert.equal(stored[0]! + stored[1]!, 30);
        assert.equal(await a.count(), 30);
      } finally {
        await one.close();
        await two.close();
      }
    });

    test('keyset pages newest first: every row once, none missing, stable while older and newer calls arrive', () =>
      withStore(b.open, async (store) => {
        const repo = new HistoryRepository(store.db, store.dialect);
        // Several calls share a start time: the id breaks the tie.
        const recs = sample().map((r, i) => ({ ...r, start: T0 + Math.floor(i / 3) * 60_000 }));
        await repo.insert(recs.map((r) => toHistoryRow(r)));
        const seen: number[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await queryHistory(repo, {}, { limit: 7, ...(cursor ? { cursor } : {}) });
          seen.push(...page.items.map((c) => c.id));
          for (let i = 1; i < page.items.length; i++) {
            const a = page.items[i - 1]!;
            const c = page.items[i]!;
            assert.ok(a.start > c.start || (a.start === c.start && a.id > c.id), 'newest first');
          }
          cursor = page.next;
          if (pages === 1) {
            // A new call (newer than everything) arrives between pages: it must not shift the rest.
            await repo.insert([
              toHistoryRow(callRecord({ linkedid: 'late', start: T0 + 10 * HOUR, duration: 1 })),
            ]);
          }
          pages++;
        } while (cursor);
        assert.equal(seen.length, 30);
        assert.equal(new Set(seen).size, 30);
        const all = [];
        for await (const p of historyPages(repo, {}, 4)) all.push(...p);
        assert.equal(all.length, 31);
        assert.equal(all[0]!.linkedid, 'late');
      }));

    test('filters: dst, src, disposition, pbx, queue, range and q (escaped LIKE)', () =>
      withStore(b.open, async (store) => {
        const repo = new HistoryRepository(store.db, store.dialect);
        const recs = sample();
        recs.push(
          callRecord({
            server: 'pbx2',
            linkedid: 'P2',
            start: T0,
            duration: 9,
            source: '50%_x',
            destination: '300',
          }),
        );
        await repo.insert(recs.map((r) => toHistoryRow(r)));
        const n = async (f: Parameters<typeof queryHistory>[1]) =>
          (await queryHistory(repo, f, { limit: 1000 })).items;
        assert.equal((await n({ dst: '600' })).length, 10);
        assert.equal(
          (await n({ dst: '600', disposition: 'ANSWERED' })).length,
          recs.filter((r) => r.destination === '600' && r.disposition === 'ANSWERED').length,
        );
        assert.equal((await n({ src: '201' })).length, 15);
        assert.equal((await n({ pbx: 'pbx2' })).length, 1);
        assert.equal((await n({ queue: 'ventas' })).length, 12);
        assert.equal((await n({ from: T0 + HOUR, to: T0 + 2 * HOUR })).length, 10);
        assert.deepEqual(
          (await n({ q: '%_' })).map((c) => c.linkedid),
          ['P2'],
        );
        assert.equal((await n({ q: '20' })).length, 30);
        assert.equal((await n({ q: 'nothing' })).length, 0);
      }));

    test('figures per hour match hand-computed numbers and computeKpis on the same records', () =>
      withStore(b.open, async (store) => {
        const repo = new HistoryRepository(store.db, store.dialect);
        const recs = sample();
        await repo.insert(recs.map((r) => toHistoryRow(r)));
        const s = await historyStats(repo, { from: T0, to: T0 + 3 * HOUR }, { groupBy: 'hour' });
        assert.deepEqual(
          s.groups.map((g) => g.key),
          [0, 1, 2].map((h) => new Date(T0 + h * HOUR).toISOString()),
        );
        // Per hour: 10 calls, i%5 = 0..4 twice each → 4 answered (2 queue + 2 direct), 2 busy, 4 missed.
        for (const g of s.groups) {
          assert.deepEqual([g.total, g.answered, g.busy, g.missed], [10, 4, 2, 4]);
          assert.equal(g.answerRatio, 0.4);
          // Talk of answered calls: queue ones 50 s billable, direct ones 90 s → (2·50 + 2·90) / 4.
          assert.equal(g.averageTalk, 70);
          // Queue: 2 answered after 10 s, 2 abandoned after 40 s → 25 s; SL 2/4.
          assert.deepEqual(g.queue, {
            offered: 4,
            answered: 2,
            abandoned: 2,
            timedOut: 0,
            averageWait: 25,
            longestWait: 40,
            averageTalk: 50,
            serviceLevel: 0.5,
          });
        }
        assert.equal(s.totals.total, 30);
        const live = computeKpis(recs.map(kpiFact), { from: T0, to: T0 + 3 * HOUR });
        const { waiting: _w, ...kq } = live.queues;
        assert.deepEqual(s.totals.queue, kq);
        assert.equal(s.totals.averageWait, live.queues.averageWait);
        const perQueue = await historyStats(repo, { from: T0, to: T0 + 3 * HOUR }, { groupBy: 'queue' });
        const ventas = perQueue.groups.find((g) => g.key === 'ventas')!;
        const { waiting: _w2, ...kv } = live.perQueue.ventas!;
        assert.deepEqual(ventas.queue, kv);
        assert.equal(perQueue.groups.find((g) => g.key === null)!.total, 18);
      }));

    test('figures per day, per extension (source and destination, a self call once) and per route', () =>
      withStore(b.open, async (store) => {
        const repo = new HistoryRepository(store.db, store.dialect);
        const rows = sample().map((r, i) => toHistoryRow(r, i < 10 ? 'salida' : undefined));
        rows.push(
          toHistoryRow(
            callRecord({
              linkedid: 'self',
              start: T0 + 25 * HOUR,
              duration: 3,
              answerAfter: 1,
              source: '201',
              destination: '201',
            }),
          ),
        );
        await repo.insert(rows);
        const day = await historyStats(repo, {}, { groupBy: 'day' });
        assert.deepEqual(
          day.groups.map((g) => [g.key, g.total]),
          [
            [new Date(T0).toISOString(), 30],
            [new Date(T0 + 24 * HOUR).toISOString(), 1],
          ],
        );
        const ext = await historyStats(repo, {}, { groupBy: 'extension' });
        const byExt = Object.fromEntries(ext.groups.map((g) => [g.key, g.total]));
        assert.deepEqual(byExt, { '201': 16, '202': 15, '300': 20, '600': 10 });
        assert.equal(ext.totals.total, 31);
        const route = await historyStats(repo, {}, { groupBy: 'route' });
        assert.deepEqual(
          route.groups.map((g) => [g.key, g.total]),
          [
            ['salida', 10],
            [null, 21],
          ],
        );
      }));

    test('purge removes calls older than the limit; the recorder looks up the router route by uniqueid', () =>
      withStore(b.open, async (store) => {
        const repo = new HistoryRepository(store.db, store.dialect);
        await repo.insert(sample().map((r) => toHistoryRow(r)));
        assert.equal(await repo.purge(T0 + HOUR), 10);
        assert.equal(await repo.count(), 20);
        await store.callLog.add({
          at: new Date(T0).toISOString(),
          uniqueid: 'R1',
          channel: 'PJSIP/201-00000001',
          caller: '201',
          dialed: '0034911',
          route: 'salida',
          outcome: 'answered',
          attempts: 1,
          target: 'PJSIP/trunk/0034911',
          userName: null,
          detail: null,
        });
        const recorder = new HistoryRecorder(repo, { flushEveryMs: 60_000 });
        recorder.add(
          callRecord({
            linkedid: 'R1',
            start: T0 + 5 * HOUR,
            duration: 9,
            answerAfter: 2,
            source: '201',
            destination: '0034911',
          }),
        );
        await recorder.close();
        const [c] = (await queryHistory(repo, { dst: '0034911' })).items;
        assert.equal(c?.route, 'salida');
      }));

    test('a malformed cursor is a typed error; a cursor round-trips', () =>
      withStore(b.open, async (store) => {
        const repo = new HistoryRepository(store.db, store.dialect);
        assert.deepEqual(decodeCursor(encodeCursor({ start: T0, id: 42 })), { start: T0, id: 42 });
        await assert.rejects(queryHistory(repo, {}, { cursor: 'bm9wZQ' }), {
          code: 'HISTORY_INVALID_CURSOR',
        });
        const tooBig = encodeCursor({ start: T0, id: 2 ** 31 });
        await assert.rejects(queryHistory(repo, {}, { cursor: tooBig }), { code: 'HISTORY_INVALID_CURSOR' });
        const top = encodeCursor({ start: T0 + 10 * HOUR, id: 2 ** 31 - 1 });
        assert.deepEqual((await queryHistory(repo, {}, { cursor: top })).items, []);
        await assert.rejects(queryHistory(repo, { from: 2, to: 1 }), { code: 'HISTORY_INVALID_RANGE' });
      }));
  });
}
