/**
 * `/provisioning/…` over real sockets: Digest (RFC 7616, MD5, qop=auth) and Basic per-phone credentials, the
 * secret in the file equal to the one sent in UpdateConfig, a phone cannot fetch another phone's file, failed
 * fetches rate-limited, every fetch logged and shown per phone; MAC-in-path from allowed addresses on a
 * listener of its own.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { digestAuthorization } from '../../src/admin/index.js';
import { waitUntil } from '../helpers/wait.js';
import { type ApiClient, type Harness, startHarness } from '../server/harness.js';
import { FakeAsteriskConfig } from './fake-asterisk-config.js';

type Created = {
  extension: string;
  mac: string;
  secret: string;
  provisioning: { url: string; username: string; password: string };
};

async function fetchWithDigest(url: string, user: string, password: string): Promise<Response> {
  const first = await fetch(url);
  assert.equal(first.status, 401);
  const challenge = first.headers.get('www-authenticate') ?? '';
  assert.match(challenge, /^Digest realm="switchboard-provisioning", qop="auth", algorithm=MD5, nonce="/);
  const uri = new URL(url).pathname;
  return fetch(url, {
    headers: {
      authorization: digestAuthorization({ challenge, username: user, password, method: 'GET', uri }),
    },
  });
}

function basic(user: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

/** The password Asterisk was given for a category, from the UpdateConfig headers the fake received. */
function sentSecret(fake: FakeAsteriskConfig, ext: string): string | undefined {
  let secret: string | undefined;
  for (const a of fake.server.actions) {
    if (a.get('Action') !== 'UpdateConfig') continue;
    for (const [k, v] of a.headers) {
      const n = /^Var-(\d+)$/.exec(k)?.[1];
      if (n && v === 'inbound_auth/password' && a.get(`Cat-${n}`) === ext) secret = a.get(`Value-${n}`);
    }
  }
  return secret;
}

describe('provisioning endpoint (credentials)', () => {
  let fake: FakeAsteriskConfig;
  let h: Harness;
  let ana: ApiClient;
  let yea: Created;
  let gs: Created;
  let poly: Created;
  before(async () => {
    fake = await FakeAsteriskConfig.start({ driver: 'pjsip' });
    h = await startHarness({
      pbx: [fake.server],
      config: { provisioning: { timezone: 'Europe/Madrid', failures: { max: 5, windowSeconds: 300 } } },
    });
    await h.user('ana', 'admin');
    await h.user('vic', 'viewer');
    await waitUntil(() => h.server.context.pbx.links.get('pbx1')?.state === 'ready', 'PBX link ready');
    ana = await h.login('ana');
    const add = async (b: Record<string, unknown>) => {
      const r = await ana.call('POST', '/api/v1/phones', { context: 'oficina2', language: 'es', ...b });
      assert.equal(r.status, 201, r.text);
      return r.body as Created;
    };
    yea = await add({ extension: '2001', name: 'Elio Rojano', brand: 'yealink', mac: '00:15:65:aa:00:01' });
    gs = await add({ extension: '2002', name: 'Ana', brand: 'grandstream', mac: '00-0B-82-AA-00-02' });
    poly = await add({ extension: '2003', name: 'Pol', brand: 'polycom', mac: '0004.f2aa.0003' });
  });
  after(async () => {
    await h.close();
    await fake.close();
  });

  it('serves a Yealink its <mac>.cfg with Digest; the secret in it is the one UpdateConfig sent', async () => {
    assert.equal(yea.provisioning.url, `${h.url}/provisioning`);
    const r = await fetchWithDigest(
      `${h.url}/provisioning/001565aa0001.cfg`,
      yea.provisioning.username,
      yea.provisioning.password,
    );
    assert.equal(r.status, 200);
    const text = await r.text();
    const sent = sentSecret(fake, '2001');
    assert.equal(sent, yea.secret);
    assert.ok(text.includes(`\naccount.1.password = ${sent}\n`));
    assert.ok(text.includes('\naccount.1.sip_server.1.address = 127.0.0.1\n'));
    assert.equal(r.headers.get('cache-control'), 'no-store');
  });

  it('serves Polycom its master file, its -user file and the common file', async () => {
    const u = poly.provisioning;
    for (const f of ['0004F2AA0003.cfg', '0004F2AA0003-user.cfg', 'polycom-common.cfg']) {
      const r = await fetchWithDigest(`${h.url}/provisioning/${f}`, u.username, u.password);
      assert.equal(r.status, 200, f);
    }
    const r = await fetchWithDigest(`${h.url}/provisioning/0004F2AA0003-user.cfg`, u.username, u.password);
    assert.ok((await r.text()).includes(`reg.1.auth.password="${sentSecret(fake, '2003')}"`));
  });

  it('a phone fetching another phone’s file gets 403; a file of another brand 404', async () => {
    const u = gs.provisioning;
    assert.equal(
      (await fetchWithDigest(`${h.url}/provisioning/cfg000b82aa0002.xml`, u.username, u.password)).status,
      200,
    );
    assert.equal(
      (await fetchWithDigest(`${h.url}/provisioning/001565aa0001.cfg`, u.username, u.password)).status,
      403,
    );
    assert.equal(
      (await fetchWithDigest(`${h.url}/provisioning/spa000b82aa0002.xml`, u.username, u.password)).status,
      404,
    );
  });

  it('Basic is refused over plain HTTP (a Digest challenge only); wrong Digest answers 401', async () => {
    const u = yea.provisioning;
    const r = await fetch(`${h.url}/provisioning/001565aa0001.cfg`, {
      headers: basic(u.username, u.password),
    });
    assert.equal(r.status, 401);
    assert.doesNotMatch(r.headers.get('www-authenticate') ?? '', /Basic/);
    const bad = await fetchWithDigest(`${h.url}/provisioning/001565aa0001.cfg`, u.username, 'wrong-password');
    assert.equal(bad.status, 401);
  });

  it('shows every fetch per phone (time, address, user agent, file, outcome); viewers may read it', async () => {
    const vic = await h.login('vic');
    const r = await vic.call('GET', '/api/v1/phones/2001/fetches');
    assert.equal(r.status, 200);
    const served = r.body.find((f: { outcome: string }) => f.outcome === 'served');
    assert.ok(served);
    assert.equal(served.file, '001565aa0001.cfg');
    assert.equal(served.address, '127.0.0.1');
    assert.equal(served.status, 200);
    assert.match(served.at, /^\d{4}-\d\d-\d\dT/);
    assert.equal(typeof served.userAgent, 'string');
    assert.ok(!r.text.includes(yea.secret));
    assert.equal((await h.anonymous().call('GET', '/api/v1/phones/2001/fetches')).status, 401);
  });

  it('failed fetches are rate-limited per address (429) and logged', async () => {
    const url = `${h.url}/provisioning/001565aa0001.cfg`;
    let status = 0;
    for (let i = 0; i < 6 && status !== 429; i++) {
      status = (await fetch(url, { headers: basic('nobody', 'x') })).status;
    }
    assert.equal(status, 429);
    const ok = await fetch(url, { headers: { authorization: 'Digest username="x"' } });
    assert.equal(ok.status, 429);
    const rows = await h.server.context.store.db
      .selectFrom('phone_fetches')
      .select(['outcome'])
      .where('outcome', '=', 'rate-limited')
      .execute();
    assert.ok(rows.length >= 1);
  });
});

