import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SimulatedPbx } from '../../../src/testing/index.js';
import { waitUntil } from '../../helpers/wait.js';
import {
  kind,
  type Packet,
  RawAmi,
  recordedActions,
  recordedReply,
  shape,
  unknownShapes,
  val,
} from './harness.js';

test('Hangup by name and by /regex/ answers as recorded in hangup-action, and the channels go', async () => {
  const pbx = await SimulatedPbx.start({ speed: 5 });
  const ami = await RawAmi.open(pbx.port);
  try {
    const actions = recordedActions('hangup-action');
    const [a, b] = actions;
    assert.ok(a && b);
    for (const o of [a, b]) await ami.action(o.action, o.headers, o.id);
    await waitUntil(
      () => pbx.channels().filter((c) => c.name.endsWith(';1') && c.state === 6).length === 2,
      'both calls up',
    );
    const first = pbx.channels().find((c) => c.name.endsWith(';1'))?.name ?? '';
    for (const o of actions.slice(2)) {
      const headers = o.headers.map(([k, v]): [string, string] => [
        k,
        k === 'Channel' && v.startsWith('Local/200@sb-test-') ? first : v,
      ]);
      const got = await ami.action(o.action, headers, o.id);
      const want = recordedReply('hangup-action', o.id);
      assert.deepEqual(got.map(shape), want.map(shape), o.id);
      assert.deepEqual(
        got.map((p) => [kind(p), val(p, 'Message'), val(p, 'ListItems')]),
        want.map((p) => [kind(p), val(p, 'Message'), val(p, 'ListItems')]),
        o.id,
      );
      if (o.id === 'hangup-2')
        await ami.waitEvent((p) => kind(p) === 'Hangup' && val(p, 'Channel') === first, 'first gone');
    }
    await waitUntil(() => pbx.channels().length === 0, 'every channel gone');
    const causes = ami.all.filter((p) => kind(p) === 'Hangup').map((p: Packet) => val(p, 'Cause'));
    assert.deepEqual([...new Set(causes)].sort(), ['16', '17']);
    const hr = ami.all.find((p) => kind(p) === 'HangupRequest' && val(p, 'Channel') === first) as Packet;
    assert.equal(val(hr, 'Cause'), '16');
    assert.deepEqual(unknownShapes(ami.all), []);
    // 200@sb-test waits ${WAITSECS} (20 s from the originate's Variable): the regex hangup found the call still up.
    assert.ok(ami.all.some((p) => kind(p) === 'Hangup' && val(p, 'Cause') === '17'));
  } finally {
    await ami.close();
    await pbx.close();
  }
});
