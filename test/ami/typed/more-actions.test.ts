import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AmiActionError, AmiActions, type AmiMessage, type AmiReply } from '../../../src/ami/index.js';
import { msg, ReplayRunner } from './replay.js';

/** A runner that answers from a table (for actions with no recording; shapes from asterisk-protocols.md §2). */
function stub(replies: Record<string, AmiReply>): { a: AmiActions; sent: Array<[string, unknown]> } {
  const sent: Array<[string, unknown]> = [];
  const a = new AmiActions({
    action: async (name, params) => {
      sent.push([name, params]);
      const r = replies[name];
      if (!r) throw new Error(`no stub for ${name}`);
      return r;
    },
  });
  return { a, sent };
}

const ok = (pairs: Array<[string, string]>, items: AmiMessage[] = []): AmiReply => ({
  ok: true,
  message: msg([['Response', 'Success'], ...pairs]),
  items,
});

describe('call control on real replies', () => {
  test('BlindTransfer: errors carry the Asterisk message, success resolves', async () => {
    const r = new ReplayRunner('asterisk/ami/sip-blind-transfer');
    const a = new AmiActions(r);
    await assert.rejects(a.blindTransfer('PJSIP/nobody-00000000', '188', 'oficina2'), (e: AmiActionError) => {
      assert.equal(e.reason, 'Channel specified does not exist');
      return true;
    });
    await assert.rejects(
      a.call('BlindTransfer', { Channel: 'PJSIP/nobody-00000000' }),
      /No extension specified/,
    );
    await a.blindTransfer('PJSIP/alonso-00000001', '188', 'oficina2');
    assert.deepEqual(r.sent.at(-1)?.params, {
      Channel: 'PJSIP/alonso-00000001',
      Exten: '188',
      Context: 'oficina2',
    });
  });

  test('Atxfer', async () => {
    const r = new ReplayRunner('asterisk/ami/sip-attended-transfer');
    const a = new AmiActions(r);
    await assert.rejects(a.call('Atxfer', { Channel: 'PJSIP/nobody-00000000' }), /No extension specified/);
    await assert.rejects(
      a.atxfer('PJSIP/nobody-00000000', '188', 'oficina2'),
      /Channel specified does not exist/,
    );
    await a.atxfer('PJSIP/alonso-00000004', '188', 'oficina2');
  });

  test('PlayDTMF (Asterisk 11) and UserEvent with repeated headers', async () => {
    const d = new ReplayRunner('asterisk-11/ami/dtmf');
    const a = new AmiActions(d);
    await a.call('Originate', { Channel: 'Local/800@sb-test', Application: 'Wait', Data: '4', Async: true });
    await a.playDtmf('Local/800@sb-test-00000038;1', '9', { duration: 150 });
    assert.deepEqual(d.sent.at(-1)?.params, {
      Channel: 'Local/800@sb-test-00000038;1',
      Digit: '9',
      Duration: 150,
      Receive: undefined,
    });
    const u = new ReplayRunner('asterisk/ami/userevent');
    const ua = new AmiActions(u);
    await ua.userEvent('SbTest', { Header1: 'one', 'X-Repeat': ['a', 'b'] });
    assert.deepEqual(u.sent.at(-1)?.params, { UserEvent: 'SbTest', Header1: 'one', 'X-Repeat': ['a', 'b'] });
    await ua.userEvent('SbBare');
  });

  test('AGI queues commands; after ASYNCAGI BREAK the channel is gone', async () => {
    const r = new ReplayRunner('asterisk/ami/asyncagi');
    const a = new AmiActions(r);
    await a.call('Originate', { Channel: 'Local/400@sb-test', Application: 'Wait', Data: '20', Async: true });
    const ch = 'Local/400@sb-test-0000004c;2';
    for (const [cmd, id] of [
      ['ANSWER', 'cmd-answer'],
      ['GET VARIABLE CHANNEL', 'cmd-getvar'],
      ['STREAM FILE beep ""', 'cmd-stream'],
      ['NOSUCH COMMAND', 'cmd-bogus'],
      ['NOOP', 'cmd-noop-1'],
      ['GET VARIABLE CALLERID(num)', 'cmd-callerid'],
      ['ASYNCAGI BREAK', 'cmd-break'],
    ] as const)
      await a.agi(ch, cmd, id);
    assert.deepEqual(r.sent.at(-1)?.params, {
      Channel: ch,
      Command: 'ASYNCAGI BREAK',
      CommandID: 'cmd-break',
    });
    await assert.rejects(a.agi(ch, 'NOOP', 'cmd-after-end'), /does not exist/);
  });

  test('Permission denied rejects as AmiActionError', async () => {
    const a = new AmiActions(new ReplayRunner('asterisk/ami/permission-denied'));
    await assert.rejects(
      a.originate({ channel: 'Local/200@sb-test', application: 'Wait', data: '1' }),
      (e: unknown) => {
        assert.ok(e instanceof AmiActionError);
        assert.equal(e.code, 'AMI_ACTION_FAILED');
        assert.equal(e.reason, 'Permission denied');
        return true;
      },
    );
  });
});

