import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  AmiActionError,
  AmiActionReplyError,
  AmiActions,
  AmiTypedInputError,
} from '../../../src/ami/index.js';
import { packets, ReplayRunner } from './replay.js';

/** Typed actions over the replies real Asterisk sent (replayed by ActionID from the transcripts). */
function actions(fixture: string): { a: AmiActions; r: ReplayRunner } {
  const r = new ReplayRunner(fixture);
  return { a: new AmiActions(r), r };
}

async function rejectsWith(p: Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof AmiActionError);
    assert.equal(e.code, 'AMI_ACTION_FAILED');
    assert.equal(e.reason, message);
    return true;
  });
}

describe('session actions', () => {
  test('ping parses the timestamp as a number', async () => {
    const { a } = actions('asterisk/ami/ping');
    assert.deepEqual(await a.ping(), { timestamp: 1795340953.056052 });
  });

  test('challenge returns the challenge string', async () => {
    const { a, r } = actions('asterisk/ami/login-md5-challenge');
    assert.equal(await a.challenge(), '163733323');
    assert.deepEqual(r.sent[0], { name: 'Challenge', params: { AuthType: 'MD5' } });
  });

  test('events reports Off then On from the Events: header', async () => {
    const { a } = actions('asterisk/ami/events-off-on');
    assert.equal(await a.events(false), false);
    assert.equal(await a.events(true), true);
  });

  test('filter: a bad regex rejects with the Asterisk message (two spaces kept)', async () => {
    const { a } = actions('asterisk/ami/filter-action');
    await a.filter('UserEvent: SbKeep');
    await a.filter('', 'action(include),name(Hangup)');
    await rejectsWith(
      a.filter('(unclosed'),
      'Filter did not compile.  Check the syntax of the filter given.',
    );
  });

  test('logoff accepts Response: Goodbye', async () => {
    const { a } = actions('asterisk/ami/logoff');
    await a.login({ username: 'harness', secret: 'harness-secret' });
    await a.logoff();
  });

  test('coreStatus on current Asterisk and on Asterisk 11 (no CoreProcessedCalls)', async () => {
    const cur = await actions('asterisk/ami/permission-denied').a.coreStatus();
    assert.equal(cur.processedCalls, 70);
    assert.equal(cur.currentCalls, 0);
    assert.equal(cur.startupDate, '2026-11-22');
    const old = await actions('asterisk-11/ami/permission-denied').a.coreStatus();
    assert.equal(old.processedCalls, undefined);
    assert.equal(old.reloadTime, '10:47:53');
  });
});

