import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SimulatedPbx } from '../../../src/testing/index.js';
import { waitUntil } from '../../helpers/wait.js';
import { kind, type Packet, RawAmi, recordedActions, recordedReply, unknownShapes, val } from './harness.js';

test('Atxfer: the recorded errors and reply, DTMF *2 + extension, hold, the target replaces the transferer', async () => {
  const pbx = await SimulatedPbx.start({ speed: 10 });
  pbx.setPhoneBehaviour('alonso', { ringMs: 500 });
  pbx.setPhoneBehaviour('manuel', { ringMs: 500 });
  const ami = await RawAmi.open(pbx.port);
  try {
    const actions = recordedActions('sip-attended-transfer');
    const errors = actions.filter((x) => x.id === 'atxfer-2' || x.id === 'atxfer-3');
    for (const e of errors)
      assert.deepEqual(
        await ami.action(e.action, e.headers, e.id),
        recordedReply('sip-attended-transfer', e.id),
      );
    const call = pbx.placeCall({ from: 'reina', to: '201', talkMs: 60_000 });
    const dest = await ami.waitEvent(
      (p) => kind(p) === 'BridgeEnter' && val(p, 'Channel') === call.channel,
      'bridged',
    );
    const alonso = ami.all.find(
      (p) =>
        kind(p) === 'BridgeEnter' &&
        val(p, 'BridgeUniqueid') === val(dest, 'BridgeUniqueid') &&
        val(p, 'Channel') !== call.channel,
    ) as Packet;
    const x = val(alonso, 'Channel') ?? '';
    const r = await ami.action(
      'Atxfer',
      [
        ['Channel', x],
        ['Exten', '188'],
        ['Context', 'oficina2'],
      ],
      'atxfer-4',
    );
    assert.deepEqual(r, recordedReply('sip-attended-transfer', 'atxfer-4'));
    const at = await ami.waitEvent((p) => kind(p) === 'AttendedTransfer', 'AttendedTransfer', 15_000);
    assert.deepEqual(
      ['Result', 'OrigTransfererChannel', 'TransfereeChannel', 'DestType', 'IsExternal'].map((k) =>
        val(at, k),
      ),
      ['Success', x, call.channel, 'Bridge', 'No'],
    );
    assert.match(val(at, 'TransferTargetChannel') ?? '', /^Local\/188@oficina2-[0-9a-f]{8};1$/);
    assert.equal(val(at, 'DestBridgeUniqueid'), val(dest, 'BridgeUniqueid'));
    const digits = ami.all
      .filter((p) => kind(p) === 'DTMFEnd' && val(p, 'Channel') === x)
      .map((p) => val(p, 'Digit'));
    assert.deepEqual(digits, ['*', '2', '1', '8', '8']);
    assert.ok(ami.all.some((p) => kind(p) === 'Hold' && val(p, 'Channel') === x));
    assert.ok(ami.all.some((p) => kind(p) === 'MusicOnHoldStop' && val(p, 'Channel') === call.channel));
    // The transferer is gone; reina now talks to manuel through the Local pair.
    await ami.waitEvent((p) => kind(p) === 'Hangup' && val(p, 'Channel') === x, 'transferer hung up');
    await waitUntil(
      () => pbx.channels().some((c) => c.name.startsWith('PJSIP/manuel-') && c.state === 6),
      'manuel up',
    );
    assert.ok(pbx.channels().find((c) => c.name === call.channel)?.bridge);
    pbx.hangup(call.channel);
    await waitUntil(() => pbx.channels().length === 0, 'everything hung up');
    assert.deepEqual(unknownShapes(ami.all), []);
  } finally {
    await ami.close();
    await pbx.close();
  }
});
