/**
 * The simulated PBX's trunks: the PJSIP outbound registration `trunk13-reg` answering as recorded in
 * `ami/pjsip-trunk-registration`, and DAHDI E1 spans in the shapes of chan_dahdi.c / sig_pri.c — seen by a
 * `PbxMonitor` over AMI like a real PBX.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { AmiClient } from '../../../src/ami/index.js';
import { type CallEvent, CallEventDeriver } from '../../../src/feeds/call-events.js';
import { PbxMonitor, type PbxTrunk } from '../../../src/pbx/index.js';
import { SimulatedPbx } from '../../../src/testing/index.js';
import { waitUntil } from '../../helpers/wait.js';

const FIXTURE = readFileSync(
  new URL('../../fixtures/asterisk/ami/pjsip-trunk-registration.raw', import.meta.url),
  'latin1',
);

/** One packet of the fixture by its ActionID (response and list), up to the next response. */
function recordedList(actionId: string): string {
  const start = FIXTURE.indexOf(`Response: Success\r\nActionID: ${actionId}\r\n`);
  const end = FIXTURE.indexOf('Response: ', start + 10);
  return FIXTURE.slice(start, end < 0 ? undefined : end);
}

/** Headers with the (client-chosen) ActionID value masked, so its place can be asserted. */
function idLast(h: ReadonlyArray<readonly [string, string]>): Array<[string, string]> {
  return h.map(([k, v]): [string, string] => [k, k === 'ActionID' ? '*' : v]);
}

async function rawAction(pbx: SimulatedPbx, text: string): Promise<string> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = net.connect(pbx.port, '127.0.0.1');
    let buf = '';
    s.setEncoding('latin1');
    s.on('data', (d) => {
      buf += d;
      const done = buf.indexOf('ActionID: z-2\r\n');
      if (done >= 0 && /\r\n\r\n/.test(buf.slice(done)) && buf.includes('Complete\r\n', done)) {
        s.end();
        resolve(buf);
      }
    });
    s.on('error', reject);
    s.write(`Action: Login\r\nActionID: z-1\r\nUsername: admin\r\nSecret: secret\r\n\r\n${text}`);
  });
}

test('PJSIPShowRegistrationsOutbound answers byte for byte as recorded (AuthDetail items included)', async () => {
  const pbx = await SimulatedPbx.start({ dahdi: false });
  try {
    const list = () => rawAction(pbx, 'Action: PJSIPShowRegistrationsOutbound\r\nActionID: z-2\r\n\r\n');
    const first = await list();
    const body = first.slice(first.indexOf('Response: Success\r\nActionID: z-2'));
    assert.equal(
      body,
      recordedList('pjsipshowregistrationsoutbound-2').replaceAll('pjsipshowregistrationsoutbound-2', 'z-2'),
    );
    const second = await list();
    const body2 = second.slice(second.indexOf('Response: Success\r\nActionID: z-2'));
    assert.equal(
      body2,
      recordedList('pjsipshowregistrationsoutbound-7').replaceAll('pjsipshowregistrationsoutbound-7', 'z-2'),
    );
  } finally {
    await pbx.close();
  }
});