describe('channels and variables', () => {
  for (const v of ['asterisk', 'asterisk-13', 'asterisk-11']) {
    test(`coreShowChannels parses the 4 items of ${v}`, async () => {
      const list = await actions(`${v}/ami/coreshowchannels-during-call`).a.coreShowChannels();
      assert.equal(list.length, 4);
      for (const c of list) {
        assert.match(c.channel, /^Local\/\d00@sb-test-[0-9a-f]+;[12]$/);
        assert.match(c.uniqueid ?? '', /^\d+\.\d+$/);
        assert.equal(c.state, 6);
        assert.equal(c.stateDesc, 'Up');
        assert.equal(typeof c.duration, 'number');
        assert.equal(c.callerIdName, 'SB Harness');
      }
      const dial = list.find((c) => c.application === 'Dial');
      assert.ok(dial);
      assert.equal(dial.applicationData, 'Local/200@sb-test,10');
      assert.equal(dial.exten, '300');
      if (v === 'asterisk-11') {
        assert.match(dial.bridgedChannel ?? '', /^Local\/200@sb-test-/);
        assert.equal(dial.linkedid, undefined);
      } else {
        assert.match(dial.bridgeId ?? '', /^[0-9a-f-]{36}$/);
        assert.match(dial.linkedid ?? '', /^\d+\.\d+$/);
      }
    });
  }

  test('status on Asterisk 11: both item shapes, variables, (null) as undefined, missing channel', async () => {
    const { a, r } = actions('asterisk-11/ami/status-during-call');
    const all = await a.status();
    assert.equal(all.length, 4);
    const thin = all.find((s) => s.channel === 'Local/300@sb-test-0000002e;1');
    assert.ok(thin);
    assert.equal(thin.state, 6); // from `State: Up`
    assert.equal(thin.stateDesc, 'Up');
    assert.equal(thin.context, undefined);
    const full = all.find((s) => s.channel === 'Local/300@sb-test-0000002e;2');
    assert.ok(full);
    assert.equal(full.exten, '300'); // from `Extension:`
    assert.equal(full.bridgedChannel, 'Local/200@sb-test-0000002f;1');
    assert.equal(full.seconds, 0);
    const [one] = await a.status({ channel: 'Local/200@sb-test-0000002f;2', variables: ['WAITSECS', 'FOO'] });
    assert.deepEqual(r.sent.at(-1)?.params, {
      Channel: 'Local/200@sb-test-0000002f;2',
      Variables: 'WAITSECS,FOO',
      AllVariables: undefined,
    });
    assert.deepEqual(one?.variables, { WAITSECS: '5', FOO: undefined });
    await a.status({ channel: 'Local/200@sb-test-0000002f;2', allVariables: true });
    await rejectsWith(a.status({ channel: 'Local/nope@sb-test-00000000;1' }), 'No such channel');
  });

  test('status on Asterisk 13 reads Accountcode and current Asterisk reads the full snapshot', async () => {
    const s13 = await actions('asterisk-13/ami/status-during-call').a.status();
    assert.ok(s13.length >= 2);
    assert.ok(s13.every((s) => s.language === undefined && typeof s.seconds === 'number'));
    const cur = await actions('asterisk/ami/status-during-call').a.status();
    assert.ok(cur.every((s) => s.language === 'en' && s.type === 'Local'));
  });

  test('getvar/setvar: values, empty as undefined, functions, errors', async () => {
    const { a } = actions('asterisk/ami/getvar-setvar');
    await a.setvar('SBGLOBAL', 'g1');
    assert.equal(await a.getvar('SBGLOBAL'), 'g1');
    assert.equal(await a.getvar('NOSUCHVAR'), undefined);
    assert.equal(await a.getvar('STRFTIME(0,UTC,%Y)'), '1970');
    const ch = 'Local/200@sb-test-00000044;2';
    await a.setvar('SBCHAN', 'c1 c2', ch);
    assert.equal(await a.getvar('SBCHAN', ch), 'c1 c2');
    assert.equal(await a.getvar('ORIGVAR', ch), 'from originate');
    assert.equal(await a.getvar('CHANNEL(state)', ch), 'Up');
    assert.equal(await a.getvar('UNSETVAR', ch), undefined);
    await rejectsWith(a.getvar('X', 'Local/nope@sb-test-00000000;2'), 'No such channel');
  });

  test('hangup by name and by RegExp (sent as /regex/, list result), misses', async () => {
    const { a, r } = actions('asterisk/ami/hangup-action');
    assert.deepEqual(await a.hangup('Local/200@sb-test-00000045;1', 16), ['Local/200@sb-test-00000045;1']);
    assert.deepEqual(await a.hangup(/^Local\/200@sb-test-[0-9a-f]+;1$/, 17), [
      'Local/200@sb-test-00000046;1',
    ]);
    assert.equal(r.sent.at(-1)?.params.Channel, r.lastRecorded?.get('Channel'));
    await rejectsWith(a.hangup('Local/nope@sb-test-00000000;1'), 'No such channel');
    assert.deepEqual(await a.hangup(/^nomatch-at-all$/), []);
    await assert.rejects(a.hangup(/x/i), AmiTypedInputError);
  });

  test('command returns output lines in both reply formats; 14+ unknown command rejects', async () => {
    const cur = actions('asterisk/ami/command-output').a;
    const old = actions('asterisk-13/ami/command-output').a;
    for (const a of [cur, old]) {
      const ch = await a.command('core show channels');
      assert.ok(ch.some((l) => /active channel/.test(l)));
      const ver = await a.command('core show version');
      assert.match(ver[0] ?? '', /^Asterisk /);
      const dp = await a.command('dialplan show sb-test');
      assert.ok(dp.some((l) => l.includes('UserEvent(AgiDone,Status: $' + '{AGISTATUS}')));
    }
    await assert.rejects(cur.command('no such command here'), (e: unknown) => {
      assert.ok(e instanceof AmiActionReplyError);
      assert.equal(e.reason, 'Command output follows');
      assert.match(e.reply.getAll('Output')[0] ?? '', /^No such command/);
      return true;
    });
    assert.match((await old.command('no such command here'))[0] ?? '', /^No such command/);
  });

  test('redirect (Asterisk 11), and its error names the channel', async () => {
    const { a, r } = actions('asterisk-11/ami/redirect');
    const reqs = (await import('./replay.js'))
      .requests('asterisk-11/ami/redirect')
      .filter((m) => m.get('Action') === 'Redirect');
    for (const req of reqs) {
      const p = a.redirect({
        channel: req.get('Channel') ?? '',
        context: req.get('Context') ?? '',
        exten: req.get('Exten') ?? '',
        priority: req.get('Priority') ?? '',
      });
      const reply = await p.then(
        () => 'ok',
        (e: AmiActionError) => e.reason,
      );
      assert.ok(reply === 'ok' || /^Channel does not exist: /.test(reply), reply);
    }
    assert.equal(r.sent.length, reqs.length);
  });
});

