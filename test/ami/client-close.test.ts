import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AmiClient, type AmiClientState, type AmiError } from '../../src/ami/index.js';
import { FakeAjamServer, FakeAmiServer } from '../../src/testing/index.js';

/** Sockets and timers alive in the process, by kind. */
function resources(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) {
    if (r === 'TCPSocketWrap' || r === 'Timeout') out[r] = (out[r] ?? 0) + 1;
  }
  return out;
}

/** Waits (bounded) until the process holds no more sockets or timers than `before`; returns what is left. */
async function settleTo(before: Record<string, number>): Promise<Record<string, number>> {
  let now = resources();
  for (let i = 0; i < 200; i++) {
    if (Object.entries(now).every(([k, n]) => n <= (before[k] ?? 0))) break;
    await new Promise((r) => setTimeout(r, 10));
    now = resources();
  }
  return now;
}

function waitState(c: AmiClient, s: AmiClientState): Promise<void> {
  if (c.state === s) return Promise.resolve();
  return new Promise((resolve) => {
    const on = (x: AmiClientState) => {
      if (x === s) {
        c.off('state', on);
        resolve();
      }
    };
    c.on('state', on);
  });
}

const code = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: AmiError) => e.code,
  );

test('close() with work in every state leaves no socket and no timer (TCP: keepalive, pending action, originate, iterator; backoff)', async () => {
  const srv = await FakeAmiServer.start();
  srv.handle('Silent', () => null);
  srv.handle('Originate', () => ({ Message: 'Originate successfully queued' }));
  const before = resources();

  const c = new AmiClient({ url: srv.url(), keepalive: { interval: 20, timeout: 1000 } });
  await c.connect();
  const pending = code(c.action('Silent', {}, { timeout: 30_000 }));
  const call = code(
    c.originate({ Channel: 'Local/1@x', Application: 'Wait', Data: '1' }, { timeout: 30_000 }),
  );
  const it = c.events()[Symbol.asyncIterator]();
  const next = it.next();
  await new Promise((r) => setTimeout(r, 50)); // keepalive Pings are running
  const busy = resources();
  assert.ok(
    (busy.TCPSocketWrap ?? 0) > (before.TCPSocketWrap ?? 0) && (busy.Timeout ?? 0) > (before.Timeout ?? 0),
  );
  await c.close();
  assert.equal(await pending, 'AMI_CLOSED');
  assert.equal(await call, 'AMI_CLOSED');
  assert.equal((await next).done, true);

  // A client waiting in reconnect backoff.
  const r = new AmiClient({
    url: srv.url(),
    keepalive: false,
    reconnect: { initialDelay: 60_000, jitter: 0 },
  });
  await r.connect();
  srv.live[srv.live.length - 1]!.drop();
  await waitState(r, 'reconnecting');
  assert.ok((resources().Timeout ?? 0) > (before.Timeout ?? 0), 'the backoff timer is pending');
  await r.close();
  await r.close();

  assert.deepEqual(await settleTo(before), before);
  await srv.close();
});

test('close() during an AJAM long poll leaves no socket and no timer', async () => {
  const web = await FakeAjamServer.start();
  const before = resources();
  const c = new AmiClient({ url: web.url(), pollTimeout: 30 });
  await c.connect();
  await new Promise((r) => setTimeout(r, 30)); // the WaitEvent request is open
  assert.ok((resources().TCPSocketWrap ?? 0) > (before.TCPSocketWrap ?? 0));
  await c.close();
  assert.equal(c.state, 'closed');
  assert.deepEqual(await settleTo(before), before);
  await web.close();
});
