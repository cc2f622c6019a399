import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createFastAgiServer } from '../../../src/agi/index.js';
import { SimulatedPbx } from '../../../src/testing/index.js';
import { waitUntil } from '../../helpers/wait.js';
import { kind, RawAmi, val } from './harness.js';

const AGI_FIX = fileURLToPath(new URL('../../fixtures/asterisk/agi/', import.meta.url));

function envKeys(text: string): string[] {
  return text
    .slice(0, text.indexOf('\n\n'))
    .split('\n')
    .map((l) => l.slice(0, l.indexOf(':')));
}

test('a call to an outside number runs through a real FastAgiServer the way sip-router-call recorded it', async () => {
  const seen: {
    script?: string;
    type?: string;
    digits?: string;
    dial?: number;
    status?: string | undefined;
  } = {};
  let finished = false;
  const agi = createFastAgiServer({
    port: 0,
    handler: async (ch) => {
      seen.script = ch.request.script;
      seen.type = ch.request.type;
      await ch.answer();
      seen.digits = (await ch.getData('beep', 3000, 4)).digits;
      seen.dial = await ch.exec('Dial', 'PJSIP/alonso,10');
      seen.status = await ch.getVariable('DIALSTATUS');
      finished = true;
    },
  });
  const { port } = await agi.listen();
  const pbx = await SimulatedPbx.start({ speed: 10, fastAgi: { host: '127.0.0.1', port } });
  pbx.setPhoneBehaviour('alonso', { ringMs: 500, talkMs: 2000 });
  const ami = await RawAmi.open(pbx.port);
  try {
    const call = pbx.placeCall({ from: 'reina', to: '0034911234567', hangupBy: 'callee' });
    await waitUntil(() => finished, 'the AGI script ran to its end', 15_000);
    await ami.waitEvent((p) => kind(p) === 'VarSet' && val(p, 'Variable') === 'AGISTATUS', 'AGISTATUS');
    await ami.waitEvent(
      (p) => kind(p) === 'Hangup' && val(p, 'Channel') === call.channel,
      'the call ends',
      15_000,
    );
    assert.deepEqual(
      [seen.script, seen.type, seen.digits, seen.dial, seen.status],
      ['router', 'PJSIP', '1234', -1, 'ANSWER'],
    );
    const dtmf = ami.all
      .filter((p) => kind(p) === 'DTMFEnd' && val(p, 'Channel') === call.channel)
      .map((p) => val(p, 'Digit'));
    assert.deepEqual(dtmf, ['1', '2', '3', '4', '#']);
    const agiStatus = ami.all.find((p) => kind(p) === 'VarSet' && val(p, 'Variable') === 'AGISTATUS');
    assert.equal(agiStatus && val(agiStatus, 'Value'), 'SUCCESS');
    assert.ok(
      ami.all.some(
        (p) =>
          kind(p) === 'DialEnd' &&
          val(p, 'DialStatus') === 'ANSWER' &&
          val(p, 'DestChannel')?.startsWith('PJSIP/alonso-'),
      ),
    );
  } finally {
    await ami.close();
    await pbx.close();
    await agi.close();
  }
});

test('FastAGI sees the recorded environment and, on a caller hangup, -1 then HANGUP then 511, as in hangup-mid-script', async () => {
  let received = '';
  const lines: string[] = [];
  let sock: net.Socket | undefined;
  const server = net.createServer((s) => {
    sock = s;
    s.on('data', (c: Buffer) => {
      received += c.toString('utf8');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  const pbx = await SimulatedPbx.start({ speed: 10, fastAgi: { host: '127.0.0.1', port } });
  try {
    const call = pbx.placeCall({ from: 'reina', to: '25' });
    await waitUntil(() => received.includes('\n\n'), 'environment');
    const env = received.slice(0, received.indexOf('\n\n') + 2);
    const real = readFileSync(`${AGI_FIX}sip-router-call.raw`, 'utf8');
    assert.deepEqual(envKeys(env), envKeys(real));
    for (const k of [
      'agi_network: yes',
      'agi_network_script: router',
      'agi_request: agi://127.0.0.1:4573/router',
      'agi_type: PJSIP',
      'agi_callerid: reina',
      'agi_calleridname: unknown',
      'agi_dnid: 25',
      'agi_context: oficina2',
      'agi_extension: 25',
      'agi_priority: 1',
    ])
      assert.ok(env.includes(`${k}\n`), k);
    assert.match(
      env,
      /^agi_network: yes\nagi_network_script: router\nagi_request: agi:\/\/127\.0\.0\.1:4573\/router\nagi_channel: PJSIP\/reina-[0-9a-f]{8}\nagi_language: es\n/,
    );
    received = '';
    const send = async (line: string, want: number) => {
      sock?.write(`${line}\n`);
      await waitUntil(() => received.split('\n').filter(Boolean).length >= want, line);
    };
    await send('ANSWER', 1);
    sock?.write('WAIT FOR DIGIT 10000\n');
    await new Promise((r) => setTimeout(r, 20));
    pbx.hangup(call.channel);
    await waitUntil(() => received.split('\n').filter(Boolean).length >= 3, 'hangup lines');
    await send('GET VARIABLE CHANNEL', 4);
    await send('STREAM FILE beep ""', 5);
    lines.push(...received.split('\n').filter(Boolean));
    const recorded = readFileSync(`${AGI_FIX}hangup-mid-script.raw`, 'utf8');
    const after = recorded
      .slice(recorded.indexOf('\n\n') + 2)
      .split('\n')
      .filter(Boolean)
      .map((l) => l.replace(/\(Local\/[^)]*\)/, '(CHANNEL)'));
    assert.deepEqual(
      lines.map((l) => l.replace(/\(PJSIP\/[^)]*\)/, '(CHANNEL)')),
      after,
    );
  } finally {
    sock?.destroy();
    await pbx.close();
    await new Promise((r) => server.close(() => r(undefined)));
  }
});

test('a FastAGI server that is down leaves AGISTATUS=FAILURE and the log lines Asterisk writes', async () => {
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const port = (blocker.address() as net.AddressInfo).port;
  await new Promise((r) => blocker.close(() => r(undefined)));
  const pbx = await SimulatedPbx.start({ speed: 10, fastAgi: { host: '127.0.0.1', port } });
  const ami = await RawAmi.open(pbx.port);
  try {
    const call = pbx.placeCall({ from: 'reina', to: '0612345678' });
    await ami.waitEvent((p) => kind(p) === 'Hangup' && val(p, 'Channel') === call.channel, 'hangup');
    const st = ami.all.find((p) => kind(p) === 'VarSet' && val(p, 'Variable') === 'AGISTATUS');
    assert.equal(st && val(st, 'Value'), 'FAILURE');
    assert.ok(
      pbx
        .logLines()
        .some((l) =>
          /WARNING\[\d+\]\[C-[0-9a-f]{8}\] res_agi\.c: Connecting to '127\.0\.0\.1:\d+' failed for url 'agi:\/\/127\.0\.0\.1:4573\/router': Connection refused$/.test(
            l,
          ),
        ),
    );
    assert.ok(
      pbx.logLines().some((l) => l.endsWith("res_agi.c: Couldn't connect to any host.  FastAGI failed.")),
    );
  } finally {
    await ami.close();
    await pbx.close();
  }
});
