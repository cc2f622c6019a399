/**
 * RouterServer's FastAGI front end: the default listen address and port, a configured script path, and the
 * allow-list handed to `switchboard/agi` — checked over real sockets with the fake FastAGI caller.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CallResult, loadDemo, parseRouterConfig, RouterServer } from '../../src/router/index.js';
import { openStore } from '../../src/store/index.js';
import { FakeFastAgiCall } from '../../src/testing/index.js';

const CHEAP = { N: 1024, r: 8, p: 1 };

test('defaults: FastAGI on 127.0.0.1:4573, path /router, no allow-list', () => {
  const cfg = parseRouterConfig({});
  assert.equal(cfg.listen.host, '127.0.0.1');
  assert.equal(cfg.listen.port, 4573);
  assert.equal(cfg.listen.path, '/router');
  assert.equal(cfg.listen.allow, undefined);
});

/** One call from the fake caller; resolves with what the router reported (undefined: no call reached it). */
async function dial(server: RouterServer, port: number, script: string, seen: CallResult[]) {
  const before = seen.length;
  try {
    const call = await FakeFastAgiCall.connect({
      port,
      script,
      env: { agi_extension: '25', agi_callerid: '33' },
    });
    await call.done;
  } catch {
    // A refused connection may be reset before the environment is written.
  }
  await server.fastagi.idle();
  return seen.length > before ? seen[seen.length - 1] : undefined;
}

test('a configured script path is served; other paths reach no route', async () => {
  const store = await openStore({ url: ':memory:' });
  const seen: CallResult[] = [];
  const server = new RouterServer({
    store,
    config: { listen: { host: '127.0.0.1', port: 0, path: '/pbx/route' } },
    onCall: (r) => seen.push(r),
  });
  try {
    await loadDemo(store, CHEAP);
    const { port } = await server.listen();
    assert.equal(server.dialplanLine(), `exten => _X.,1,AGI(agi://127.0.0.1:${port}/pbx/route)`);
    const routed = await dial(server, port, 'pbx/route', seen);
    assert.equal(routed?.route, 'sip');
    assert.equal(routed?.caller, '33');
    assert.equal(await dial(server, port, 'router', seen), undefined);
    assert.equal(seen.length, 1);
  } finally {
    await server.close();
    await store.close();
  }
});

test('the allow-list is enforced: a caller outside it never reaches the router', async () => {
  const store = await openStore({ url: ':memory:' });
  const seen: CallResult[] = [];
  const outside = new RouterServer({
    store,
    config: { listen: { host: '127.0.0.1', port: 0, allow: ['10.0.0.0/8'] } },
    onCall: (r) => seen.push(r),
  });
  const inside = new RouterServer({
    store,
    config: { listen: { host: '127.0.0.1', port: 0, allow: ['10.0.0.0/8', '127.0.0.1'] } },
    onCall: (r) => seen.push(r),
  });
  try {
    await loadDemo(store, CHEAP);
    const a = await outside.listen();
    assert.equal(await dial(outside, a.port, 'router', seen), undefined);
    assert.equal((await store.callLog.list({ limit: 10 })).length, 0, 'nothing was logged');
    const b = await inside.listen();
    assert.equal((await dial(inside, b.port, 'router', seen))?.route, 'sip');
  } finally {
    await outside.close();
    await inside.close();
    await store.close();
  }
});
