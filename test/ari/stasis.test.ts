/** Stasis applications: one flow per call, an AbortSignal for its end, isolated errors, and the wait helpers. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AriCallError, AriClient, StasisCall } from '../../src/ari/index.js';
import type { FakeAriPbxOptions } from '../../src/testing/index.js';
import { waitUntil } from '../helpers/wait.js';
import { startFakeAri } from './harness.js';

function setup(register: (ari: AriClient) => void, pbx: FakeAriPbxOptions = {}) {
  return startFakeAri({ register, pbx });
}

describe('Stasis applications', () => {
  test('each StasisStart gets its own flow with its args; the signal aborts on hangup', async () => {
    const calls: StasisCall[] = [];
    const reasons: unknown[] = [];
    const t = await setup((ari) =>
      ari.app('ivr', async (call, args) => {
        calls.push(call);
        assert.deepEqual(args, call.args);
        call.signal.addEventListener('abort', () => reasons.push(call.signal.reason));
        await call.answer();
      }),
    );
    try {
      const a = t.pbx.startCall('ivr', ['sales', 'es']);
      const b = t.pbx.startCall('ivr', ['support']);
      await waitUntil(() => calls.length === 2, 'two calls');
      assert.deepEqual(
        calls.map((c) => [c.id, c.args]),
        [
          [a, ['sales', 'es']],
          [b, ['support']],
        ],
      );
      assert.equal(t.ari.stats().activeCalls, 2);
      t.pbx.callerHangup(a);
      await waitUntil(() => reasons.length === 1, 'abort of the first call');
      assert.equal((reasons[0] as { code?: string }).code, 'ARI_HANGUP');
      assert.equal(calls[1]!.ended, false, 'the other call is untouched');
      t.pbx.callerHangup(b);
      await waitUntil(() => t.ari.stats().activeCalls === 0 && t.ari.stats().liveObjects === 0, 'all gone');
    } finally {
      await t.close();
    }
  });

  test('leaving Stasis without a hangup (continue to the dialplan) aborts the signal; the channel lives on', async () => {
    let rejected: unknown;
    let ended = false;
    const t = await setup((ari) =>
      ari.app('ivr', async (call) => {
        await call.answer();
        const wait = call.nextDtmf().catch((err: unknown) => {
          rejected = err;
        });
        const end = call.waitForEnd().then(() => {
          ended = true;
        });
        await call.channel.continueInDialplan({ context: 'default', extension: '100', priority: 1 });
        await Promise.all([wait, end]);
      }),
    );
    try {
      const id = t.pbx.startCall('ivr');
      await waitUntil(() => ended && rejected !== undefined, 'call ended by StasisEnd');
      assert.equal((rejected as { code?: string }).code, 'ARI_HANGUP');
      assert.match((rejected as Error).message, /StasisEnd/);
      assert.equal(t.pbx.channels.has(id), true, 'the channel was not hung up');
      await waitUntil(() => t.ari.stats().activeCalls === 0, 'call removed');
    } finally {
      await t.close();
    }
  });

  test('a throwing flow is reported with its channel, hung up, and other calls go on', async () => {
    const errors: AriCallError[] = [];
    const finished: string[] = [];
    const t = await setup((ari) => {
      ari.on('callError', (e) => errors.push(e));
      ari.app('ivr', async (call, args) => {
        await call.answer();
        if (args[0] === 'bad') throw new Error('flow bug');
        const digit = await call.nextDtmf({ timeoutMs: 5000 });
        finished.push(digit);
      });
    });
    try {
      const bad = t.pbx.startCall('ivr', ['bad']);
      const good = t.pbx.startCall('ivr', ['good']);
      await waitUntil(() => errors.length === 1, 'error reported');
      assert.equal(errors[0]!.channelId, bad);
      assert.equal((errors[0]!.error as Error).message, 'flow bug');
      await waitUntil(() => !t.pbx.channels.has(bad), 'bad call hung up');
      t.pbx.pressDigits(good, '7');
      await waitUntil(() => finished.length === 1, 'good call finished');
      assert.deepEqual(finished, ['7']);
      assert.equal(errors.length, 1);
    } finally {
      await t.close();
    }
  });

  test('a caller hanging up during a wait ends the flow quietly (not a callError)', async () => {
    const errors: AriCallError[] = [];
    let rejected: unknown;
    const t = await setup((ari) => {
      ari.on('callError', (e) => errors.push(e));
      ari.app('ivr', async (call) => {
        try {
          await call.nextDtmf();
        } catch (err) {
          rejected = err;
          throw err;
        }
      });
    });
    try {
      const id = t.pbx.startCall('ivr');
      await waitUntil(() => t.ari.stats().activeCalls === 1, 'call started');
      t.pbx.callerHangup(id);
      await waitUntil(() => rejected !== undefined, 'wait rejected');
      assert.equal((rejected as { code?: string }).code, 'ARI_HANGUP');
      await new Promise((r) => setImmediate(r));
      assert.equal(errors.length, 0);
    } finally {
      await t.close();
    }
  });

  test('nextDtmf: buffered digits first, timeout, per-wait abort; collectDtmf stops at # or max', async () => {
    let result: Record<string, unknown> = {};
    let collecting = false;
    const t = await setup((ari) =>
      ari.app('ivr', async (call) => {
        // Digits pressed before anyone waits are kept.
        await new Promise((r) => setTimeout(r, 30));
        const first = await call.nextDtmf();
        const timeout = await call.nextDtmf({ timeoutMs: 20 }).catch((e: { code: string }) => e.code);
        const ctl = new AbortController();
        const aborted = call.nextDtmf({ signal: ctl.signal }).catch((e: { code: string }) => e.code);
        ctl.abort();
        collecting = true;
        const pin = await call.collectDtmf({ maxDigits: 8, timeoutMs: 2000 });
        const max = await call.collectDtmf({ maxDigits: 2, timeoutMs: 2000 });
        result = { first, timeout, aborted: await aborted, pin, max, dropped: call.droppedDtmf };
      }),
    );
    try {
      const id = t.pbx.startCall('ivr');
      t.pbx.pressDigits(id, '9');
      await waitUntil(() => collecting, 'first waits');
      t.pbx.pressDigits(id, '1234#56');
      await waitUntil(() => 'pin' in result, 'flow done');
      assert.deepEqual(result, {
        first: '9',
        timeout: 'ARI_TIMEOUT',
        aborted: 'ARI_ABORTED',
        pin: '1234',
        max: '56',
        dropped: 0,
      });
    } finally {
      await t.close();
    }
  });

  test('playAndWait resolves on PlaybackFinished; it rejects with ARI_HANGUP if the caller leaves first', async () => {
    const outcomes: string[] = [];
    const t = await setup(
      (ari) =>
        ari.app('ivr', async (call) => {
          const done = await call.playAndWait('sound:hello-world');
          outcomes.push(`${done.media_uri} ${done.state}`);
          await call.playAndWait('sound:long-menu').catch((e: { code: string }) => outcomes.push(e.code));
        }),
      { playbackMs: 50 },
    );
    try {
      const id = t.pbx.startCall('ivr');
      await waitUntil(() => outcomes.length === 1, 'first playback');
      await waitUntil(() => t.pbx.played.length === 2, 'second playback started');
      t.pbx.callerHangup(id);
      await waitUntil(() => outcomes.length === 2, 'second playback interrupted');
      assert.deepEqual(outcomes, ['sound:hello-world done', 'ARI_HANGUP']);
      await waitUntil(() => t.ari.stats().liveObjects === 0, 'objects released');
    } finally {
      await t.close();
    }
  });

  test('a per-call DTMF buffer limit drops the oldest digits and counts them', async () => {
    let seen = '';
    let dropped = -1;
    const t = await setup((ari) =>
      ari.app(
        'ivr',
        async (call) => {
          await new Promise((r) => setTimeout(r, 50));
          seen = await call.collectDtmf({ maxDigits: 10, timeoutMs: 20 });
          dropped = call.droppedDtmf;
        },
        { dtmfBufferLimit: 3 },
      ),
    );
    try {
      const id = t.pbx.startCall('ivr');
      t.pbx.pressDigits(id, '12345');
      await waitUntil(() => dropped >= 0, 'flow done');
      assert.equal(seen, '345');
      assert.equal(dropped, 2);
    } finally {
      await t.close();
    }
  });
});
