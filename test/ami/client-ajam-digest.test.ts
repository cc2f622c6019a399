import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { AmiClient, AmiLoginError, digestAuthorization, parseDigestChallenge } from '../../src/ami/index.js';
import { FakeAjamServer } from '../../src/testing/index.js';

/** One raw HTTP/1.1 exchange: the exact bytes of the answer (status line, header names as sent, body). */
function rawHttp(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ port, host: '127.0.0.1' });
    let out = '';
    s.setEncoding('utf8');
    s.on('data', (d: string) => {
      out += d;
    });
    s.on('end', () => resolve(out));
    s.on('error', reject);
    s.write(request);
  });
}

const SECRET = 'w0rd-only-in-the-hash';
const arawman = (srv: FakeAjamServer) => `http://web:${SECRET}@127.0.0.1:${srv.port}/asterisk/arawman`;

describe('AmiClient over AJAM with HTTP Digest (/arawman)', () => {
  let srv: FakeAjamServer;
  before(async () => {
    srv = await FakeAjamServer.start({ users: { web: SECRET } });
  });
  after(() => srv.close());

  test('the fake answers an unauthenticated Ping exactly like Asterisk: 401 and a lower-case WWW-authenticate', async () => {
    const raw = await rawHttp(
      srv.port,
      'GET /asterisk/arawman?action=Ping HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
    );
    assert.match(raw, /^HTTP\/1\.1 401 Unauthorized\r\n/);
    const m =
      /\r\nWWW-authenticate: Digest algorithm=MD5, realm="asterisk", nonce="([0-9a-f]{8})", qop="auth", opaque="([0-9a-f]{8})"\r\n/.exec(
        raw,
      );
    assert.ok(m, raw);
    assert.equal(m[1], m[2], 'opaque is the nonce');
    assert.doesNotMatch(raw, /Set-Cookie/i);

    // The right answer to that challenge: Response: Success / Ping: Pong, and no cookie.
    const ch = parseDigestChallenge(/WWW-authenticate: (.*)\r\n/.exec(raw)?.[1]);
    assert.ok(ch);
    const auth = digestAuthorization(ch, {
      username: 'web',
      secret: SECRET,
      method: 'GET',
      uri: '/asterisk/arawman?action=Ping',
      nc: 1,
    });
    const ok = await rawHttp(
      srv.port,
      `GET /asterisk/arawman?action=Ping HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${auth}\r\nConnection: close\r\n\r\n`,
    );
    assert.match(ok, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(ok, /\r\n\r\nResponse: Success\r\nPing: Pong\r\n/);
    assert.doesNotMatch(ok, /Set-Cookie/i);
  });

  test('digest: true — no Login, no cookie; actions, events through WaitEvent, close', async () => {
    const before = srv.requests.length;
    const c = new AmiClient({
      url: `http://web:${SECRET}@127.0.0.1:${srv.port}/asterisk`,
      digest: true,
      pollTimeout: 1,
    });
    await c.connect();
    const pong = await c.action('Ping');
    assert.equal(pong.message.get('Ping'), 'Pong');
    const stream = c.events({ events: 'UserEvent' });
    srv.emit({ Event: 'UserEvent', Privilege: 'user,all', UserEvent: 'ViaDigest' });
    const first = await stream.next();
    assert.equal(first.value?.get('UserEvent'), 'ViaDigest');
    await c.close();
    const mine = srv.requests.slice(before);
    assert.ok(mine.every((r) => r.path === '/asterisk/arawman'));
    assert.ok(mine.every((r) => r.cookie === undefined));
    assert.ok(
      mine.every((r) => !(r.authorization ?? '').includes(SECRET)),
      'only the hash goes on the wire',
    );
    assert.ok(mine.every((r) => !r.action.text().includes(SECRET)));
    assert.ok(!mine.some((r) => /^login$/i.test(r.action.get('Action') ?? '')), 'no Login action');
    assert.ok(mine.some((r) => /^waitevent$/i.test(r.action.get('Action') ?? '') && r.status === 200));
    // Every authorized request counts up: nc never repeats for one nonce.
    const seen = new Set<string>();
    for (const r of mine) {
      const nonce = /nonce="([^"]+)"/.exec(r.authorization ?? '')?.[1];
      const nc = /nc=([0-9a-f]+)/.exec(r.authorization ?? '')?.[1];
      if (!nonce || !nc) continue;
      assert.ok(!seen.has(`${nonce}/${nc}`), `nc ${nc} reused for nonce ${nonce}`);
      seen.add(`${nonce}/${nc}`);
    }
  });

  test('a URL ending in /arawman means Digest; a stale nonce is renewed without losing the session', async () => {
    const c = new AmiClient({ url: arawman(srv), pollTimeout: 1 });
    await c.connect();
    assert.equal(c.endpoint.path, '/asterisk/arawman');
    const before = srv.requests.length;
    srv.expireNonces();
    const pong = await c.action('Ping');
    assert.equal(pong.ok, true);
    const stale = srv.requests.slice(before).filter((r) => r.status === 401);
    assert.ok(stale.length >= 1, 'the old nonce was answered 401 stale=true');
    // Events still reach the same session after the renewal.
    const stream = c.events({ events: 'UserEvent' });
    srv.emit({ Event: 'UserEvent', Privilege: 'user,all', UserEvent: 'AfterStale' });
    assert.equal((await stream.next()).value?.get('UserEvent'), 'AfterStale');
    await c.close();
  });

  test('a wrong password: AmiLoginError, and the secret appears nowhere', async () => {
    const wrong = 'not-the-secret-42';
    const c = new AmiClient({
      url: `http://web:${wrong}@127.0.0.1:${srv.port}/asterisk/arawman`,
      reconnect: false,
    });
    const err = await c.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof AmiLoginError, `got ${String(err)}`);
    assert.equal(err.code, 'AMI_LOGIN_FAILED');
    assert.equal(err.reason, 'Authentication failed');
    assert.ok(!err.message.includes(wrong) && !String(err.stack).includes(wrong));
    assert.ok(!JSON.stringify(err).includes(wrong));
    assert.equal(c.state, 'closed');
  });

  test('chosen automatically when /rawman refuses the login and /arawman offers Digest', async () => {
    const only = await FakeAjamServer.start({ users: { web: SECRET }, refuseRawmanLogin: true });
    try {
      const c = new AmiClient({
        url: `http://web:${SECRET}@127.0.0.1:${only.port}/asterisk`,
        pollTimeout: 1,
      });
      await c.connect();
      assert.equal((await c.action('Ping')).message.get('Ping'), 'Pong');
      await c.close();
      const paths = only.requests.map((r) => `${r.path} ${r.action.get('Action')}`);
      assert.equal(paths[0], '/asterisk/rawman Login');
      assert.ok(paths.includes('/asterisk/arawman Ping'));
      // digest: false keeps the refusal.
      const never = new AmiClient({
        url: `http://web:${SECRET}@127.0.0.1:${only.port}/asterisk`,
        digest: false,
        reconnect: false,
      });
      await assert.rejects(never.connect(), AmiLoginError);
    } finally {
      await only.close();
    }
    // A server without /arawman: the rawman refusal stands.
    const none = await FakeAjamServer.start({
      users: { web: SECRET },
      refuseRawmanLogin: true,
      digest: false,
    });
    try {
      const c = new AmiClient({
        url: `http://web:${SECRET}@127.0.0.1:${none.port}/asterisk`,
        reconnect: false,
      });
      await assert.rejects(c.connect(), AmiLoginError);
    } finally {
      await none.close();
    }
  });

  test('the fake checks nc like Asterisk: a repeated nc renews the nonce (401 stale=true)', async () => {
    const first = await rawHttp(
      srv.port,
      'GET /asterisk/arawman?action=Ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    const ch = parseDigestChallenge(/WWW-authenticate: (.*)\r\n/.exec(first)?.[1]);
    assert.ok(ch);
    const get = (nc: number) =>
      rawHttp(
        srv.port,
        `GET /asterisk/arawman?action=Ping HTTP/1.1\r\nHost: x\r\nAuthorization: ${digestAuthorization(ch, {
          username: 'web',
          secret: SECRET,
          method: 'GET',
          uri: '/asterisk/arawman',
          nc,
        })}\r\nConnection: close\r\n\r\n`,
      );
    assert.match(await get(1), /^HTTP\/1\.1 200/); // opens the session (manager.c does not record this nc)
    assert.match(await get(2), /^HTTP\/1\.1 200/);
    const again = await get(2);
    assert.match(again, /^HTTP\/1\.1 401/);
    assert.match(again, /, stale=true\r\n/);
    assert.doesNotMatch(again, new RegExp(`nonce="${ch.nonce}"`), 'a new nonce');
  });
});
