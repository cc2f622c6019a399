/**
 * An integrator is alerted when a line drops: a `call` feed of `trunk.down` / `trunk.up` with a webhook target, on a
 * server connected to the SimulatedPbx with DAHDI spans. The simulator raises a span alarm in chan_dahdi's shape
 * (`SpanAlarm`), the live model marks the span `alarm`, the feed derives `trunk.down` and the engine delivers it as a
 * signed POST; the clear comes as `trunk.up`. Nothing else (no call event) reaches the target.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signDelivery } from '../../src/feeds/webhooks/signature.js';
import { type FakeAmiServer, SimulatedPbx } from '../../src/testing/index.js';
import { waitUntil } from '../helpers/wait.js';
import { type Harness, startHarness } from '../server/harness.js';
import { type Receiver, startReceiver } from './webhooks-receiver.js';

const SECRET = 'lines-alert-secret-0042';

describe('trunk.down / trunk.up as signed webhooks (simulated E1 span alarm)', () => {
  let sim: SimulatedPbx;
  let h: Harness;
  let rx: Receiver;
  before(async () => {
    sim = await SimulatedPbx.start({ traffic: false, dahdi: {} });
    rx = await startReceiver();
    h = await startHarness({
      pbx: [sim as unknown as FakeAmiServer],
      config: { webhooks: { allowPrivateTargets: true, pollMs: 20, backoffMs: 10 } },
    });
    await h.user('ana', 'admin');
    await h.server.context.pbx.monitor.ready();
  });
  after(async () => {
    await h?.close();
    await sim?.close();
    await rx?.close();
  });

  it('a span alarm is delivered as trunk.down, its clear as trunk.up, signed', async () => {
    const ana = await h.login('ana');
    // A call feed names its own event types; an AMI name would silently match nothing, so it is refused.
    const wrong = await ana.call('POST', '/api/v1/feeds', {
      name: 'Lines',
      kind: 'call',
      filter: { events: ['trunk.down', 'Hangup'] },
    });
    assert.equal(wrong.status, 422, wrong.text);
    assert.equal(wrong.body.error.field, 'filter.events');
    assert.match(wrong.body.error.message, /not Hangup/);
    const feed = await ana.call('POST', '/api/v1/feeds', {
      name: 'Lines',
      kind: 'call',
      filter: { events: ['trunk.down', 'trunk.up'] },
    });
    assert.equal(feed.status, 201, feed.text);
    const hook = await ana.call('POST', `/api/v1/feeds/${feed.body.id}/webhooks`, {
      url: rx.url,
      secret: SECRET,
    });
    assert.equal(hook.status, 201, hook.text);
    const span = 'pbx1/dahdi-span/1';
    await waitUntil(
      () => h.server.context.pbx.monitor.model('pbx1')?.trunk(span)?.state === 'up',
      'span 1 up',
    );
    // A call on the PBX is not a trunk event: it must not reach this target.
    sim.placeCall({ from: 'reina', to: 'alonso', talkMs: 50 });
    sim.spanAlarm(1, 'Red Alarm');
    await waitUntil(() => rx.received.length >= 1, 'trunk.down delivered');
    sim.clearSpanAlarm(1);
    await waitUntil(() => rx.received.length >= 2, 'trunk.up delivered');
    await new Promise((r) => setTimeout(r, 300));

    const bodies = rx.received.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    const calls = bodies.map(
      (b) => b.call as { type?: string; id?: string; state?: string; reason?: string },
    );
    assert.deepEqual(
      bodies.map((b) => b.type),
      ['trunk.down', 'trunk.up'],
      JSON.stringify(bodies),
    );
    assert.deepEqual(
      calls.map((c) => [c.id, c.state, c.reason]),
      [
        [span, 'alarm', 'Red Alarm'],
        [span, 'up', 'Alarm cleared'],
      ],
    );
    for (const r of rx.received) {
      const ts = Number(r.headers['switchboard-timestamp']);
      assert.equal(r.headers['switchboard-signature'], signDelivery(SECRET, ts, r.body));
    }
  });
});
