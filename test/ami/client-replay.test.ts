import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  AmiClient,
  type AmiMessage,
  type AmiParams,
  AmiParser,
  type AmiResponse,
} from '../../src/ami/index.js';
import { AmiTranscriptReplay, FakeAmiServer } from '../../src/testing/index.js';
import { type AmiFixture, amiFixture, amiFixtures, fixturesRoot } from './fixtures.js';

const SKIP = /login-bad-secret|unauthenticated-action|unknown-action/;

function parseAll(raw: Buffer): AmiMessage[] {
  const out: AmiMessage[] = [];
  new AmiParser({ onMessage: (m) => out.push(m) }).push(raw);
  return out;
}

function outToAction(text: string): { name: string; id: string | undefined; params: AmiParams } {
  const [m] = parseAll(Buffer.from(text));
  const params: Record<string, string | string[]> = {};
  for (const [k, v] of m!.headers) {
    const lk = k.toLowerCase();
    if (lk === 'action' || lk === 'actionid') continue;
    const prev = params[k];
    params[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return { name: m!.get('Action') ?? '', id: m!.actionId, params };
}

async function replayThroughClient(f: AmiFixture) {
  const jsonl = readFileSync(join(fixturesRoot, `${f.name}.jsonl`), 'utf8');
  const srv = await FakeAmiServer.start({ replay: AmiTranscriptReplay.fromJsonl(jsonl) });
  const outs = f.outs.map(outToAction);
  const md5 = outs.some((o) => o.name.toLowerCase() === 'challenge');
  const loginOut = outs.find((o) => o.name.toLowerCase() === 'login');
  const events = loginOut?.params['Events'];
  const c = new AmiClient({
    url: srv.url(),
    keepalive: false,
    reconnect: false,
    md5,
    ...(typeof events === 'string' ? { events } : {}),
  });
  const delivered: AmiMessage[] = [];
  c.on('event', (m) => delivered.push(m));
  try {
    await c.connect();
    const sent = outs.filter((o) => !/^(login|logoff|challenge)$/i.test(o.name));
    const results = await Promise.all(
      sent.map((o) => c.action(o.name, o.params, { timeout: 5000 }).then((r) => ({ o, r }))),
    );
    await c.close();
    return { results, delivered, stats: c.stats };
  } finally {
    await c.close();
    await srv.close();
  }
}

describe('recorded transcripts replayed through AmiClient', () => {
  for (const f of amiFixtures().filter((x) => !SKIP.test(x.name))) {
    test(f.name, async () => {
      const { results, delivered, stats } = await replayThroughClient(f);
      const recorded = parseAll(f.raw);
      for (const { o, r } of results) {
        const original = recorded.find((m) => m.kind === 'response' && m.actionId === o.id);
        assert.ok(original, `recorded response for ${o.id}`);
        assert.equal(r.message.response, original.response, `${o.name} ${o.id}`);
        const recordedItems = recorded.filter(
          (m) =>
            m.kind === 'event' && m.actionId === o.id && m !== original && !/complete$/i.test(m.event ?? ''),
        );
        if (r.complete) assert.equal(r.items.length, recordedItems.length, `${o.name} items`);
      }
      // Nothing dropped: every event packet is either delivered as an event or part of a list reply.
      const inLists = results.reduce((n, { r }) => n + r.items.length + (r.complete ? 1 : 0), 0);
      const recordedEvents = recorded.filter((m) => m.kind === 'event').length;
      assert.equal(delivered.length + inLists, recordedEvents);
      assert.equal(stats.strayReplies, 0);
    });
  }

  test('concurrent-actions: Originate + 20 Pings + 5 CoreShowChannels pipelined, zero mismatched replies', async () => {
    for (const name of ['asterisk/ami/concurrent-actions', 'asterisk-11/ami/concurrent-actions']) {
      const f = amiFixture(name);
      const srv = await FakeAmiServer.start({
        replay: AmiTranscriptReplay.fromJsonl(readFileSync(join(fixturesRoot, `${name}.jsonl`), 'utf8')),
      });
      const c = new AmiClient({ url: srv.url(), keepalive: false, reconnect: false });
      const userEvents: AmiMessage[] = [];
      c.on('event', (m) => {
        if (m.event === 'UserEvent') userEvents.push(m);
      });
      await c.connect();
      const outs = f.outs.map(outToAction).filter((o) => /^(ping|coreshowchannels|originate)$/i.test(o.name));
      const originate = c.originate(outs[0]!.params);
      const rest: Array<Promise<AmiResponse>> = outs.slice(1).map((o) => c.action(o.name, o.params));
      const replies = await Promise.all(rest);
      const orig = await originate;
      assert.equal(orig.event, 'OriginateResponse');
      assert.equal(orig.response, 'Success');
      let pings = 0;
      let lists = 0;
      outs.slice(1).forEach((o, i) => {
        const r = replies[i]!;
        if (o.name === 'Ping') {
          pings++;
          assert.equal(r.message.get('Ping'), 'Pong');
          assert.equal(r.items.length, 0);
        } else {
          lists++;
          assert.equal(r.complete?.event, 'CoreShowChannelsComplete');
          assert.equal(r.items.length, Number(r.complete?.get('ListItems')));
          assert.ok(
            r.items.every((it) => it.event === 'CoreShowChannel' && it.actionId === r.message.actionId),
          );
        }
        assert.equal(
          r.message.actionId,
          srv.actions.find((a) => a.get('ActionID') === r.message.actionId)?.actionId,
        );
      });
      assert.equal(pings, 20);
      assert.equal(lists, 5);
      const recordedUserEvents = parseAll(f.raw).filter((m) => m.event === 'UserEvent').length;
      assert.equal(userEvents.length, recordedUserEvents);
      assert.ok(recordedUserEvents >= 20);
      await c.close();
      await srv.close();
    }
  });

  test('Command output through the client: 14+ Output headers and the pre-14 raw body', async () => {
    for (const v of ['asterisk', 'asterisk-13', 'asterisk-11']) {
      const { results } = await replayThroughClient(amiFixture(`${v}/ami/command-output`));
      const version = results.find(({ o }) => o.params['Command'] === 'core show version');
      assert.match(version?.r.message.output?.[0] ?? '', /^Asterisk /, v);
      const dialplan = results.find(({ o }) => String(o.params['Command']).startsWith('dialplan show'));
      assert.ok((dialplan?.r.message.output?.length ?? 0) > 10, v);
    }
  });
});
