import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SimulatedPbx } from '../../../src/testing/index.js';
import { fixture, kind, type Packet, RawAmi, unknownShapes, val } from './harness.js';

const AGI = new Set([
  'OriginateResponse',
  'AsyncAGIStart',
  'AGIExecStart',
  'AGIExecEnd',
  'AsyncAGIExec',
  'AsyncAGIEnd',
  'DialBegin',
  'DialEnd',
  'Hangup',
]);

/** The AsyncAGI conversation and dial legs, channel names reduced to their device. */
function story(list: readonly Packet[]): string[] {
  const dev = (c: string | undefined) => (c ?? '').replace(/-[0-9a-f]{8}/, '');
  return list
    .filter((p) => AGI.has(kind(p)))
    .map(
      (p) =>
        `${kind(p)} ${dev(val(p, 'Channel') ?? '')}>${dev(val(p, 'DestChannel'))} ${val(p, 'Command') ?? ''}${val(p, 'Result') ?? ''}${val(p, 'DialStatus') ?? ''}${val(p, 'CommandId')?.startsWith('c2d') ? val(p, 'CommandId') : ''}`,
    );
}

test('click-to-dial over AsyncAGI: the recorded actions get the recorded replies, and both legs show the right caller ID', async () => {
  const pbx = await SimulatedPbx.start({ speed: 10 });
  pbx.setPhoneBehaviour('reina', { ringMs: 500 });
  pbx.setPhoneBehaviour('alonso', { ringMs: 500, talkMs: 2000 });
  const ami = await RawAmi.open(pbx.port);
  try {
    const orig = await ami.action(
      'Originate',
      [
        ['Channel', 'PJSIP/reina'],
        ['Application', 'AGI'],
        ['Data', 'agi:async'],
        ['CallerID', '"Llamando a 200" <200>'],
        ['Async', 'true'],
      ],
      'c2d-1',
    );
    assert.deepEqual(
      orig.map((p) => val(p, 'Message')),
      ['Originate successfully queued'],
    );
    const start = await ami.waitEvent((p) => kind(p) === 'AsyncAGIStart', 'AsyncAGIStart');
    const chan = val(start, 'Channel') ?? '';
    assert.match(chan, /^PJSIP\/reina-[0-9a-f]{8}$/);
    const env = decodeURIComponent(val(start, 'Env') ?? '');
    assert.match(
      env,
      /^agi_request: async\nagi_channel: PJSIP\/reina-[0-9a-f]{8}\nagi_language: es\nagi_type: PJSIP\n/,
    );
    assert.ok(env.endsWith('\n\n'));
    const resp = await ami.waitEvent((p) => kind(p) === 'OriginateResponse', 'OriginateResponse');
    assert.deepEqual(
      ['ActionID', 'Response', 'Channel', 'Application', 'Data', 'Reason', 'CallerIDNum', 'CallerIDName'].map(
        (k) => val(resp, k),
      ),
      ['c2d-1', 'Success', chan, 'AGI', 'agi:async', '4', '200', 'Llamando a 200'],
    );
    const agi = async (command: string, id: string, n: number) => {
      const r = await ami.action(
        'AGI',
        [
          ['Channel', chan],
          ['Command', command],
          ['CommandID', id],
        ],
        `agi-${n}`,
      );
      assert.deepEqual(
        r.map((p) => [kind(p), val(p, 'Message')]),
        [['Response:Success', 'Added AGI command to queue']],
      );
      return ami.waitEvent((p) => kind(p) === 'AsyncAGIExec' && val(p, 'CommandId') === id, `exec ${id}`);
    };
    assert.equal(
      val(await agi('SET VARIABLE CALLERID(num) reina', 'c2d-cid-num', 2), 'Result'),
      '200%20result%3D1%0A',
    );
    assert.equal(
      val(await agi('SET VARIABLE CALLERID(name) "Reina"', 'c2d-cid-name', 3), 'Result'),
      '200%20result%3D1%0A',
    );
    const dialed = await agi('EXEC Dial Local/200@oficina2/n,30', 'c2d-dial', 4);
    assert.equal(val(dialed, 'Result'), '200%20result%3D-1%0A');
    assert.equal(val(await agi('ASYNCAGI BREAK', 'c2d-break', 5), 'Result'), '200%20result%3D0%0A');
    await ami.waitEvent(
      (p) => kind(p) === 'Cdr' && val(p, 'Channel') === chan,
      'Cdr of the originated channel',
    );
    const got = ami.all;
    assert.deepEqual(unknownShapes(got), []);
    assert.deepEqual(story(got), story(fixture('sip-click-to-dial')));
    // The called phone saw reina "Reina"; the calling phone saw 200 "Llamando a 200" while it rang.
    const alonso = got.find(
      (p) => kind(p) === 'BridgeEnter' && val(p, 'Channel')?.startsWith('PJSIP/alonso-'),
    ) as Packet;
    assert.deepEqual(
      [val(alonso, 'ConnectedLineNum'), val(alonso, 'ConnectedLineName'), val(alonso, 'CallerIDNum')],
      ['reina', 'Reina', '200'],
    );
    const ringing = got.find(
      (p) => kind(p) === 'Newstate' && val(p, 'Channel') === chan && val(p, 'ChannelState') === '5',
    ) as Packet;
    assert.deepEqual([val(ringing, 'CallerIDNum'), val(ringing, 'CallerIDName')], ['200', 'Llamando a 200']);
    // Four channels, one linkedid.
    const chans = new Set(
      got.filter((p) => kind(p) === 'Newchannel').map((p) => val(p, 'Channel')?.replace(/-[0-9a-f]{8}/, '')),
    );
    assert.deepEqual([...chans].sort(), [
      'Local/200@oficina2;1',
      'Local/200@oficina2;2',
      'PJSIP/alonso',
      'PJSIP/reina',
    ]);
    assert.equal(new Set(got.filter((p) => kind(p) === 'Newchannel').map((p) => val(p, 'Linkedid'))).size, 1);
    const cdrs = got.filter((p) => kind(p) === 'Cdr').map((p) => [val(p, 'Source'), val(p, 'Destination')]);
    assert.deepEqual(cdrs.sort(), [
      ['reina', '200'],
      ['reina', 's'],
    ]);
    // A command for a channel that is gone.
    const after = await ami.action(
      'AGI',
      [
        ['Channel', chan],
        ['Command', 'NOOP'],
      ],
      'after-end',
    );
    assert.deepEqual(
      after.map((p) => val(p, 'Message')),
      [`Channel ${chan} does not exist.`],
    );
  } finally {
    await ami.close();
    await pbx.close();
  }
});

test('AGI(agi:async,a,b) lists its arguments as agi_arg_1… after agi_threadid (res_agi.c setup_env)', async () => {
  const pbx = await SimulatedPbx.start({ traffic: false });
  const ami = await RawAmi.open(pbx.port);
  try {
    await ami.action(
      'Originate',
      [
        ['Channel', 'PJSIP/reina'],
        ['Application', 'AGI'],
        ['Data', 'agi:async,switchboard-c2d,c2d-7'],
        ['Async', 'true'],
      ],
      'c2d-args',
    );
    const start = await ami.waitEvent((p) => kind(p) === 'AsyncAGIStart', 'AsyncAGIStart');
    const env = decodeURIComponent(val(start, 'Env') ?? '');
    assert.match(env, /\nagi_threadid: \d+\nagi_arg_1: switchboard-c2d\nagi_arg_2: c2d-7\n\n$/);
  } finally {
    await ami.close();
    await pbx.close();
  }
});
