import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AsyncAgiDispatcher } from '../../src/agi/index.js';
import { AmiClient } from '../../src/ami/index.js';
import { FakeAmiServer } from '../../src/testing/index.js';

const enc = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

test('AsyncAgiDispatcher over a real AmiClient: many calls over one connection, break at the end', async () => {
  const srv = await FakeAmiServer.start();
  const client = new AmiClient({ url: srv.url() });
  await client.connect();
  const commands: string[] = [];
  srv.handle('AGI', (action) => {
    const channel = action.get('Channel') ?? '';
    const command = action.get('Command') ?? '';
    const id = action.get('CommandID') ?? '';
    commands.push(`${channel} ${command}`);
    const result = command.startsWith('GET VARIABLE') ? `200 result=1 (${channel}+x)\n` : '200 result=0\n';
    setImmediate(() => {
      srv.emit({ Event: 'AsyncAGIExec', Channel: channel, Result: enc(result), CommandId: id });
      if (command === 'ASYNCAGI BREAK') srv.emit({ Event: 'AsyncAGIEnd', Channel: channel });
    });
    return { Response: 'Success', Message: 'Added AGI command to queue' };
  });
  let finished = 0;
  const values: string[] = [];
  const dispatcher = new AsyncAgiDispatcher(client, {
    handler: async (ch) => {
      await ch.answer();
      values.push((await ch.getVariable('X')) ?? '');
      finished++;
    },
  }).start();
  const N = 20;
  for (let i = 0; i < N; i++) {
    const env = `agi_request: async\nagi_channel: Local/${i}@t-1;2\nagi_uniqueid: 1.${i}\n\n`;
    srv.emit({ Event: 'AsyncAGIStart', Channel: `Local/${i}@t-1;2`, Env: enc(env) });
  }
  while (finished < N || dispatcher.activeSessions > 0) await new Promise((r) => setTimeout(r, 5));
  assert.equal(values.length, N);
  assert.ok(
    values.every((v) => /^Local\/\d+@t-1;2\+x$/.test(v)),
    'URL-decoded, + kept',
  );
  // Each call: ANSWER, GET VARIABLE, then the dispatcher returns it to the dialplan.
  assert.equal(commands.length, N * 3);
  assert.equal(commands.filter((c) => c.endsWith('ASYNCAGI BREAK')).length, N);
  await dispatcher.close();
  await client.close();
  await srv.close();
});
