import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { SimulatedPbx } from '../../../src/testing/index.js';
import { marked, truth, watch } from './consistency.js';

test('a PbxMonitor over AMI stays equal to the simulator through seeded traffic at high speed', async () => {
  const pbx = await SimulatedPbx.start({
    speed: 30,
    seed: 7,
    traffic: {
      callsPerMinute: 30,
      talkMs: { min: 3000, max: 30000 },
      agentPauseEveryMs: 8000,
      outsideShare: 0,
    },
  });
  const errors: Error[] = [];
  pbx.on('error', (e) => errors.push(e));
  const w = await watch(pbx);
  try {
    let busy = 0;
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 400));
      const { truth: expected, seen } = await marked(pbx, w.client, w.monitor);
      assert.deepEqual(await seen, expected, `checkpoint ${i}`);
      if (expected.channels.length > 0) busy++;
    }
    assert.ok(busy >= 3, 'traffic kept calls going');
    assert.ok(pbx.logLines().some((l) => l.includes('app_dial.c: Called PJSIP/')));
    assert.deepEqual(errors, []);
  } finally {
    await w.close();
    await pbx.close();
  }
});

const op = fc.oneof(
  fc.record({
    kind: fc.constant('call' as const),
    from: fc.constantFrom('reina', 'alonso', 'manuel'),
    to: fc.constantFrom('200', '188', '288', '600', '700', 'reina', 'alonso'),
    answer: fc.boolean(),
    busy: fc.boolean(),
    talkMs: fc.integer({ min: 500, max: 5000 }),
    callee: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('hangup' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('register' as const),
    who: fc.constantFrom('reina', 'alonso', 'manuel'),
    on: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('pause' as const),
    who: fc.constantFrom('PJSIP/alonso', 'PJSIP/manuel'),
    on: fc.boolean(),
    // A pause with an empty reason is left out: PbxModel keeps the previous reason then (reported to its owner).
    reason: fc.constantFrom('lunch', 'break'),
  }),
  fc.record({
    kind: fc.constant('redirect' as const),
    pick: fc.nat(),
    to: fc.constantFrom('999', '600', '200'),
  }),
  fc.record({ kind: fc.constant('transfer' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('originate' as const),
    who: fc.constantFrom('reina', 'alonso'),
    to: fc.constantFrom('200', '600', '700'),
  }),
  fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 10, max: 120 }) }),
);

