import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SimulatedPbx } from '../../../src/testing/index.js';
import { fixture, kind, type Packet, RawAmi, recordedReply, unknownShapes, val } from './harness.js';

const Q = new Set([
  'QueueCallerJoin',
  'AgentCalled',
  'DialBegin',
  'DialEnd',
  'QueueCallerLeave',
  'AgentConnect',
  'AgentComplete',
  'Hangup',
  'QueueCallerAbandon',
  'QueueMemberPause',
]);

function story(list: readonly Packet[]): string[] {
  const dev = (c: string | undefined) => (c ?? '').replace(/-[0-9a-f]{8}/, '');
  return list
    .filter((p) => Q.has(kind(p)))
    .map(
      (p) =>
        `${kind(p)} ${dev(val(p, 'Channel') ?? val(p, 'Interface'))}>${dev(val(p, 'DestChannel'))} ${val(p, 'DialStatus') ?? val(p, 'Reason') ?? val(p, 'PausedReason') ?? ''}${val(p, 'Cause') ?? ''}`,
    );
}

test('a queue call rings both agents, connects the one who answers and ends as recorded in sip-queue', async () => {
  const pbx = await SimulatedPbx.start({ speed: 10 });
  pbx.setPhoneBehaviour('alonso', { ringMs: 1500 });
  pbx.setPhoneBehaviour('manuel', { outcome: 'noanswer' });
  const ami = await RawAmi.open(pbx.port);
  try {
    const call = pbx.placeCall({ from: 'reina', to: '600', talkMs: 2000 });
    await ami.waitEvent(
      (p) => kind(p) === 'DialState' && val(p, 'DestChannel')?.startsWith('PJSIP/manuel-') === true,
      'both ring',
    );
    const ringing = await ami.action('QueueStatus', { Queue: 'ventas' }, 'queuestatus-2');
    assert.deepEqual(ringing.map(kind), recordedReply('sip-queue', 'queuestatus-2').map(kind));
    const entry = ringing.find((p) => kind(p) === 'QueueEntry') as Packet;
    assert.deepEqual(
      [val(entry, 'Channel'), val(entry, 'Position'), val(entry, 'CallerIDNum')],
      [call.channel, '1', 'reina'],
    );
    assert.deepEqual(
      ringing.filter((p) => kind(p) === 'QueueMember').map((p) => val(p, 'Status')),
      ['6', '6'],
    );
    await ami.waitEvent((p) => kind(p) === 'AgentConnect', 'AgentConnect');
    const talking = await ami.action('QueueStatus', { Queue: 'ventas' }, 'queuestatus-3');
    assert.deepEqual(talking.map(kind), recordedReply('sip-queue', 'queuestatus-3').map(kind));
    const summary = await ami.action('QueueSummary', { Queue: 'ventas' }, 'queuesummary-4');
    const s = summary.find((p) => kind(p) === 'QueueSummary') as Packet;
    assert.deepEqual([val(s, 'LoggedIn'), val(s, 'Available'), val(s, 'Callers')], ['2', '1', '0']);
    const done = await ami.waitEvent((p) => kind(p) === 'AgentComplete', 'AgentComplete');
    assert.equal(val(done, 'Reason'), 'caller');
    await ami.waitEvent((p) => kind(p) === 'Cdr', 'Cdr');
    await pbx.idle();
    assert.deepEqual(unknownShapes(ami.all), []);
    // Asterisk frees the caller and the agent after AgentComplete; the simulator does the same but may send its
    // Hangups before AgentComplete. Compare the story up to the agent's connect, then the end as a set.
    const mine = story(ami.all);
    const real = story(fixture('sip-queue'));
    const cut = (l: string[]) => l.findIndex((x) => x.startsWith('AgentConnect')) + 1;
    assert.deepEqual(mine.slice(0, cut(mine)), real.slice(0, cut(real)));
    assert.deepEqual(mine.slice(cut(mine)).sort(), real.slice(cut(real)).sort());
    const cdr = ami.all.find((p) => kind(p) === 'Cdr') as Packet;
    assert.deepEqual(
      [val(cdr, 'Source'), val(cdr, 'Destination'), val(cdr, 'Disposition')],
      ['reina', '600', 'ANSWERED'],
    );
  } finally {
    await ami.close();
    await pbx.close();
  }
});

