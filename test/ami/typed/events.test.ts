import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  type AmiEventOf,
  AmiMessage,
  type AmiTypedEvent,
  isTypedEventName,
  normalizeEvent,
} from '../../../src/ami/index.js';
import { packets } from './replay.js';

const root = new URL('../../fixtures/', import.meta.url).pathname;

function events(fixture: string): AmiTypedEvent[] {
  return packets(fixture)
    .filter((m) => m.kind === 'event')
    .map(normalizeEvent);
}

function only<T extends AmiTypedEvent['type']>(list: AmiTypedEvent[], type: T): AmiEventOf<T>[] {
  return list.filter((e): e is AmiEventOf<T> => e.type === type);
}

describe('normalizeEvent over every recorded transcript', () => {
  test('never throws, keeps the raw packet, types every known name and passes unknown ones through', () => {
    let typed = 0;
    let untyped = 0;
    for (const v of ['asterisk', 'asterisk-13', 'asterisk-11']) {
      for (const f of readdirSync(`${root}${v}/ami`).filter((x) => x.endsWith('.raw'))) {
        for (const m of packets(`${v}/ami/${f.slice(0, -4)}`)) {
          if (m.kind !== 'event') continue;
          const e = normalizeEvent(m);
          assert.equal(e.raw, m);
          assert.equal(e.name, m.event);
          if (isTypedEventName(m.event ?? '') && !(m.event === 'AsyncAGI' && !m.has('SubEvent'))) {
            assert.notEqual(e.type, 'Untyped', `${v}/${f}: ${m.event}`);
            typed++;
          } else {
            assert.equal(e.type, 'Untyped');
            untyped++;
          }
          // Channel events always name their channel.
          if ('channel' in e && typeof e.channel === 'object' && e.channel)
            assert.notEqual(e.channel.channel, '', m.text());
        }
      }
    }
    assert.ok(typed > 3000, `typed ${typed}`);
    assert.ok(untyped > 0); // e.g. list items, SuccessfulAuth, RTCPSent
  });

  test('a non-event packet is Untyped', () => {
    const [resp] = packets('asterisk/ami/ping').filter((m) => m.kind === 'response');
    assert.ok(resp);
    assert.equal(normalizeEvent(resp).type, 'Untyped');
  });
});

