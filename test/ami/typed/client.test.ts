// End to end: the typed API over a real AmiClient, talking over loopback to FakeAmiServer replaying what a real
// Asterisk sent (chunk boundaries included).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  AmiActionError,
  AmiActions,
  AmiClient,
  type AmiMessage,
  normalizeEvent,
} from '../../../src/ami/index.js';
import { AmiTranscriptReplay, FakeAmiServer } from '../../../src/testing/index.js';

const root = new URL('../../fixtures/', import.meta.url).pathname;

async function replay(
  fixture: string,
  body: (a: AmiActions, events: AmiMessage[]) => Promise<void>,
): Promise<void> {
  const server = await FakeAmiServer.start({
    replay: AmiTranscriptReplay.fromJsonl(readFileSync(`${root}${fixture}.jsonl`, 'utf8')),
  });
  const client = new AmiClient({
    url: server.url('harness', 'harness-secret'),
    keepalive: false,
    reconnect: false,
  });
  const events: AmiMessage[] = [];
  client.on('event', (m) => events.push(m));
  try {
    await client.connect();
    await body(new AmiActions(client), events);
  } finally {
    await client.close();
    await server.close();
  }
}

describe('AmiActions over AmiClient and a replayed Asterisk', () => {
  test('Asterisk 11 queue session: lists without EventList, member changes, errors, legacy events', async () => {
    await replay('asterisk-11/ami/queue', async (a, events) => {
      const s = await a.queueStatus();
      assert.deepEqual(
        s.params.map((p) => p.queue),
        ['support', 'ventas'],
      );
      assert.equal((await a.queueSummary()).length, 2);
      const iface = 'Local/203@sb-agents/n';
      await a.queueAdd({
        queue: 'support',
        interface: iface,
        penalty: 2,
        memberName: 'Agent Temp',
        stateInterface: 'Local/203@sb-agents',
      });
      await a.queuePause({ queue: 'support', interface: iface, paused: true, reason: 'lunch break' });
      const one = await a.queueStatus({ queue: 'support', member: iface });
      assert.equal(one.members[0]?.paused, true);
      await a.queuePause({ queue: 'support', interface: iface, paused: false });
      await a.queueRemove('support', iface);
      await assert.rejects(a.queueRemove('support', iface), AmiActionError);
      await assert.rejects(a.queueAdd({ queue: 'nosuchqueue', interface: iface }), /No such queue/);
      const typed = events.map(normalizeEvent);
      assert.ok(typed.some((e) => e.type === 'QueueMemberAdded' && e.member.interface === iface));
      assert.ok(
        typed.some(
          (e) => e.type === 'QueueMemberPause' && e.legacy && e.member.pausedReason === 'lunch break',
        ),
      );
    });
  });

  test('AstDB session of current Asterisk', async () => {
    await replay('asterisk/ami/dbput-dbget', async (a) => {
      await a.dbPut('sb', 'key', 'value with spaces');
      await a.dbPut('sb/sub', 'k2', 'v2');
      assert.equal(await a.dbGet('sb', 'key'), 'value with spaces');
      assert.equal(await a.dbGet('sb', 'nokey'), undefined);
      assert.equal((await a.dbGetTree('sb')).length, 2);
    });
  });

  test('Hangup by /regex/ over the wire resolves with the ChannelHungup items', async () => {
    await replay('asterisk/ami/hangup-action', async (a) => {
      await a.call('Originate', {
        Channel: 'Local/200@sb-test',
        Application: 'Wait',
        Data: '20',
        Async: true,
      });
      await a.call('Originate', {
        Channel: 'Local/200@sb-test',
        Application: 'Wait',
        Data: '20',
        Async: true,
      });
      assert.deepEqual(await a.hangup('Local/200@sb-test-00000045;1', 16), ['Local/200@sb-test-00000045;1']);
      assert.deepEqual(await a.hangup(/^Local\/200@sb-test-[0-9a-f]+;1$/, 17), [
        'Local/200@sb-test-00000046;1',
      ]);
    });
  });
});
