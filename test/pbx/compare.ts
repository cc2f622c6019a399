/** Test helper: compares a model with the simulator's truth (channels, bridges, live calls, queue callers). */
import assert from 'node:assert/strict';
import type { PbxModel } from '../../src/pbx/index.js';
import type { SimPbx } from './sim.js';

/** Asserts the model equals the truth. */
export function compare(model: PbxModel, sim: SimPbx, where: string): void {
  const snap = model.snapshot();
  const chans = (xs: string[]) => xs.sort();
  assert.deepEqual(
    chans(snap.channels.map((c) => `${c.uniqueid}|${c.name}|${c.state}|${c.linkedid}|${c.bridgeId ?? ''}`)),
    chans(
      [...sim.chans.values()].map((c) => `${c.uid}|${c.name}|${c.state}|${c.linkedid}|${c.bridge ?? ''}`),
    ),
    `channels ${where}`,
  );
  assert.deepEqual(
    chans(snap.bridges.map((b) => `${b.uniqueid}:${[...b.members].sort()}`)),
    chans([...sim.bridges].map(([id, m]) => `${id}:${[...m].sort()}`)),
    `bridges ${where}`,
  );
  assert.deepEqual(
    chans(
      snap.calls.filter((c) => c.channels.length > 0).map((c) => `${c.linkedid}:${[...c.channels].sort()}`),
    ),
    chans(
      [...sim.calls.values()]
        .filter((c) => c.live.size > 0)
        .map((c) => `${c.linkedid}:${[...c.live].sort()}`),
    ),
    `calls ${where}`,
  );
  const q = snap.queues.find((x) => x.name === 'q1');
  assert.deepEqual(
    (q?.entries ?? []).map((e) => `${e.uniqueid}@${e.position}`),
    sim.queue.map((u, i) => `${u}@${i + 1}`),
    `queue ${where}`,
  );
}
