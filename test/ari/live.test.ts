/** Live objects: race-free origination, operations, per-object events, and release without leaks. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AriClient, type AriEvent, decodeAriEvent } from '../../src/ari/index.js';
import {
  FakeAriServer,
  fakeBridge,
  fakeChannel,
  fakeEvent,
  loadAriRestFixture,
} from '../../src/testing/index.js';
import { waitUntil } from '../helpers/wait.js';
import { startFakeAri } from './harness.js';

function setup(apps: string[] = ['dialer']) {
  return startFakeAri({ apps });
}

describe('originate without the race', () => {
  test('events the server sends before replying to originate reach listeners attached before dialling', async () => {
    const t = await setup();
    try {
      // Proof the fake really sends them first: the raw client sees StasisStart before the HTTP reply resolves.
      const rawOrder: string[] = [];
      const offRaw = t.ari.on('event', (e) => rawOrder.push(e.type));
      const channel = t.ari.channel();
      const seen: string[] = [];
      channel.on('event', (e) => seen.push(e.type));
      const started = channel.waitFor('StasisStart');
      const snapshot = await channel.originate({
        endpoint: 'PJSIP/alice',
        app: 'dialer',
        appArgs: ['outbound', '42'],
        variables: { CAMPAIGN: 'spring' },
      });
      rawOrder.push('HTTP reply');
      assert.equal(snapshot.id, channel.id);
      assert.ok(rawOrder.indexOf('StasisStart') < rawOrder.indexOf('HTTP reply'), rawOrder.join(','));
      assert.deepEqual((await started).args, ['outbound', '42']);
      assert.deepEqual(seen, ['ChannelVarset', 'Dial', 'ChannelStateChange', 'Dial', 'StasisStart']);
      assert.equal(t.server.requests.at(-1)?.query.channelId, channel.id);
      offRaw();
      // A channel this client originated stays tracked after StasisEnd until it is destroyed.
      await channel.hangup();
      await waitUntil(() => channel.released, 'released on ChannelDestroyed');
      assert.deepEqual(seen.slice(-3), ['ChannelHangupRequest', 'StasisEnd', 'ChannelDestroyed']);
      assert.equal(t.ari.stats().liveObjects, 0);
    } finally {
      await t.close();
    }
  });

  test('channels/create + dial: StasisStart from create is not missed, then Dial/answer events', async () => {
    const t = await setup();
    try {
      const channel = t.ari.channel('my-chosen-id');
      const seen: string[] = [];
      channel.on('event', (e) => seen.push(e.type));
      await channel.create({ endpoint: 'PJSIP/bob', app: 'dialer' });
      assert.deepEqual(seen, ['StasisStart']);
      await channel.dial({ timeout: 30 });
      await waitUntil(() => seen.length === 3, 'dial events');
      assert.deepEqual(seen, ['StasisStart', 'Dial', 'ChannelStateChange']);
      assert.equal(channel.snapshot?.state, 'Up');
    } finally {
      await t.close();
    }
  });

  test('two lookups of the same id give the same object; an unknown channel gives ARI_NOT_FOUND', async () => {
    const t = await setup();
    try {
      assert.equal(t.ari.channel('x'), t.ari.channel('x'));
      const err = await t.ari
        .channel('missing')
        .answer()
        .catch((e: unknown) => e);
      assert.equal((err as { code?: string }).code, 'ARI_NOT_FOUND');
    } finally {
      await t.close();
    }
  });
});

describe('live objects', () => {
  test('play returns a tracked playback whose finish is never missed; bridge add and destroy release it', async () => {
    const t = await setup(['app']);
    try {
      const id = t.pbx.startCall('app');
      const channel = t.ari.channel(id);
      await channel.answer();
      const playback = await channel.play('sound:hello-world');
      const done = await playback.finished({ timeoutMs: 5000 });
      assert.equal(done.state, 'done');
      assert.ok(playback.released);
      const bridge = t.ari.bridge();
      await bridge.create({ type: ['mixing', 'dtmf_events'], name: 'conf' });
      const entered = bridge.waitFor('ChannelEnteredBridge', { timeoutMs: 5000 });
      await bridge.addChannel(channel);
      assert.deepEqual((await entered).bridge.channels, [id]);
      await bridge.destroy();
      await waitUntil(() => bridge.released, 'bridge released');
      t.pbx.callerHangup(id);
      await waitUntil(() => t.ari.stats().liveObjects === 0, 'all released');
    } finally {
      await t.close();
    }
  });

  test('getVariable reads the recorded replies: a value, unset (undefined), missing channel (throws)', async () => {
    const t = await setup(['app']);
    try {
      const recorded = loadAriRestFixture('test/fixtures/asterisk/ari/rest-stasis-call.jsonl').filter((r) =>
        r.path.endsWith('/variable'),
      );
      t.pbx.close(); // answer from the recording, not the simulator
      t.server.replayRest(recorded);
      const ch = t.ari.channel('sbtest-call-1');
      assert.equal(await ch.getVariable('SBVAR'), 'hello');
      assert.equal(await ch.getVariable('NOSUCHVAR'), undefined);
      await ch.setVariable('SBSET', 'x y');
      assert.equal(t.server.unusedReplays, 0);
      await assert.rejects(t.ari.channel('gone').getVariable('X'), { code: 'ARI_NOT_FOUND' });
    } finally {
      await t.close();
    }
  });

  test('waits reject on timeout, abort and release; a released object accepts no listener', async () => {
    const t = await setup(['app']);
    try {
      const ch = t.ari.channel('zz');
      await assert.rejects(ch.waitFor('ChannelHangupRequest', { timeoutMs: 10 }), { code: 'ARI_TIMEOUT' });
      const ctl = new AbortController();
      const p = ch.waitFor('ChannelHangupRequest', { signal: ctl.signal });
      ctl.abort();
      await assert.rejects(p, { code: 'ARI_ABORTED' });
      const q = ch.waitFor('ChannelHangupRequest');
      ch.release('test');
      await assert.rejects(q, { code: 'ARI_CLOSED' });
      ch.on('event', () => {});
      assert.equal(ch.listenerCount(), 0);
      assert.equal(t.ari.stats().liveObjects, 0);
    } finally {
      await t.close();
    }
  });

  test('a throwing listener does not stop the others', async () => {
    const t = await setup(['app']);
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const ch = t.ari.channel('c');
      const got: string[] = [];
      ch.on('ChannelVarset', () => {
        throw new Error('boom');
      });
      ch.on('ChannelVarset', (e) => got.push(e.variable));
      t.ari.dispatch(
        fakeEvent('ChannelVarset', 'app', {
          variable: 'V',
          value: '1',
          channel: fakeChannel('c'),
        }) as AriEvent,
      );
      assert.deepEqual(got, ['V']);
      await new Promise((r) => setImmediate(r));
      assert.ok(warnings.some((w) => w.includes('boom')));
    } finally {
      process.off('warning', onWarning);
      await t.close();
    }
  });

  /** Runs `calls` simulated calls through `deliver` and checks nothing is left behind. */
  async function manyCalls(calls: number, deliver: (ari: AriClient, frame: string) => void, url: string) {
    let handled = 0;
    const ari = new AriClient({ url });
    ari.app('load', async (call) => {
      call.channel.on('ChannelVarset', () => {});
      const bridge = ari.bridge(`b-${call.id}`);
      bridge.on('event', () => {});
      const playback = ari.playback(`p-${call.id}`);
      playback.on('PlaybackStarted', () => {});
      const digit = await call.nextDtmf({ timeoutMs: 30_000 });
      assert.equal(digit, '5');
      await call.waitForEnd();
      handled++;
    });
    return {
      ari,
      handled: () => handled,
      run: async () => {
        const app = 'load';
        for (let i = 0; i < calls; i++) {
          const id = `call-${i}`;
          const channel = fakeChannel(id);
          const bridge = fakeBridge(`b-${id}`);
          const playback = {
            id: `p-${id}`,
            media_uri: 'sound:x',
            target_uri: `channel:${id}`,
            state: 'playing',
          };
          const frames = [
            fakeEvent('StasisStart', app, { args: [], channel }),
            fakeEvent('ChannelVarset', app, { variable: 'X', value: '1', channel }),
            fakeEvent('PlaybackStarted', app, { playback }),
            fakeEvent('ChannelEnteredBridge', app, { bridge, channel }),
            fakeEvent('ChannelDtmfReceived', app, { digit: '5', duration_ms: 80, channel }),
            fakeEvent('PlaybackFinished', app, { playback: { ...playback, state: 'done' } }),
            fakeEvent('ChannelLeftBridge', app, { bridge, channel }),
            fakeEvent('BridgeDestroyed', app, { bridge }),
            fakeEvent('ChannelHangupRequest', app, { cause: 16, channel }),
            fakeEvent('StasisEnd', app, { channel }),
            fakeEvent('ChannelDestroyed', app, { cause: 16, cause_txt: 'Normal Clearing', channel }),
          ];
          for (const f of frames) deliver(ari, JSON.stringify(f));
          if (i % 500 === 499) await new Promise((r) => setImmediate(r));
        }
        await waitUntil(() => handled === calls, `${calls} calls handled`, 60_000);
        const stats = ari.stats();
        assert.equal(stats.liveObjects, 0);
        assert.equal(stats.objectListeners, 0);
        assert.equal(stats.activeCalls, 0);
        assert.equal(ari.listenerCount(), 0);
      },
    };
  }

  test('10,000 calls through the decoder and dispatcher leave no live object, listener or call behind', async () => {
    const { ari, run } = await manyCalls(
      10_000,
      (client, frame) => {
        const d = decodeAriEvent(frame);
        assert.ok(d.ok);
        client.dispatch(d.event);
      },
      'http://u:p@127.0.0.1:9/asterisk',
    );
    try {
      await run();
    } finally {
      await ari.close();
    }
  });

  test('1,000 calls over the WebSocket leave nothing behind either', async () => {
    const server = await new FakeAriServer().listen();
    const { ari, run } = await manyCalls(1000, (_client, frame) => server.send(frame), server.url);
    try {
      await ari.connect();
      await run();
    } finally {
      await ari.close();
      await server.close();
    }
  });
});
