/**
 * Replays what a real Asterisk sent: the FastAGI environment of `agi/sip-router-call` (reina's SIP phone dialling 25,
 * recorded byte for byte, split as it arrived) goes to a RouterServer; every command the router sends is answered
 * with the reply Asterisk gave to that command in the recording. With rules matching that call, the router must
 * send the recorded commands, in the recorded order.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { test } from 'node:test';
import { hashPin, RouterServer } from '../../src/router/index.js';
import { openStore } from '../../src/store/index.js';

interface Rec {
  dir: 'in' | 'out';
  data: string;
  eof?: boolean;
  close?: boolean;
}

const records = readFileSync(
  new URL('../fixtures/asterisk/agi/sip-router-call.jsonl', import.meta.url),
  'utf8',
)
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Rec);

test('the recorded SIP call (reina dials 25, PIN 1234, Dial PJSIP/alonso,10) is routed the way it was recorded', async () => {
  // The environment: the "in" chunks before the first command.
  const firstOut = records.findIndex((r) => r.dir === 'out');
  const envChunks = records.slice(0, firstOut).map((r) => r.data);
  // Recorded command → reply (each "out" line is answered by the next "in" record).
  const recorded: Array<[string, string]> = [];
  for (let i = firstOut; i < records.length; i++) {
    const r = records[i] as Rec;
    if (r.dir === 'out' && r.data) recorded.push([r.data.trimEnd(), (records[i + 1] as Rec).data.trimEnd()]);
  }
  assert.deepEqual(
    recorded.map(([c]) => c),
    ['ANSWER', 'GET DATA beep 3000 4', 'EXEC Dial PJSIP/alonso,10', 'GET VARIABLE DIALSTATUS'],
  );

  const store = await openStore({ url: ':memory:' });
  await store.routes.create({
    name: 'alonso',
    pattern: '_2X',
    app: 'dial',
    targets: [{ template: 'PJSIP/alonso', timeout: 10 }],
  });
  await store.users.create({ name: 'reina', pinHash: await hashPin('1234', { N: 1024, r: 8, p: 1 }) });
  await store.permissions.grant({ route: 'alonso', user: 'reina' });
  const server = new RouterServer({
    store,
    config: {
      listen: { host: '127.0.0.1', port: 0 },
      prompts: { pin: 'beep' },
      pin: { timeoutMs: 3000, maxDigits: 4 },
    },
  });
  const { port } = await server.listen();
  try {
    const sent: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const s = connect(port, '127.0.0.1');
      let buf = '';
      s.setEncoding('utf8');
      // A router that stops talking must fail the test, not hang the suite.
      s.setTimeout(20_000, () =>
        s.destroy(new Error(`the router went silent after ${JSON.stringify(sent)}`)),
      );
      s.on('connect', async () => {
        for (const chunk of envChunks) {
          s.write(chunk);
          await new Promise((r) => setImmediate(r));
        }
      });
      s.on('data', (d: string) => {
        buf += d;
        for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          sent.push(line);
          const reply = recorded.find(([c]) => c === line)?.[1] ?? '200 result=1';
          s.write(`${reply}\n`);
        }
      });
      s.on('error', reject);
      s.on('close', () => resolve());
    });
    assert.deepEqual(sent, [
      'SET VARIABLE ROUTER_ROUTE alonso',
      'ANSWER',
      'GET DATA beep 3000 4',
      'EXEC Dial PJSIP/alonso,10',
      'GET VARIABLE DIALSTATUS',
      'SET VARIABLE ROUTER_STATUS ANSWER',
      'SET VARIABLE ROUTER_TARGET PJSIP/alonso',
    ]);
    assert.deepEqual(
      sent.filter((l) => !l.startsWith('SET VARIABLE')),
      recorded.map(([c]) => c),
      'the recorded commands, in the recorded order',
    );
    await server.fastagi.idle();
    const [log] = await store.callLog.list();
    assert.equal(log?.caller, 'reina');
    assert.equal(log?.dialed, '25');
    assert.equal(log?.channel, 'PJSIP/reina-0000001a');
    assert.equal(log?.uniqueid, '1795342900.26');
    assert.equal(log?.outcome, 'ANSWER');
    assert.equal(log?.userName, 'reina');
    assert.equal(log?.attempts, 1);
  } finally {
    await server.close();
    await store.close();
  }
});
