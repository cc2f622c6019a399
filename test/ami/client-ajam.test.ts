import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AmiClient, type AmiGap, type AmiMessage } from '../../src/ami/index.js';
import { FakeAjamServer } from '../../src/testing/index.js';

describe('AmiClient over HTTP (AJAM /rawman)', () => {
  let srv: FakeAjamServer;
  before(async () => {
    srv = await FakeAjamServer.start({ users: { web: 's3cret' } });
    srv.handle('CoreShowChannels', () => ({
      list: {
        items: [{ Event: 'CoreShowChannel', Channel: 'Local/1' }],
        complete: 'CoreShowChannelsComplete',
      },
    }));
    srv.handle('Originate', (m) => {
      const id = m.get('ActionID');
      setTimeout(() => {
        srv.emit({
          Event: 'OriginateResponse',
          Privilege: 'call,all',
          ActionID: 'foreign',
          Response: 'Failure',
        });
        srv.emit({
          Event: 'OriginateResponse',
          Privilege: 'call,all',
          ActionID: id ?? '',
          Response: 'Success',
        });
      }, 10);
      return { Message: 'Originate successfully queued' };
    });
  });
  after(() => srv.close());

  test('login with the cookie, actions, lists, events via the WaitEvent loop, originate, close', async () => {
    const c = new AmiClient({ url: srv.url(), pollTimeout: 1 });
    const events: AmiMessage[] = [];
    c.on('event', (m) => events.push(m));
    await c.connect();
    assert.equal(c.endpoint.path, '/asterisk/rawman');
    assert.equal(c.endpoint.transport, 'http');
    const pong = await c.action('Ping');
    assert.equal(pong.message.get('Ping'), 'Pong');
    const list = await c.action('CoreShowChannels');
    assert.deepEqual(
      list.items.map((i) => i.get('Channel')),
      ['Local/1'],
    );
    const stream = c.events({ events: 'UserEvent' });
    srv.emit({ Event: 'UserEvent', Privilege: 'user,all', UserEvent: 'ViaHttp' });
    const first = await stream.next();
    assert.equal(first.value?.get('UserEvent'), 'ViaHttp');
    const orig = await c.originate({ Channel: 'Local/300@sb-test', Application: 'Wait' });
    assert.equal(orig.response, 'Success');
    assert.ok(
      events.some((m) => m.event === 'FullyBooted'),
      'FullyBooted from the login body',
    );
    assert.ok(events.some((m) => m.actionId === 'foreign'));
    await c.close();
    const actions = srv.requests.map((r) => r.action.get('Action'));
    assert.equal(actions[0], 'Login');
    assert.equal(actions[actions.length - 1], 'Logoff');
    assert.ok(srv.requests.every((r) => r.method === 'POST'));
    assert.ok(
      srv.requests.slice(1).every((r) => r.cookie !== undefined),
      'cookie sent after login',
    );
  });

  test('a bad secret rejects AMI_LOGIN_FAILED', async () => {
    const c = new AmiClient({ url: srv.url('web', 'nope') });
    await assert.rejects(c.connect(), { code: 'AMI_LOGIN_FAILED' });
    assert.equal(c.state, 'closed');
  });

  test('an expired session is detected by the poll loop: the client logs in again and reports a gap', async () => {
    const c = new AmiClient({ url: srv.url(), pollTimeout: 1, reconnect: { initialDelay: 1, maxDelay: 5 } });
    await c.connect();
    const gap = new Promise<AmiGap>((resolve) => c.once('gap', resolve));
    srv.expireAll();
    await gap;
    assert.equal(c.state, 'ready');
    assert.equal((await c.action('Ping')).ok, true);
    await c.close();
  });

  test('limits apply to AJAM replies too: too many headers or too many bytes raise typed errors, the session stays', async () => {
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`X-${i}`, 'v']));
    srv.handle('ManyHeaders', () => many);
    srv.handle('Huge', () => ({ Message: 'y'.repeat(5000) }));
    const c = new AmiClient({ url: srv.url(), maxHeaders: 20, maxPacketBytes: 1024, reconnect: false });
    const codes: string[] = [];
    c.on('error', (e: Error & { code?: string }) => codes.push(e.code ?? ''));
    await c.connect();
    await assert.rejects(c.action('ManyHeaders', {}, { timeout: 200 }), { code: 'AMI_TIMEOUT' });
    await assert.rejects(c.action('Huge', {}, { timeout: 200 }), { code: 'AMI_TIMEOUT' });
    assert.deepEqual(codes, ['AMI_TOO_MANY_HEADERS', 'AMI_PACKET_TOO_LARGE']);
    assert.equal((await c.action('Ping')).ok, true);
    assert.equal(c.state, 'ready');
    await c.close();
  });

  test('MD5 challenge login over AJAM: the secret never goes on the wire; a wrong secret is refused', async () => {
    const from = srv.requests.length;
    const c = new AmiClient({ url: srv.url(), md5: true });
    await c.connect();
    assert.equal((await c.action('Ping')).ok, true);
    await c.close();
    const sent = srv.requests.slice(from).map((r) => r.action);
    assert.deepEqual(
      sent.slice(0, 2).map((a) => a.get('Action')),
      ['Challenge', 'Login'],
    );
    assert.match(sent[1]?.get('Key') ?? '', /^[0-9a-f]{32}$/);
    assert.ok(sent.every((a) => !a.text().includes('s3cret')));
    const bad = new AmiClient({ url: srv.url('web', 'wrong'), md5: true });
    await assert.rejects(bad.connect(), { code: 'AMI_LOGIN_FAILED' });
  });

  test('a wrong prefix (HTTP 404) fails the connect', async () => {
    const url = srv.url().replace('/asterisk', '/wrong');
    const c = new AmiClient({ url });
    await assert.rejects(c.connect(), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'AMI_CONNECT_FAILED');
      assert.match(e.message, /HTTP 404/);
      assert.ok(!e.message.includes('s3cret'));
      return true;
    });
  });
});
