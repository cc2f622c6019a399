/** Trunk history store on every back end: insert, list by trunk and time, periods and outages. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StoreError, type TrunkStateChange, TrunkStateRepository } from '../../src/store/index.js';
import { backends, withStore } from './backends.js';

const T0 = Date.UTC(2026, 11, 4, 8, 0, 0);
const MIN = 60_000;
const ID = 'pbx1/pjsip-registration/trunk13-reg';

const change = (at: number, from: string | null, to: string, reason: string | null = null, trunkId = ID) =>
  ({
    trunkId,
    pbx: trunkId.split('/')[0]!,
    kind: trunkId.split('/')[1]!,
    from,
    to,
    at,
    reason,
  }) satisfies TrunkStateChange;

for (const backend of backends) {
  describe(`trunk history on ${backend.name}`, () => {
    test('insert and list: by trunk, by time range (from inclusive, to exclusive), by PBX, in time order', () =>
      withStore(backend.open, async (store) => {
        const repo = new TrunkStateRepository(store.db, store.dialect);
        await repo.insert([
          change(T0, null, 'registered'),
          change(T0 + 10 * MIN, 'registered', 'rejected', 'Rejected'),
          change(T0 + 12 * MIN, 'rejected', 'registering', 'PJSIPRegister sent'),
          change(T0 + 5 * MIN, null, 'up', null, 'pbx2/dahdi-span/1'),
          change(T0 + 13 * MIN, 'registering', 'registered', 'Registered'),
        ]);
        const all = await repo.list({ trunkId: ID });
        assert.deepEqual(
          all.map((c) => [c.to, c.at - T0]),
          [
            ['registered', 0],
            ['rejected', 10 * MIN],
            ['registering', 12 * MIN],
            ['registered', 13 * MIN],
          ],
        );
        assert.deepEqual(all[1], {
          ...change(T0 + 10 * MIN, 'registered', 'rejected', 'Rejected'),
          id: all[1]!.id,
        });
        const window = await repo.list({ trunkId: ID, from: T0 + 10 * MIN, to: T0 + 13 * MIN });
        assert.deepEqual(
          window.map((c) => c.to),
          ['rejected', 'registering'],
        );
        assert.deepEqual(
          (await repo.list({ pbx: 'pbx2' })).map((c) => c.trunkId),
          ['pbx2/dahdi-span/1'],
        );
        assert.deepEqual(
          (await repo.list({})).map((c) => c.at - T0),
          [0, 5 * MIN, 10 * MIN, 12 * MIN, 13 * MIN],
        );
      }));

    test('periods and outages: "when did it go down and for how long", clipped to the range', () =>
      withStore(backend.open, async (store) => {
        const repo = new TrunkStateRepository(store.db, store.dialect);
        await repo.insert([
          change(T0, null, 'registered'),
          change(T0 + 10 * MIN, 'registered', 'rejected', 'Rejected'),
          change(T0 + 12 * MIN, 'rejected', 'registering', 'PJSIPRegister sent'),
          change(T0 + 13 * MIN, 'registering', 'registered', 'Registered'),
          change(T0 + 40 * MIN, 'registered', 'unregistered', 'Unregistered'),
        ]);
        const periods = await repo.periods(ID, { from: T0 + 5 * MIN, to: T0 + 60 * MIN });
        assert.deepEqual(
          periods.map((p) => [p.state, (p.from - T0) / MIN, p.durationMs / MIN, p.ongoing]),
          [
            // The state at `from` comes from the change before it.
            ['registered', 5, 5, false],
            ['rejected', 10, 2, false],
            ['registering', 12, 1, false],
            ['registered', 13, 27, false],
            ['unregistered', 40, 20, true],
          ],
        );
        const down = await repo.outages(ID, { from: T0, to: T0 + 60 * MIN });
        assert.deepEqual(
          down.map((p) => [p.state, (p.from - T0) / MIN, p.durationMs / MIN, p.reason]),
          [
            ['rejected', 10, 2, 'Rejected'],
            ['unregistered', 40, 20, 'Unregistered'],
          ],
        );
        // Before anything was recorded there is no period (nothing invented).
        assert.deepEqual(await repo.periods(ID, { from: T0 - 60 * MIN, to: T0 - MIN }), []);
        assert.deepEqual(await repo.periods('pbx1/pjsip-registration/none', { to: T0 }), []);
      }));

    test('batches larger than one statement, prune, bad times refused before anything is written', () =>
      withStore(backend.open, async (store) => {
        const repo = new TrunkStateRepository(store.db, store.dialect);
        const many = Array.from({ length: 1203 }, (_v, i) =>
          change(
            T0 + i * 1000,
            i === 0 ? null : i % 2 ? 'up' : 'alarm',
            i % 2 ? 'alarm' : 'up',
            'Red Alarm',
            'pbx1/dahdi-span/1',
          ),
        );
        await repo.insert(many);
        assert.equal((await repo.list({ trunkId: 'pbx1/dahdi-span/1', limit: 5000 })).length, 1203);
        assert.equal(await repo.prune(T0 + 1000 * 1000), 1000);
        assert.equal((await repo.list({ limit: 5000 })).length, 203);
        await assert.rejects(
          repo.insert([change(T0, null, 'up'), change(Number.NaN, 'up', 'alarm')]),
          StoreError,
        );
        assert.equal((await repo.list({ limit: 5000 })).length, 203);
      }));
  });
}
