/**
 * Details the replay comparisons do not look at: every list action of the snapshot (device and extension states,
 * chan_sip peers on servers without PJSIP, ConfBridge rooms and members), channel fields (account code, language,
 * connected line, application, last DTMF), paused reasons, `kpi` changes, and a queue caller leaving while the
 * QueueStatus reply that still lists it is in flight.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, test } from 'node:test';
import { AmiMessage } from '../../src/ami/index.js';
import {
  type PbxCallRecord,
  type PbxChange,
  type PbxChannel,
  PbxModel,
  PbxMonitor,
  type PbxQueueMember,
} from '../../src/pbx/index.js';
import { run } from './replay-check.js';

type Items = Record<string, string>[];

/** A stand-in AMI client answering from a table; records the actions asked. */
class TableClient extends EventEmitter {
  state = 'ready';
  asked: string[] = [];
  constructor(public table: Record<string, Items | string>) {
    super();
  }
  async action(name: string, params?: Record<string, string>) {
    this.asked.push(params?.Conference ? `${name}(${params.Conference})` : name);
    const key = params?.Conference ? `${name}(${params.Conference})` : name;
    const v = this.table[key];
    if (v === undefined || typeof v === 'string')
      return {
        ok: false,
        message: AmiMessage.from({ Response: 'Error', Message: v ?? 'Invalid/unknown command' }),
        items: [],
      };
    return {
      ok: true,
      message: AmiMessage.from({ Response: 'Success' }),
      items: v.map((h) => AmiMessage.from(h)),
    };
  }
}

const chan = {
  Event: 'CoreShowChannel',
  Channel: 'SIP/alice-00000001',
  ChannelState: '6',
  ChannelStateDesc: 'Up',
  CallerIDNum: 'alice',
  ConnectedLineNum: '200',
  ConnectedLineName: 'Bob',
  Language: 'es',
  AccountCode: 'sales',
  Context: 'from-internal',
  Exten: '200',
  Priority: '3',
  Uniqueid: '1700000000.1',
  Linkedid: '1700000000.1',
  Application: 'Dial',
  ApplicationData: 'SIP/bob,30',
  Duration: '00:00:05',
  BridgeId: '',
};