test('a PbxMonitor sees trunk13-reg: unregister, far end down (registering, then Rejected after 32 s), back up', async () => {
  const pbx = await SimulatedPbx.start({ speed: 400, dahdi: false });
  const client = new AmiClient({ url: pbx.url(), keepalive: false, reconnect: false });
  await client.connect();
  const monitor = new PbxMonitor([{ id: 'sim', client }], { tickMs: 60_000, kpiEveryMs: 0 });
  const seen: string[] = [];
  monitor.on('change', (c) => {
    if (c.type === 'trunk' && c.id === 'sim/pjsip-registration/trunk13-reg')
      seen.push((c.data as PbxTrunk).state);
  });
  monitor.start();
  try {
    await monitor.ready();
    const id = 'sim/pjsip-registration/trunk13-reg';
    const trunk = () => monitor.model('sim')?.trunk(id);
    assert.equal(trunk()?.state, 'registered');
    const events: string[] = [];
    pbx.on('event', (ev) => {
      if (ev[0]?.[1] === 'Registry') events.push(ev.find(([k]) => k === 'Status')?.[1] ?? '');
    });
    await monitor.unregister(id);
    await waitUntil(() => trunk()?.state === 'unregistered', 'unregistered');
    pbx.setTrunkFarEnd('down');
    await monitor.register(id);
    assert.equal(trunk()?.state, 'registering');
    await waitUntil(() => trunk()?.state === 'rejected', 'rejected after the transaction timeout');
    pbx.setTrunkFarEnd('up');
    await monitor.register(id);
    await waitUntil(() => trunk()?.state === 'registered', 'registered again');
    assert.deepEqual(events, ['Unregistered', 'Rejected', 'Unregistered', 'Registered']);
    assert.ok(seen.includes('registering') && seen.includes('rejected'));
    const bad = await client.action('PJSIPRegister', { Registration: 'nope' });
    assert.deepEqual([bad.ok, bad.message.get('Message')], [false, 'Unable to retrieve registration entry']);
  } finally {
    await monitor.close();
    await client.close();
    await pbx.close();
  }
});

test('DAHDI E1 spans: PRIShowSpans / DAHDIShowChannels shapes, Red Alarm → alarm → clear → up in a PbxMonitor', async () => {
  const pbx = await SimulatedPbx.start({
    dahdi: {
      spans: [
        { span: 1, signalling: 'pri', firstChannel: 1 },
        { span: 2, signalling: 'mfcr2', firstChannel: 32 },
      ],
    },
  });
  const client = new AmiClient({ url: pbx.url(), keepalive: false, reconnect: false });
  await client.connect();
  const monitor = new PbxMonitor([{ id: 'sim', client, trunks: { dahdiSpans: { 2: [32, 62] } } }], {
    tickMs: 60_000,
    kpiEveryMs: 0,
  });
  monitor.start();
  try {
    await monitor.ready();
    // sig_pri.c sig_pri_ami_show_spans: Span, DChannel, Order, Active, Alarm, Up, then the ActionID last.
    const pri = await client.action('PRIShowSpans');
    assert.deepEqual(
      pri.items.map((m) => idLast(m.headers)),
      [
        [
          ['Event', 'PRIShowSpans'],
          ['Span', '1'],
          ['DChannel', '16'],
          ['Order', 'Primary'],
          ['Active', 'Yes'],
          ['Alarm', 'No'],
          ['Up', 'Yes'],
          ['ActionID', '*'],
        ],
      ],
    );
    // chan_dahdi.c action_dahdishowchannels: the D-channel is no DAHDI channel (30 + 31 B-channels).
    const chans = await client.action('DAHDIShowChannels');
    assert.equal(chans.items.length, 61);
    assert.deepEqual(idLast(chans.items[0]?.headers ?? []), [
      ['Event', 'DAHDIShowChannels'],
      ['DAHDIChannel', '1'],
      ['Signalling', 'ISDN PRI'],
      ['SignallingCode', '128'],
      ['Context', 'from-e1'],
      ['DND', 'Disabled'],
      ['Alarm', 'No Alarm'],
      ['Description', ''],
      ['ActionID', '*'],
    ]);
    const model = () => monitor.model('sim');
    assert.equal(model()?.trunk('sim/dahdi-span/1')?.state, 'up');
    assert.equal(model()?.trunk('sim/dahdi-span/2')?.state, 'up');
    assert.equal(model()?.trunk('sim/dahdi-span/2')?.span?.channelsTotal, 31);

    const events: string[] = [];
    pbx.on('event', (ev) => {
      const name = ev[0]?.[1] ?? '';
      if (/Alarm/.test(name)) events.push(ev.map(([k, v]) => `${k}=${v}`).join(' '));
    });
    pbx.spanAlarm(1, 'Red Alarm');
    await waitUntil(() => model()?.trunk('sim/dahdi-span/1')?.state === 'alarm', 'span 1 in alarm');
    assert.equal(model()?.trunk('sim/dahdi-span/1')?.reason, 'Red Alarm');
    // handle_alarms: publish_channel_alarm per channel, then publish_span_alarm once.
    assert.equal(events.filter((e) => e.startsWith('Event=Alarm ')).length, 30);
    assert.equal(events[0], 'Event=Alarm Privilege=system,all DAHDIChannel=1 Alarm=Red Alarm');
    assert.equal(events.at(-1), 'Event=SpanAlarm Privilege=system,all Span=1 Alarm=Red Alarm');
    const inAlarm = await client.action('PRIShowSpans', { Span: 1 });
    assert.deepEqual([inAlarm.items[0]?.get('Alarm'), inAlarm.items[0]?.get('Up')], ['Yes', 'No']);
    pbx.clearSpanAlarm(1);
    await waitUntil(() => model()?.trunk('sim/dahdi-span/1')?.state === 'up', 'span 1 up again');
    assert.equal(events.at(-1), 'Event=SpanAlarmClear Privilege=system,all Span=1');

    // The MFC/R2 span by its channel range (channel alarms), through a re-snapshot as well.
    pbx.spanAlarm(2, 'Blue Alarm');
    await waitUntil(() => model()?.trunk('sim/dahdi-span/2')?.state === 'alarm', 'span 2 in alarm');
    await monitor.resync('sim');
    assert.equal(model()?.trunk('sim/dahdi-span/2')?.reason, 'Blue Alarm');
    pbx.clearSpanAlarm(2);
    await waitUntil(() => model()?.trunk('sim/dahdi-span/2')?.state === 'up', 'span 2 up again');
    assert.throws(() => pbx.spanAlarm(9), /No DAHDI span 9/);
  } finally {
    await monitor.close();
    await client.close();
    await pbx.close();
  }
});

