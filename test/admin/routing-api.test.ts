/** The router's rules over HTTP: route CRUD with the CLI's validation words, extensions, users (no PIN hashes), permissions, explain and check; 401/403. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Harness, startHarness } from '../server/harness.js';

describe('routing API', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ pbx: 0 });
    await h.user('ana', 'admin');
    await h.user('sue', 'supervisor');
    await h.user('op', 'operator');
  });
  after(() => h.close());

  it('creates, reads, changes and removes a route; the rules version moves', async () => {
    const ana = await h.login('ana');
    const r = await ana.call('POST', '/api/v1/routes', {
      name: 'pstn',
      pattern: '_0X.',
      app: 'dial',
      rewrite: { strip: 1 },
      targets: [
        { template: 'PJSIP/$' + '{number}@trunk13' },
        { template: 'PJSIP/$' + '{number}@backup', timeout: 20 },
      ],
      windows: [{ weekdays: 'mon-fri', startTime: '08:00', endTime: '18:00', timezone: 'Europe/Madrid' }],
    });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.name, 'pstn');
    assert.equal(r.body.targets.length, 2);
    assert.deepEqual(r.body.rewrite, { strip: 1, prepend: '' });
    const list = await ana.call('GET', '/api/v1/routes');
    assert.deepEqual(
      list.body.map((x: { name: string }) => x.name),
      ['pstn'],
    );
    const patch = await ana.call('PATCH', '/api/v1/routes/pstn', {
      targets: [{ template: 'PJSIP/$' + '{number}@trunk13' }],
    });
    assert.equal(patch.status, 200, patch.text);
    assert.equal(patch.body.targets.length, 1);
    assert.equal(patch.body.windows.length, 1);
    await ana.call('POST', '/api/v1/routes', { name: 'tmp', pattern: '_9X.', app: 'busy' });
    assert.equal((await ana.call('DELETE', '/api/v1/routes/tmp')).status, 204);
    assert.equal((await ana.call('GET', '/api/v1/routes/tmp')).status, 404);
  });

  it('refuses a bad route with the CLI’s words (422) and bad JSON shapes (400 naming the field)', async () => {
    const ana = await h.login('ana');
    const bad = await ana.call('POST', '/api/v1/routes', {
      name: 'x',
      pattern: '_0[',
      app: 'dial',
      targets: [{ template: 'PJSIP/1' }],
    });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.code, 'ROUTER_INVALID_RULES');
    assert.match(bad.body.error.message, /^route "x": pattern: /);
    const shape = await ana.call('POST', '/api/v1/routes', {
      name: 'x',
      pattern: '_0X.',
      app: 'dial',
      bogus: 1,
    });
    assert.equal(shape.status, 400);
    const reserved = await ana.call('POST', '/api/v1/routes', {
      name: 'check',
      pattern: '_7X.',
      app: 'busy',
    });
    assert.equal(reserved.status, 400);
    const dup = await ana.call('POST', '/api/v1/routes', { name: 'pstn', pattern: '_0X.', app: 'busy' });
    assert.equal(dup.status, 409);
  });

  it('extensions, users with PINs (never a hash) and permissions', async () => {
    const ana = await h.login('ana');
    const e = await ana.call('POST', '/api/v1/router/extensions', {
      number: '200',
      name: 'Alonso',
      routes: ['pstn'],
    });
    assert.equal(e.status, 201, e.text);
    assert.deepEqual(e.body, { number: '200', name: 'Alonso', routes: ['pstn'] });
    const unknown = await ana.call('POST', '/api/v1/router/extensions', { number: '201', routes: ['nope'] });
    assert.equal(unknown.status, 422);
    const u = await ana.call('POST', '/api/v1/router/users', {
      name: 'reina',
      pin: '4321',
      routes: ['pstn'],
    });
    assert.equal(u.status, 201, u.text);
    assert.deepEqual(u.body, { name: 'reina', routes: ['pstn'] });
    const users = await ana.call('GET', '/api/v1/router/users');
    assert.ok(!users.text.includes('scrypt') && !users.text.includes('4321'));
    assert.equal((await ana.call('POST', '/api/v1/router/users', { name: 'x', pin: '12' })).status, 400);
    const perms = await ana.call('GET', '/api/v1/router/permissions');
    assert.deepEqual(
      perms.body
        .map((p: { route: string; extension: string | null; user: string | null }) => [
          p.route,
          p.extension,
          p.user,
        ])
        .sort(),
      [
        ['pstn', null, 'reina'],
        ['pstn', '200', null],
      ],
    );
    assert.equal((await ana.call('DELETE', '/api/v1/router/permissions?route=pstn&user=reina')).status, 204);
    const patched = await ana.call('PATCH', '/api/v1/router/extensions/200', { routes: [] });
    assert.deepEqual(patched.body.routes, []);
    await ana.call('PATCH', '/api/v1/router/extensions/200', { routes: ['pstn'] });
  });

  it('explain answers what `router explain --json` prints; check what `router check --json` prints', async () => {
    const sue = await h.login('sue');
    const e = await sue.call('POST', '/api/v1/routes/explain', {
      dialed: '0612345678',
      caller: '200',
      at: '2026-01-14T10:00:00+01:00',
    });
    assert.equal(e.status, 200, e.text);
    assert.equal(e.body.route, 'pstn');
    assert.equal(e.body.number, '612345678');
    assert.deepEqual(e.body.failover, ['PJSIP/612345678@trunk13']);
    assert.equal(e.body.pin, 'not needed');
    assert.match(e.body.window, /open/);
    const stranger = await sue.call('POST', '/api/v1/routes/explain', {
      dialed: '0612345678',
      caller: '999',
      at: '2026-01-14T10:00:00+01:00',
    });
    assert.equal(stranger.body.pin, 'required');
    assert.deepEqual(stranger.body.unlockedBy, []);
    const night = await sue.call('POST', '/api/v1/routes/explain', {
      dialed: '0612345678',
      caller: '200',
      at: '2026-01-14T23:00:00+01:00',
    });
    assert.equal(night.body.route, null);
    assert.match(night.body.candidates[0].verdict, /closed|window/);
    const c = await sue.call('GET', '/api/v1/routes/check');
    assert.equal(c.status, 200);
    assert.equal(typeof c.body.ok, 'boolean');
    assert.ok(Array.isArray(c.body.findings));
  });

  it('401 without credentials and 403 below the role on every routing route', async () => {
    const anon = h.anonymous();
    const op = await h.login('op');
    const sue = await h.login('sue');
    const reads: Array<[string, string]> = [
      ['GET', '/api/v1/routes'],
      ['GET', '/api/v1/routes/pstn'],
      ['GET', '/api/v1/routes/check'],
      ['POST', '/api/v1/routes/explain'],
      ['GET', '/api/v1/router/extensions'],
      ['GET', '/api/v1/router/users'],
      ['GET', '/api/v1/router/permissions'],
    ];
    const writes: Array<[string, string]> = [
      ['POST', '/api/v1/routes'],
      ['PATCH', '/api/v1/routes/pstn'],
      ['DELETE', '/api/v1/routes/pstn'],
      ['POST', '/api/v1/router/extensions'],
      ['PATCH', '/api/v1/router/extensions/200'],
      ['DELETE', '/api/v1/router/extensions/200'],
      ['POST', '/api/v1/router/users'],
      ['PATCH', '/api/v1/router/users/reina'],
      ['DELETE', '/api/v1/router/users/reina'],
      ['POST', '/api/v1/router/permissions'],
      ['DELETE', '/api/v1/router/permissions?route=pstn&extension=200'],
    ];
    const body = (m: string) => (m === 'GET' || m === 'DELETE' ? undefined : {});
    for (const [m, p] of [...reads, ...writes])
      assert.equal((await anon.call(m, p, body(m))).status, 401, `${m} ${p}`);
    for (const [m, p] of [...reads, ...writes])
      assert.equal((await op.call(m, p, body(m))).status, 403, `operator ${m} ${p}`);
    for (const [m, p] of writes)
      assert.equal((await sue.call(m, p, body(m))).status, 403, `supervisor ${m} ${p}`);
  });
});
