/**
 * Replays the recorded ARI event streams: every real frame through the pure decoder, then through a live
 * WebSocket from the fake server to the client, its dispatcher and live objects.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  AriClient,
  type AriEvent,
  decodeAriEvent,
  eventTargets,
  isEvent,
  isKnownEventType,
} from '../../src/ari/index.js';
import { ariEventFrames, FakeAriServer, loadAriEventFixture } from '../../src/testing/index.js';
import { waitUntil } from '../helpers/wait.js';

const FILES = [
  'test/fixtures/asterisk/ari/events-stasis-call.jsonl',
  'test/fixtures/asterisk/ari/events-ws-reconnect.jsonl',
  'test/fixtures/asterisk-13/ari/events-stasis-call.jsonl',
];

describe('ARI event frames decode', () => {
  for (const file of FILES) {
    test(`${file}: every frame is a known, typed event with its fields intact`, () => {
      const frames = ariEventFrames(loadAriEventFixture(file));
      assert.ok(frames.length > 10);
      for (const raw of frames) {
        const d = decodeAriEvent(raw);
        assert.ok(d.ok, raw);
        assert.ok(isKnownEventType(d.event.type), d.event.type);
        assert.deepEqual(d.event, JSON.parse(raw));
        assert.equal(typeof d.event.timestamp, 'string');
        assert.equal(d.event.application, 'sbtest');
      }
    });
  }

  test('targets: Dial goes to its peer, bridge events to both objects, playbacks by id', () => {
    const frames = ariEventFrames(loadAriEventFixture(FILES[0]!)).map((f) => JSON.parse(f) as AriEvent);
    const dial = frames.find((e) => e.type === 'Dial')!;
    assert.deepEqual(eventTargets(dial), ['channel:sbtest-call-1']);
    const entered = frames.find((e) => e.type === 'ChannelEnteredBridge')!;
    assert.deepEqual(eventTargets(entered), ['channel:sbtest-call-1', 'bridge:sbtest-bridge-1']);
    const pb = frames.find((e) => e.type === 'PlaybackFinished')!;
    assert.deepEqual(eventTargets(pb), ['playback:sbtest-pb-1']);
  });

  test('decoding never throws and keeps every field of any object with a type (property)', () => {
    fc.assert(
      fc.property(fc.string(), (raw) => {
        decodeAriEvent(raw);
      }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom('StasisStart', 'ChannelDtmfReceived', 'Brand-New-Event', 'ApplicationReplaced'),
        fc.dictionary(
          fc.string({ minLength: 1 }).filter((k) => k !== 'type' && k !== 'unknown' && k !== '__proto__'),
          fc.jsonValue(),
        ),
        (type, fields) => {
          const raw = JSON.stringify({ ...fields, type });
          const d = decodeAriEvent(raw);
          assert.ok(d.ok);
          const { unknown: _flag, ...rest } = d.event as Record<string, unknown>;
          assert.deepEqual(rest, JSON.parse(raw));
          assert.equal(_flag, isKnownEventType(type) ? undefined : true);
        },
      ),
    );
  });

  test('unknown types and bad frames never throw', () => {
    const unknown = decodeAriEvent('{"type":"FutureThing","application":"a","x":{"y":1}}');
    assert.ok(unknown.ok);
    assert.equal(unknown.event.type, 'FutureThing');
    assert.equal((unknown.event as { unknown?: boolean }).unknown, true);
    assert.deepEqual((unknown.event as Record<string, unknown>).x, { y: 1 });
    assert.equal(isEvent(unknown.event, 'StasisStart'), false);
    for (const bad of ['', 'not json', '[]', '42', 'null', '{"type":3}', '{"no":"type"}']) {
      const d = decodeAriEvent(bad);
      assert.equal(d.ok, false, bad);
    }
  });
});

describe('ARI event replay over the WebSocket', () => {
  for (const file of [FILES[0]!, FILES[2]!]) {
    test(`${file}: client receives every frame in order; live objects get theirs and are released`, async () => {
      const server = await new FakeAriServer().listen();
      const ari = new AriClient({ url: server.url, apps: ['sbtest'] });
      const got: AriEvent[] = [];
      ari.on('event', (e) => got.push(e));
      try {
        await ari.connect();
        const channel = ari.channel('sbtest-call-1');
        const playback = ari.playback('sbtest-pb-1');
        const bridge = ari.bridge('sbtest-bridge-1');
        const onChannel: string[] = [];
        channel.on('event', (e) => onChannel.push(e.type));
        const finished = playback.finished();
        const frames = ariEventFrames(loadAriEventFixture(file));
        for (const f of frames) server.send(f);
        await waitUntil(() => got.length === frames.length, 'all frames');
        assert.deepEqual(
          got.map((e) => JSON.stringify(e)),
          frames.map((f) => JSON.stringify(JSON.parse(f))),
        );
        const expected = frames
          .map((f) => JSON.parse(f) as AriEvent)
          .filter((e) => eventTargets(e).includes('channel:sbtest-call-1'))
          .map((e) => e.type);
        // The channel was looked up by id (as a Stasis app does), so it ends at StasisEnd.
        assert.deepEqual(onChannel, expected.slice(0, expected.indexOf('StasisEnd') + 1));
        assert.equal((await finished).state, 'done');
        assert.ok(channel.released && playback.released && bridge.released);
        assert.deepEqual(ari.stats().liveObjects, 0);
        assert.equal(ari.stats().objectListeners, 0);
      } finally {
        await ari.close();
        await server.close();
      }
    });
  }

  test('ws-reconnect: the recorded call survives a dropped socket; gap reported; channel still released at the end', async () => {
    const records = loadAriEventFixture(FILES[1]!);
    const server = await new FakeAriServer().listen();
    const ari = new AriClient({ url: server.url, apps: ['sbtest'], reconnect: { initialDelayMs: 5 } });
    const order: string[] = [];
    ari.on('event', (e) => order.push(e.type));
    ari.on('gap', () => order.push('gap'));
    try {
      await ari.connect();
      const channel = ari.channel('sbtest-reconnect-1');
      const seen: string[] = [];
      channel.on('event', (e) => seen.push(e.type));
      const first = ariEventFrames(records, 1);
      for (const f of first) server.send(f);
      await waitUntil(() => order.length === first.length, 'socket 1 frames');
      server.dropConnections();
      await waitUntil(() => order.includes('gap'), 'gap');
      // Socket 3 of the recording carries the rest of the call (socket 2 only saw one event, then was replaced).
      const rest = [
        ...ariEventFrames(records, 2).filter((f) => !f.includes('ApplicationReplaced')),
        ...ariEventFrames(records, 3),
      ];
      for (const f of rest) server.send(f);
      await waitUntil(() => order.length === first.length + 1 + rest.length, 'remaining frames');
      assert.equal(order[first.length], 'gap');
      // Looked up by id (Stasis lifetime): released at StasisEnd, after which nothing more reaches it.
      assert.equal(seen.at(-1), 'StasisEnd');
      assert.ok(channel.released);
      assert.equal(ari.stats().liveObjects, 0);
    } finally {
      await ari.close();
      await server.close();
    }
  });

  test('ApplicationReplaced for one of several apps keeps the socket for the others', async () => {
    const server = await new FakeAriServer().listen();
    const both = new AriClient({ url: server.url, apps: ['a', 'b'] });
    const thief = new AriClient({ url: server.url, apps: ['b'] });
    const got: string[] = [];
    both.on('event', (e) => got.push(`${e.application}:${e.type}`));
    try {
      await both.connect();
      await thief.connect();
      await waitUntil(() => got.includes('b:ApplicationReplaced'), 'replaced');
      server.send({ type: 'ChannelVarset', application: 'a', timestamp: 't', variable: 'X', value: '1' });
      await waitUntil(() => got.includes('a:ChannelVarset'), 'event for a');
      assert.equal(both.stats().socketState, 'open');
      await thief.close();
      const before = server.acceptedConnections.length;
      server.dropConnections();
      const back = await server.waitForConnection(before + 1);
      assert.deepEqual(back.apps, ['a'], 'the replaced app is not claimed back on reconnect');
    } finally {
      await both.close();
      await thief.close();
      await server.close();
    }
  });

  test('ws-reconnect: ApplicationReplaced on the old socket is surfaced; the old socket is closed, not reused', async () => {
    const records = loadAriEventFixture(FILES[1]!);
    const server = await new FakeAriServer().listen();
    const first = new AriClient({ url: server.url, apps: ['sbtest'] });
    const second = new AriClient({ url: server.url, apps: ['sbtest'] });
    const firstEvents: string[] = [];
    const secondEvents: string[] = [];
    const replaced: string[] = [];
    first.on('event', (e) => firstEvents.push(e.type));
    second.on('event', (e) => secondEvents.push(e.type));
    first.on('replaced', (r) => replaced.push(r.application));
    try {
      await first.connect();
      for (const f of ariEventFrames(records, 2)) server.send(f);
      await waitUntil(() => firstEvents.length === 2, 'conn 2 frames');
      await second.connect();
      await waitUntil(() => replaced.length === 1, 'ApplicationReplaced');
      assert.deepEqual(firstEvents, ['ChannelVarset', 'ApplicationReplaced']);
      await waitUntil(() => first.stats().socketState === 'closed', 'first socket closed');
      for (const f of ariEventFrames(records, 3)) server.send(f);
      await waitUntil(() => secondEvents.length === ariEventFrames(records, 3).length, 'conn 3 frames');
      assert.deepEqual(
        firstEvents,
        ['ChannelVarset', 'ApplicationReplaced'],
        'nothing more reaches the old client',
      );
      assert.equal(
        server.acceptedConnections.length,
        2,
        'the replaced client did not reconnect to take the app back',
      );
    } finally {
      await first.close();
      await second.close();
      await server.close();
    }
  });
});