test('a span alarm on the simulator becomes a trunk.down feed event, its clear a trunk.up', async () => {
  const pbx = await SimulatedPbx.start({ dahdi: {} });
  const client = new AmiClient({ url: pbx.url(), keepalive: false, reconnect: false });
  await client.connect();
  const monitor = new PbxMonitor([{ id: 'sim', client }], { tickMs: 60_000, kpiEveryMs: 0 });
  const deriver = new CallEventDeriver();
  const events: CallEvent[] = [];
  monitor.on('change', (c) => events.push(...deriver.apply(c)));
  monitor.start();
  try {
    await monitor.ready();
    pbx.spanAlarm(1, 'Red Alarm');
    await waitUntil(() => events.some((e) => e.type === 'trunk.down'), 'trunk.down');
    pbx.clearSpanAlarm(1);
    await waitUntil(() => events.some((e) => e.type === 'trunk.up'), 'trunk.up');
    assert.deepEqual(
      events.filter((e) => e.id === 'sim/dahdi-span/1').map((e) => [e.type, e.state, e.reason]),
      [
        ['trunk.down', 'alarm', 'Red Alarm'],
        ['trunk.up', 'up', 'Alarm cleared'],
      ],
    );
  } finally {
    await monitor.close();
    await client.close();
    await pbx.close();
  }
});

test('random span alarms in traffic come and go', async () => {
  const pbx = await SimulatedPbx.start({
    speed: 200,
    dahdi: { randomAlarms: { meanMs: 2000, durationMs: 1000 } },
  });
  const seen: string[] = [];
  pbx.on('event', (ev) => {
    const n = ev[0]?.[1] ?? '';
    if (n === 'SpanAlarm' || n === 'SpanAlarmClear') seen.push(n);
  });
  try {
    await waitUntil(() => seen.includes('SpanAlarmClear'), 'an alarm raised and cleared');
    assert.equal(seen[0], 'SpanAlarm');
  } finally {
    await pbx.close();
  }
});
