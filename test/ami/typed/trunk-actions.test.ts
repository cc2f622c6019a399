/**
 * Typed trunk and NOTIFY actions: the exact wire bytes each sends, replies parsed (the recorded trunk listing with
 * its AuthDetail item; list shapes from chan_sip.c / chan_dahdi.c / sig_pri.c), input refused at the edge, and
 * PJSIPNotify over a real socket answering as the recorded master does.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type AmiActionReplyError,
  AmiClient,
  type AmiMessage,
  type AmiParams,
  type AmiReply,
  AmiTrunkActions,
  AmiTypedInputError,
  encodeAction,
  NOTIFY_CONF_SECTIONS,
  notifyFor,
  parseTrunkEvent,
} from '../../../src/ami/index.js';
import { FakeAmiServer } from '../../../src/testing/index.js';
import { msg, ReplayRunner } from './replay.js';

/** A runner that records what is sent and answers from a table (shapes cited per test). */
function recorder(replies: Record<string, AmiReply> = {}) {
  const sent: Array<{ name: string; params: AmiParams }> = [];
  const a = new AmiTrunkActions({
    action: async (name, params = {}) => {
      sent.push({ name, params });
      return replies[name] ?? { ok: true, message: msg([['Response', 'Success']]), items: [] };
    },
  });
  /** The bytes the client writes for the last action (ActionID second, as AmiClient writes it). */
  const wire = () => {
    const last = sent.at(-1)!;
    return encodeAction(last.name, last.params, false, 'sb-1').wire;
  };
  return { a, sent, wire };
}

const list = (items: AmiMessage[]): AmiReply => ({
  ok: true,
  message: msg([['Response', 'Success']]),
  items,
});

