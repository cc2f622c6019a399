/**
 * Two `switchboard serve` processes on one PostgreSQL database: a session opened on one works on the other, a
 * token made on one works on the other, failed sign-ins count across both, and both write one audit log.
 * (Skipped without SWITCHBOARD_TEST_PG_URL; CI sets it.)
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/index.js';
import { type Harness, PASSWORD, startHarness } from './harness.js';

const url = process.env.SWITCHBOARD_TEST_PG_URL;

describe('two servers on one PostgreSQL', { skip: !url }, () => {
  const schema = `t_srv_${randomBytes(5).toString('hex')}`;
  let a: Harness;
  let b: Harness;
  let storeA: Store;
  let storeB: Store;
  before(async () => {
    storeA = await openStore({ url: url!, schema, poolSize: 4 });
    storeB = await openStore({ url: url!, schema, poolSize: 4, migrate: false });
    a = await startHarness({ store: storeA });
    b = await startHarness({ store: storeB });
    await a.user('ana', 'admin');
    await a.user('lou', 'viewer');
  });
  after(async () => {
    await a.close();
    await b.close();
    await storeA.close();
    await storeB.close();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`drop schema if exists "${schema}" cascade`);
    await c.end();
  });

  it('a session from A and a token from B work on both', async () => {
    const onA = await a.login('ana');
    const r = await fetch(`${b.url}/api/v1/users`, { headers: onA.headers });
    assert.equal(r.status, 200);
    const tok = await b.anonymous().call('POST', '/api/v1/tokens', { name: 'x' }, onA.headers);
    // The cookie session of A carries its CSRF token, which B checks against the same database.
    assert.equal(tok.status, 201, tok.text);
    const viaA = await fetch(`${a.url}/api/v1/session`, {
      headers: { authorization: `Bearer ${tok.body.token}` },
    });
    assert.equal(viaA.status, 200);
  });

  it('failed sign-ins on A and B add up to one lock', async () => {
    for (let i = 0; i < 5; i++) {
      const h = i % 2 ? a : b;
      await h.anonymous().call('POST', '/api/v1/session', { username: 'lou', password: `nope-${i}` });
    }
    const locked = await a
      .anonymous()
      .call('POST', '/api/v1/session', { username: 'lou', password: PASSWORD });
    assert.equal(locked.status, 429);
  });

  it('both write one audit log', async () => {
    const onB = await b.login('ana');
    await a.server.context.audit.flush();
    await b.server.context.audit.flush();
    const log = await onB.call('GET', '/api/v1/audit?limit=500');
    const actions = new Set(log.body.items.map((e: { action: string }) => e.action));
    assert.ok(actions.has('POST /api/v1/tokens'));
    assert.ok(actions.has('POST /api/v1/session'));
  });
});
