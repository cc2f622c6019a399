/**
 * Gateway logins over the API (admin only, secrets never listed, stored in `gateway_users`), and that they work
 * at once on the running gateway next to the config-file logins.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AmiGateway, GatewayRoom } from '../../src/feeds/index.js';
import { FakeAmiServer } from '../../src/testing/index.js';
import { waitUntil } from '../helpers/wait.js';
import { type ApiClient, type Harness, startHarness } from '../server/harness.js';
import { RawAmi, upstreamHandlers } from './gateway-kit.js';

describe('gateway users over the API', () => {
  let h: Harness;
  let fake: FakeAmiServer;
  let gw: AmiGateway;
  let admin: ApiClient;
  const open: RawAmi[] = [];
  const ami = async () => {
    const c = await RawAmi.connect(gw.port);
    open.push(c);
    return c;
  };

  before(async () => {
    fake = await FakeAmiServer.start({ handlers: upstreamHandlers(() => fake) });
    h = await startHarness({
      pbx: [fake],
      config: {
        gateway: {
          enabled: true,
          port: 0,
          loginFailDelay: 0,
          secretKey: 'a-key-of-at-least-16-characters',
          users: [{ name: 'fromconfig', secret: 'config-secret', read: ['call'], write: ['call'] }],
        },
      },
    });
    gw = (h.server.context.rooms.get('gateway') as GatewayRoom).gateway!;
    await waitUntil(() => h.server.context.pbx.links.get('pbx1')!.state === 'ready', 'upstream ready');
    await h.user('root', 'admin');
    await h.user('sup', 'supervisor');
    admin = await h.login('root');
  });
  after(async () => {
    for (const c of open) c.close();
    await h.close();
    await fake.close();
  });

  it('is refused without credentials (401) and to non-admins (403)', async () => {
    const sup = await h.login('sup');
    for (const [method, path, body] of [
      ['GET', '/api/v1/gateway/users', undefined],
      ['POST', '/api/v1/gateway/users', { name: 'x', read: [], write: [] }],
      ['PATCH', '/api/v1/gateway/users/x', { read: [] }],
      ['DELETE', '/api/v1/gateway/users/x', undefined],
    ] as const) {
      assert.equal((await h.anonymous().call(method, path, body)).status, 401, `${method} ${path}`);
      assert.equal((await sup.call(method, path, body)).status, 403, `${method} ${path}`);
    }
  });

  it('creates a login (secret shown once, stored sealed), which logs in through the gateway at once', async () => {
    const r = await admin.call('POST', '/api/v1/gateway/users', {
      name: 'crm',
      read: ['call'],
      write: ['call', 'reporting'],
      filter: { headers: { Channel: '^PJSIP/902-' } },
    });
    assert.equal(r.status, 201, r.text);
    assert.match(r.body.secret, /^[A-Za-z0-9]{20}$/);
    const row = await h.store.db
      .selectFrom('gateway_users')
      .selectAll()
      .where('name', '=', 'crm')
      .executeTakeFirstOrThrow();
    assert.match(row.secret, /^v1:/);
    assert.equal(row.secret.includes(r.body.secret), false);
    const list = await admin.call('GET', '/api/v1/gateway/users');
    assert.deepEqual(
      list.body.map((u: { name: string; source: string }) => [u.name, u.source]),
      [
        ['fromconfig', 'config'],
        ['crm', 'api'],
      ],
    );
    assert.equal(list.text.includes(r.body.secret), false);
    assert.equal(list.text.includes('config-secret'), false);
    const c = await ami();
    assert.equal((await c.login('crm', r.body.secret)).get('Message'), 'Authentication accepted');
    c.send([
      ['Action', 'Getvar'],
      ['ActionID', 'g1'],
      ['Variable', 'V'],
    ]);
    assert.equal((await c.response('g1')).get('Value'), 'v-V');
    fake.emit({ Event: 'Newchannel', Privilege: 'call,all', Channel: 'PJSIP/901-00000001' });
    fake.emit({ Event: 'Newchannel', Privilege: 'call,all', Channel: 'PJSIP/902-00000002' });
    await waitUntil(() => c.events('Newchannel').length === 1, 'filtered event');
    assert.equal(c.events('Newchannel')[0]!.get('Channel'), 'PJSIP/902-00000002');
  });

  it('validates like a feed (bad regex 422 naming it), refuses duplicates and config logins (409)', async () => {
    const bad = await admin.call('POST', '/api/v1/gateway/users', { name: 'b', filter: { regex: '(' } });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.field, 'filter.regex');
    const dup = await admin.call('POST', '/api/v1/gateway/users', { name: 'fromconfig' });
    assert.equal(dup.status, 409);
    const ro = await admin.call('PATCH', '/api/v1/gateway/users/fromconfig', { write: ['all'] });
    assert.equal(ro.status, 409);
    const cr = await admin.call('POST', '/api/v1/gateway/users', {
      name: 'c',
      commands: ['core show\r\nAction: x'],
    });
    assert.equal(cr.status, 400);
    const unknownPbx = await admin.call('POST', '/api/v1/gateway/users', { name: 'd', pbx: 'nope' });
    assert.equal(unknownPbx.status, 422);
  });

  it('changes rights and rotates the secret (old one refused), then deletes the login', async () => {
    await admin.call('POST', '/api/v1/gateway/users', {
      name: 'ops',
      secret: 'ops-secret-1',
      read: ['call'],
      write: [],
    });
    const c1 = await ami();
    await c1.login('ops', 'ops-secret-1');
    c1.send([
      ['Action', 'Getvar'],
      ['ActionID', 'g'],
      ['Variable', 'V'],
    ]);
    assert.equal((await c1.response('g')).get('Message'), 'Permission denied');
    const p = await admin.call('PATCH', '/api/v1/gateway/users/ops', {
      write: ['call', 'reporting'],
      rotateSecret: true,
    });
    assert.equal(p.status, 200, p.text);
    assert.match(p.body.secret, /^[A-Za-z0-9]{20}$/);
    const old = await ami();
    assert.equal((await old.login('ops', 'ops-secret-1')).get('Message'), 'Authentication failed');
    const c2 = await ami();
    await c2.login('ops', p.body.secret);
    c2.send([
      ['Action', 'Getvar'],
      ['ActionID', 'g'],
      ['Variable', 'V'],
    ]);
    assert.equal((await c2.response('g')).get('Value'), 'v-V');
    assert.equal((await admin.call('DELETE', '/api/v1/gateway/users/ops')).status, 204);
    assert.equal((await admin.call('DELETE', '/api/v1/gateway/users/ops')).status, 404);
    const gone = await ami();
    assert.equal((await gone.login('ops', p.body.secret)).get('Message'), 'Authentication failed');
    // Audited without the secrets.
    const audit = await admin.call('GET', '/api/v1/audit');
    assert.ok(audit.text.includes('gateway user ops'));
    assert.equal(audit.text.includes('ops-secret-1') || audit.text.includes(p.body.secret), false);
  });

  it('reports its clients and counters on /metrics', async () => {
    const m = await admin.call('GET', '/metrics');
    assert.equal(m.status, 200);
    assert.match(m.text, /switchboard_gateway_clients \d+/);
    assert.match(m.text, /switchboard_gateway_total\{kind="loginFailures"\} [1-9]/);
  });

  it('is described in the OpenAPI document', async () => {
    const r = await h.anonymous().call('GET', '/api/v1/openapi.json');
    assert.ok(r.body.paths['/api/v1/gateway/users'].post);
    assert.ok(r.body.paths['/api/v1/gateway/users/{name}'].patch);
  });
});