describe('trunk actions: exact wire bytes', () => {
  test('PJSIPShowRegistrationsOutbound, PJSIPRegister, PJSIPUnregister, SIPshowregistry, PRIShowSpans, DAHDIShowChannels', async () => {
    const { a, wire } = recorder();
    await a.pjsipShowRegistrationsOutbound();
    assert.equal(wire(), 'Action: PJSIPShowRegistrationsOutbound\r\nActionID: sb-1\r\n\r\n');
    await a.pjsipRegister('trunk13-reg');
    assert.equal(wire(), 'Action: PJSIPRegister\r\nActionID: sb-1\r\nRegistration: trunk13-reg\r\n\r\n');
    await a.pjsipUnregister('trunk13-reg');
    assert.equal(wire(), 'Action: PJSIPUnregister\r\nActionID: sb-1\r\nRegistration: trunk13-reg\r\n\r\n');
    await a.sipShowRegistry();
    assert.equal(wire(), 'Action: SIPshowregistry\r\nActionID: sb-1\r\n\r\n');
    await a.priShowSpans();
    assert.equal(wire(), 'Action: PRIShowSpans\r\nActionID: sb-1\r\n\r\n');
    await a.priShowSpans(2);
    assert.equal(wire(), 'Action: PRIShowSpans\r\nActionID: sb-1\r\nSpan: 2\r\n\r\n');
    await a.dahdiShowChannels(17);
    assert.equal(wire(), 'Action: DAHDIShowChannels\r\nActionID: sb-1\r\nDAHDIChannel: 17\r\n\r\n');
  });

  test('PJSIPNotify: Endpoint or URI, then Option or repeated Variable headers in order', async () => {
    const { a, wire } = recorder();
    await a.pjsipNotify({ endpoint: 'reina' }, { variables: ['Event=check-sync'] });
    assert.equal(
      wire(),
      'Action: PJSIPNotify\r\nActionID: sb-1\r\nEndpoint: reina\r\nVariable: Event=check-sync\r\n\r\n',
    );
    await a.pjsipNotify({ endpoint: 'reina' }, { option: 'yealink-check-cfg' });
    assert.equal(
      wire(),
      'Action: PJSIPNotify\r\nActionID: sb-1\r\nEndpoint: reina\r\nOption: yealink-check-cfg\r\n\r\n',
    );
    await a.pjsipNotify(
      { uri: 'sip:reina@127.0.0.1:5080' },
      { variables: { Event: 'check-sync;reboot=true', 'X-Sb': '1' } },
    );
    assert.equal(
      wire(),
      'Action: PJSIPNotify\r\nActionID: sb-1\r\nURI: sip:reina@127.0.0.1:5080\r\nVariable: Event=check-sync;reboot=true\r\nVariable: X-Sb=1\r\n\r\n',
    );
    await a.notifyPhone('alonso', 'yealink', 'reboot');
    assert.equal(
      wire(),
      'Action: PJSIPNotify\r\nActionID: sb-1\r\nEndpoint: alonso\r\nVariable: Event=check-sync;reboot=true\r\n\r\n',
    );
  });

  test('SIPnotify: Channel (the peer) and Variable headers', async () => {
    const { a, wire } = recorder();
    await a.sipNotify('alonso', ['Event=check-sync;reboot=false', 'Content-Length=0']);
    assert.equal(
      wire(),
      'Action: SIPnotify\r\nActionID: sb-1\r\nChannel: alonso\r\nVariable: Event=check-sync;reboot=false\r\nVariable: Content-Length=0\r\n\r\n',
    );
  });

  test('input refused before anything is sent: CR, LF, other control characters, commas, missing or double parts', async () => {
    const { a, sent } = recorder();
    const bad: Array<() => Promise<unknown>> = [
      () => a.pjsipRegister('trunk\r\nAction: Logoff'),
      () => a.pjsipRegister(''),
      () => a.pjsipNotify({ endpoint: 'reina\n' }, { option: 'x' }),
      () => a.pjsipNotify({ endpoint: 'reina' }, { variables: ['Event=check-sync\u0000'] }),
      () => a.pjsipNotify({ endpoint: 'reina' }, { variables: ['Event=a,b'] }),
      () => a.pjsipNotify({ endpoint: 'reina' }, { variables: ['no-equals'] }),
      () => a.pjsipNotify({ endpoint: 'reina' }, { variables: [] }),
      () => a.pjsipNotify({ endpoint: 'reina', uri: 'sip:x' } as never, { option: 'x' }),
      () => a.pjsipNotify({ endpoint: 'reina' }, { option: 'x', variables: ['A=1'] } as never),
      () => a.sipNotify('alonso\tx', ['Event=check-sync']),
      () => a.priShowSpans(0),
      () => a.dahdiShowChannels(1.5),
    ];
    for (const f of bad) await assert.rejects(f(), AmiTypedInputError);
    assert.equal(sent.length, 0);
  });
});

