/**
 * Randomised scenarios: calls, dials, answers, Local pairs, queue joins/leaves, blind transfers, bridge merges,
 * hangups in any order (Cdr/CEL before or after), link drops with re-snapshots — and events racing a snapshot
 * reply. After every step the model must equal the simulator's own truth; at the end every finished call the
 * model could know has exactly one record, marked when it ended while the link was down.
 */
import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { AmiMessage } from '../../src/ami/index.js';
import { type PbxCallRecord, PbxMonitor } from '../../src/pbx/index.js';
import { compare } from './compare.js';
import { OP_KINDS, type SimOp, SimPbx } from './sim.js';

/** A stand-in for AmiClient whose replies come from the simulator's truth. */
class SimClient extends EventEmitter {
  state = 'ready';
  /** Operations run (and their events delivered) after a CoreShowChannels reply is built but before it resolves. */
  race: SimOp[] = [];
  constructor(private readonly sim: SimPbx) {
    super();
  }
  async action(name: string, _params?: Record<string, string>, opts?: { onItem?: (m: AmiMessage) => void }) {
    const ok = (items: AmiMessage[]) => ({
      ok: true,
      message: AmiMessage.from({ Response: 'Success' }),
      items,
    });
    if (name === 'CoreShowChannels') {
      const items = this.sim.coreShowChannels();
      // The items arrive, then events raised after the reply was built, then the promise settles.
      for (const it of items) opts?.onItem?.(it);
      for (const op of this.race.splice(0)) this.sim.step(op);
      this.sim.seenBySnapshot(items.map((m) => m.get('Uniqueid')!));
      return ok(items);
    }
    if (name === 'QueueStatus') return ok(this.sim.queueStatus());
    return {
      ok: false,
      message: AmiMessage.from({ Response: 'Error', Message: 'Invalid/unknown command' }),
      items: [],
    };
  }
}

/** Weights of the operation kinds (new call, dial, answer, Local pair, hangup, queue join, queue leave, blind
 * transfer, bridge merge, noise, unused, link drop/return) so that long calls, transfers and merges happen. */
const WEIGHTS = [3, 6, 6, 2, 3, 2, 1, 2, 4, 1, 0, 1];
const opArb = fc.record({
  kind: fc.oneof(
    ...WEIGHTS.map((weight, kind) => ({ arbitrary: fc.constant(kind), weight })).filter((w) => w.weight > 0),
  ),
  pick: fc.nat(1000),
});
/** Operations racing a snapshot reply: mostly hangups and new channels, the cases a reply can contradict. */
const raceArb = fc.record({ kind: fc.constantFrom(4, 4, 4, 0, 1, 2, 5, 6), pick: fc.nat(1000) });

async function scenario(ops: SimOp[], race: SimOp[][]): Promise<void> {
  const sim = new SimPbx();
  const client = new SimClient(sim);
  let t = Date.UTC(2026, 10, 22);
  const mon = new PbxMonitor([{ id: 'S1', client }], { tickMs: 1e9, kpiEveryMs: 0, now: () => t });
  const model = mon.model('S1')!;
  const records: PbxCallRecord[] = [];
  model.onRecord((r) => records.push(r));
  sim.deliver = (m) => client.emit('event', m);
  let drops = 0;
  const reconnect = async () => {
    sim.reconnect();
    client.race = [...(race[drops++ % Math.max(1, race.length)] ?? [])];
    client.state = 'ready';
    const synced = once(mon, 'synced');
    client.emit('state', 'ready');
    await synced;
  };
  client.race = [...(race[0] ?? [])];
  mon.start();
  await mon.ready();
  compare(model, sim, 'after the first snapshot');
  try {
    for (const [i, op] of ops.entries()) {
      t += 100;
      if (op.kind === OP_KINDS) {
        if (sim.connected) {
          sim.disconnect();
          client.state = 'reconnecting';
          client.emit('state', 'reconnecting');
        } else await reconnect();
      } else sim.step(op);
      if (sim.connected) compare(model, sim, `after step ${i} (${JSON.stringify(op)})`);
    }
    if (!sim.connected) await reconnect();
    for (const c of [...sim.chans.values()])
      sim.step({ kind: 4, pick: [...sim.chans.keys()].indexOf(c.uid) });
    compare(model, sim, 'after the final hangups');
    model.flush(t + 10_000);
    const st = model.stats();
    assert.deepEqual([st.channels, st.calls, st.legs, st.callers, st.bridges], [0, 0, 0, 0, 0], 'maps empty');
    const expected = [...sim.calls.values()].filter((c) => c.seen);
    assert.deepEqual(
      records.map((r) => r.linkedid).sort(),
      expected.map((c) => c.linkedid).sort(),
      'one record per call',
    );
    for (const c of expected) {
      const r = records.find((x) => x.linkedid === c.linkedid)!;
      assert.equal(r.endedWhileDisconnected, c.endedInGap, `${c.linkedid} ended while disconnected`);
      assert.equal(r.transfers.length, c.transfers, `${c.linkedid} transfers`);
      assert.equal(r.cdrs.length, c.cdrs, `${c.linkedid} cdrs`);
    }
  } finally {
    await mon.close();
  }
}

describe('randomised scenarios against an independently kept truth', () => {
  test('any sequence of calls, transfers, queues, hangups and link drops', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { minLength: 10, maxLength: 120 }),
        fc.array(fc.array(raceArb, { minLength: 1, maxLength: 4 }), { maxLength: 3 }),
        scenario,
      ),
      { numRuns: 200 },
    );
  });

  test('a link drop in the middle of a queue call and a transfer resolves through the re-snapshot', async () => {
    const ops: SimOp[] = [
      { kind: 0, pick: 0 }, // alice calls
      { kind: 1, pick: 0 }, // dials bob
      { kind: 2, pick: 0 }, // bob answers
      { kind: 3, pick: 0 }, // a Local pair
      { kind: 5, pick: 0 }, // a Local half joins the queue
      { kind: OP_KINDS, pick: 0 }, // link drops
      { kind: 4, pick: 0 }, // alice hangs up while nobody watches
      { kind: 0, pick: 1 }, // a new call starts while nobody watches
      { kind: OP_KINDS, pick: 0 }, // link back: re-snapshot
      { kind: 4, pick: 5 },
    ];
    await scenario(ops, [[{ kind: 4, pick: 1 }]]);
  });
});