test('paused agents (QueuePause with a reason) leave a caller waiting until Queue() times out, as in sip-queue-unanswered', async () => {
  const pbx = await SimulatedPbx.start({ speed: 40 });
  const ami = await RawAmi.open(pbx.port);
  try {
    for (const [id, iface] of [
      ['queuepause-2', 'PJSIP/alonso'],
      ['queuepause-3', 'PJSIP/manuel'],
    ] as const) {
      const r = await ami.action(
        'QueuePause',
        { Queue: 'ventas', Interface: iface, Paused: 'true', Reason: 'sin agentes' },
        id,
      );
      assert.deepEqual(r, recordedReply('sip-queue-unanswered', id));
    }
    const call = pbx.placeCall({ from: 'reina', to: '600' });
    await ami.waitEvent((p) => kind(p) === 'QueueCallerJoin', 'join');
    const st = await ami.action('QueueStatus', { Queue: 'ventas' }, 'queuestatus-4');
    assert.deepEqual(st.map(kind), recordedReply('sip-queue-unanswered', 'queuestatus-4').map(kind));
    assert.deepEqual(
      st.filter((p) => kind(p) === 'QueueMember').map((p) => [val(p, 'Paused'), val(p, 'PausedReason')]),
      [
        ['1', 'sin agentes'],
        ['1', 'sin agentes'],
      ],
    );
    const sum = await ami.action('QueueSummary', { Queue: 'ventas' }, 'queuesummary-5');
    assert.deepEqual(sum.map(kind), recordedReply('sip-queue-unanswered', 'queuesummary-5').map(kind));
    assert.equal(val(sum[1] as Packet, 'Available'), '0');
    const ab = await ami.waitEvent((p) => kind(p) === 'QueueCallerAbandon', 'timeout', 15_000);
    assert.equal(val(ab, 'HoldTime'), '20');
    await ami.waitEvent((p) => kind(p) === 'Hangup' && val(p, 'Channel') === call.channel, 'hangup');
    for (const [id, iface] of [
      ['queuepause-6', 'PJSIP/alonso'],
      ['queuepause-7', 'PJSIP/manuel'],
    ] as const) {
      const r = await ami.action('QueuePause', { Queue: 'ventas', Interface: iface, Paused: 'false' }, id);
      assert.deepEqual(r, recordedReply('sip-queue-unanswered', id));
    }
    await ami.waitEvent(
      (p) =>
        kind(p) === 'QueueMemberPause' && val(p, 'Interface') === 'PJSIP/manuel' && val(p, 'Paused') === '0',
      'unpaused',
    );
    const pauses = ami.all
      .filter((p) => kind(p) === 'QueueMemberPause')
      .map((p) => [val(p, 'Interface'), val(p, 'Paused'), val(p, 'PausedReason')]);
    assert.deepEqual(pauses, [
      ['PJSIP/alonso', '1', 'sin agentes'],
      ['PJSIP/manuel', '1', 'sin agentes'],
      ['PJSIP/alonso', '0', ''],
      ['PJSIP/manuel', '0', ''],
    ]);
    assert.deepEqual(unknownShapes(ami.all), []);
    const missing = await ami.action('QueueAdd', { Queue: 'nope', Interface: 'PJSIP/reina' }, 'qa-1');
    assert.equal(val(missing[0] as Packet, 'Message'), 'Unable to add interface to queue: No such queue');
    await ami.action('QueueAdd', { Queue: 'ventas', Interface: 'PJSIP/reina', MemberName: 'Reina' }, 'qa-2');
    await ami.waitEvent((p) => kind(p) === 'QueueMemberAdded', 'added');
    await ami.action('QueueRemove', { Queue: 'ventas', Interface: 'PJSIP/reina' }, 'qr-1');
    await ami.waitEvent((p) => kind(p) === 'QueueMemberRemoved', 'removed');
    const notThere = await ami.action('QueueRemove', { Queue: 'ventas', Interface: 'PJSIP/reina' }, 'qr-2');
    assert.equal(val(notThere[0] as Packet, 'Message'), 'Unable to remove interface: Not there');
  } finally {
    await ami.close();
    await pbx.close();
  }
});