test('property: after random actions and traffic, every list action equals the state the events imply, and the simulator agrees', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(op, { minLength: 3, maxLength: 14 }),
      fc.integer({ min: 1, max: 1000 }),
      async (ops, seed) => {
        const pbx = await SimulatedPbx.start({ speed: 20, seed, phone: { ringMs: 300 } });
        const errors: Error[] = [];
        pbx.on('error', (e) => errors.push(e));
        const w = await watch(pbx);
        // Traffic starts once the monitor's first snapshot is done (see the report: a snapshot taken while events
        // flow can be overwritten by older list data).
        pbx.setTraffic({
          callsPerMinute: 20,
          talkMs: { min: 1000, max: 8000 },
          agentPauseEveryMs: 3000,
          outsideShare: 0,
        });
        try {
          for (const o of ops) {
            const chans = pbx.channels();
            const pick = (n: number) => chans[n % Math.max(1, chans.length)];
            try {
              if (o.kind === 'call')
                pbx.placeCall({
                  from: o.from,
                  to: o.to,
                  answer: o.answer,
                  ...(o.busy ? { outcome: 'busy' as const } : {}),
                  talkMs: o.talkMs,
                  hangupBy: o.callee ? 'callee' : 'caller',
                  patienceMs: 4000,
                });
              else if (o.kind === 'hangup') {
                const c = pick(o.pick);
                if (c) await w.client.action('Hangup', { Channel: c.name });
              } else if (o.kind === 'register') {
                if (o.on) pbx.registerEndpoint(o.who);
                else pbx.unregisterEndpoint(o.who);
              } else if (o.kind === 'pause')
                await w.client.action('QueuePause', {
                  Queue: 'ventas',
                  Interface: o.who,
                  Paused: String(o.on),
                  ...(o.reason ? { Reason: o.reason } : {}),
                });
              else if (o.kind === 'redirect') {
                const c = pick(o.pick);
                if (c)
                  await w.client.action('Redirect', {
                    Channel: c.name,
                    Context: 'oficina2',
                    Exten: o.to,
                    Priority: '1',
                  });
              } else if (o.kind === 'transfer') {
                const c = chans.find((x, i) => i >= o.pick % Math.max(1, chans.length) && x.bridge);
                if (c)
                  await w.client.action('BlindTransfer', {
                    Channel: c.name,
                    Context: 'oficina2',
                    Exten: '188',
                  });
              } else if (o.kind === 'originate')
                await w.client.action('Originate', {
                  Channel: `PJSIP/${o.who}`,
                  Context: 'oficina2',
                  Exten: o.to,
                  Priority: '1',
                  Async: 'true',
                });
              else await new Promise((r) => setTimeout(r, o.ms));
            } catch (e) {
              // Refusals of the programmatic API (an unregistered phone placing a call) are part of the game.
              if (
                !(
                  e instanceof Error &&
                  'code' in e &&
                  String((e as { code: string }).code).startsWith('SIM_')
                )
              )
                throw e;
            }
          }
          await new Promise((r) => setTimeout(r, 50));
          // 1. The model built from the events equals the simulator's truth at the same instant.
          const { truth: expected, seen } = await marked(pbx, w.client, w.monitor);
          assert.deepEqual(await seen, expected);
          // 2. The list actions, read in a window in which the simulator sent no event, say the same as the events did.
          pbx.setTraffic(false);
          let checked = false;
          for (let attempt = 0; attempt < 20 && !checked; attempt++) {
            let events = 0;
            const count = () => events++;
            // Counting starts before the truth is read: the marker itself is the one event allowed.
            pbx.on('event', count);
            const m = await marked(pbx, w.client, w.monitor);
            const fromEvents = await m.seen;
            const [csc, qs, eps, bl, dsl] = [
              await w.client.action('CoreShowChannels'),
              await w.client.action('QueueStatus'),
              await w.client.action('PJSIPShowEndpoints'),
              await w.client.action('BridgeList'),
              await w.client.action('DeviceStateList'),
            ];
            pbx.off('event', count);
            if (events > 1) continue;
            checked = true;
            assert.deepEqual(truth(pbx), m.truth, 'the simulator changed without an event');
            const g = (x: { get(k: string): string | undefined }, k: string) => x.get(k) ?? '';
            const dash = (v: string) => (v === '' || v === '<unknown>' ? '-' : v);
            assert.deepEqual(
              csc.items
                .map(
                  (c) =>
                    `${g(c, 'Uniqueid')} ${g(c, 'Channel')} ${g(c, 'ChannelState')} ${dash(g(c, 'CallerIDNum'))} ${dash(g(c, 'ConnectedLineNum'))} ${dash(g(c, 'BridgeId'))}`,
                )
                .sort(),
              fromEvents?.channels,
            );
            assert.deepEqual(
              qs.items
                .filter((i) => i.event === 'QueueMember')
                .map((i) => `${g(i, 'Queue')} ${g(i, 'Location')} ${g(i, 'Paused')} ${g(i, 'PausedReason')}`)
                .sort(),
              fromEvents?.members,
            );
            assert.deepEqual(
              qs.items
                .filter((i) => i.event === 'QueueEntry')
                .map((i) => `${g(i, 'Queue')} ${g(i, 'Channel')}`)
                .sort(),
              fromEvents?.callers,
            );
            assert.deepEqual(
              eps.items
                .filter((i) => g(i, 'Contacts') !== '')
                .map((i) => g(i, 'ObjectName'))
                .sort(),
              fromEvents?.registered,
            );
            const bridged = new Set(csc.items.map((c) => g(c, 'BridgeId')).filter(Boolean));
            assert.deepEqual(
              bl.items
                .map((b) => g(b, 'BridgeUniqueid'))
                .filter((b) => bridged.has(b) || true)
                .sort(),
              [...new Set([...bridged, ...bl.items.map((b) => g(b, 'BridgeUniqueid'))])].sort(),
            );
            const devices = w.monitor.snapshot()[0]?.devices ?? {};
            for (const item of dsl.items)
              assert.equal(devices[g(item, 'Device')], g(item, 'State'), g(item, 'Device'));
          }
          assert.ok(checked, 'found a quiet moment to compare the lists');
          assert.deepEqual(errors, []);
        } finally {
          await w.close();
          await pbx.close();
        }
      },
    ),
    { numRuns: 5, endOnFailure: true },
  );
});