describe('actions without a recording (reply shapes from the protocol reference)', () => {
  test('CoreSettings, ExtensionState, MailboxCount, MixMonitor', async () => {
    const { a, sent } = stub({
      CoreSettings: ok([
        ['AMIversion', '13.0.0'],
        ['AsteriskVersion', '22.1.0'],
        ['SystemName', ''],
        ['CoreMaxCalls', '0'],
        ['CoreMaxLoadAvg', '0.000000'],
        ['CoreRunUser', 'asterisk'],
        ['CoreRunGroup', 'asterisk'],
        ['CoreMaxFilehandles', '0'],
        ['CoreRealTimeEnabled', 'No'],
        ['CoreCDRenabled', 'Yes'],
        ['CoreHTTPenabled', 'Yes'],
      ]),
      ExtensionState: ok([
        ['Message', 'Extension Status'],
        ['Exten', '200'],
        ['Context', 'oficina2'],
        ['Hint', 'PJSIP/alonso'],
        ['Status', '1'],
        ['StatusText', 'InUse'],
      ]),
      MailboxCount: ok([
        ['Message', 'Mailbox Message Count'],
        ['Mailbox', '200@default'],
        ['UrgMessages', '0'],
        ['NewMessages', '2'],
        ['OldMessages', '5'],
      ]),
      MixMonitor: ok([['MixMonitorID', '0x7f0c8c00b2a0']]),
      StopMixMonitor: ok([['Message', 'Stopped MixMonitor']]),
    });
    assert.deepEqual(await a.coreSettings(), {
      amiVersion: '13.0.0',
      asteriskVersion: '22.1.0',
      systemName: undefined,
      maxCalls: 0,
      maxLoadAvg: 0,
      runUser: 'asterisk',
      runGroup: 'asterisk',
      maxFileHandles: 0,
      realTimeEnabled: false,
      cdrEnabled: true,
      httpEnabled: true,
    });
    assert.deepEqual(await a.extensionState('200', 'oficina2'), {
      exten: '200',
      context: 'oficina2',
      hint: 'PJSIP/alonso',
      status: 1,
      statusText: 'InUse',
    });
    assert.deepEqual(await a.mailboxCount('200@default'), {
      mailbox: '200@default',
      urgent: 0,
      new: 2,
      old: 5,
    });
    assert.equal(
      await a.mixMonitor('PJSIP/alonso-00000001', { file: 'call.wav', options: 'b' }),
      '0x7f0c8c00b2a0',
    );
    await a.stopMixMonitor('PJSIP/alonso-00000001', '0x7f0c8c00b2a0');
    assert.deepEqual(sent[3], [
      'MixMonitor',
      { Channel: 'PJSIP/alonso-00000001', File: 'call.wav', Options: 'b', Command: undefined },
    ]);
  });

  test('Bridge sends Channel1, Channel2 and Tone; an error reply rejects with the Asterisk message', async () => {
    const { a, sent } = stub({ Bridge: ok([['Message', 'Channels have been bridged']]) });
    await a.bridge('PJSIP/alonso-00000001', 'PJSIP/reina-00000002', 'both');
    await a.bridge('PJSIP/alonso-00000001', 'PJSIP/reina-00000002');
    assert.deepEqual(sent, [
      ['Bridge', { Channel1: 'PJSIP/alonso-00000001', Channel2: 'PJSIP/reina-00000002', Tone: 'both' }],
      ['Bridge', { Channel1: 'PJSIP/alonso-00000001', Channel2: 'PJSIP/reina-00000002', Tone: undefined }],
    ]);
    const { a: refused } = stub({
      Bridge: {
        ok: false,
        message: msg([
          ['Response', 'Error'],
          ['Message', 'Channel1 does not exists: PJSIP/gone-1'],
        ]),
        items: [],
      },
    });
    await assert.rejects(refused.bridge('PJSIP/gone-1', 'PJSIP/reina-00000002'), (e: unknown) => {
      assert.ok(e instanceof AmiActionError);
      assert.equal(e.code, 'AMI_ACTION_FAILED');
      assert.match(e.message, /Channel1 does not exists: PJSIP\/gone-1/);
      return true;
    });
  });

  test('list actions: ExtensionStateList, DeviceStateList, SIPpeers; ListCommands; WaitEvent', async () => {
    const { a } = stub({
      ExtensionStateList: ok(
        [['EventList', 'start']],
        [
          msg([
            ['Event', 'ExtensionStatus'],
            ['Exten', '200'],
            ['Context', 'oficina2'],
            ['Hint', 'PJSIP/alonso'],
            ['Status', '0'],
            ['StatusText', 'Idle'],
          ]),
        ],
      ),
      DeviceStateList: ok(
        [['EventList', 'start']],
        [
          msg([
            ['Event', 'DeviceStateChange'],
            ['Device', 'PJSIP/alonso'],
            ['State', 'NOT_INUSE'],
          ]),
        ],
      ),
      SIPpeers: ok(
        [['EventList', 'start']],
        [
          msg([
            ['Event', 'PeerEntry'],
            ['Channeltype', 'SIP'],
            ['ObjectName', '100'],
            ['ChanObjectType', 'peer'],
            ['IPaddress', '-none-'],
            ['IPport', '0'],
            ['Dynamic', 'yes'],
            ['Status', 'UNKNOWN'],
            ['Description', ''],
            ['Accountcode', ''],
          ]),
        ],
      ),
      ListCommands: ok([
        ['Ping', 'Keepalive command. (Priv: <none>)'],
        ['Originate', 'Originate a call. (Priv: originate,all)'],
      ]),
      WaitEvent: ok(
        [['Message', 'Waiting for Event completed.']],
        [
          msg([
            ['Event', 'Newchannel'],
            ['Channel', 'Local/200@sb-test-00000001;1'],
          ]),
          msg([['Event', 'WaitEventComplete']]),
        ],
      ),
    });
    assert.deepEqual(await a.extensionStateList(), [
      { exten: '200', context: 'oficina2', hint: 'PJSIP/alonso', status: 0, statusText: 'Idle' },
    ]);
    assert.deepEqual(await a.deviceStateList(), [{ device: 'PJSIP/alonso', state: 'NOT_INUSE' }]);
    const [peer] = await a.sipPeers();
    assert.equal(peer?.name, '100');
    assert.equal(peer?.ipAddress, undefined);
    assert.equal(peer?.dynamic, true);
    assert.deepEqual(await a.listCommands(), {
      Ping: { synopsis: 'Keepalive command.', privileges: [] },
      Originate: { synopsis: 'Originate a call.', privileges: ['originate', 'all'] },
    });
    const evs = await a.waitEvent(20);
    assert.deepEqual(
      evs.map((e) => e.event),
      ['Newchannel'],
    );
  });

  test('Reload and ModuleLoad send what Asterisk expects', async () => {
    const { a, sent } = stub({
      Reload: ok([['Message', 'Module Reloaded']]),
      ModuleLoad: ok([['Message', 'Module was loaded']]),
    });
    await a.reload('res_pjsip.so');
    await a.reload();
    await a.moduleLoad('load', 'chan_pjsip.so');
    assert.deepEqual(sent, [
      ['Reload', { Module: 'res_pjsip.so' }],
      ['Reload', { Module: undefined }],
      ['ModuleLoad', { LoadType: 'load', Module: 'chan_pjsip.so', Recursive: undefined }],
    ]);
  });
});
