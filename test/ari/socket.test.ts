/** The events WebSocket: reconnect and gap, dead-link detection by ping, bursts, unknown frames, auth, backoff. */
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { describe, test } from 'node:test';
import {
  AriClient,
  AriError,
  type AriEvent,
  AriEventSocket,
  type AriGap,
  AriUnauthorizedError,
  resolveEndpoint,
} from '../../src/ari/index.js';
import { FakeAriPbx, FakeAriServer, fakeChannel, fakeEvent } from '../../src/testing/index.js';
import { waitUntil } from '../helpers/wait.js';

async function withServer(fn: (server: FakeAriServer) => Promise<void>): Promise<void> {
  const server = await new FakeAriServer().listen();
  try {
    await fn(server);
  } finally {
    await server.close();
  }
}

describe('ARI events socket', () => {
  test('registers every app on one socket, with subscribeAll', async () => {
    await withServer(async (server) => {
      const ari = new AriClient({ url: server.url, apps: ['a', 'b'], subscribeAll: true });
      ari.app('c', async () => {});
      try {
        await ari.connect();
        const conn = await server.waitForConnection(1);
        assert.deepEqual(conn.apps, ['a', 'b', 'c']);
        assert.equal(conn.subscribeAll, true);
        assert.equal(server.connections.size, 1);
        assert.throws(() => ari.app('late', async () => {}), /before connect/);
      } finally {
        await ari.close();
      }
    });
  });

  test('after a dropped link: reconnects, registers the apps again and emits a gap; events flow again', async () => {
    await withServer(async (server) => {
      const ari = new AriClient({
        url: server.url,
        apps: ['ivr', 'queue'],
        reconnect: { initialDelayMs: 10, maxDelayMs: 50 },
      });
      const gaps: AriGap[] = [];
      const order: string[] = [];
      ari.on('gap', (g) => {
        gaps.push(g);
        order.push('gap');
      });
      ari.on('event', (e) => order.push(e.type));
      try {
        await ari.connect();
        server.send(fakeEvent('ChannelVarset', 'ivr', { variable: 'A', value: '1' }));
        await waitUntil(() => order.length === 1, 'first event');
        server.dropConnections();
        // Events raised while no socket is connected are lost, as on Asterisk: the gap event says so.
        server.send(fakeEvent('ChannelVarset', 'ivr', { variable: 'LOST', value: '1' }));
        const second = await server.waitForConnection(2);
        assert.deepEqual(second.apps, ['ivr', 'queue']);
        await waitUntil(() => gaps.length === 1, 'gap');
        server.send(fakeEvent('ChannelVarset', 'queue', { variable: 'B', value: '2' }));
        await waitUntil(() => order.length === 3, 'event after reconnect');
        assert.deepEqual(order, ['ChannelVarset', 'gap', 'ChannelVarset']);
        const gap = gaps[0]!;
        assert.ok(gap.durationMs >= 0);
        assert.equal(gap.to.getTime() - gap.from.getTime(), gap.durationMs);
        assert.deepEqual(gap.apps, ['ivr', 'queue']);
        assert.ok(gap.reason.length > 0);
      } finally {
        await ari.close();
      }
    });
  });

  test('a link that stops answering pings is detected by the pong deadline and replaced', async () => {
    await withServer(async (server) => {
      const ari = new AriClient({
        url: server.url,
        apps: ['ivr'],
        pingIntervalMs: 20,
        pongTimeoutMs: 40,
        reconnect: { initialDelayMs: 5 },
      });
      const disconnects: string[] = [];
      const gaps: AriGap[] = [];
      ari.on('disconnect', (d) => disconnects.push(d.reason));
      ari.on('gap', (g) => gaps.push(g));
      try {
        await ari.connect();
        server.answerPings = false;
        await waitUntil(() => disconnects.length === 1, 'dead link detected');
        assert.match(disconnects[0]!, /no pong within 40 ms/);
        server.answerPings = true;
        await waitUntil(() => gaps.length === 1, 'gap after reconnect');
        assert.match(gaps[0]!.reason, /no pong/);
        assert.equal(server.acceptedConnections.length, 2);
        // A later drop for another cause reports its own reason, not the stale one of the first drop.
        server.dropConnections();
        await waitUntil(() => gaps.length === 2, 'second gap');
        assert.equal(disconnects.length, 2);
        assert.doesNotMatch(disconnects[1]!, /no pong/);
        assert.doesNotMatch(gaps[1]!.reason, /no pong/);
      } finally {
        await ari.close();
      }
    });
  });

  test('1,000 DTMF events sent within 100 ms all arrive, in order, to the client, the channel and the call', async () => {
    await withServer(async (server) => {
      const pbx = new FakeAriPbx(server);
      const ari = new AriClient({ url: server.url });
      const digits = '0123456789*#ABCD';
      const sent = Array.from({ length: 1000 }, (_, i) => digits[i % digits.length]!);
      const viaClient: string[] = [];
      const viaChannel: string[] = [];
      const viaCall: string[] = [];
      let done!: () => void;
      const finished = new Promise<void>((r) => {
        done = r;
      });
      ari.on('ChannelDtmfReceived', (e) => viaClient.push(e.digit));
      ari.app('ivr', async (call) => {
        call.channel.on('ChannelDtmfReceived', (e) => viaChannel.push(e.digit));
        // A slow consumer: awaits between digits; the call buffers what arrives meanwhile.
        while (viaCall.length < sent.length) {
          viaCall.push(await call.nextDtmf({ timeoutMs: 5000 }));
          if (viaCall.length % 100 === 0) await new Promise((r) => setImmediate(r));
        }
        done();
      });
      try {
        await ari.connect();
        const id = pbx.startCall('ivr');
        pbx.pressDigits(id, sent.join(''));
        await finished;
        assert.deepEqual(viaClient, sent);
        assert.deepEqual(viaChannel, sent);
        assert.deepEqual(viaCall, sent);
        pbx.callerHangup(id);
        await waitUntil(() => ari.stats().liveObjects === 0, 'released');
      } finally {
        pbx.close();
        await ari.close();
      }
    });
  });

  test('unknown event types are delivered untyped; invalid frames are reported, not thrown', async () => {
    await withServer(async (server) => {
      const ari = new AriClient({ url: server.url, apps: ['x'] });
      const events: AriEvent[] = [];
      const invalid: string[] = [];
      ari.on('event', (e) => events.push(e));
      ari.on('invalidFrame', (f) => invalid.push(f.raw));
      try {
        await ari.connect();
        const channel = ari.channel('c1');
        const seen: string[] = [];
        channel.on('event', (e) => seen.push(e.type));
        server.send(
          fakeEvent('ChannelTransferProgress', 'x', { channel: fakeChannel('c1'), states: 'ringing' }),
        );
        server.send('this is not json');
        server.send(fakeEvent('StasisEnd', 'x', { channel: fakeChannel('c1') }));
        await waitUntil(() => events.length === 2 && invalid.length === 1, 'frames');
        assert.equal(events[0]!.type, 'ChannelTransferProgress');
        assert.equal((events[0] as { unknown?: boolean }).unknown, true);
        assert.deepEqual(seen, ['ChannelTransferProgress', 'StasisEnd']);
        assert.deepEqual(invalid, ['this is not json']);
      } finally {
        await ari.close();
      }
    });
  });

  test('wrong credentials on connect reject with ARI_UNAUTHORIZED and leave nothing running', async () => {
    await withServer(async (server) => {
      const ari = new AriClient({ url: server.url.replace(':asterisk@', ':Wr0ng-Secret@'), apps: ['x'] });
      try {
        const err = await ari.connect().catch((e: unknown) => e);
        assert.ok(err instanceof AriUnauthorizedError, String(err));
        assert.equal(err.asteriskMessage, 'Authentication required');
        assert.ok(!err.message.includes('Wr0ng-Secret'));
        assert.equal(ari.stats().socketState, 'idle');
      } finally {
        await ari.close();
      }
    });
  });

  test('a missing app is refused before connecting; a refused server gives ARI_CONNECTION', async () => {
    await withServer(async (server) => {
      assert.throws(() => new AriEventSocket(resolveEndpoint({ url: server.url }), { apps: [] }), AriError);
      assert.throws(
        () => new AriEventSocket(resolveEndpoint({ url: server.url }), { apps: ['a,b'] }),
        AriError,
      );
    });
    const gone = await new FakeAriServer().listen();
    const url = gone.url;
    await gone.close();
    const ari = new AriClient({ url, apps: ['x'] });
    const err = await ari.connect().catch((e: unknown) => e);
    assert.equal((err as AriError).code, 'ARI_CONNECTION');
    await ari.close();
  });

  test('a server that accepts TCP but never answers the handshake gives ARI_TIMEOUT', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((s) => {
      sockets.add(s);
      s.on('error', () => {});
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as { port: number }).port;
    const ari = new AriClient({
      url: `http://u:p@127.0.0.1:${port}/asterisk`,
      apps: ['x'],
      connectTimeoutMs: 50,
    });
    try {
      const err = await ari.connect().catch((e: unknown) => e);
      assert.equal((err as AriError).code, 'ARI_TIMEOUT');
    } finally {
      await ari.close();
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  test('reconnect delays grow exponentially with jitter up to the maximum', async () => {
    await withServer(async (server) => {
      const delays: number[] = [];
      const errors: string[] = [];
      const sock = new AriEventSocket(resolveEndpoint({ url: server.url }), {
        apps: ['x'],
        reconnect: { initialDelayMs: 4, maxDelayMs: 40, factor: 2, jitter: 0.5 },
        random: () => 1, // maximum jitter: each delay is half its step
      });
      sock.on('reconnecting', (r) => delays.push(r.delayMs));
      sock.on('error', (e) => errors.push(e.code));
      try {
        await sock.connect();
        server.acceptConnections = false;
        server.dropConnections();
        await waitUntil(() => delays.length >= 6, 'six attempts');
        assert.deepEqual(delays.slice(0, 6), [2, 4, 8, 16, 20, 20]);
        assert.ok(errors.every((c) => c === 'ARI_SERVER_ERROR'));
        server.acceptConnections = true;
        await waitUntil(() => sock.state === 'open', 'reopened');
      } finally {
        await sock.close();
        sock.clear();
      }
    });
  });

  test('close() during reconnecting stops everything; close() is idempotent', async () => {
    await withServer(async (server) => {
      const ari = new AriClient({ url: server.url, apps: ['x'], reconnect: { initialDelayMs: 10_000 } });
      await ari.connect();
      server.dropConnections();
      await waitUntil(() => ari.stats().socketState === 'reconnecting', 'reconnecting');
      await ari.close();
      await ari.close();
      assert.equal(server.acceptedConnections.length, 1);
    });
  });
});
