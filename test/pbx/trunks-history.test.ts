/**
 * TrunkHistoryRecorder (src/history/trunks.ts): the recorded trunk transcript through the real AmiClient and
 * PbxMonitor into the store on every back end; restarts continue the stored history; a failing store loses nothing.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { AmiClient } from '../../src/ami/index.js';
import { TrunkHistoryRecorder, type TrunkRecorderError } from '../../src/history/trunks.js';
import { type PbxChange, PbxMonitor, type PbxTrunk } from '../../src/pbx/index.js';
import { type TrunkStateChange, TrunkStateRepository } from '../../src/store/index.js';
import { AmiTranscriptReplay, FakeAmiServer } from '../../src/testing/index.js';
import { waitUntil } from '../helpers/wait.js';
import { backends, withStore } from '../store/backends.js';

const fixture = new URL('../fixtures/asterisk/ami/pjsip-trunk-registration.jsonl', import.meta.url).pathname;
const REG = 'pbx1/pjsip-registration/trunk13-reg';

const trunkChange = (
  seq: number,
  state: PbxTrunk['state'],
  since: number,
  op: PbxChange['op'] = 'update',
): PbxChange => ({
  seq,
  server: 'pbx1',
  type: 'trunk',
  op,
  id: REG,
  data: {
    id: REG,
    server: 'pbx1',
    name: 'trunk13-reg',
    kind: 'pjsip-registration',
    state,
    since,
    reason: state,
  } satisfies PbxTrunk,
});

for (const backend of backends) {
  describe(`trunk history recorder on ${backend.name}`, () => {
    test('the recorded transcript: every state change stored once, flushed on close', () =>
      withStore(backend.open, async (store) => {
        const repo = new TrunkStateRepository(store.db, store.dialect);
        const server = await FakeAmiServer.start({
          replay: AmiTranscriptReplay.fromJsonl(readFileSync(fixture, 'utf8')),
        });
        const client = new AmiClient({ url: server.url(), keepalive: false, reconnect: false });
        const monitor = new PbxMonitor([{ id: 'pbx1', client }], { tickMs: 60_000, kpiEveryMs: 0 });
        // A long flush interval: everything reaches the store through close().
        const recorder = new TrunkHistoryRecorder(monitor, repo, { flushEveryMs: 60_000 }).start();
        try {
          await client.connect();
          monitor.start();
          await monitor.ready();
          const state = () => monitor.model('pbx1')!.trunk(REG)?.state;
          await monitor.unregister(REG);
          await waitUntil(() => state() === 'unregistered', 'Unregistered');
          await monitor.register(REG);
          await waitUntil(() => state() === 'rejected', 'Rejected');
          await monitor.resync('pbx1');
          await monitor.register(REG);
          await waitUntil(() => state() === 'registered', 'Registered');
          assert.equal(recorder.stats().written, 0);
        } finally {
          await monitor.close();
          await recorder.close();
          await client.close();
          await server.close();
        }
        const rows = await repo.list({ trunkId: REG });
        assert.deepEqual(
          rows.map((r) => [r.from, r.to, r.pbx, r.kind]),
          [
            [null, 'registered', 'pbx1', 'pjsip-registration'],
            ['registered', 'unregistered', 'pbx1', 'pjsip-registration'],
            ['unregistered', 'registering', 'pbx1', 'pjsip-registration'],
            ['registering', 'rejected', 'pbx1', 'pjsip-registration'],
            ['rejected', 'registering', 'pbx1', 'pjsip-registration'],
            ['registering', 'registered', 'pbx1', 'pjsip-registration'],
          ],
        );
        assert.deepEqual(
          rows.map((r) => r.reason),
          [
            'Registered',
            'Unregistered',
            'PJSIPRegister sent',
            'Rejected',
            'PJSIPRegister sent',
            'Registered',
          ],
        );
        assert.equal(recorder.stats().written, 6);
      }));

    test('after a restart the first sighting continues the stored history (no row when unchanged)', () =>
      withStore(backend.open, async (store) => {
        const repo = new TrunkStateRepository(store.db, store.dialect);
        await repo.insert([
          {
            trunkId: REG,
            pbx: 'pbx1',
            kind: 'pjsip-registration',
            from: null,
            to: 'registered',
            at: 1000,
            reason: null,
          },
        ]);
        const source = new EventEmitter<{ change: [PbxChange] }>();
        const rec = new TrunkHistoryRecorder(source, repo, { flushEveryMs: 60_000 }).start();
        source.emit('change', trunkChange(1, 'registered', 5000, 'add'));
        await rec.flush();
        assert.equal((await repo.list({ trunkId: REG })).length, 1);
        await rec.close();
        const rec2 = new TrunkHistoryRecorder(source, repo, { flushEveryMs: 60_000 }).start();
        source.emit('change', trunkChange(1, 'rejected', 6000, 'add'));
        // A detail-only update (same state) is not a row.
        source.emit('change', trunkChange(2, 'rejected', 6000));
        await rec2.close();
        assert.deepEqual(
          (await repo.list({ trunkId: REG })).map((r) => [r.from, r.to, r.at]),
          [
            [null, 'registered', 1000],
            ['registered', 'rejected', 6000],
          ],
        );
      }));
  });
}

describe('trunk history recorder and a failing store', () => {
  test('rows stay pending while writes fail and are written in order once the store is back; overflow is counted', async () => {
    const written: TrunkStateChange[] = [];
    let down = true;
    const errors: string[] = [];
    const sink = {
      insert: async (rows: readonly TrunkStateChange[]) => {
        if (down) throw new Error('database is locked');
        written.push(...rows);
      },
      latest: async () => undefined,
    };
    const source = new EventEmitter<{ change: [PbxChange] }>();
    const rec = new TrunkHistoryRecorder(source, sink, {
      flushEveryMs: 60_000,
      maxPending: 3,
      onError: (e) => errors.push((e as TrunkRecorderError).code),
    }).start();
    source.emit('change', trunkChange(1, 'registered', 1, 'add'));
    source.emit('change', trunkChange(2, 'rejected', 2));
    await rec.flush();
    assert.deepEqual(
      [rec.stats().pending, rec.stats().failures, errors],
      [2, 1, ['HISTORY_TRUNK_WRITE_FAILED']],
    );
    source.emit('change', trunkChange(3, 'registering', 3));
    source.emit('change', trunkChange(4, 'registered', 4));
    assert.deepEqual([rec.stats().pending, rec.stats().dropped], [3, 1]);
    assert.equal(errors.at(-1), 'HISTORY_TRUNK_DROPPED');
    down = false;
    await rec.close();
    assert.deepEqual(
      written.map((r) => [r.from, r.to]),
      [
        ['registered', 'rejected'],
        ['rejected', 'registering'],
        ['registering', 'registered'],
      ],
    );
    await rec.close();
    assert.equal(rec.stats().written, 3);
  });
});