describe('trunk actions: replies', () => {
  test('the recorded listing: one registration, the AuthDetail item (and its password) skipped', async () => {
    const a = new AmiTrunkActions(new ReplayRunner('asterisk/ami/pjsip-trunk-registration'));
    const regs = await a.pjsipShowRegistrationsOutbound();
    assert.deepEqual(regs, [
      {
        name: 'trunk13-reg',
        status: 'Registered',
        serverUri: 'sip:127.0.0.1:5262',
        clientUri: 'sip:trunk-master@127.0.0.1:5262',
        endpoint: undefined,
        outboundAuth: 'trunk13-auth',
        transport: 'transport-udp',
        contactUser: 'trunk-master',
        outboundProxy: undefined,
        expiration: 300,
        retryInterval: 15,
        forbiddenRetryInterval: 30,
        maxRetries: 1000,
        nextReg: 0,
        line: false,
      },
    ]);
    assert.doesNotMatch(JSON.stringify(regs), /trunk-secret/);
    assert.equal(await a.pjsipUnregister('trunk13-reg'), 'Unregistration sent');
    assert.equal(await a.pjsipRegister('trunk13-reg'), 'Reregistration sent');
  });

  test('SIPshowregistry (chan_sip.c manager_show_registry), PRIShowSpans (sig_pri.c), DAHDIShowChannels (chan_dahdi.c)', async () => {
    const { a } = recorder({
      SIPshowregistry: list([
        msg([
          ['Event', 'RegistryEntry'],
          ['Host', 'sip.example.net'],
          ['Port', '5060'],
          ['Username', '4420011'],
          ['Domain', 'sip.example.net'],
          ['DomainPort', '5060'],
          ['Refresh', '105'],
          ['State', 'Registered'],
          ['RegistrationTime', '1764816000'],
        ]),
      ]),
      PRIShowSpans: list([
        msg([
          ['Event', 'PRIShowSpans'],
          ['Span', '1'],
          ['DChannel', '16'],
          ['Order', 'Primary'],
          ['Active', 'Yes'],
          ['Alarm', 'No'],
          ['Up', 'Yes'],
        ]),
      ]),
      DAHDIShowChannels: list([
        msg([
          ['Event', 'DAHDIShowChannels'],
          ['DAHDIChannel', '1'],
          ['Channel', 'DAHDI/1-1'],
          ['Uniqueid', '1764816000.4'],
          ['AccountCode', ''],
          ['Signalling', 'ISDN PRI'],
          ['SignallingCode', '128'],
          ['Context', 'from-pstn'],
          ['DND', 'Disabled'],
          ['Alarm', 'No Alarm'],
          ['Description', ''],
        ]),
        msg([
          ['Event', 'DAHDIShowChannels'],
          ['DAHDIChannel', '2'],
          ['Signalling', 'ISDN PRI'],
          ['SignallingCode', '128'],
          ['Context', 'from-pstn'],
          ['DND', 'Enabled'],
          ['Alarm', 'Red Alarm'],
          ['Description', 'line 2'],
        ]),
      ]),
    });
    assert.deepEqual(await a.sipShowRegistry(), [
      {
        host: 'sip.example.net',
        port: 5060,
        username: '4420011',
        domain: 'sip.example.net',
        domainPort: 5060,
        refresh: 105,
        state: 'Registered',
        registrationTime: 1764816000,
      },
    ]);
    assert.deepEqual(await a.priShowSpans(), [
      { span: 1, dchannel: 16, order: 'Primary', active: true, alarm: false, up: true },
    ]);
    const chans = await a.dahdiShowChannels();
    assert.deepEqual(
      chans.map((c) => [c.dahdiChannel, c.channel, c.dnd, c.alarm, c.inAlarm, c.description]),
      [
        [1, 'DAHDI/1-1', false, 'No Alarm', false, undefined],
        [2, undefined, true, 'Red Alarm', true, 'line 2'],
      ],
    );
  });

  test('a server without chan_sip / DAHDI: Response: Error rejects with Asterisk’s message', async () => {
    const { a } = recorder({
      SIPshowregistry: {
        ok: false,
        message: msg([
          ['Response', 'Error'],
          [
            'Message',
            'Invalid/unknown command: SIPshowregistry. Use Action: ListCommands to show available commands.',
          ],
        ]),
        items: [],
      },
    });
    await assert.rejects(a.sipShowRegistry(), (e: AmiActionReplyError) =>
      /Invalid\/unknown command/.test(e.reason),
    );
  });

  test('typed trunk events: Registry (stasis_system.c, Cause only when set), Alarm/AlarmClear, SpanAlarm/SpanAlarmClear', () => {
    const r = parseTrunkEvent(
      msg([
        ['Event', 'Registry'],
        ['Privilege', 'system,all'],
        ['ChannelType', 'SIP'],
        ['Username', '4420011'],
        ['Domain', 'sip.example.net'],
        ['Status', 'Rejected'],
        ['Cause', 'Forbidden'],
      ]),
    );
    assert.deepEqual(r && { ...r, raw: undefined }, {
      type: 'Registry',
      name: 'Registry',
      legacy: false,
      privilege: 'system,all',
      raw: undefined,
      channelType: 'SIP',
      username: '4420011',
      domain: 'sip.example.net',
      status: 'Rejected',
      cause: 'Forbidden',
    });
    const old = parseTrunkEvent(
      msg([
        ['Event', 'Registry'],
        ['ChannelDriver', 'SIP'],
        ['Username', 'u'],
        ['Domain', 'h'],
        ['Status', 'Registered'],
      ]),
    );
    assert.deepEqual(
      [old?.type, old?.legacy, old && 'channelType' in old && old.channelType],
      ['Registry', true, 'SIP'],
    );
    const al = parseTrunkEvent(
      msg([
        ['Event', 'Alarm'],
        ['DAHDIChannel', '3'],
        ['Alarm', 'Red Alarm'],
      ]),
    );
    assert.ok(al?.type === 'Alarm');
    assert.deepEqual([al.dahdiChannel, al.alarm], [3, 'Red Alarm']);
    const sc = parseTrunkEvent(
      msg([
        ['Event', 'SpanAlarmClear'],
        ['Span', '2'],
      ]),
    );
    assert.ok(sc?.type === 'SpanAlarmClear');
    assert.deepEqual([sc.span, sc.alarm], [2, undefined]);
    assert.equal(parseTrunkEvent(msg([['Event', 'Newchannel']])), undefined);
  });
});