describe('modern events (current Asterisk)', () => {
  test('SIP call: dial with caller and dest, bridge, hangup causes, <unknown> caller name dropped', () => {
    const ev = events('asterisk/ami/sip-call');
    const begin = only(ev, 'DialBegin')[0];
    assert.ok(begin);
    assert.match(begin.caller?.channel ?? '', /^PJSIP\/reina-/);
    assert.match(begin.dest?.channel ?? '', /^PJSIP\/alonso-/);
    assert.equal(begin.dialString, 'alonso');
    assert.equal(begin.caller?.callerIdNum, 'reina');
    assert.equal(begin.caller?.callerIdName, undefined); // `<unknown>`
    assert.equal(begin.legacy, false);
    assert.ok(only(ev, 'DialEnd').some((e) => e.dialStatus === 'ANSWER'));
    const enter = only(ev, 'BridgeEnter');
    assert.equal(enter.length, 2);
    assert.equal(enter[0]?.bridge.technology, 'simple_bridge');
    assert.equal(typeof enter[0]?.bridge.numChannels, 'number');
    const hangups = only(ev, 'Hangup');
    assert.equal(hangups.length, 2);
    assert.ok(hangups.every((h) => h.cause === 16 && h.causeText === 'Normal Clearing'));
    assert.ok(only(ev, 'HangupRequest').every((h) => h.cause === 16));
    const cdr = only(ev, 'Cdr')[0];
    assert.equal(cdr?.disposition, 'ANSWERED');
    assert.equal(typeof cdr?.billableSeconds, 'number');
    const cel = only(ev, 'CEL');
    assert.ok(cel.some((c) => c.eventName === 'HANGUP' && c.extraJson?.hangupcause === 16));
    assert.ok(only(ev, 'DeviceStateChange').some((d) => d.device === 'PJSIP/alonso' && d.state === 'INUSE'));
  });

  test('hold, music on hold and transfers', () => {
    const hold = events('asterisk/ami/sip-hold');
    assert.equal(only(hold, 'Hold')[0]?.musicClass, 'default');
    assert.equal(only(hold, 'MusicOnHoldStart')[0]?.class, 'default');
    assert.equal(only(hold, 'Unhold').length, 1);
    assert.equal(only(hold, 'MusicOnHoldStop').length, 1);
    const blind = only(events('asterisk/ami/sip-blind-transfer'), 'BlindTransfer')[0];
    assert.ok(blind);
    assert.equal(blind.isExternal, true);
    assert.equal(blind.extension, '188');
    assert.equal(blind.context, 'oficina2');
    assert.match(blind.transferer?.channel ?? '', /^PJSIP\/alonso-/);
    assert.match(blind.transferee?.channel ?? '', /^PJSIP\/reina-/);
    const att = events('asterisk/ami/sip-attended-transfer');
    const at = only(att, 'AttendedTransfer')[0];
    assert.ok(at);
    assert.equal(at.result, 'Success');
    assert.equal(at.destType, 'Bridge');
    assert.equal(at.isExternal, false);
    assert.equal(at.origTransferer?.channel, at.secondTransferer?.channel);
    assert.ok(at.origBridge && at.secondBridge && at.destBridgeUniqueid);
    const merge = only(att, 'BridgeMerge')[0];
    assert.ok(merge && merge.to.uniqueid !== merge.from.uniqueid);
    const dtmf = only(att, 'DTMFEnd').map((d) => d.digit);
    assert.deepEqual(dtmf.slice(0, 5), ['*', '2', '1', '8', '8']);
    assert.ok(only(att, 'DTMFEnd').every((d) => d.durationMs === 0 && d.direction === 'Received'));
  });

  test('queues and agents', () => {
    const q = events('asterisk/ami/sip-queue');
    const join = only(q, 'QueueCallerJoin')[0];
    assert.equal(join?.queue, 'ventas');
    assert.equal(join?.position, 1);
    assert.equal(join?.count, 1);
    const called = only(q, 'AgentCalled');
    assert.equal(called.length, 2);
    assert.ok(
      called.every(
        (c) => c.dest?.channel?.startsWith('PJSIP/') && c.caller?.channel.startsWith('PJSIP/reina'),
      ),
    );
    const connect = only(q, 'AgentConnect')[0];
    assert.equal(connect?.interface, 'PJSIP/alonso');
    assert.equal(typeof connect?.ringTime, 'number');
    assert.equal(only(q, 'AgentComplete')[0]?.reason, 'caller');
    assert.ok(
      only(q, 'QueueMemberStatus').some(
        (m) => m.member.status === 6 && m.member.interface === 'PJSIP/alonso',
      ),
    );
    const unanswered = events('asterisk/ami/sip-queue-unanswered');
    const ab = only(unanswered, 'QueueCallerAbandon');
    assert.deepEqual(
      ab.map((a) => a.holdTime),
      [20, 3],
    );
    const pause = only(unanswered, 'QueueMemberPause')[0];
    assert.equal(pause?.member.paused, true);
    assert.ok(pause?.member.pausedReason);
  });

  test('conferences, devices, peers and contacts', () => {
    const conf = events('asterisk/ami/confbridge');
    assert.equal(only(conf, 'ConfbridgeStart')[0]?.conference, '7000');
    const joins = only(conf, 'ConfbridgeJoin');
    assert.equal(joins.length, 2);
    assert.ok(
      joins.every((j) => j.bridge?.technology === 'softmix' && j.admin === false && j.muted === false),
    );
    assert.equal(only(conf, 'ConfbridgeMute').length, 1);
    assert.equal(only(conf, 'ConfbridgeEnd').length, 1);
    const reg = events('asterisk/ami/pjsip-register');
    assert.deepEqual(
      only(reg, 'PeerStatus').map((p) => [p.peer, p.peerStatus]),
      [
        ['PJSIP/alonso', 'Reachable'],
        ['PJSIP/reina', 'Reachable'],
        ['PJSIP/alonso', 'Unreachable'],
        ['PJSIP/reina', 'Unreachable'],
      ],
    );
    const cs = only(reg, 'ContactStatus');
    assert.ok(
      cs.some((c) => c.contactStatus === 'NonQualified' && c.roundtripUsec === 0 && c.aor === 'alonso'),
    );
    assert.ok(cs.some((c) => c.contactStatus === 'Removed'));
  });

  test('AsyncAGI, OriginateResponse, FullyBooted, UserEvent headers kept in order', () => {
    const agi = events('asterisk/ami/asyncagi');
    const start = only(agi, 'AsyncAGIStart')[0];
    assert.equal(start?.env.agi_request, 'async');
    assert.equal(start?.env.agi_callerid, '5550100');
    const exec = only(agi, 'AsyncAGIExec');
    assert.ok(exec.some((e) => /^200 result=1 \(5550100\)$/.test(e.result)));
    assert.ok(exec.some((e) => e.result.startsWith('510 Invalid or unknown command')));
    assert.ok(exec.every((e) => !e.result.endsWith('\n') && e.commandId));
    assert.equal(only(agi, 'AsyncAGIEnd').length, 1);
    const orig = only(events('asterisk/ami/originate-failure'), 'OriginateResponse')[0];
    assert.ok(orig);
    assert.equal(orig.success, false);
    assert.equal(orig.uniqueid, undefined);
    assert.equal(orig.reason, 0);
    assert.equal(orig.channel, 'Local/999@no-such-context');
    const boot = only(events('asterisk/ami/login-plain'), 'FullyBooted')[0];
    assert.equal(boot?.status, 'Fully Booted');
    assert.equal(typeof boot?.uptime, 'number');
    for (const v of ['asterisk', 'asterisk-11']) {
      const ue = only(events(`${v}/ami/userevent`), 'UserEvent').find((u) => u.userEvent === 'SbTest');
      assert.ok(ue);
      assert.equal(ue.actionId, 'userevent-2');
      const raw: AmiMessage = ue.raw;
      assert.deepEqual(ue.headers, [
        ['Header1', 'one'],
        ['X-Repeat', 'a'],
        ['X-Repeat', 'b'],
        ['Url', 'http://example.invalid:8080/x?y=1'],
        ['Empty', ''],
        ['Spaces', raw.get('Spaces') ?? ''],
      ]);
    }
  });

  test('VarSet (Asterisk 13 AsyncAGI session) and Shutdown (Cleanly/Uncleanly, Restart)', () => {
    const vs = only(events('asterisk-13/ami/asyncagi'), 'VarSet');
    const status = vs.find((e) => e.variable === 'AGISTATUS');
    assert.ok(status, 'AGISTATUS VarSet');
    assert.equal(status.value, 'SUCCESS');
    assert.equal(status.channel.channel, 'Local/400@sb-test-00000025;2');
    assert.ok(vs.every((e) => e.variable !== '' && e.raw.get('Value') === e.value));
    const down = normalizeEvent(
      AmiMessage.from([
        ['Event', 'Shutdown'],
        ['Privilege', 'system,all'],
        ['Shutdown', 'Uncleanly'],
        ['Restart', 'True'],
      ]),
    );
    assert.equal(down.type, 'Shutdown');
    assert.ok(down.type === 'Shutdown' && down.shutdown === 'Uncleanly' && down.restart === true);
    const clean = normalizeEvent(
      AmiMessage.from({ Event: 'Shutdown', Privilege: 'system,all', Shutdown: 'Cleanly', Restart: 'False' }),
    );
    assert.ok(clean.type === 'Shutdown' && clean.shutdown === 'Cleanly' && clean.restart === false);
  });

  test('Asterisk 13 Reload event from UpdateConfig Reload: no', () => {
    const r = only(events('asterisk-13/ami/config'), 'Reload');
    assert.ok(r.length > 0 && r.every((e) => e.module === 'no' && e.status === '2'));
  });
});

