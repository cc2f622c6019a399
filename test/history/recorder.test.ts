/** The recorder: batches, flush on close, stored once after a reconnect; the dialled number of recorded calls. */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, test } from 'node:test';
import { dialledNumber, HistoryRecorder, queryHistory, toHistoryRow } from '../../src/history/index.js';
import type { PbxCallRecord, PbxChange } from '../../src/pbx/index.js';
import { HistoryRepository, openStore } from '../../src/store/index.js';
import { run } from '../pbx/replay-check.js';
import { backends, withStore } from '../store/backends.js';
import { callRecord } from './fixtures.js';

const T0 = Date.UTC(2026, 10, 22, 9, 0, 0);

/** A monitor stand-in that emits `record` changes like `PbxMonitor`. */
class Source extends EventEmitter<{ change: [PbxChange] }> {
  seq = 0;
  record(r: PbxCallRecord, endedWhileDisconnected = false): void {
    this.emit('change', {
      seq: ++this.seq,
      server: r.server,
      type: 'record',
      op: 'add',
      id: r.id,
      data: r,
      ...(endedWhileDisconnected ? { endedWhileDisconnected } : {}),
    });
  }
}

function recorded(name: string): PbxCallRecord[] {
  return run(`asterisk/ami/${name}.jsonl`).records;
}

describe('dialled number (destination)', () => {
  test('click-to-dial: 200, not the `s` of the originated channel’s Cdr', () => {
    const [r] = recorded('sip-click-to-dial');
    assert.ok(r);
    assert.ok(
      r.cdrs.some((c) => c.destination === 's'),
      'the fixture has a Cdr to s',
    );
    const row = toHistoryRow(r);
    assert.deepEqual([row.source, row.destination, row.disposition], ['reina', '200', 'ANSWERED']);
    assert.ok(JSON.parse(row.detail).legs.length === 4);
  });

  test('provisioning wizard: 2001 calls 200', () => {
    const [r] = recorded('sip-provision-wizard');
    assert.ok(r);
    const row = toHistoryRow(r);
    assert.deepEqual([row.source, row.destination, row.disposition], ['2001', '200', 'ANSWERED']);
  });

  test('falls back to a leg’s extension, then a Local channel’s, then a Cdr that is not `s`', () => {
    const [r] = recorded('sip-click-to-dial');
    assert.ok(r);
    const noDest = { ...r, destination: 's' };
    assert.equal(dialledNumber(noDest), '200');
    const noExten = { ...noDest, legs: noDest.legs.map(({ exten: _e, ...l }) => l) };
    assert.equal(dialledNumber(noExten), '200', 'from Local/200@oficina2');
    const onlyCdr = { ...noExten, legs: noExten.legs.filter((l) => !l.name.startsWith('Local/')) };
    assert.equal(dialledNumber(onlyCdr), '200', 'from the Local leg’s Cdr');
    assert.equal(
      dialledNumber({ ...onlyCdr, cdrs: onlyCdr.cdrs.filter((c) => c.destination === 's') }),
      undefined,
    );
  });
});

for (const b of backends) {
  describe(`history recorder (${b.name})`, () => {
    test('writes in batches of batchSize, and the rest on close', () =>
      withStore(b.open, async (store) => {
        const repo = new HistoryRepository(store.db, store.dialect);
        const batches: number[] = [];
        const sink = {
          insert: (rows: Parameters<HistoryRepository['insert']>[0]) => {
            batches.push(rows.length);
            return repo.insert(rows);
          },
          routesFor: (u: readonly string[]) => repo.routesFor(u),
        };
        const source = new Source();
        const rec = new HistoryRecorder(sink, { batchSize: 3, flushEveryMs: 3_600_000 }).start(source);
        const add = (i: number) =>
          source.record(callRecord({ linkedid: `B${i}`, start: T0 + i, duration: 1 }));
        for (let i = 0; i < 2; i++) add(i);
        await rec.settled();
        assert.deepEqual(batches, [], 'below batchSize: nothing written yet');
        add(2);
        await rec.settled();
        assert.deepEqual(batches, [3], 'the third call fills the batch');
        for (let i = 3; i < 7; i++) add(i);
        await rec.settled();
        assert.deepEqual(batches, [3, 4], 'the sixth call started a write of everything pending by then');
        add(7);
        await rec.settled();
        assert.equal(rec.stats().pending, 1);
        await rec.close();
        assert.deepEqual(batches, [3, 4, 1], 'close writes the rest');
        assert.equal(await repo.count(), 8);
        source.record(callRecord({ linkedid: 'after-close', start: T0, duration: 1 }));
        assert.equal(await repo.count(), 8, 'a closed recorder no longer listens');
      }));

    test('a replayed transcript twice, and re-emitted records after a reconnect, are stored once', () =>
      withStore(b.open, async (store) => {
        const repo = new HistoryRepository(store.db, store.dialect);
        const source = new Source();
        const rec = new HistoryRecorder(repo, { flushEveryMs: 3_600_000 }).start(source);
        const calls = [...recorded('sip-click-to-dial'), ...recorded('sip-queue')];
        for (const r of calls) source.record(r);
        await rec.flush();
        for (const r of recorded('sip-click-to-dial'))
          source.record({ ...r, endedWhileDisconnected: true }, true);
        for (const r of calls) source.record(r);
        await rec.close();
        assert.equal(await repo.count(), 2);
        assert.deepEqual(
          { written: rec.stats().written, duplicates: rec.stats().duplicates },
          { written: 2, duplicates: 3 },
        );
        const page = await queryHistory(repo, {});
        const q = page.items.find((c) => c.queue === 'ventas');
        assert.deepEqual(
          [q?.agent, q?.queueOutcome, q?.waitSeconds, q?.talkSeconds],
          ['PJSIP/alonso', 'answered', 1, 2],
        );
        assert.equal(
          page.items.find((c) => c.source === 'reina' && c.queue === null)?.endedWhileDisconnected,
          false,
        );
      }));
  });
}

test('a failed write keeps the calls pending and the next flush stores them', async () => {
  const store = await openStore({ url: ':memory:' });
  try {
    const repo = new HistoryRepository(store.db, store.dialect);
    let fail = true;
    const errors: string[] = [];
    const rec = new HistoryRecorder(
      {
        insert: (rows) => (fail ? Promise.reject(new Error('disk full')) : repo.insert(rows)),
        routesFor: (u) => repo.routesFor(u),
      },
      { flushEveryMs: 3_600_000, onError: (e) => errors.push(e.code) },
    );
    rec.add(callRecord({ linkedid: 'F1', start: T0, duration: 1 }));
    await rec.flush();
    assert.deepEqual(errors, ['HISTORY_WRITE_FAILED']);
    assert.equal(rec.stats().pending, 1);
    fail = false;
    await rec.close();
    assert.equal(await repo.count(), 1);
    assert.throws(() => rec.add(callRecord({ linkedid: 'F2', start: T0, duration: 1 })), {
      code: 'HISTORY_CLOSED',
    });
  } finally {
    await store.close();
  }
});