describe('queues', () => {
  test('queueStatus splits params, members and entries (current Asterisk, agents ringing)', async () => {
    const { a } = actions('asterisk/ami/sip-queue');
    const s = await a.queueStatus({ queue: 'ventas' });
    assert.deepEqual(
      s.params.map((p) => [p.queue, p.strategy, p.calls]),
      [['ventas', 'ringall', 1]],
    );
    assert.equal(s.members.length, 2);
    assert.ok(s.members.every((m) => m.status === 6 && m.paused === false && m.inCall === false));
    assert.deepEqual(s.members.map((m) => m.interface).sort(), ['PJSIP/alonso', 'PJSIP/manuel']);
    assert.equal(s.entries.length, 1);
    const e = s.entries[0];
    assert.equal(e?.callerIdNum, 'reina');
    assert.equal(e?.callerIdName, undefined); // `unknown`
    assert.equal(e?.position, 1);
    const talk = await a.queueStatus({ queue: 'ventas' });
    assert.equal(talk.params[0]?.calls, 0);
    assert.ok(talk.members.some((m) => m.inCall === true && m.status === 2));
    const [sum] = await a.queueSummary('ventas');
    assert.deepEqual(sum, {
      queue: 'ventas',
      loggedIn: 2,
      available: 1,
      callers: 0,
      holdTime: 1,
      talkTime: 0,
      longestHoldTime: 0,
    });
  });

  test('Asterisk 11 queue actions: IsInCall, Location, no EventList, add/pause/remove and their errors', async () => {
    const { a, r } = actions('asterisk-11/ami/queue');
    const s = await a.queueStatus();
    assert.deepEqual(
      s.params.map((p) => p.queue),
      ['support', 'ventas'],
    );
    assert.ok(
      s.members.length > 0 && s.members.every((m) => m.interface !== '' && typeof m.inCall === 'boolean'),
    );
    assert.equal(s.params[0]?.serviceLevelPerf, 100);
    assert.equal(s.params[0]?.serviceLevelPerf2, undefined);
    assert.equal((await a.queueSummary()).length, 2);
    const iface = 'Local/203@sb-agents/n';
    await a.queueAdd({
      queue: 'support',
      interface: iface,
      penalty: 2,
      memberName: 'Agent Temp',
      stateInterface: 'Local/203@sb-agents',
    });
    await a.queuePause({ queue: 'support', interface: iface, paused: true, reason: 'lunch break' });
    assert.deepEqual(r.sent.at(-1)?.params, {
      Interface: iface,
      Paused: true,
      Queue: 'support',
      Reason: 'lunch break',
    });
    const one = await a.queueStatus({ queue: 'support', member: iface });
    assert.deepEqual(
      one.members.map((m) => [m.interface, m.paused, m.name]),
      [[iface, true, 'Agent Temp']],
    );
    await a.queuePause({ queue: 'support', interface: iface, paused: false });
    await a.queueRemove('support', iface);
    await rejectsWith(a.queueRemove('support', iface), 'Unable to remove interface: Not there');
    await rejectsWith(
      a.queueAdd({ queue: 'nosuchqueue', interface: iface }),
      'Unable to add interface to queue: No such queue',
    );
  });
});