describe('per-brand resync / reboot NOTIFY', () => {
  test('notifyFor: the Variable list and the pjsip_notify.conf option of each brand', () => {
    const rows = (['yealink', 'snom', 'polycom', 'grandstream'] as const).flatMap((b) =>
      (['resync', 'reboot'] as const).map((k) => {
        const n = notifyFor(b, k);
        return [b, k, n.variables.join('|'), n.option];
      }),
    );
    assert.deepEqual(rows, [
      ['yealink', 'resync', 'Event=check-sync;reboot=false', 'yealink-check-cfg'],
      ['yealink', 'reboot', 'Event=check-sync;reboot=true', 'yealink-reboot'],
      ['snom', 'resync', 'Event=check-sync;reboot=false', 'snom-check-cfg'],
      ['snom', 'reboot', 'Event=check-sync;reboot=true', 'snom-reboot'],
      ['polycom', 'resync', 'Event=check-sync', 'polycom-check-cfg'],
      ['polycom', 'reboot', 'Event=check-sync', 'polycom-reboot'],
      ['grandstream', 'resync', 'Event=check-sync', 'grandstream-check-cfg'],
      ['grandstream', 'reboot', 'Event=check-sync', 'grandstream-reboot'],
    ]);
    assert.throws(() => notifyFor('cisco' as never, 'resync'), AmiTypedInputError);
  });

  test('NOTIFY_CONF_SECTIONS agree with the tested config/pjsip_notify.conf', async () => {
    const { readFileSync } = await import('node:fs');
    const conf = readFileSync(
      new URL('../../fixtures/asterisk/config/pjsip_notify.conf', import.meta.url),
      'utf8',
    );
    for (const name of ['yealink-check-cfg', 'polycom-check-cfg']) {
      const block = conf.split(`[${name}]`)[1]!.split('[')[0]!.trim().split('\n');
      const ours = NOTIFY_CONF_SECTIONS.find((s) => s.section === name)!;
      assert.deepEqual(
        block,
        ours.lines.map(([k, v]) => `${k}=>${v}`),
      );
    }
  });

  test('over a real socket: NOTIFY sent (as a real master answers), and ListCommands tells when PJSIPNotify is missing', async () => {
    const seen: string[] = [];
    const server = await FakeAmiServer.start({
      handlers: {
        pjsipnotify: (m) => {
          seen.push(m.getAll('Variable').join('|'), m.get('Endpoint') ?? '');
          return { Response: 'Success', Message: 'NOTIFY sent' };
        },
        listcommands: () => ({
          Response: 'Success',
          PJSIPRegister: 'Send a REGISTER. (Priv: system,all)',
          CoreStatus: 'Show PBX core status variables. (Priv: system,reporting,all)',
        }),
      },
    });
    const client = new AmiClient({ url: server.url(), keepalive: false, reconnect: false });
    try {
      await client.connect();
      const a = new AmiTrunkActions(client);
      assert.equal(await a.notifyPhone('reina', 'snom', 'resync'), 'NOTIFY sent');
      assert.deepEqual(seen, ['Event=check-sync;reboot=false', 'reina']);
      assert.equal(await a.hasCommand('PJSIPNotify'), false);
      assert.equal(await a.hasCommand('pjsipregister'), true);
    } finally {
      await client.close();
      await server.close();
    }
  });
});
