import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { inspect } from 'node:util';
import { AmiClient, type AmiClientState, AmiError, type AmiMessage } from '../../src/ami/index.js';
import { FakeAmiServer } from '../../src/testing/index.js';

const SECRET = 'n0t-in-logs-Zq9';

function client(srv: FakeAmiServer, extra: Partial<ConstructorParameters<typeof AmiClient>[0]> = {}) {
  return new AmiClient({ url: srv.url(), keepalive: false, reconnect: false, ...extra });
}

async function rejectsWith(p: Promise<unknown>, code: string): Promise<AmiError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof AmiError, `not an AmiError: ${String(e)}`);
    assert.equal(e.code, code);
    return e;
  }
  assert.fail(`expected ${code}`);
}

describe('AmiClient over TCP against the fake server', () => {
  let srv: FakeAmiServer;
  before(async () => {
    srv = await FakeAmiServer.start({ users: { admin: SECRET, other: 'x' } });
    srv.handle('CoreShowChannels', () => ({
      list: {
        items: [
          { Event: 'CoreShowChannel', Channel: 'Local/1' },
          { Event: 'CoreShowChannel', Channel: 'Local/2' },
        ],
        complete: 'CoreShowChannelsComplete',
      },
    }));
    srv.handle('Status', () => ({
      // Asterisk 11: no EventList header at all, the list ends with StatusComplete.
      list: { items: [{ Event: 'Status', Channel: 'SIP/a' }], complete: 'StatusComplete', eventList: false },
    }));
    srv.handle('Echo', async (m) => {
      await new Promise((r) => setTimeout(r, Number(m.get('Delay') ?? 0)));
      return { Seq: m.get('Seq') ?? '' };
    });
    srv.handle('Silent', () => null);
  });
  after(() => srv.close());

  test('plain login walks the states and resolves ready; actions resolve ok / not ok', async () => {
    const c = client(srv);
    const states: AmiClientState[] = [];
    c.on('state', (s) => states.push(s));
    const banners: string[] = [];
    c.on('banner', (b) => banners.push(b));
    await c.connect();
    assert.deepEqual(states, ['connecting', 'authenticating', 'ready']);
    assert.deepEqual(banners, ['Asterisk Call Manager/13.0.0']);
    const pong = await c.action('Ping');
    assert.equal(pong.ok, true);
    assert.equal(pong.message.get('Ping'), 'Pong');
    const unknown = await c.action('NoSuchAction');
    assert.equal(unknown.ok, false);
    assert.match(unknown.message.get('Message') ?? '', /Invalid\/unknown command/);
    await c.close();
    await c.close();
    assert.equal(c.state, 'closed');
    assert.deepEqual(states.slice(-1), ['closed']);
  });

  test('MD5 challenge login', async () => {
    const c = client(srv, { md5: true });
    const next = srv.nextAction('Login');
    await c.connect();
    const { action } = await next;
    assert.equal(action.get('AuthType'), 'MD5');
    assert.equal(action.get('Secret'), undefined, 'the secret is not sent with MD5');
    await c.close();
  });

  test('a bad secret rejects AMI_LOGIN_FAILED once, without a reconnect storm, and the secret never leaks', async () => {
    const logs: string[] = [];
    const logger = {
      debug: (o: object, m: string) => logs.push(JSON.stringify(o) + m),
      info: (o: object, m: string) => logs.push(JSON.stringify(o) + m),
      warn: (o: object, m: string) => logs.push(JSON.stringify(o) + m),
      error: (o: object, m: string) => logs.push(JSON.stringify(o) + m),
    };
    const before = srv.sessions.length;
    const wrong = 'WrongSecret-77';
    const c = new AmiClient({
      url: srv.url('admin', wrong),
      keepalive: false,
      reconnect: { initialDelay: 1 },
      logger,
    });
    const err = await rejectsWith(c.connect(), 'AMI_LOGIN_FAILED');
    assert.equal(c.state, 'closed');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(srv.sessions.length - before, 1, 'exactly one connection attempt');
    for (const text of [
      err.message,
      String(err.stack),
      ...logs,
      JSON.stringify(c.endpoint),
      inspect(c, { depth: 5 }),
    ]) {
      assert.ok(!text.includes(wrong), `secret leaked in: ${text}`);
    }
    // A good client logs its actions without the secret either.
    const good = new AmiClient({ url: srv.url(), keepalive: false, reconnect: false, logger });
    await good.connect();
    await good.close();
    assert.ok(logs.length > 0);
    assert.ok(!logs.some((l) => l.includes(SECRET)));
  });

  test('event lists collect items (with and without EventList) and items do not leak into the event stream', async () => {
    const c = client(srv);
    await c.connect();
    const seen: AmiMessage[] = [];
    c.on('event', (m) => seen.push(m));
    const r = await c.action('CoreShowChannels');
    assert.equal(r.ok, true);
    assert.deepEqual(
      r.items.map((i) => i.get('Channel')),
      ['Local/1', 'Local/2'],
    );
    assert.equal(r.complete?.event, 'CoreShowChannelsComplete');
    const legacy = await c.action('Status');
    assert.deepEqual(
      legacy.items.map((i) => i.get('Channel')),
      ['SIP/a'],
    );
    assert.equal(legacy.complete?.event, 'StatusComplete');
    assert.equal(seen.length, 0);
    const leaked = await c.action('CoreShowChannels', {}, { emitItems: true });
    assert.equal(leaked.items.length, 2);
    assert.deepEqual(
      seen.map((m) => m.event),
      ['CoreShowChannel', 'CoreShowChannel'],
    );
    const streamed: string[] = [];
    for await (const item of c.list('CoreShowChannels')) streamed.push(item.get('Channel') ?? '');
    assert.deepEqual(streamed, ['Local/1', 'Local/2']);
    await assert.rejects(async () => {
      for await (const _ of c.list('NoSuchList')) {
        // nothing
      }
    }, /NoSuchList failed/);
    await c.close();
  });

  test('timeout and abort settle the promise and free the slot; a late reply is ignored', async () => {
    const c = client(srv, { actionTimeout: 50 });
    await c.connect();
    await rejectsWith(c.action('Silent'), 'AMI_TIMEOUT');
    assert.equal(c.inFlight, 0);
    const ac = new AbortController();
    const p = c.action('Silent', {}, { signal: ac.signal, timeout: 10_000 });
    ac.abort();
    await rejectsWith(p, 'AMI_ABORTED');
    await rejectsWith(c.action('Ping', {}, { signal: AbortSignal.abort() }), 'AMI_ABORTED');
    assert.equal(c.inFlight, 0);
    const late = await c
      .action('Echo', { Seq: 1, Delay: 80 }, { timeout: 10 })
      .catch((e: AmiError) => e.code);
    assert.equal(late, 'AMI_TIMEOUT');
    await new Promise((r) => setTimeout(r, 120));
    assert.equal(c.stats.strayReplies, 1, 'the late reply was counted, not matched to anything');
    assert.equal((await c.action('Ping')).ok, true);
    await c.close();
  });

  test('header injection is refused before anything is written', async () => {
    const c = client(srv);
    await c.connect();
    const n = srv.actions.length;
    await rejectsWith(c.action('UserEvent', { UserEvent: 'x\r\nAction: Originate' }), 'AMI_INVALID_HEADER');
    await rejectsWith(c.action('Ping\r\nAction: Originate'), 'AMI_INVALID_HEADER');
    await c.action('Ping');
    assert.deepEqual(
      srv.actions.slice(n).map((a) => a.get('Action')),
      ['Ping'],
    );
    await c.close();
  });

  test('actions after close reject AMI_CLOSED; close settles what is pending', async () => {
    const c = client(srv);
    await c.connect();
    const pending = c.action('Silent', {}, { timeout: 10_000 });
    await c.close();
    await rejectsWith(pending, 'AMI_CLOSED');
    await rejectsWith(c.action('Ping'), 'AMI_CLOSED');
    await rejectsWith(c.connect(), 'AMI_CLOSED');
  });

  test('300 concurrent actions with interleaved events: every reply matched to its own action', async () => {
    const a = client(srv);
    const b = client(srv);
    await Promise.all([a.connect(), b.connect()]);
    let events = 0;
    a.on('event', () => events++);
    const flood = setInterval(
      () => srv.emit({ Event: 'UserEvent', Privilege: 'user,all', UserEvent: 'Noise' }),
      1,
    );
    const calls = Array.from({ length: 300 }, (_, i) =>
      (i % 2 ? a : b).action('Echo', { Seq: i, Delay: (i * 7) % 13 }).then((r) => r.message.get('Seq')),
    );
    const got = await Promise.all(calls);
    clearInterval(flood);
    assert.deepEqual(
      got,
      calls.map((_, i) => String(i)),
    );
    assert.ok(events > 0, 'events were interleaved');
    const ids = srv.actions.filter((m) => m.get('Action') === 'Echo').map((m) => m.actionId);
    assert.equal(new Set(ids).size, ids.length, 'ActionIDs never collide across clients');
    await Promise.all([a.close(), b.close()]);
  });

  test('actions issued while connecting wait for ready and are sent once', async () => {
    const c = client(srv);
    const connecting = c.connect();
    const early = c.action('Echo', { Seq: 'early' });
    await connecting;
    assert.equal((await early).message.get('Seq'), 'early');
    await c.close();
  });

  test('an oversized packet is refused with a typed error and the link keeps working', async () => {
    srv.handle('Huge', () => ({ raw: `Event: Huge\r\nX: ${'y'.repeat(5000)}\r\n\r\n` }));
    const c = client(srv, { maxPacketBytes: 1024 });
    const errors: AmiError[] = [];
    c.on('error', (e) => errors.push(e as AmiError));
    await c.connect();
    await rejectsWith(c.action('Huge', {}, { timeout: 100 }), 'AMI_TIMEOUT');
    assert.equal(errors[0]?.code, 'AMI_PACKET_TOO_LARGE');
    assert.equal((await c.action('Ping')).ok, true);
    await c.close();
  });

  test('a packet with more header lines than maxHeaders is refused with a typed error; the link stays up', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `Variable: v${i}=x\r\n`).join('');
    srv.handle('ManyHeaders', () => ({ raw: `Event: ManyHeaders\r\n${lines}\r\n` }));
    const c = client(srv, { maxHeaders: 20 });
    const errors: AmiError[] = [];
    c.on('error', (e) => errors.push(e as AmiError));
    const seen: string[] = [];
    c.on('event', (m) => seen.push(m.event ?? ''));
    await c.connect();
    await rejectsWith(c.action('ManyHeaders', {}, { timeout: 100 }), 'AMI_TIMEOUT');
    assert.equal(errors[0]?.code, 'AMI_TOO_MANY_HEADERS');
    assert.ok(!seen.includes('ManyHeaders'), 'the refused packet is not delivered');
    assert.equal((await c.action('Ping')).ok, true);
    assert.equal(c.state, 'ready');
    await c.close();
  });

  test('close() is idempotent: same settled promise, one closed state, later calls are no-ops', async () => {
    const c = client(srv);
    const states: AmiClientState[] = [];
    c.on('state', (s) => states.push(s));
    await c.connect();
    const first = c.close();
    const second = c.close();
    assert.equal(first, second);
    await Promise.all([first, second]);
    await c.close();
    assert.equal(c.state, 'closed');
    assert.equal(states.filter((s) => s === 'closed').length, 1);
    const logoffs = srv.actions.filter((m) => /^logoff$/i.test(m.get('Action') ?? ''));
    assert.ok(logoffs.length >= 1);
    const before = logoffs.length;
    await c.close();
    assert.equal(srv.actions.filter((m) => /^logoff$/i.test(m.get('Action') ?? '')).length, before);
  });

  test('garbage on the wire does not break the stream', async () => {
    const c = client(srv);
    await c.connect();
    const s = srv.live[srv.live.length - 1]!;
    s.garbage();
    assert.equal((await c.action('Ping')).ok, true);
    await c.close();
  });
});

