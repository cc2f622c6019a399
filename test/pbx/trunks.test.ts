/**
 * Trunks in the live model, driven directly: the recorded PJSIP trunk transcript with its own timestamps (every
 * state and the 32 s "registering" gap), chan_sip registrations and DAHDI spans built from Asterisk's source shapes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { AmiMessage, AmiParser } from '../../src/ami/index.js';
import { type PbxChange, PbxModel, type PbxTrunk } from '../../src/pbx/index.js';

const fixtures = new URL('../fixtures/asterisk/ami/', import.meta.url).pathname;
const REG = 'pbx/pjsip-registration/trunk13-reg';

/** Header pairs → one packet, in the given order (as chan_dahdi / chan_sip write them). */
const ev = (pairs: Array<[string, string]>) => AmiMessage.from(pairs);
const trunkChanges = (cs: PbxChange[]) => cs.filter((c) => c.type === 'trunk');
const states = (cs: PbxChange[]) => trunkChanges(cs).map((c) => `${c.op}:${(c.data as PbxTrunk).state}`);

/**
 * Plays the recorded transcript into a model the way PbxMonitor does: list replies through `applyRegistrations`,
 * a `PJSIPRegister` marks the trunk registering, events through `apply` — each at its recorded time (ms).
 */
function playTrunkTranscript(model: PbxModel): PbxChange[] {
  const changes: PbxChange[] = [];
  const lists = new Map<string, AmiMessage[]>();
  let t = 0;
  const parser = new AmiParser({
    onMessage: (m) => {
      if (m.kind === 'event' && m.actionId) {
        if (/Complete$/.test(m.event ?? '')) {
          changes.push(
            ...inSnapshot(model, () => model.applyRegistrations(lists.get(m.actionId!) ?? [], 'PJSIP', t)),
          );
        } else lists.set(m.actionId, [...(lists.get(m.actionId) ?? []), m]);
      } else if (m.kind === 'event') changes.push(...model.apply(m, t));
    },
  });
  for (const line of readFileSync(`${fixtures}pjsip-trunk-registration.jsonl`, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as { dir: string; t: number; data: string };
    t = r.t;
    if (r.dir === 'in') parser.push(Buffer.from(r.data));
    else if (r.data.startsWith('Action: PJSIPRegister'))
      changes.push(...model.markRegistering(REG, 'PJSIPRegister sent', t).changes);
  }
  return changes;
}

/** Runs one list application inside begin/endSnapshot, as a monitor snapshot does. */
function inSnapshot(model: PbxModel, fn: () => PbxChange[]): PbxChange[] {
  model.beginSnapshot();
  const out = fn();
  return [...out, ...model.endSnapshot()];
}

describe('PJSIP outbound registration from the recorded transcript', () => {
  test('every state in order, the 32 s registering gap, the AuthDetail item ignored', () => {
    const model = new PbxModel({ server: 'pbx' });
    const changes = playTrunkTranscript(model);
    // Listed Registered; PJSIPUnregister → Unregistered; PJSIPRegister → registering … 32 s … Rejected; the list
    // says Rejected (no change); PJSIPRegister → registering, its Unregistered step absorbed, then Registered.
    assert.deepEqual(states(changes), [
      'add:registered',
      'update:unregistered',
      'update:registering',
      'update:rejected',
      'update:registering',
      'update:registering',
      'update:registered',
    ]);
    const data = trunkChanges(changes).map((c) => c.data as PbxTrunk);
    const registering = data[2]!;
    const rejected = data[3]!;
    assert.equal(registering.reason, 'PJSIPRegister sent');
    // The gap the recording shows: the SIP transaction timeout, with no event at all in between.
    assert.ok(rejected.since - registering.since >= 32_000, `${rejected.since - registering.since} ms`);
    assert.equal(rejected.previousState, 'registering');
    assert.equal(rejected.reason, 'Rejected');
    // The re-registration's `Unregistered` keeps the trunk registering (only its status word moves).
    assert.deepEqual([data[5]!.state, data[5]!.status], ['registering', 'Unregistered']);
    const final = model.trunk(REG)!;
    assert.equal(final.state, 'registered');
    assert.deepEqual(final.registration, {
      serverUri: 'sip:127.0.0.1:5262',
      clientUri: 'sip:trunk-master@127.0.0.1:5262',
      outboundAuth: 'trunk13-auth',
      transport: 'transport-udp',
      expiration: 300,
      nextReg: 0,
    });
    // ListItems says 1 although an AuthDetail rides along: one trunk, and its password is nowhere.
    assert.equal(model.trunks().length, 1);
    assert.doesNotMatch(JSON.stringify([model.snapshot(), changes]), /trunk-secret/);
  });

  test('each change is numbered with the server seq, without gaps', () => {
    const model = new PbxModel({ server: 'pbx' });
    const changes = playTrunkTranscript(model);
    assert.deepEqual(
      changes.map((c) => c.seq),
      changes.map((_c, i) => i + 1),
    );
  });

  test('registering outlives a silent Asterisk only until registeringTimeoutMs; then the list speaks again', () => {
    const model = new PbxModel({ server: 'pbx', trunks: { registeringTimeoutMs: 1000 } });
    const item = (status: string) =>
      ev([
        ['Event', 'OutboundRegistrationDetail'],
        ['ActionID', '1'],
        ['ObjectName', 'trunk13-reg'],
        ['ClientUri', 'sip:trunk-master@127.0.0.1:5262'],
        ['ServerUri', 'sip:127.0.0.1:5262'],
        ['Status', status],
      ]);
    model.applyRegistrations([item('Rejected')], 'PJSIP', 0);
    model.markRegistering(REG, 'PJSIPRegister sent', 10);
    model.applyRegistrations([item('Rejected')], 'PJSIP', 500);
    assert.equal(model.trunk(REG)!.state, 'registering');
    model.applyRegistrations([item('Rejected')], 'PJSIP', 2000);
    assert.equal(model.trunk(REG)!.state, 'rejected');
  });

  test('a Registry event for a registration the model does not know yet, seen during the snapshot, wins over its reply', () => {
    const model = new PbxModel({ server: 'pbx' });
    model.beginSnapshot();
    model.apply(
      ev([
        ['Event', 'Registry'],
        ['Privilege', 'system,all'],
        ['ChannelType', 'PJSIP'],
        ['Username', 'sip:trunk-master@127.0.0.1:5262'],
        ['Domain', 'sip:127.0.0.1:5262'],
        ['Status', 'Rejected'],
      ]),
      5,
    );
    model.applyRegistrations(
      [
        ev([
          ['Event', 'OutboundRegistrationDetail'],
          ['ObjectName', 'trunk13-reg'],
          ['ClientUri', 'sip:trunk-master@127.0.0.1:5262'],
          ['ServerUri', 'sip:127.0.0.1:5262'],
          ['Status', 'Registered'],
        ]),
      ],
      'PJSIP',
      6,
    );
    model.endSnapshot();
    assert.deepEqual([model.trunk(REG)!.state, model.trunk(REG)!.previousState], ['rejected', 'registered']);
  });

  test('every Status Asterisk writes maps to a state (res_pjsip_outbound_registration.c, stasis_system.c)', () => {
    const model = new PbxModel({ server: 'pbx' });
    for (const [status, state] of [
      ['Registered', 'registered'],
      ['Unregistered', 'unregistered'],
      ['Rejected', 'rejected'],
      ['Failed', 'rejected'],
      ['Stopped', 'unregistered'],
      ['Registering', 'registering'],
    ] as const) {
      model.applyRegistrations(
        [
          ev([
            ['Event', 'OutboundRegistrationDetail'],
            ['ObjectName', `r-${status}`],
            ['ClientUri', `sip:${status}@h`],
            ['ServerUri', 'sip:h'],
            ['Status', status],
          ]),
        ],
        'PJSIP',
        1,
      );
      assert.equal(model.trunk(`pbx/pjsip-registration/r-${status}`)!.state, state, status);
      // The previous one is no longer listed: removed.
      assert.equal(model.trunks().length, 1);
    }
  });
});

describe('chan_sip registrations (Asterisk 13)', () => {
  // chan_sip.c manager_show_registry: RegistryEntry Host, Port, Username, Domain, DomainPort, Refresh, State,
  // RegistrationTime.
  const entry = (state: string) =>
    ev([
      ['Event', 'RegistryEntry'],
      ['ActionID', '7'],
      ['Host', 'sip.example.net'],
      ['Port', '5060'],
      ['Username', '4420011'],
      ['Domain', 'sip.example.net'],
      ['DomainPort', '5060'],
      ['Refresh', '105'],
      ['State', state],
      ['RegistrationTime', '1764816000'],
    ]);
  // main/stasis_system.c system_registry_to_ami: ChannelType, Username, Domain, Status, then Cause only when set.
  const registry = (status: string, cause?: string) =>
    ev([
      ['Event', 'Registry'],
      ['Privilege', 'system,all'],
      ['ChannelType', 'SIP'],
      ['Username', '4420011'],
      ['Domain', 'sip.example.net'],
      ['Status', status],
      ...(cause ? [['Cause', cause] as [string, string]] : []),
    ]);
  const ID = 'pbx/sip-registration/4420011@sip.example.net';

  test('SIPshowregistry lists it; Registry events move it; Cause becomes the reason', () => {
    const model = new PbxModel({ server: 'pbx' });
    const c1 = model.applyRegistrations([entry('Request Sent')], 'SIP', 1000);
    assert.deepEqual(states(c1), ['add:registering']);
    assert.deepEqual(model.trunk(ID)!.sipRegistry, {
      host: 'sip.example.net',
      port: 5060,
      username: '4420011',
      domain: 'sip.example.net',
      refresh: 105,
      registrationTime: 1764816000,
    });
    assert.deepEqual(states(model.apply(registry('Registered'), 2000)), ['update:registered']);
    const c3 = model.apply(registry('Rejected', 'Forbidden'), 3000);
    assert.deepEqual(states(c3), ['update:rejected']);
    assert.equal((c3[0]!.data as PbxTrunk).reason, 'Forbidden');
    assert.equal((c3[0]!.data as PbxTrunk).since, 3000);
    // regstate2str's other words.
    for (const [word, state] of [
      ['Auth. Sent', 'registering'],
      ['No Authentication', 'rejected'],
      ['Timeout', 'rejected'],
      ['Failed', 'rejected'],
      ['Unregistered', 'unregistered'],
    ] as const) {
      model.apply(registry(word), 4000);
      assert.equal(model.trunk(ID)!.state, state, word);
    }
  });

  test('a PBX without chan_sip (Response: Error → no items) has no chan_sip trunks; one listed before is removed', () => {
    const model = new PbxModel({ server: 'pbx' });
    model.applyRegistrations([entry('Registered')], 'SIP', 1);
    const c = model.applyRegistrations([], 'SIP', 2);
    assert.deepEqual(
      c.map((x) => [x.op, x.id]),
      [['remove', ID]],
    );
    assert.equal(model.trunks().length, 0);
  });

  test('a Registry event for a registration listed later in the same snapshot wins over the list', () => {
    const model = new PbxModel({ server: 'pbx' });
    model.beginSnapshot();
    model.apply(registry('Registered'), 5);
    model.applyRegistrations([entry('Request Sent')], 'SIP', 6);
    model.endSnapshot();
    assert.equal(model.trunk(ID)!.state, 'registered');
  });
});

describe('DAHDI spans and channels (no hardware: messages in chan_dahdi.c / sig_pri.c shapes)', () => {
  // sig_pri.c sig_pri_ami_show_spans (called by chan_dahdi.c action_prishowspans): Span, DChannel, Order, Active,
  // Alarm, Up, ActionID.
  const pri = (span: number, d: number, up: boolean, alarm = false) =>
    ev([
      ['Event', 'PRIShowSpans'],
      ['Span', String(span)],
      ['DChannel', String(d)],
      ['Order', 'Primary'],
      ['Active', 'Yes'],
      ['Alarm', alarm ? 'Yes' : 'No'],
      ['Up', up ? 'Yes' : 'No'],
      ['ActionID', '9'],
    ]);
  // chan_dahdi.c action_dahdishowchannels: DAHDIChannel, [Channel, Uniqueid, AccountCode when in a call],
  // Signalling, SignallingCode, Context, DND, Alarm (alarm2str: `No Alarm`…), Description.
  const chan = (n: number, alarm = 'No Alarm', call?: string) =>
    ev([
      ['Event', 'DAHDIShowChannels'],
      ['DAHDIChannel', String(n)],
      ...(call
        ? ([
            ['Channel', call],
            ['Uniqueid', '1764816000.1'],
            ['AccountCode', ''],
          ] as Array<[string, string]>)
        : []),
      ['Signalling', 'MFC/R2'],
      ['SignallingCode', '65536'],
      ['Context', 'from-e1'],
      ['DND', 'Disabled'],
      ['Alarm', alarm],
      ['Description', ''],
      ['ActionID', '10'],
    ]);
  // chan_dahdi.c handle_alarms → publish_span_alarm (SpanAlarm: Span, Alarm) and publish_channel_alarm (Alarm:
  // DAHDIChannel, Alarm); handle_clear_alarms → SpanAlarmClear (Span) and AlarmClear (DAHDIChannel).
  const spanAlarm = (span: number, alarm?: string) =>
    ev([
      ['Event', alarm ? 'SpanAlarm' : 'SpanAlarmClear'],
      ['Privilege', 'system,all'],
      ['Span', String(span)],
      ...(alarm ? [['Alarm', alarm] as [string, string]] : []),
    ]);
  const chanAlarm = (n: number, alarm?: string) =>
    ev([
      ['Event', alarm ? 'Alarm' : 'AlarmClear'],
      ['Privilege', 'system,all'],
      ['DAHDIChannel', String(n)],
      ...(alarm ? [['Alarm', alarm] as [string, string]] : []),
    ]);

  test('PRI spans from PRIShowSpans: up, D-channel down, then SpanAlarm / SpanAlarmClear', () => {
    const model = new PbxModel({ server: 'pbx' });
    model.applyDahdi([pri(1, 16, true), pri(2, 47, false)], [], 100);
    assert.deepEqual(
      model.trunks().map((t) => [t.id, t.state, t.reason]),
      [
        ['pbx/dahdi-span/1', 'up', undefined],
        ['pbx/dahdi-span/2', 'alarm', 'D-channel down'],
      ],
    );
    assert.deepEqual(model.trunk('pbx/dahdi-span/1')!.span!.dchannels, [
      { dchannel: 16, order: 'Primary', active: true, alarm: false, up: true },
    ]);
    const c = model.apply(spanAlarm(1, 'Red Alarm'), 200);
    assert.deepEqual(states(c), ['update:alarm']);
    assert.deepEqual(
      [model.trunk('pbx/dahdi-span/1')!.reason, model.trunk('pbx/dahdi-span/1')!.since],
      ['Red Alarm', 200],
    );
    model.apply(spanAlarm(1), 300);
    assert.deepEqual(
      [model.trunk('pbx/dahdi-span/1')!.state, model.trunk('pbx/dahdi-span/1')!.previousState],
      ['up', 'alarm'],
    );
    model.applyDahdi([pri(1, 16, true), pri(2, 47, true)], [], 400);
    assert.equal(model.trunk('pbx/dahdi-span/2')!.state, 'up');
  });

  test('an MFC/R2 E1 configured by channel range: counts, channel alarms take the span down and back up', () => {
    const model = new PbxModel({ server: 'pbx', trunks: { dahdiSpans: { 1: [1, 3] } } });
    model.applyDahdi([], [chan(1), chan(2, 'No Alarm', 'DAHDI/2-1'), chan(3)], 100);
    assert.deepEqual(model.trunk('pbx/dahdi-span/1')!.span, {
      span: 1,
      channelsTotal: 3,
      channelsUp: 3,
      channelsInUse: 1,
      dchannels: [],
    });
    model.apply(chanAlarm(1, 'Red Alarm'), 200);
    model.apply(chanAlarm(2, 'Red Alarm'), 201);
    assert.equal(model.trunk('pbx/dahdi-span/1')!.state, 'up');
    model.apply(chanAlarm(3, 'Red Alarm'), 202);
    const t = model.trunk('pbx/dahdi-span/1')!;
    assert.deepEqual([t.state, t.reason, t.since, t.span!.channelsUp], ['alarm', 'Red Alarm', 202, 0]);
    model.apply(chanAlarm(2), 300);
    assert.deepEqual(
      [model.trunk('pbx/dahdi-span/1')!.state, model.trunk('pbx/dahdi-span/1')!.span!.channelsUp],
      ['up', 1],
    );
    // A snapshot with every channel in alarm says alarm again; a server without DAHDI keeps configured spans.
    model.applyDahdi([], [chan(1, 'Blue Alarm'), chan(2, 'Blue Alarm'), chan(3, 'Blue Alarm')], 400);
    assert.deepEqual(
      [model.trunk('pbx/dahdi-span/1')!.state, model.trunk('pbx/dahdi-span/1')!.reason],
      ['alarm', 'Blue Alarm'],
    );
  });

  test('a span seen only in a SpanAlarm (no PRI, not configured) is kept by later snapshots', () => {
    const model = new PbxModel({ server: 'pbx' });
    model.apply(spanAlarm(3, 'Yellow Alarm'), 10);
    model.applyDahdi([], [], 20);
    assert.equal(model.trunk('pbx/dahdi-span/3')!.state, 'alarm');
  });

  test('a SpanAlarm during a snapshot wins over the older PRIShowSpans reply', () => {
    const model = new PbxModel({ server: 'pbx' });
    model.applyDahdi([pri(1, 16, true)], [], 1);
    model.beginSnapshot();
    model.apply(spanAlarm(1, 'Red Alarm'), 2);
    model.applyDahdi([pri(1, 16, true)], [], 3);
    model.endSnapshot();
    assert.equal(model.trunk('pbx/dahdi-span/1')!.state, 'alarm');
    // The next snapshot (no event racing it) is believed.
    model.beginSnapshot();
    model.applyDahdi([pri(1, 16, true)], [], 4);
    model.endSnapshot();
    assert.equal(model.trunk('pbx/dahdi-span/1')!.state, 'up');
  });
});

describe('PJSIP endpoints that are trunks', () => {
  const registration = ev([
    ['Event', 'OutboundRegistrationDetail'],
    ['ObjectName', 'trunk13-reg'],
    ['ClientUri', 'sip:trunk-master@127.0.0.1:5262'],
    ['ServerUri', 'sip:127.0.0.1:5262'],
    ['OutboundAuth', 'trunk13-auth'],
    ['Endpoint', ''],
    ['Status', 'Registered'],
  ]);
  // EndpointList items as in the fixtures (config/pjsip.conf: endpoint trunk13 has outbound_auth = trunk13-auth).
  const endpoints = [
    ev([
      ['Event', 'EndpointList'],
      ['ObjectName', 'trunk13'],
      ['OutboundAuths', 'trunk13-auth'],
      ['Contacts', 'trunk13/sip:127.0.0.1:5262,'],
      ['DeviceState', 'Not in use'],
    ]),
    ev([
      ['Event', 'EndpointList'],
      ['ObjectName', 'alonso'],
      ['OutboundAuths', ''],
      ['Contacts', 'alonso/sip:alonso@127.0.0.1:5070,'],
      ['DeviceState', 'Not in use'],
    ]),
    ev([
      ['Event', 'EndpointList'],
      ['ObjectName', 'carrier'],
      ['OutboundAuths', ''],
      ['Contacts', ''],
      ['DeviceState', 'Unavailable'],
    ]),
  ];
  // res_pjsip ContactStatusDetail (fields as in the pjsip-register fixture).
  const detail = (uri: string, status: string) =>
    ev([
      ['Event', 'ContactStatusDetail'],
      ['AOR', 'trunk13'],
      ['URI', uri],
      ['Status', status],
      ['RoundtripUsec', status === 'Reachable' ? '1830' : 'N/A'],
      ['EndpointName', 'trunk13'],
    ]);
  const contactStatus = (status: string) =>
    ev([
      ['Event', 'ContactStatus'],
      ['Privilege', 'system,all'],
      ['URI', 'sip:127.0.0.1:5262'],
      ['ContactStatus', status],
      ['AOR', 'trunk13'],
      ['EndpointName', 'trunk13'],
      ['RoundtripUsec', '0'],
    ]);

  test('recognised by the outbound_auth it shares with a registration, or by configuration; qualify decides', () => {
    const model = new PbxModel({ server: 'pbx', trunks: { endpoints: ['carrier'] } });
    model.applyRegistrations([registration], 'PJSIP', 1);
    const names = model.trunkEndpoints(endpoints);
    assert.deepEqual(
      [...names],
      [
        ['carrier', 'configured'],
        ['trunk13', 'registration-auth'],
      ],
    );
    model.applyTrunkEndpoints(
      names,
      endpoints,
      new Map([['trunk13', [detail('sip:127.0.0.1:5262', 'Reachable')]]]),
      2,
    );
    const t = model.trunk('pbx/pjsip-endpoint/trunk13')!;
    assert.deepEqual(
      [t.state, t.endpoint],
      [
        'reachable',
        {
          reason: 'registration-auth',
          contacts: [{ uri: 'sip:127.0.0.1:5262', status: 'Reachable', roundtripUsec: 1830 }],
        },
      ],
    );
    assert.deepEqual(
      [model.trunk('pbx/pjsip-endpoint/carrier')!.state, model.trunk('pbx/pjsip-endpoint/carrier')!.reason],
      ['unreachable', 'No contacts'],
    );
    assert.equal(model.trunk('pbx/pjsip-endpoint/alonso'), undefined);
    const c = model.apply(contactStatus('Unreachable'), 3);
    assert.deepEqual(states(c), ['update:unreachable']);
    model.apply(contactStatus('Reachable'), 4);
    assert.equal(model.trunk('pbx/pjsip-endpoint/trunk13')!.state, 'reachable');
    model.apply(contactStatus('Removed'), 5);
    assert.deepEqual(
      [model.trunk('pbx/pjsip-endpoint/trunk13')!.state, model.trunk('pbx/pjsip-endpoint/trunk13')!.reason],
      ['unreachable', 'No contacts'],
    );
  });

  test('a ContactStatus during a snapshot wins; without PJSIPShowEndpoint details the EndpointList contacts are used', () => {
    const model = new PbxModel({ server: 'pbx' });
    model.applyRegistrations([registration], 'PJSIP', 1);
    model.applyTrunkEndpoints(model.trunkEndpoints(endpoints), endpoints, new Map(), 2);
    const t = model.trunk('pbx/pjsip-endpoint/trunk13')!;
    assert.deepEqual([t.state, t.reason], ['reachable', 'Not qualified (Unknown)']);
    model.beginSnapshot();
    model.apply(contactStatus('Unreachable'), 3);
    model.applyTrunkEndpoints(
      model.trunkEndpoints(endpoints),
      endpoints,
      new Map([['trunk13', [detail('sip:127.0.0.1:5262', 'Reachable')]]]),
      4,
    );
    model.endSnapshot();
    assert.equal(model.trunk('pbx/pjsip-endpoint/trunk13')!.state, 'unreachable');
  });
});
