import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SimulatedPbx } from '../../../src/testing/index.js';
import { fixture, kind, type Packet, RawAmi, unknownShapes, val } from './harness.js';

// OriginateResponse is checked on its own: Asterisk posts it directly, ahead of the stasis-delivered call events.
const KINDS = new Set([
  'Newchannel',
  'DialBegin',
  'DialEnd',
  'Hangup',
  'BridgeEnter',
  'Response:Success',
  'Response:Error',
]);

/**
 * The call's story. Two runs are compared as sets: the four Hangups that end a Local-in-Local call (the
 * simulator frees a dialled leg after its dialler's next step, as sip-click-to-dial records, which puts the inner
 * `;1` last where Asterisk freed it second), and the DialEnd/BridgeEnter run of an answer (Asterisk itself gives
 * them in a different order in the two calls of this recording).
 */
function story(list: readonly Packet[]): string[] {
  const dev = (c: string | undefined) => (c ?? '').replace(/-[0-9a-f]{8}/, '');
  const lines = list
    .filter((p) => KINDS.has(kind(p)))
    .map(
      (p) =>
        `${kind(p)} ${val(p, 'ActionID') ?? ''} ${dev(val(p, 'Channel'))}>${dev(val(p, 'DestChannel'))} ${val(p, 'DialStatus') ?? ''}${val(p, 'Response') ?? ''}`,
    );
  const out: string[] = [];
  let run: string[] = [];
  let runGroup = '';
  for (const l of [...lines, '']) {
    const group = l.startsWith('Hangup ')
      ? 'h'
      : l.startsWith('DialEnd ') || l.startsWith('BridgeEnter ')
        ? 'a'
        : '';
    if (group && (run.length === 0 || runGroup === group)) {
      run.push(l);
      runGroup = group;
    } else {
      if (run.length > 0) out.push(run.sort().join(' + '));
      run = group ? [l] : [];
      runGroup = group;
      if (l && !group) out.push(l);
    }
  }
  return out;
}

const ORIGINATE: Array<[string, string]> = [
  ['Channel', 'Local/300@sb-test'],
  ['Application', 'Wait'],
  ['Data', '4'],
  ['CallerID', '"SB Harness" <5550100>'],
];

test('Originate sync then async through Local channels tells the recorded story', async () => {
  const pbx = await SimulatedPbx.start({ speed: 10 });
  const ami = await RawAmi.open(pbx.port);
  try {
    const sync = await ami.action('Originate', ORIGINATE, 'orig-sync');
    assert.deepEqual(
      sync.map((p) => val(p, 'Message')),
      ['Originate successfully queued'],
    );
    await ami.waitEvent(
      (p) => kind(p) === 'Hangup' && /Local\/300@sb-test-[0-9a-f]+;1/.test(val(p, 'Channel') ?? ''),
      'first call over',
    );
    await ami.action('Originate', [...ORIGINATE, ['Async', 'true']], 'orig-async');
    const resp = await ami.waitEvent((p) => kind(p) === 'OriginateResponse', 'OriginateResponse');
    assert.deepEqual(
      ['ActionID', 'Response', 'Application', 'Data', 'Reason', 'CallerIDNum', 'CallerIDName'].map((k) =>
        val(resp, k),
      ),
      ['orig-async', 'Success', 'Wait', '4', '4', '5550100', 'SB Harness'],
    );
    assert.match(val(resp, 'Channel') ?? '', /^Local\/300@sb-test-[0-9a-f]{8};1$/);
    await ami.waitEvent(
      (p) => kind(p) === 'Hangup' && val(p, 'Channel') === val(resp, 'Channel'),
      'second call over',
    );
    await pbx.idle();
    const got = ami.all;
    assert.deepEqual(unknownShapes(got), []);
    assert.deepEqual(story(got).slice(1), story(fixture('originate-sync-and-async')).slice(1));
  } finally {
    await ami.close();
    await pbx.close();
  }
});

test('Originate failures answer as recorded in originate-failure', async () => {
  const pbx = await SimulatedPbx.start({ speed: 10 });
  const ami = await RawAmi.open(pbx.port);
  try {
    const r1 = await ami.action(
      'Originate',
      [
        ['Channel', 'Local/999@no-such-context'],
        ['Exten', '999'],
        ['Context', 'no-such-context'],
        ['Priority', '1'],
        ['CallerID', '"SB Harness" <5550100>'],
      ],
      'orig-fail-sync',
    );
    assert.deepEqual(
      r1.map((p) => [kind(p), val(p, 'Message')]),
      [['Response:Error', 'Originate failed']],
    );
    await ami.action(
      'Originate',
      [
        ['Channel', 'Bogus/xyz'],
        ['Application', 'Wait'],
        ['Data', '1'],
        ['Async', 'true'],
      ],
      'orig-bad-tech',
    );
    const fail = await ami.waitEvent(
      (p) => kind(p) === 'OriginateResponse' && val(p, 'ActionID') === 'orig-bad-tech',
      'failure',
    );
    const real = fixture('originate-failure').find(
      (p) => kind(p) === 'OriginateResponse' && val(p, 'ActionID') === 'orig-bad-tech',
    );
    assert.deepEqual(fail, real);
    const r3 = await ami.action('Originate', [['Application', 'Wait']], 'originate-2');
    assert.deepEqual(
      r3.map((p) => val(p, 'Message')),
      ['Channel not specified'],
    );
  } finally {
    await ami.close();
    await pbx.close();
  }
});