describe('provisioning endpoint (own port, MAC-in-path, Basic allowed)', () => {
  let fake: FakeAsteriskConfig;
  let h: Harness;
  let created: Created;
  let base: string;
  before(async () => {
    fake = await FakeAsteriskConfig.start({ driver: 'pjsip' });
    h = await startHarness({
      pbx: [fake.server],
      config: {
        provisioning: {
          port: 0,
          host: '127.0.0.1',
          macInPath: true,
          allow: ['127.0.0.0/8'],
          basicWithoutTls: true,
          sipServer: { host: 'pbx.example.net', port: 5061, transport: 'tls' },
        },
      },
    });
    await h.user('ana', 'admin');
    await waitUntil(() => h.server.context.pbx.links.get('pbx1')?.state === 'ready', 'PBX link ready');
    const ana = await h.login('ana');
    const r = await ana.call('POST', '/api/v1/phones', {
      extension: '3001',
      name: 'Sara',
      brand: 'cisco',
      mac: 'c0:ff:ee:00:00:01',
    });
    assert.equal(r.status, 201, r.text);
    created = r.body;
    base = (h.server.context.rooms.get('provisioning') as { url: string }).url;
  });
  after(async () => {
    await h.close();
    await fake.close();
  });

  it('answers on its own port, not on the API listener', async () => {
    assert.notEqual(new URL(base).port, new URL(h.url).port);
    assert.equal((await fetch(`${h.url}/provisioning/spac0ffee000001.xml`)).status, 404);
    assert.match(created.provisioning.url, /\/provisioning$/);
  });

  it('serves by MAC without credentials to an allowed address, with the configured SIP server', async () => {
    const r = await fetch(`${base}/spac0ffee000001.xml`, {
      headers: { 'user-agent': 'Cisco/SPA504G-7.6.2' },
    });
    assert.equal(r.status, 200);
    const text = await r.text();
    assert.ok(text.includes('<Proxy_1_>pbx.example.net:5061</Proxy_1_>'));
    assert.ok(text.includes('<SIP_Transport_1_>TLS</SIP_Transport_1_>'));
    assert.ok(text.includes(`<Password_1_>${sentSecret(fake, '3001')}</Password_1_>`));
    assert.equal((await fetch(`${base}/spa000000000009.xml`)).status, 404);
  });

  it('accepts Basic when the admin allowed it over plain HTTP', async () => {
    const u = created.provisioning;
    const r = await fetch(`${base}/spac0ffee000001.xml`, { headers: basic(u.username, u.password) });
    assert.equal(r.status, 200);
    const wrong = await fetch(`${base}/spac0ffee000001.xml`, { headers: basic(u.username, 'nope') });
    assert.equal(wrong.status, 401);
    assert.match(wrong.headers.get('www-authenticate') ?? '', /Basic realm="switchboard-provisioning"/);
  });
});
