/**
 * Bounded memory: 10,000 concurrent channels (5,000 two-leg calls), all hung up, records out — every internal map
 * returns to empty, cycle after cycle, and the KPI facts leave with their window.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asMessage, callEvents } from '../../bench/pbx-load.js';
import { PbxModel } from '../../src/pbx/index.js';

test('10,000 concurrent channels come and go; internal maps return to empty every cycle', () => {
  const windowMs = 60_000;
  const model = new PbxModel({ server: 'm', recordLingerMs: 1000, kpiWindowMs: windowMs });
  let records = 0;
  model.onRecord(() => records++);
  let now = Date.UTC(2026, 10, 22);
  const calls = 5000;
  for (let cycle = 0; cycle < 2; cycle++) {
    // Events are generated call by call (not held) so the test measures the model, not its input.
    for (let i = 0; i < calls; i++)
      for (const m of callEvents(cycle * calls + i).setup) model.apply(asMessage(m), now);
    now += 1000;
    let st = model.stats();
    assert.deepEqual(
      [st.channels, st.calls, st.legs, st.bridges],
      [10_000, 5000, 10_000, 5000],
      `cycle ${cycle} up`,
    );
    const k = model.kpis({ to: now });
    assert.equal(k.callsInProgress, 5000);
    for (let i = 0; i < calls; i++)
      for (const m of callEvents(cycle * calls + i).teardown) model.apply(asMessage(m), now);
    st = model.stats();
    assert.deepEqual([st.channels, st.bridges], [0, 0], 'channels and bridges go at once');
    assert.equal(st.calls, 5000, 'calls wait for late Cdr events');
    model.tick(now + 1000);
    st = model.stats();
    assert.deepEqual(
      {
        channels: st.channels,
        calls: st.calls,
        legs: st.legs,
        bridges: st.bridges,
        callers: st.callers,
        hints: st.hints,
      },
      { channels: 0, calls: 0, legs: 0, bridges: 0, callers: 0, hints: 0 },
      `cycle ${cycle} released`,
    );
    assert.equal(records, (cycle + 1) * calls);
    assert.equal(st.facts, calls, 'facts of the current window only');
    now += windowMs + 1;
    model.tick(now);
    assert.equal(model.stats().facts, 0, 'facts leave with the window');
  }
});

test('KPI facts are capped even inside the window', () => {
  const model = new PbxModel({ server: 'm', recordLingerMs: 0, maxFacts: 100 });
  const now = Date.UTC(2026, 10, 22);
  for (let i = 0; i < 300; i++) {
    const e = callEvents(i);
    for (const m of [...e.setup, ...e.teardown]) model.apply(asMessage(m), now);
  }
  model.tick(now);
  assert.equal(model.stats().facts, 100);
});
