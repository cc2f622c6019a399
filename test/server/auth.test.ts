/** Sign-in, sessions, CSRF, tokens, roles (401/403), rate limiting, audit. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Harness, PASSWORD, startHarness } from './harness.js';

describe('server auth', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    await h.user('ana', 'admin');
    await h.user('vic', 'viewer');
  });
  after(() => h.close());

  it('health needs no credentials; the API answers 401 without them', async () => {
    const anon = h.anonymous();
    const health = await anon.call('GET', '/api/v1/health');
    assert.equal(health.status, 200);
    assert.equal(health.body.pbx[0].id, 'pbx1');
    const calls = await anon.call('GET', '/api/v1/calls');
    assert.equal(calls.status, 401);
    assert.equal(calls.body.error.code, 'UNAUTHORIZED');
  });

  it('signs in with an HTTP-only SameSite=Strict cookie and refuses cookie writes without the CSRF header', async () => {
    const anon = h.anonymous();
    const r = await anon.call('POST', '/api/v1/session', { username: 'ana', password: PASSWORD });
    assert.equal(r.status, 200);
    const setCookie = r.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /HttpOnly/i);
    assert.match(setCookie, /SameSite=Strict/i);
    assert.ok(r.body.csrfToken);
    const cookie = setCookie.split(';')[0]!;
    const noCsrf = await fetch(`${h.url}/api/v1/users`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x1', role: 'viewer', password: 'abcdefgh1' }),
    });
    assert.equal(noCsrf.status, 403);
    assert.equal(((await noCsrf.json()) as { error: { code: string } }).error.code, 'CSRF');
    const ok = await fetch(`${h.url}/api/v1/users`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': r.body.csrfToken },
      body: JSON.stringify({ name: 'x1', role: 'viewer', password: 'abcdefgh1' }),
    });
    assert.equal(ok.status, 201);
  });

  it('a viewer gets 403 on admin routes; a token works as bearer and is never listed', async () => {
    const vic = await h.login('vic');
    const r = await vic.call('GET', '/api/v1/users');
    assert.equal(r.status, 403);
    const ana = await h.login('ana');
    const t = await ana.call('POST', '/api/v1/tokens', { name: 'crm', user: 'vic' });
    assert.equal(t.status, 201);
    assert.match(t.body.token, /^sbt_/);
    const list = await ana.call('GET', '/api/v1/tokens');
    assert.ok(!list.text.includes(t.body.token));
    const res = await fetch(`${h.url}/api/v1/calls`, {
      headers: { authorization: `Bearer ${t.body.token}` },
    });
    assert.equal(res.status, 200);
    await ana.call('DELETE', `/api/v1/tokens/${t.body.id}`);
    const revoked = await fetch(`${h.url}/api/v1/calls`, {
      headers: { authorization: `Bearer ${t.body.token}` },
    });
    assert.equal(revoked.status, 401);
  });

  it('locks a user after repeated failures (429 with Retry-After) and audits without secrets', async () => {
    await h.user('lou', 'viewer');
    const anon = h.anonymous();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push(
        (
          await anon.call(
            'POST',
            '/api/v1/session',
            { username: 'lou', password: `wrong-${i}` },
            { 'x-forwarded-for': `10.0.0.${i}` },
          )
        ).status,
      );
    }
    assert.deepEqual(statuses.slice(0, 4), [401, 401, 401, 401]);
    const locked = await anon.call('POST', '/api/v1/session', { username: 'lou', password: PASSWORD });
    assert.equal(locked.status, 429);
    assert.ok(Number(locked.headers.get('retry-after')) > 0);
    const ana = await h.login('ana');
    const audit = await ana.call('GET', '/api/v1/audit?limit=200');
    assert.equal(audit.status, 200);
    assert.ok(
      audit.body.items.some(
        (e: { action: string; actor: string; status: number }) =>
          e.action === 'POST /api/v1/session' && e.actor === 'lou' && e.status === 401,
      ),
    );
    assert.ok(!audit.text.includes('wrong-1'));
    assert.ok(!audit.text.includes(PASSWORD));
  });

  it('serves an OpenAPI document listing every route', async () => {
    const r = await h.anonymous().call('GET', '/api/v1/openapi.json');
    assert.equal(r.status, 200);
    assert.equal(r.body.openapi, '3.1.0');
    assert.ok(r.body.paths['/api/v1/session'].post);
    assert.ok(r.body.paths['/api/v1/live'].get);
  });
});