describe('snapshot list actions and channel details', () => {
  test('an old server: SIPpeers instead of PJSIP, device and hint states, ConfBridge rooms and members', async (t) => {
    const client = new TableClient({
      CoreShowChannels: [chan],
      QueueStatus: [],
      DeviceStateList: [{ Event: 'DeviceStateChange', Device: 'SIP/alice', State: 'INUSE' }],
      ExtensionStateList: [
        { Event: 'ExtensionStatus', Exten: '100', Context: 'hints', Hint: 'SIP/alice', StatusText: 'InUse' },
      ],
      PJSIPShowEndpoints: 'Invalid/unknown command',
      SIPpeers: [
        {
          Event: 'PeerEntry',
          Channeltype: 'SIP',
          ObjectName: 'alice',
          IPaddress: '192.0.2.10',
          IPport: '5060',
          Status: 'OK (5 ms)',
        },
      ],
      ConfbridgeListRooms: [
        { Event: 'ConfbridgeListRooms', Conference: '1000', Parties: '1', Locked: 'Yes' },
      ],
      'ConfbridgeList(1000)': [
        {
          Event: 'ConfbridgeList',
          Conference: '1000',
          Channel: 'SIP/alice-00000001',
          Uniqueid: '1700000000.1',
          Admin: 'Yes',
          Muted: 'Yes',
          Talking: 'No',
        },
      ],
    });
    const changes: PbxChange[] = [];
    const monitor = new PbxMonitor([{ id: 'old', client }], { tickMs: 60_000, kpiEveryMs: 0 });
    monitor.on('change', (c) => changes.push(c));
    t.after(() => monitor.close());
    monitor.start();
    await monitor.ready();
    assert.deepEqual(client.asked, [
      'CoreShowChannels',
      'QueueStatus',
      'DeviceStateList',
      'ExtensionStateList',
      'PJSIPShowEndpoints',
      'SIPpeers',
      'ConfbridgeListRooms',
      'ConfbridgeList(1000)',
      // Trunks (src/pbx/trunk-sync.ts): each refused here, as by a server without the module.
      'PJSIPShowRegistrationsOutbound',
      'SIPshowregistry',
      'PRIShowSpans',
      'DAHDIShowChannels',
    ]);
    const snap = monitor.snapshot()[0]!;
    const c = snap.channels[0]!;
    assert.deepEqual(
      [c.accountCode, c.language, c.connectedLineNum, c.connectedLineName, c.application, c.applicationData],
      ['sales', 'es', '200', 'Bob', 'Dial', 'SIP/bob,30'],
    );
    assert.deepEqual([c.context, c.exten, c.priority], ['from-internal', '200', 3]);
    assert.equal(snap.devices['SIP/alice'], 'INUSE');
    assert.equal(snap.devices['hint:100@hints'], 'INUSE');
    assert.deepEqual(
      snap.endpoints.map((e) => [e.id, e.status, e.contacts.join(), e.deviceState]),
      [['old/SIP/alice', 'OK (5 ms)', '192.0.2.10:5060', 'INUSE']],
    );
    assert.deepEqual(snap.conferences, [
      {
        id: 'old/1000',
        server: 'old',
        name: '1000',
        locked: true,
        members: [
          {
            uniqueid: '1700000000.1',
            channel: 'SIP/alice-00000001',
            admin: true,
            muted: true,
            talking: false,
          },
        ],
      },
    ]);

    // While disconnected the peer was deleted and the conference ended: the re-snapshot removes both, marked.
    client.table.SIPpeers = [];
    client.table.ConfbridgeListRooms = 'No active conferences.';
    changes.length = 0;
    await monitor.resync('old');
    const removed = changes.filter((x) => x.op === 'remove').map((x) => `${x.type} ${x.id}`);
    assert.deepEqual(removed.sort(), ['conference old/1000', 'endpoint old/SIP/alice']);
    assert.equal(changes.find((x) => x.type === 'conference')?.endedWhileDisconnected, true);
    assert.equal(monitor.snapshot()[0]!.channels.length, 1);
    await monitor.close();
  });

  test('a kpi change is emitted per server on the tick', () => {
    const model = new PbxModel({ server: 'k' });
    const before = model.seq;
    const changes = model.tick(Date.UTC(2026, 0, 1), true);
    assert.equal(changes.length, 1);
    assert.deepEqual([changes[0]!.type, changes[0]!.id, changes[0]!.seq], ['kpi', 'k/kpi', before + 1]);
    assert.equal((changes[0]!.data as { callsInProgress: number }).callsInProgress, 0);
    assert.deepEqual(model.tick(Date.UTC(2026, 0, 1), false), []);
  });

  test('last DTMF digit: DTMFEnd (12+) and DTMF with End: Yes (11)', () => {
    for (const rel of ['asterisk/ami/sip-attended-transfer.jsonl', 'asterisk-11/ami/dtmf.jsonl']) {
      const { changes } = run(rel);
      const digits = changes
        .filter((c) => c.type === 'channel' && (c.data as PbxChannel).lastDtmf)
        .map((c) => (c.data as PbxChannel).lastDtmf!.digit);
      assert.ok(digits.length > 0, rel);
      assert.ok(
        digits.every((d) => /^[0-9*#A-D]$/.test(d)),
        rel,
      );
    }
  });

  test('a member paused with a reason, then unpaused (the reason goes)', () => {
    const { changes } = run('asterisk/ami/queue.jsonl');
    const temp = changes
      .filter((c) => c.type === 'member' && c.id.endsWith('/Local/203@sb-agents/n'))
      .map((c) => c.data as PbxQueueMember);
    const i = temp.findIndex((m) => m.paused && m.pausedReason === 'lunch break');
    assert.ok(i >= 0);
    assert.ok(temp.slice(i).some((m) => !m.paused && m.pausedReason === undefined));
  });

  test('a pause with an empty PausedReason clears the earlier reason (found by the simulator property test)', () => {
    const model = new PbxModel({ server: 'k' });
    const pause = (reason: string) =>
      AmiMessage.from({
        Event: 'QueueMemberPause',
        Privilege: 'agent,all',
        Queue: 'ventas',
        MemberName: 'alonso',
        Interface: 'PJSIP/alonso',
        StateInterface: 'PJSIP/alonso',
        Membership: 'dynamic',
        Penalty: '0',
        CallsTaken: '0',
        LastCall: '0',
        LastPause: '0',
        InCall: '0',
        Status: '1',
        Paused: '1',
        PausedReason: reason,
        Ringinuse: '0',
        Wrapuptime: '0',
      });
    model.apply(pause('lunch'));
    const last = model.apply(pause('')).find((c) => c.type === 'member')?.data as PbxQueueMember | undefined;
    assert.equal(last?.paused, true);
    assert.equal(last?.pausedReason, undefined);
  });
});

describe('a queue caller leaving while QueueStatus is in flight', () => {
  const join = (uid: string) =>
    AmiMessage.from({
      Event: 'QueueCallerJoin',
      Channel: `SIP/c-${uid}`,
      Uniqueid: uid,
      Linkedid: uid,
      Queue: 'q1',
      Position: '1',
      Count: '1',
    });
  const entry = (uid: string) =>
    AmiMessage.from({
      Event: 'QueueEntry',
      Queue: 'q1',
      Position: '1',
      Uniqueid: uid,
      Channel: `SIP/c-${uid}`,
    });
  const newchan = (uid: string) =>
    AmiMessage.from({
      Event: 'Newchannel',
      Channel: `SIP/c-${uid}`,
      Uniqueid: uid,
      Linkedid: uid,
      ChannelState: '6',
      ChannelStateDesc: 'Up',
    });

  for (const how of ['Hangup', 'QueueCallerLeave'] as const) {
    test(`${how} seen before the reply that still lists the caller: the caller stays gone`, () => {
      const model = new PbxModel({ server: 's' });
      model.apply(newchan('1.1'), 1000);
      model.apply(join('1.1'), 1000);
      const token = model.beginSnapshot();
      // The reply was built while the caller waited; the event that ends the wait arrives before it.
      model.apply(
        AmiMessage.from({ Event: how, Channel: 'SIP/c-1.1', Uniqueid: '1.1', Linkedid: '1.1', Queue: 'q1' }),
        2000,
      );
      model.applyChannels(
        how === 'Hangup'
          ? []
          : [
              AmiMessage.from({
                Event: 'CoreShowChannel',
                Channel: 'SIP/c-1.1',
                Uniqueid: '1.1',
                Linkedid: '1.1',
              }),
            ],
        token,
        2000,
      );
      model.applyQueueStatus(
        [AmiMessage.from({ Event: 'QueueParams', Queue: 'q1', Strategy: 'ringall' }), entry('1.1')],
        token,
        2000,
      );
      model.endSnapshot();
      assert.deepEqual(model.snapshot().queues.find((q) => q.name === 'q1')?.entries, []);
      assert.equal(model.stats().callers, 0);
    });
  }

  test('a caller who joins during the snapshot and is listed is kept', () => {
    const model = new PbxModel({ server: 's' });
    const token = model.beginSnapshot();
    model.apply(newchan('2.1'), 1000);
    model.apply(join('2.1'), 1000);
    model.applyQueueStatus([entry('2.1')], token, 1000);
    model.endSnapshot();
    assert.deepEqual(
      model.snapshot().queues[0]?.entries.map((e) => e.uniqueid),
      ['2.1'],
    );
  });
});

describe('a queue member added or removed while QueueStatus is in flight', () => {
  const member = (event: string, iface: string) =>
    AmiMessage.from({
      Event: event,
      Queue: 'q1',
      Interface: iface,
      MemberName: iface,
      Status: '1',
      Paused: '0',
    });
  const params = AmiMessage.from({ Event: 'QueueParams', Queue: 'q1', Strategy: 'ringall' });

  test('removed after the reply was built: stays removed; added after it: kept', () => {
    const model = new PbxModel({ server: 's' });
    model.apply(member('QueueMemberAdded', 'PJSIP/a'), 1000);
    const token = model.beginSnapshot();
    model.apply(member('QueueMemberRemoved', 'PJSIP/a'), 2000);
    model.apply(member('QueueMemberAdded', 'PJSIP/b'), 2000);
    // Built before both events: lists a, not b.
    model.applyQueueStatus([params, member('QueueMember', 'PJSIP/a')], token, 2000);
    model.endSnapshot();
    assert.deepEqual(
      model.snapshot().queues[0]!.members.map((m) => m.interface),
      ['PJSIP/b'],
    );
  });

  test('paused by an event after the reply was built: the older reply does not unpause it (found by the simulator)', () => {
    const model = new PbxModel({ server: 's' });
    model.apply(member('QueueMemberAdded', 'PJSIP/a'), 1000);
    const token = model.beginSnapshot();
    model.apply(
      AmiMessage.from({
        Event: 'QueueMemberPause',
        Queue: 'q1',
        Interface: 'PJSIP/a',
        Paused: '1',
        PausedReason: 'lunch',
      }),
      2000,
    );
    model.applyQueueStatus([params, member('QueueMember', 'PJSIP/a')], token, 2000);
    model.endSnapshot();
    const a = model.snapshot().queues[0]!.members[0]!;
    assert.deepEqual([a.interface, a.paused, a.pausedReason], ['PJSIP/a', true, 'lunch']);
  });

  test('members not listed and not touched during the snapshot are gone', () => {
    const model = new PbxModel({ server: 's' });
    model.apply(member('QueueMemberAdded', 'PJSIP/a'), 1000);
    model.apply(member('QueueMemberAdded', 'PJSIP/c'), 1000);
    const token = model.beginSnapshot();
    const changes = model.applyQueueStatus([params, member('QueueMember', 'PJSIP/c')], token, 2000);
    model.endSnapshot();
    assert.deepEqual(
      model.snapshot().queues[0]!.members.map((m) => m.interface),
      ['PJSIP/c'],
    );
    assert.ok(changes.some((c) => c.type === 'member' && c.op === 'remove' && c.id === 's/q1/PJSIP/a'));
  });
});

describe('legacy event names (Asterisk 1.4–1.8)', () => {
  const m = (h: Record<string, string>) => AmiMessage.from(h);
  test('Dial SubEvent, Link/Unlink, Join/Leave: one call, a link bridge, the queue caller', () => {
    const model = new PbxModel({ server: 'old' });
    const changes: PbxChange[] = [];
    const apply = (h: Record<string, string>, at: number) => changes.push(...model.apply(m(h), at));
    apply({ Event: 'Newchannel', Channel: 'SIP/a-1', Uniqueid: '10.1', ChannelState: '4' }, 1000);
    apply(
      { Event: 'Join', Channel: 'SIP/a-1', Uniqueid: '10.1', Queue: 'q1', Position: '1', Count: '1' },
      1000,
    );
    assert.deepEqual(
      model.snapshot().queues[0]!.entries.map((e) => e.uniqueid),
      ['10.1'],
    );
    apply({ Event: 'Leave', Channel: 'SIP/a-1', Uniqueid: '10.1', Queue: 'q1', Count: '0' }, 2000);
    assert.deepEqual(model.snapshot().queues[0]!.entries, []);
    apply({ Event: 'Newchannel', Channel: 'SIP/b-2', Uniqueid: '10.2', ChannelState: '0' }, 2000);
    apply(
      {
        Event: 'Dial',
        SubEvent: 'Begin',
        Channel: 'SIP/a-1',
        Destination: 'SIP/b-2',
        UniqueID: '10.1',
        DestUniqueID: '10.2',
        Dialstring: 'b',
      },
      2000,
    );
    apply({ Event: 'Newstate', Channel: 'SIP/b-2', Uniqueid: '10.2', ChannelState: '6' }, 3000);
    apply(
      { Event: 'Link', Channel1: 'SIP/a-1', Channel2: 'SIP/b-2', Uniqueid1: '10.1', Uniqueid2: '10.2' },
      3000,
    );
    let snap = model.snapshot();
    assert.deepEqual(
      snap.calls.map((c) => [c.linkedid, [...c.channels].sort()]),
      [['10.1', ['10.1', '10.2']]],
    );
    assert.deepEqual(
      snap.bridges.map((b) => [b.uniqueid, [...b.members].sort()]),
      [['link:10.1', ['10.1', '10.2']]],
    );
    assert.equal(snap.channels.find((c) => c.uniqueid === '10.2')?.linkedid, '10.1');
    apply(
      { Event: 'Unlink', Channel1: 'SIP/a-1', Channel2: 'SIP/b-2', Uniqueid1: '10.1', Uniqueid2: '10.2' },
      9000,
    );
    snap = model.snapshot();
    assert.deepEqual(snap.bridges, []);
    assert.ok(snap.channels.every((c) => c.bridgeId === undefined));
    apply(
      { Event: 'Dial', SubEvent: 'End', Channel: 'SIP/a-1', UniqueID: '10.1', DialStatus: 'ANSWER' },
      9000,
    );
    apply(
      { Event: 'Hangup', Channel: 'SIP/b-2', Uniqueid: '10.2', Cause: '16', 'Cause-txt': 'Normal Clearing' },
      9000,
    );
    apply(
      { Event: 'Hangup', Channel: 'SIP/a-1', Uniqueid: '10.1', Cause: '16', 'Cause-txt': 'Normal Clearing' },
      9000,
    );
    changes.push(...model.flush(9000));
    const rec = changes.filter((c) => c.type === 'record').map((c) => c.data as PbxCallRecord);
    assert.equal(rec.length, 1);
    assert.deepEqual(
      [rec[0]!.disposition, rec[0]!.billableSeconds, rec[0]!.durationSeconds, rec[0]!.legs.length],
      ['ANSWERED', 6, 8, 2],
    );
    assert.deepEqual(
      rec[0]!.dials.map((d) => [d.from, d.to, d.status]),
      [['10.1', '10.2', 'ANSWER']],
    );
    assert.deepEqual(model.stats(), {
      channels: 0,
      bridges: 0,
      calls: 0,
      legs: 0,
      callers: 0,
      hints: 0,
      facts: 1,
    });
  });
});

describe('ConfBridge events while the ConfBridge replies are in flight', () => {
  const ev = (event: string, conf: string, uid?: string) =>
    AmiMessage.from({
      Event: event,
      Conference: conf,
      ...(uid ? { Uniqueid: uid, Channel: `PJSIP/p-${uid}`, Admin: 'No', Muted: 'No' } : {}),
    });
  const room = (conf: string) =>
    AmiMessage.from({ Event: 'ConfbridgeListRooms', Conference: conf, Locked: 'No' });
  const item = (conf: string, uid: string) =>
    AmiMessage.from({ Event: 'ConfbridgeList', Conference: conf, Uniqueid: uid, Channel: `PJSIP/p-${uid}` });

  test('newer joins, leaves, starts and ends win over the older reply', () => {
    const model = new PbxModel({ server: 's' });
    model.apply(ev('ConfbridgeStart', '1'), 1000);
    model.apply(ev('ConfbridgeJoin', '1', 'a'), 1000);
    model.apply(ev('ConfbridgeJoin', '1', 'b'), 1000);
    model.apply(ev('ConfbridgeStart', '2'), 1000);
    model.beginSnapshot();
    model.apply(ev('ConfbridgeLeave', '1', 'a'), 2000); // left after the reply was built
    model.apply(ev('ConfbridgeJoin', '1', 'c'), 2000); // joined after it
    model.apply(ev('ConfbridgeEnd', '2'), 2000); // ended after it
    model.apply(ev('ConfbridgeStart', '3'), 2000); // started after it
    model.applyConferences([room('1'), room('2')], [item('1', 'a'), item('1', 'b')]);
    model.endSnapshot();
    const confs = model.snapshot().conferences;
    assert.deepEqual(confs.map((c) => [c.name, c.members.map((m) => m.uniqueid).sort()]).sort(), [
      ['1', ['b', 'c']],
      ['3', []],
    ]);
  });

  test('without events in between, the reply is the truth', () => {
    const model = new PbxModel({ server: 's' });
    model.apply(ev('ConfbridgeJoin', '1', 'a'), 1000);
    model.apply(ev('ConfbridgeJoin', '9', 'z'), 1000);
    model.beginSnapshot();
    model.applyConferences([room('1')], [item('1', 'b')]);
    model.endSnapshot();
    assert.deepEqual(
      model.snapshot().conferences.map((c) => [c.name, c.members.map((m) => m.uniqueid)]),
      [['1', ['b']]],
    );
  });
});

describe('device and endpoint events while their lists are in flight', () => {
  const m = (h: Record<string, string>) => AmiMessage.from(h);
  test('a DeviceStateChange, ContactStatus or PeerStatus newer than the reply wins over it', () => {
    const model = new PbxModel({ server: 's' });
    model.apply(m({ Event: 'DeviceStateChange', Device: 'PJSIP/a', State: 'NOT_INUSE' }), 1000);
    model.beginSnapshot();
    model.apply(m({ Event: 'DeviceStateChange', Device: 'PJSIP/a', State: 'INUSE' }), 2000);
    model.apply(
      m({ Event: 'ContactStatus', EndpointName: 'b', URI: 'sip:b@192.0.2.2:5060', ContactStatus: 'Created' }),
      2000,
    );
    model.apply(m({ Event: 'PeerStatus', Peer: 'SIP/c', PeerStatus: 'Reachable' }), 2000);
    // Replies built before those events.
    model.applyDevices([
      m({ Event: 'DeviceStateChange', Device: 'PJSIP/a', State: 'NOT_INUSE' }),
      m({ Event: 'DeviceStateChange', Device: 'PJSIP/z', State: 'UNAVAILABLE' }),
    ]);
    model.applyEndpoints(
      [
        m({ Event: 'EndpointList', ObjectName: 'a', DeviceState: 'Not in use', Contacts: '' }),
        m({ Event: 'EndpointList', ObjectName: 'b', DeviceState: 'Unavailable', Contacts: '' }),
      ],
      'PJSIP',
    );
    model.applyEndpoints([], 'SIP');
    model.endSnapshot();
    const snap = model.snapshot();
    assert.deepEqual(snap.devices, { 'PJSIP/a': 'INUSE', 'PJSIP/z': 'UNAVAILABLE' });
    const eps = Object.fromEntries(snap.endpoints.map((e) => [e.device, e]));
    assert.equal(eps['PJSIP/a']?.deviceState, 'INUSE');
    assert.deepEqual(eps['PJSIP/b']?.contacts, ['sip:b@192.0.2.2:5060']);
    assert.equal(eps['SIP/c']?.status, 'Reachable');
    // After the snapshot, lists are the truth again.
    model.beginSnapshot();
    model.applyDevices([m({ Event: 'DeviceStateChange', Device: 'PJSIP/a', State: 'NOT_INUSE' })]);
    model.applyEndpoints([], 'SIP');
    model.endSnapshot();
    assert.equal(model.snapshot().devices['PJSIP/a'], 'NOT_INUSE');
    assert.equal(
      model.snapshot().endpoints.find((e) => e.device === 'SIP/c'),
      undefined,
    );
  });
});
