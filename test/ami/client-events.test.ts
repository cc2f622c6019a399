import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AmiClient, type AmiMessage, type AmiOverflow, compileFilter } from '../../src/ami/index.js';
import { FakeAmiServer } from '../../src/testing/index.js';

const dial = (ch: string, exten: string) => ({
  Event: 'DialBegin',
  Privilege: 'call,all',
  Channel: ch,
  DestExten: exten,
});

describe('AmiClient events', () => {
  let srv: FakeAmiServer;
  let c: AmiClient;
  before(async () => {
    srv = await FakeAmiServer.start();
    c = new AmiClient({ url: srv.url(), keepalive: false, reconnect: false });
    await c.connect();
  });
  after(async () => {
    await c.close();
    await srv.close();
  });

  test('per-subscriber filters: event names, header values, regex over the raw packet', async () => {
    const crm = c.events({ events: ['Dial', 'DialBegin', 'BridgeEnter', 'Hangup'], match: /\b902\b/ });
    const hangups = c.events({ events: 'hangup', headers: { Cause: '16', Channel: /^PJSIP\// } });
    srv.emit(dial('PJSIP/reina-1', '902'));
    srv.emit(dial('PJSIP/reina-2', '903'));
    srv.emit({ Event: 'Newexten', Privilege: 'dialplan,all', Extension: '902' });
    srv.emit({ Event: 'Hangup', Privilege: 'call,all', Channel: 'PJSIP/x', Cause: '16', Exten: '902' });
    srv.emit({ Event: 'Hangup', Privilege: 'call,all', Channel: 'Local/x', Cause: '16' });
    srv.emit({ Event: 'Hangup', Privilege: 'call,all', Channel: 'PJSIP/y', Cause: '17' });
    await c.action('Ping');
    const take = async (s: AsyncIterator<AmiMessage>, n: number) => {
      const out: string[] = [];
      for (let i = 0; i < n; i++) {
        const r = await s.next();
        out.push(`${r.value?.event}:${r.value?.get('Channel')}`);
      }
      return out;
    };
    assert.deepEqual(await take(crm, 2), ['DialBegin:PJSIP/reina-1', 'Hangup:PJSIP/x']);
    assert.equal(crm.size, 0);
    assert.deepEqual(await take(hangups, 1), ['Hangup:PJSIP/x']);
    assert.equal(hangups.size, 0);
    crm.close();
    hangups.close();
    assert.deepEqual(await crm.next(), { value: undefined, done: true });
  });

  test('a global regexp filter is applied from the start for every event', () => {
    const f = compileFilter({ match: /902/g });
    const m = (t: string) => ({ text: () => t, event: 'X', get: () => undefined }) as unknown as AmiMessage;
    assert.equal(f(m('a 902')), true);
    assert.equal(f(m('b 902')), true);
    assert.equal(compileFilter({ where: (x) => x.event === 'Y' })(m('')), false);
  });

  test('a slow subscriber during a flood: others get everything, its overflow is counted, the socket keeps flowing', async () => {
    const N = 20_000;
    const slow = c.events({ events: 'UserEvent' }, { queueSize: 100 });
    const fast = c.events({ events: 'UserEvent' });
    const overflows: AmiOverflow[] = [];
    c.on('overflow', (o) => overflows.push(o));
    let emitted = 0;
    c.on('event', (m) => {
      if (m.event === 'UserEvent') emitted++;
    });
    const s = srv.live[0]!;
    // One big write: Asterisk's flood arrives faster than the slow consumer can take it.
    let flood = '';
    for (let i = 0; i < N; i++)
      flood += `Event: UserEvent\r\nPrivilege: user,all\r\nUserEvent: Flood\r\nSeq: ${i}\r\n\r\n`;
    s.write(flood);
    let fastCount = 0;
    let last = -1;
    let inOrder = true;
    for await (const m of fast) {
      const seq = Number(m.get('Seq'));
      if (seq !== last + 1) inOrder = false;
      last = seq;
      if (++fastCount === N) break;
    }
    assert.equal(inOrder, true);
    assert.equal(emitted, N);
    // The slow one now drains what it kept: its first 100, in order.
    let slowCount = 0;
    while (slow.size > 0) {
      const r = await slow.next();
      assert.equal(Number(r.value?.get('Seq')), slowCount);
      slowCount++;
      await new Promise((r) => setImmediate(r));
    }
    assert.equal(slowCount, 100);
    assert.equal(slow.accepted + slow.dropped, N, 'every event is either delivered or counted as dropped');
    assert.ok(slow.dropped > 0);
    assert.equal(overflows[0]?.stream, slow);
    assert.equal(overflows[0]?.dropped, 1);
    slow.close();
    assert.equal((await c.action('Ping')).ok, true);
  });

  test('a throwing event listener does not break the read loop', async () => {
    const seen: string[] = [];
    const bad = () => {
      throw new Error('boom');
    };
    const errors: Error[] = [];
    const onErr = (e: Error) => errors.push(e);
    c.on('error', onErr);
    c.on('event', bad);
    const stream = c.events({ events: 'UserEvent' });
    srv.live[0]!.write('Event: UserEvent\r\nUserEvent: A\r\n\r\nEvent: UserEvent\r\nUserEvent: B\r\n\r\n');
    for await (const m of stream) {
      seen.push(m.get('UserEvent') ?? '');
      if (seen.length === 2) break;
    }
    c.off('event', bad);
    c.off('error', onErr);
    assert.deepEqual(seen, ['A', 'B']);
    assert.equal(errors.length, 2);
  });

  test('login with events off, then the Events helper turns the user class on', async () => {
    const local = new AmiClient({ url: srv.url(), keepalive: false, reconnect: false, events: false });
    const seen: string[] = [];
    local.on('event', (m) => seen.push(m.event ?? ''));
    await local.connect();
    srv.emit({ Event: 'UserEvent', Privilege: 'user,all', UserEvent: 'Hidden' });
    assert.equal((await local.setEventMask('user')).message.get('Events'), 'On');
    srv.emit({ Event: 'UserEvent', Privilege: 'user,all', UserEvent: 'Shown' });
    srv.emit({ Event: 'Newchannel', Privilege: 'call,all' });
    await local.action('Ping');
    assert.deepEqual(seen, ['UserEvent']);
    await local.close();
  });

  test('events() on a closed client ends at once; close() ends open iterators after they drain', async () => {
    const local = new AmiClient({ url: srv.url(), keepalive: false, reconnect: false });
    await local.connect();
    const it = local.events();
    srv.live[srv.live.length - 1]!.write('Event: UserEvent\r\nUserEvent: Last\r\n\r\n');
    await local.action('Ping');
    await local.close();
    const r1 = await it.next();
    assert.equal(r1.value?.get('UserEvent'), 'Last');
    assert.equal((await it.next()).done, true);
    assert.equal((await local.events().next()).done, true);
  });
});
