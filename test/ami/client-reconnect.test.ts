import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AmiClient,
  type AmiClientState,
  AmiError,
  type AmiGap,
  type AmiMessage,
} from '../../src/ami/index.js';
import { FakeAmiServer } from '../../src/testing/index.js';

function once<T>(c: AmiClient, ev: 'gap' | 'error'): Promise<T> {
  return new Promise((resolve) => c.once(ev, (x: unknown) => resolve(x as T)));
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

describe('AmiClient reconnect, gap and keepalive', () => {
  let srv: FakeAmiServer;
  before(async () => {
    srv = await FakeAmiServer.start();
    srv.handle('Silent', () => null);
  });
  after(() => srv.close());

  test('a dropped link: pending actions reject AMI_DISCONNECTED and are never replayed; login, filters and mask are restored; gap emitted', async () => {
    const c = new AmiClient({
      url: srv.url(),
      keepalive: false,
      events: 'call,user',
      reconnect: { initialDelay: 5, maxDelay: 20 },
    });
    const states: AmiClientState[] = [];
    c.on('state', (s) => states.push(s));
    await c.connect();
    assert.equal((await c.addFilter('UserEvent: Keep')).ok, true);
    const first = srv.live[srv.live.length - 1]!;
    assert.deepEqual([...first.eventMask], ['call', 'user']);
    const silent = c.action('Silent', { Marker: 'once' }, { timeout: 5000 });
    await srv.nextAction('Silent');
    const gap = once<AmiGap>(c, 'gap');
    const t0 = Date.now();
    first.drop();
    const err = await silent.catch((e: AmiError) => e);
    assert.ok(err instanceof AmiError);
    assert.equal(err.code, 'AMI_DISCONNECTED');
    const g = await gap;
    assert.ok(g.from.getTime() <= g.to.getTime());
    assert.ok(g.from.getTime() <= t0 + 5);
    assert.equal(c.state, 'ready');
    assert.deepEqual(states, [
      'connecting',
      'authenticating',
      'ready',
      'reconnecting',
      'connecting',
      'authenticating',
      'ready',
    ]);
    const second = srv.live[srv.live.length - 1]!;
    assert.notEqual(second, first);
    assert.deepEqual(second.filters, ['UserEvent: Keep'], 'filter restored');
    assert.deepEqual([...second.eventMask], ['call', 'user'], 'mask restored at login');
    assert.equal(srv.actions.filter((a) => a.get('Marker') === 'once').length, 1, 'never replayed');
    // Events flow again, through the restored filter.
    const got: AmiMessage[] = [];
    c.on('event', (m) => got.push(m));
    srv.emit({ Event: 'UserEvent', Privilege: 'user,all', UserEvent: 'Drop' });
    srv.emit({ Event: 'UserEvent', Privilege: 'user,all', UserEvent: 'Keep' });
    assert.equal((await c.action('Ping')).ok, true);
    assert.deepEqual(
      got.map((m) => m.get('UserEvent')),
      ['Keep'],
    );
    assert.equal(c.stats.reconnects, 1);
    await c.close();
  });

  test('backoff keeps retrying while the server refuses, then recovers', async () => {
    const c = new AmiClient({
      url: srv.url(),
      keepalive: false,
      reconnect: { initialDelay: 2, maxDelay: 10 },
    });
    await c.connect();
    srv.refuse(true);
    const before = srv.sessions.length;
    srv.live[srv.live.length - 1]!.drop();
    await waitState(c, 'reconnecting');
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(c.state === 'reconnecting' || c.state === 'connecting', true);
    srv.refuse(false);
    await once(c, 'gap');
    assert.equal(c.state, 'ready');
    assert.equal(srv.sessions.length - before, 1, 'refused connections are not sessions');
    await c.close();
  });

  test('actions and connect() issued while reconnecting wait for the new session; sent once', async () => {
    const c = new AmiClient({
      url: srv.url(),
      keepalive: false,
      reconnect: { initialDelay: 30, maxDelay: 30 },
    });
    await c.connect();
    const sessions = srv.sessions.length;
    srv.live[srv.live.length - 1]!.drop();
    await waitState(c, 'reconnecting');
    const queued = c.action('Ping', { Marker: 'queued' });
    await c.connect(); // waits for the reconnect loop instead of opening a second link
    assert.equal(c.state, 'ready');
    assert.equal(srv.sessions.length, sessions + 1);
    const r = await queued;
    assert.equal(r.ok, true);
    assert.equal(srv.actions.filter((a) => a.get('Marker') === 'queued').length, 1);
    await c.close();
  });

  test('keepalive: no Pong before the deadline declares the link dead and replaces it', async () => {
    const c = new AmiClient({
      url: srv.url(),
      keepalive: { interval: 20, timeout: 40 },
      reconnect: { initialDelay: 1, maxDelay: 5 },
    });
    await c.connect();
    const s = srv.live[srv.live.length - 1]!;
    const gap = once<AmiGap>(c, 'gap');
    s.stall();
    await gap;
    assert.equal(c.state, 'ready');
    assert.notEqual(srv.live[srv.live.length - 1], s);
    assert.equal(s.alive, false, 'the stalled link was closed by the client');
    assert.equal((await c.action('Ping')).ok, true);
    await c.close();
  });

  test('a login refused during reconnect gives up (no storm) and closes with AMI_LOGIN_FAILED', async () => {
    const local = await FakeAmiServer.start({ users: { u: 'p' } });
    const c = new AmiClient({
      url: local.url(),
      keepalive: false,
      reconnect: { initialDelay: 1, maxDelay: 2 },
    });
    await c.connect();
    const errors: AmiError[] = [];
    c.on('error', (e) => errors.push(e as AmiError));
    local.handle('Login', () => ({ Response: 'Error', Message: 'Authentication failed' }));
    const closed = waitState(c, 'closed');
    local.live[0]!.drop();
    await closed;
    assert.equal(errors[0]?.code, 'AMI_LOGIN_FAILED');
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(local.sessions.length, 2);
    await c.close();
    await local.close();
  });

  test('reconnect: false closes the client on link loss', async () => {
    const c = new AmiClient({ url: srv.url(), keepalive: false, reconnect: false });
    await c.connect();
    const closed = waitState(c, 'closed');
    srv.live[srv.live.length - 1]!.drop();
    await closed;
    await assert.rejects(c.action('Ping'), { code: 'AMI_CLOSED' });
  });

  test('connect() to a port nobody listens on rejects AMI_CONNECT_FAILED', async () => {
    const tmp = await FakeAmiServer.start();
    const url = tmp.url();
    await tmp.close();
    const c = new AmiClient({ url, keepalive: false });
    await assert.rejects(c.connect(), { code: 'AMI_CONNECT_FAILED' });
    assert.equal(c.state, 'closed');
  });

  test('a server that never sends the banner: connect times out', async () => {
    srv.stallNewSessions(true);
    const c = new AmiClient({ url: srv.url(), keepalive: false, connectTimeout: 50 });
    await assert.rejects(c.connect(), { code: 'AMI_CONNECT_FAILED' });
    srv.stallNewSessions(false);
  });

  test('close() during reconnect backoff settles everything and stops retrying', async () => {
    const c = new AmiClient({ url: srv.url(), keepalive: false, reconnect: { initialDelay: 10_000 } });
    await c.connect();
    srv.refuse(true);
    srv.live[srv.live.length - 1]!.drop();
    await waitState(c, 'reconnecting');
    const queued = c.action('Ping');
    await c.close();
    await assert.rejects(queued, { code: 'AMI_CLOSED' });
    srv.refuse(false);
  });
});

describe('keepalive and a busy session', () => {
  test('no Pong while an earlier action is still running is not a dead link', async () => {
    const srv = await FakeAmiServer.start();
    const c = new AmiClient({
      url: srv.url(),
      keepalive: { interval: 10, timeout: 20 },
      reconnect: { initialDelay: 1 },
    });
    await c.connect();
    const s = srv.live[0]!;
    let gaps = 0;
    c.on('gap', () => gaps++);
    // Like a synchronous Originate: Asterisk answers nothing (Pong included) until it is done.
    s.hold();
    const slow = c.action('Ping', { Marker: 'slow' }, { timeout: 10_000 });
    await srv.nextAction('Ping');
    for (let i = 0; i < 3; i++) await srv.nextAction('Ping'); // keepalive Pings queue up behind it
    s.release();
    assert.equal((await slow).ok, true);
    assert.equal(gaps, 0);
    assert.equal(s.alive, true);
    assert.equal(c.state, 'ready');
    await c.close();
    await srv.close();
  });
});