describe('legacy events (Asterisk 11) normalised to modern shapes', () => {
  test('Dial SubEvent Begin/End → DialBegin/DialEnd; Bridge Link/Unlink; LocalBridge Channel1/2', () => {
    const ev = events('asterisk-11/ami/call-lifecycle-full');
    const begin = only(ev, 'DialBegin');
    assert.equal(begin.length, 1);
    assert.equal(begin[0]?.legacy, true);
    assert.equal(begin[0]?.name, 'Dial');
    assert.match(begin[0]?.caller?.channel ?? '', /^Local\/300@sb-test-[0-9a-f]+;2$/);
    assert.match(begin[0]?.dest?.channel ?? '', /^Local\/200@sb-test-[0-9a-f]+;1$/);
    assert.equal(begin[0]?.dest?.uniqueid, begin[0]?.raw.get('DestUniqueID'));
    assert.equal(begin[0]?.dialString, '200@sb-test');
    const end = only(ev, 'DialEnd');
    assert.equal(end.length, 1);
    assert.equal(end[0]?.dialStatus, 'ANSWER');
    assert.equal(end[0]?.caller?.channel, begin[0]?.caller?.channel);
    const br = only(ev, 'Bridge');
    assert.deepEqual(
      br.map((b) => b.state),
      ['Link', 'Unlink'],
    );
    assert.equal(br[0]?.bridgeType, 'core');
    assert.equal(br[0]?.channel1.channel, begin[0]?.caller?.channel);
    assert.equal(br[0]?.channel2.callerIdNum, '300');
    const lb = only(ev, 'LocalBridge');
    assert.equal(lb.length, 2);
    assert.ok(
      lb.every(
        (l) =>
          l.localOne.channel.endsWith(';1') &&
          l.localTwo.channel.endsWith(';2') &&
          l.localOptimization === true,
      ),
    );
    // Thin Asterisk 11 channel events still give channel + uniqueid; Newexten's Extension fills exten.
    const nx = only(ev, 'Newexten')[0];
    assert.ok(nx?.channel.uniqueid && nx.channel.exten === nx.extension);
    assert.ok(
      only(ev, 'Hangup').every((h) => typeof h.cause === 'number' && h.channel.linkedid === undefined),
    );
    assert.ok(only(ev, 'CEL').every((c) => c.extraJson === undefined)); // comma list on 11
  });

  test('DTMF Begin/End and MusicOnHold State', () => {
    const ev = events('asterisk-11/ami/dtmf');
    const b = only(ev, 'DTMFBegin');
    const e = only(ev, 'DTMFEnd');
    assert.ok(b.length > 0);
    assert.deepEqual(
      b.map((x) => x.digit),
      e.map((x) => x.digit),
    );
    assert.ok(
      [...b, ...e].every(
        (x) => x.legacy && x.name === 'DTMF' && x.direction === 'Received' && x.durationMs === undefined,
      ),
    );
    const q = events('asterisk-11/ami/queue');
    const start = only(q, 'MusicOnHoldStart');
    assert.ok(
      start.length > 0 &&
        start.every((s) => s.legacy && s.name === 'MusicOnHold' && s.channel.channel !== ''),
    );
    assert.ok(only(q, 'MusicOnHoldStop').every((s) => s.legacy));
  });

  test('AsyncAGI and AGIExec SubEvents, CommandID spelling', () => {
    const ev = events('asterisk-11/ami/asyncagi');
    const start = only(ev, 'AsyncAGIStart')[0];
    assert.equal(start?.legacy, true);
    assert.equal(start?.env.agi_version, '11.25.3');
    const exec = only(ev, 'AsyncAGIExec');
    assert.ok(exec.some((x) => x.commandId === 'cmd-answer' && x.result === '200 result=0'));
    assert.equal(only(ev, 'AsyncAGIEnd').length, 1);
    const ae = only(ev, 'AGIExecEnd');
    assert.ok(ae.length > 0 && ae.every((x) => x.legacy && x.resultCode !== undefined && x.commandId));
    assert.equal(only(ev, 'AGIExecStart').length, ae.length);
  });

  test('Join/Leave, QueueMemberPaused (Reason → pausedReason), Location → interface, agent events', () => {
    const ev = events('asterisk-11/ami/queue');
    const join = only(ev, 'QueueCallerJoin')[0];
    assert.ok(join?.legacy);
    assert.equal(join?.name, 'Join');
    assert.equal(join?.queue, 'support');
    assert.equal(join?.count, 1);
    assert.equal(only(ev, 'QueueCallerLeave')[0]?.count, 0);
    const paused = only(ev, 'QueueMemberPause');
    assert.deepEqual(
      paused.map((p) => [p.legacy, p.member.interface, p.member.paused, p.member.pausedReason]),
      [
        [true, 'Local/203@sb-agents/n', true, 'lunch break'],
        [true, 'Local/203@sb-agents/n', false, undefined],
      ],
    );
    assert.equal(only(ev, 'QueueMemberAdded')[0]?.member.interface, 'Local/203@sb-agents/n');
    const called = only(ev, 'AgentCalled');
    assert.ok(called.length === 2 && called.every((c) => c.legacy));
    assert.equal(called[0]?.interface, 'Local/201@sb-agents/n');
    assert.equal(called[0]?.memberName, 'Agent Alonso');
    assert.match(called[0]?.caller?.channel ?? '', /^Local\/600@sb-test-/);
    assert.equal(called[0]?.caller?.exten, '600');
    assert.match(called[0]?.dest?.channel ?? '', /^Local\/201@sb-agents-/);
    const conn = only(ev, 'AgentConnect')[0];
    assert.equal(conn?.interface, 'Local/201@sb-agents/n');
    assert.equal(conn?.caller?.uniqueid, join?.channel.uniqueid);
    assert.equal(conn?.dest?.channel, called[0]?.dest?.channel);
    assert.equal(only(ev, 'AgentComplete')[0]?.talkTime, 3);
  });

  test('chan_sip Hold with Status On/Off → Hold/Unhold; 1.4 Link/Unlink and Dial Source/Destination', () => {
    const on = normalizeEvent(
      AmiMessage.from([
        ['Event', 'Hold'],
        ['Privilege', 'call,all'],
        ['Status', 'On'],
        ['Channel', 'SIP/100-00000001'],
        ['Uniqueid', '1.1'],
      ]),
    );
    assert.equal(on.type, 'Hold');
    assert.equal(on.legacy, true);
    const off = normalizeEvent(
      AmiMessage.from([
        ['Event', 'Hold'],
        ['Status', 'Off'],
        ['Channel', 'SIP/100-00000001'],
      ]),
    );
    assert.equal(off.type, 'Unhold');
    const unlink = normalizeEvent(
      AmiMessage.from([
        ['Event', 'Unlink'],
        ['Channel1', 'SIP/a-1'],
        ['Channel2', 'SIP/b-2'],
        ['Uniqueid1', '1.1'],
        ['Uniqueid2', '1.2'],
      ]),
    );
    assert.equal(unlink.type, 'Bridge');
    assert.ok(unlink.type === 'Bridge' && unlink.state === 'Unlink' && unlink.channel2.uniqueid === '1.2');
    const dial14 = normalizeEvent(
      AmiMessage.from([
        ['Event', 'Dial'],
        ['Source', 'SIP/a-1'],
        ['Destination', 'SIP/b-2'],
        ['SrcUniqueID', '1.1'],
        ['DestUniqueID', '1.2'],
        ['CallerID', '100'],
      ]),
    );
    assert.ok(
      dial14.type === 'DialBegin' &&
        dial14.caller?.channel === 'SIP/a-1' &&
        dial14.caller.callerIdNum === '100',
    );
    assert.ok(dial14.type === 'DialBegin' && dial14.dest?.uniqueid === '1.2');
  });
});
