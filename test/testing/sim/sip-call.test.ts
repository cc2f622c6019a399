import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SimulatedPbx } from '../../../src/testing/index.js';
import { waitUntil } from '../../helpers/wait.js';
import { fixture, kind, type Packet, RawAmi, unknownShapes, val } from './harness.js';

const CALL = new Set([
  'Newchannel',
  'NewCallerid',
  'DialBegin',
  'DialState',
  'DialEnd',
  'Newstate',
  'BridgeCreate',
  'BridgeEnter',
  'BridgeLeave',
  'BridgeDestroy',
  'HangupRequest',
  'SoftHangupRequest',
  'Hangup',
  'Cdr',
]);

/** The call's events as `Kind(role)`, roles from channel names (first seen = A, next = B…). */
function story(list: readonly Packet[]): string[] {
  const roles = new Map<string, string>();
  const role = (ch: string | undefined) => {
    if (!ch) return '';
    const base = ch.replace(/-[0-9a-f]{8}(;[12])?$/, '');
    if (!roles.has(base)) roles.set(base, String.fromCharCode(65 + roles.size));
    return roles.get(base) ?? '';
  };
  return list
    .filter((p) => CALL.has(kind(p)))
    .map(
      (p) =>
        `${kind(p)}(${role(val(p, 'Channel'))}${kind(p) === 'Newstate' ? val(p, 'ChannelState') : ''}${val(p, 'DialStatus') ?? ''}${val(p, 'Cause') ?? ''})`,
    );
}

test('a phone-to-phone call tells the same story as the recorded sip-call, field by field', async () => {
  const pbx = await SimulatedPbx.start({ speed: 20 });
  const ami = await RawAmi.open(pbx.port);
  try {
    const call = pbx.placeCall({ from: 'reina', to: '200', talkMs: 2000 });
    assert.match(call.channel, /^PJSIP\/reina-[0-9a-f]{8}$/);
    assert.match(call.uniqueid, /^\d{10}\.\d+$/);
    await ami.waitEvent((p) => kind(p) === 'BridgeEnter' && val(p, 'Channel') === call.channel, 'bridge');
    const csc = await ami.action('CoreShowChannels');
    const st = await ami.action('Status');
    const bl = await ami.action('BridgeList');
    await ami.waitEvent((p) => kind(p) === 'Cdr', 'Cdr');
    const got = ami.all;
    assert.deepEqual(unknownShapes(got), []);
    const real = fixture('sip-call');
    assert.deepEqual(story(got), story(real));
    // The list framing and the ActionID position of each list.
    assert.deepEqual(csc.map(kind), [
      'Response:Success',
      'CoreShowChannel',
      'CoreShowChannel',
      'CoreShowChannelsComplete',
    ]);
    assert.equal(val(csc[0] as Packet, 'Message'), 'Channels will follow');
    assert.equal(csc[1]?.[1]?.[0], 'ActionID');
    assert.equal(st[1]?.at(-1)?.[0], 'ActionID');
    assert.equal(val(st.at(-1) as Packet, 'Items'), '2');
    assert.equal(val(bl[0] as Packet, 'Message'), 'Bridge listing will follow');
    // Caller IDs as recorded: the callee sees reina, the caller sees the number it dialled.
    const alonso = csc.find((p) => val(p, 'Channel')?.startsWith('PJSIP/alonso-')) as Packet;
    assert.equal(val(alonso, 'CallerIDNum'), '200');
    assert.equal(val(alonso, 'ConnectedLineNum'), 'reina');
    assert.equal(val(alonso, 'Application'), 'AppDial');
    const reina = csc.find((p) => val(p, 'Channel') === call.channel) as Packet;
    assert.equal(val(reina, 'ConnectedLineNum'), '200');
    assert.equal(val(reina, 'ApplicationData'), 'PJSIP/alonso,20');
    const cdr = got.find((p) => kind(p) === 'Cdr') as Packet;
    for (const [k, v] of [
      ['Source', 'reina'],
      ['Destination', '200'],
      ['DestinationContext', 'oficina2'],
      ['LastApplication', 'Dial'],
      ['Disposition', 'ANSWERED'],
      ['CallerID', '"" <reina>'],
    ] as const)
      assert.equal(val(cdr, k), v, k);
    const hangup = got.find((p) => kind(p) === 'Hangup') as Packet;
    assert.equal(val(hangup, 'Cause-txt'), 'Normal Clearing');
    assert.equal(pbx.channels().length, 0);
  } finally {
    await ami.close();
    await pbx.close();
  }
});

test('unanswered, busy and rejected calls end with the causes Asterisk gives', async () => {
  const pbx = await SimulatedPbx.start({ speed: 50 });
  const ami = await RawAmi.open(pbx.port);
  try {
    const causes = async (opts: Parameters<SimulatedPbx['placeCall']>[0]) => {
      const c = pbx.placeCall(opts);
      const h = await ami.waitEvent(
        (p) => kind(p) === 'Hangup' && val(p, 'Channel') === c.channel,
        'hangup',
        10_000,
      );
      const dial = ami.all
        .filter((p) => kind(p) === 'DialEnd' && val(p, 'Channel') === c.channel)
        .map((p) => val(p, 'DialStatus'));
      return { cause: val(h, 'Cause'), dial };
    };
    assert.deepEqual(await causes({ from: 'reina', to: '200', answer: false }), {
      cause: '19',
      dial: ['NOANSWER'],
    });
    assert.deepEqual(await causes({ from: 'reina', to: '200', outcome: 'busy' }), {
      cause: '17',
      dial: ['BUSY'],
    });
    pbx.unregisterEndpoint('alonso');
    assert.deepEqual(await causes({ from: 'reina', to: '200' }), { cause: '20', dial: [] });
    await waitUntil(() => pbx.channels().length === 0, 'no channels');
    assert.throws(() => pbx.placeCall({ from: 'alonso', to: '200' }), { code: 'SIM_NOT_REGISTERED' });
    assert.throws(() => pbx.placeCall({ from: 'reina', to: 'nowhere' }), { code: 'SIM_NO_EXTENSION' });
    assert.throws(() => pbx.placeCall({ from: 'reina', to: '200', callerIdName: 'a\r\nEvent: x' }), {
      code: 'SIM_BAD_INPUT',
    });
  } finally {
    await ami.close();
    await pbx.close();
  }
});