describe('action timeouts share one timer', () => {
  test('mixed timeouts expire in deadline order and the rest still resolve', async () => {
    const srv = await FakeAmiServer.start();
    srv.handle('Silent', () => null);
    const c = new AmiClient({ url: srv.url(), keepalive: false, reconnect: false });
    await c.connect();
    const order: string[] = [];
    const watch = (p: Promise<unknown>, tag: string) =>
      p.then(
        () => order.push(`ok:${tag}`),
        (e: AmiError) => order.push(`${e.code}:${tag}`),
      );
    const all = Promise.all([
      watch(c.action('Silent', {}, { timeout: 90 }), 'slow'),
      watch(c.action('Silent', {}, { timeout: 10 }), 'fast'),
      watch(c.action('Ping', {}, { timeout: 10_000 }), 'ping'),
      watch(c.action('Silent', {}, { timeout: 40 }), 'mid'),
    ]);
    await all;
    assert.ok(order.includes('ok:ping'));
    assert.deepEqual(
      order.filter((o) => o !== 'ok:ping'),
      ['AMI_TIMEOUT:fast', 'AMI_TIMEOUT:mid', 'AMI_TIMEOUT:slow'],
    );
    assert.equal(c.inFlight, 0);
    await c.close();
    await srv.close();
  });
});