describe('AstDB', () => {
  test('put, get (missing → undefined), tree, del twice, deltree twice', async () => {
    const { a } = actions('asterisk/ami/dbput-dbget');
    await a.dbPut('sb', 'key', 'value with spaces');
    await a.dbPut('sb/sub', 'k2', 'v2');
    assert.equal(await a.dbGet('sb', 'key'), 'value with spaces');
    assert.equal(await a.dbGet('sb', 'nokey'), undefined);
    assert.deepEqual(await a.dbGetTree('sb'), [
      { key: '/sb/key', value: 'value with spaces' },
      { key: '/sb/sub/k2', value: 'v2' },
    ]);
    await a.dbDel('sb', 'key');
    await rejectsWith(a.dbDel('sb', 'key'), 'Database entry could not be deleted');
    await a.dbDelTree('sb');
    await rejectsWith(a.dbDelTree('sb'), 'Database entry not found');
  });
});

describe('PJSIP', () => {
  test('endpoints (trailing comma of Contacts dropped) and contacts, then "No Contacts found" as []', async () => {
    const { a } = actions('asterisk/ami/pjsip-register');
    const eps = await a.pjsipShowEndpoints();
    assert.deepEqual(
      eps.map((e) => [e.name, e.deviceState, e.contacts.length]),
      [
        ['alonso', 'Not in use', 1],
        ['manuel', 'Unavailable', 0],
        ['reina', 'Not in use', 1],
      ],
    );
    assert.match(eps[0]?.contacts[0] ?? '', /^alonso\/sip:alonso-0x[0-9a-f]+@127\.0\.0\.1:5070$/);
    assert.deepEqual(eps[0]?.auths, ['alonso-auth']);
    const contacts = await a.pjsipShowContacts();
    assert.equal(contacts.length, 2);
    for (const c of contacts) {
      assert.ok(c.aor === 'alonso' || c.aor === 'reina');
      assert.equal(c.roundtripUsec, undefined); // N/A
      assert.equal(typeof c.expirationTime, 'number');
      assert.match(c.uri ?? '', /^sip:/);
    }
    await a.call('PJSIPShowEndpoint', { Endpoint: 'alonso' });
    await a.call('PJSIPShowRegistrationsInbound');
    assert.deepEqual(await a.pjsipShowContacts(), []);
  });
});

describe('originate', () => {
  test('uses the runner originate() when present and parses a failed OriginateResponse', async () => {
    const ev = packets('asterisk/ami/originate-failure').find(
      (m) => m.event === 'OriginateResponse' && m.get('Response') === 'Failure',
    );
    assert.ok(ev);
    let sent: unknown;
    const a = new AmiActions({
      action: () => Promise.reject(new Error('not used')),
      originate: async (params) => {
        sent = params;
        return ev;
      },
    });
    const res = await a.originate({
      channel: 'Local/999@no-such-context',
      application: 'Wait',
      data: '1',
      variables: { A: 1, B: 'x y' },
    });
    assert.deepEqual(res, {
      success: false,
      reason: 0,
      uniqueid: undefined,
      channel: ev.get('Channel'),
      async: true,
    });
    assert.deepEqual((sent as Record<string, unknown>).Variable, ['A=1', 'B=x y']);
  });

  test('without runner originate(), sends a synchronous Originate and rejects on Originate failed', async () => {
    const { a, r } = actions('asterisk/ami/originate-failure');
    await rejectsWith(
      a.originate({ channel: 'Local/999@no-such-context', application: 'Wait', data: '1' }),
      'Originate failed',
    );
    assert.equal(r.sent[0]?.params.Async, undefined);
  });
});
