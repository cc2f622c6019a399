import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AgiRouter, createFastAgiServer } from '../../src/agi/index.js';
import { FakeFastAgiCall } from '../../src/testing/index.js';

/** Sockets, servers and timers alive in the process, by kind. */
function resources(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) {
    if (r === 'TCPSocketWrap' || r === 'TCPServerWrap' || r === 'Timeout') out[r] = (out[r] ?? 0) + 1;
  }
  return out;
}

test('1,000 concurrent calls: mixed routes, hangups mid-command, handler errors, slow handlers — all end, nothing left', async () => {
  const before = resources();
  const processListeners = process.eventNames().map((e) => process.listenerCount(e));
  const router = new AgiRouter()
    .route('/ivr', async (ch) => {
      await ch.answer();
      await ch.streamFile('welcome', '12');
      const d = await ch.getData('menu', 100, 1);
      await ch.setVariable('CHOICE', d.digits);
    })
    .route('/callers/:id', async (ch, ctx) => {
      await ch.answer();
      await ch.setVariable('CALLER', ctx.params['id'] ?? '');
      await ch.waitForDigit(50);
    })
    .route('/slow', async (ch) => {
      await ch.answer();
      await sleep(20);
      await ch.noop();
    })
    .route('/boom', async (ch) => {
      await ch.answer();
      throw Object.assign(new Error('boom'), { code: 'BOOM' });
    });
  const server = createFastAgiServer({ port: 0, router, maxSessions: 2000 });
  const { port } = await server.listen();
  const N = 1000;
  const calls = await Promise.all(
    Array.from({ length: N }, (_, i) => {
      const kind = i % 5;
      const script = ['ivr', `callers/${i}`, 'slow', 'boom', 'ivr'][kind]!;
      return FakeFastAgiCall.connect({
        port,
        script,
        // kind 4: the caller hangs up while the second command is "playing".
        ...(kind === 4 ? { hangupOnCommand: 2 } : {}),
        answer: (cmd) => (cmd.name === 'WAIT FOR DIGIT' ? sleep(5).then(() => '200 result=0') : undefined),
      });
    }),
  );
  const results = await Promise.all(calls.map((c) => c.done));
  await server.idle();
  const m = server.metrics();
  assert.equal(m.totalSessions, N);
  assert.equal(m.activeSessions, 0);
  assert.equal(m.routes['/ivr']?.sessions, 400);
  assert.equal(m.routes['/callers/:id']?.sessions, 200);
  assert.equal(m.routes['/slow']?.sessions, 200);
  assert.equal(m.routes['/boom']?.errors, 200);
  assert.equal(m.errors, 200);
  results.forEach((r, i) => {
    assert.equal(r.closedBy, 'server', `call ${i} closed by the server`);
    if (i % 5 === 3) assert.equal(r.commands.at(-1)?.line, 'SET VARIABLE SWITCHBOARD_ERROR BOOM');
    if (i % 5 === 4) {
      assert.equal(r.hungUp, true);
      assert.equal(r.commands.length, 2, 'nothing played after the hangup');
    }
    if (i % 5 === 0) assert.equal(r.commands.at(-1)?.line, 'SET VARIABLE CHOICE ""');
  });
  await server.close({ deadline: 100 });
  // Give the loop a turn for closed handles to be released, then compare: no socket, server or timer left.
  await sleep(10);
  assert.deepEqual(resources(), before);
  assert.deepEqual(
    process.eventNames().map((e) => process.listenerCount(e)),
    processListeners,
  );
});
