import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isDeadSafeCommand } from '../../src/agi/index.js';
import { loadDemo } from '../../src/router/index.js';
import type { Store } from '../../src/store/index.js';
import { backends, withStore } from '../store/backends.js';
import { type Responder, script } from './fake-channel.js';
import { type CallRequest, type Harness, inProcess, overAsyncAgi, overFastAgi } from './harness.js';

/*
 * A caller who hangs up during a prompt: Asterisk answers the pending command `200 result=-1` (`endpos=` for
 * STREAM FILE) and only ~43 ms later sends `HANGUP`, then 511 to anything not dead-safe. The router must log
 * HANGUP and send nothing after it but the dead-safe ROUTER_STATUS (AsyncAGI: nothing at all, the channel is gone).
 */

const CHEAP = { N: 1024, r: 8, p: 1 };
const sqlite = backends.find((b) => b.name === 'sqlite')!;
const demo = async (): Promise<Store> => {
  const store = await sqlite.open();
  await loadDemo(store, CHEAP);
  return store;
};

const harnesses: Array<[string, Harness]> = [
  ['the fake FastAGI caller', overFastAgi],
  ['AsyncAGI through the fake AMI server', overAsyncAgi],
  ['an in-process channel', inProcess],
];

for (const [how, harness] of harnesses) {
  const call = async (store: Store, request: CallRequest, respond: Responder) => {
    const run = await harness(store, request, respond);
    const [log] = await store.callLog.list({ limit: 1 });
    return { ...run, log };
  };
  /** What follows the command the caller hung up on: only the dead-safe status (none over AsyncAGI). */
  const tail = harness === overAsyncAgi ? [] : ['SET VARIABLE ROUTER_STATUS HANGUP'];

  describe(`a hangup during a prompt, through ${how}`, () => {
    test('during the PIN prompt (GET DATA): HANGUP, no failure prompt, nothing but the status after it', async () => {
      await withStore(demo, async (store) => {
        const { result, lines, vars, log } = await call(
          store,
          { callerId: '44', extension: '31' },
          script({ 'GET DATA': 'HANGUP' }),
        );
        assert.deepEqual(lines, [
          'SET VARIABLE ROUTER_ROUTE iax2',
          'ANSWER',
          'GET DATA agent-pass 5000 8',
          ...tail,
        ]);
        for (const l of lines.slice(3)) assert.ok(isDeadSafeCommand(l), `${l} sent on a dead channel`);
        assert.equal(result.status, 'HANGUP');
        assert.equal(result.detail, 'caller hung up');
        assert.equal(log?.outcome, 'HANGUP');
        if (harness !== overAsyncAgi) assert.equal(vars.ROUTER_STATUS, 'HANGUP');
      });
    });

    test('during the no-route announcement: HANGUP, no HANGUP command, no failure prompt', async () => {
      await withStore(demo, async (store) => {
        const { result, lines, log } = await call(
          store,
          { callerId: '33', extension: '5' },
          script({ 'STREAM FILE ss-noservice': 'HANGUP' }),
        );
        assert.deepEqual(lines, ['ANSWER', 'STREAM FILE ss-noservice ""', ...tail]);
        assert.equal(result.status, 'HANGUP');
        assert.equal(result.route, null);
        assert.equal(log?.outcome, 'HANGUP');
      });
    });

    test('during the wrong-PIN prompt: HANGUP after one attempt', async () => {
      await withStore(demo, async (store) => {
        const { result, lines, log } = await call(
          store,
          { callerId: '44', extension: '66' },
          script({ 'GET DATA': '200 result=999999', 'STREAM FILE auth-incorrect': 'HANGUP' }),
        );
        assert.deepEqual(lines, [
          'SET VARIABLE ROUTER_ROUTE voicemail',
          'ANSWER',
          'GET DATA agent-pass 5000 8',
          'STREAM FILE auth-incorrect ""',
          ...tail,
        ]);
        assert.equal(result.status, 'HANGUP');
        assert.equal(result.attempts, 1);
        assert.equal(log?.outcome, 'HANGUP');
      });
    });

    test('during goodbye: HANGUP, no HANGUP command', async () => {
      await withStore(demo, async (store) => {
        const { result, lines, log } = await call(
          store,
          { callerId: '44', extension: '66' },
          script({ 'GET DATA': '200 result=999999', 'STREAM FILE vm-goodbye': 'HANGUP' }),
        );
        assert.deepEqual(lines.slice(-1 - tail.length), ['STREAM FILE vm-goodbye ""', ...tail]);
        assert.ok(!lines.includes('HANGUP'));
        assert.equal(result.status, 'HANGUP');
        assert.equal(result.attempts, 3);
        assert.equal(log?.outcome, 'HANGUP');
      });
    });

    if (harness !== inProcess)
      test('a genuine -1 (a prompt file that does not exist) is still a technical failure', async () => {
        await withStore(demo, async (store) => {
          const { result, lines, log } = await call(
            store,
            { callerId: '33', extension: '5' },
            script({ 'STREAM FILE ss-noservice': '200 result=-1 endpos=0' }),
          );
          assert.deepEqual(lines, [
            'ANSWER',
            'STREAM FILE ss-noservice ""',
            'STREAM FILE an-error-has-occured ""',
            'SET VARIABLE ROUTER_STATUS FAILED',
          ]);
          assert.equal(result.status, 'FAILED');
          assert.match(result.detail ?? '', /^AGI_COMMAND_FAILED: /);
          assert.equal(log?.outcome, 'FAILED');
        });
      });
  });
}
