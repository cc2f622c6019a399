/**
 * Every route of the OpenAPI document, checked for its access rule: without credentials → 401 (unless public),
 * and with a token of the weakest role below the route's → 403. A route added without a rule, or with the wrong
 * one, fails here.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ROLES } from '../../src/server/roles.js';
import { type ApiClient, type Harness, startHarness } from './harness.js';

interface Op {
  method: string;
  path: string;
  access: string;
}

describe('access rules of every route', () => {
  let h: Harness;
  const clients: Record<string, ApiClient> = {};
  let ops: Op[] = [];
  before(async () => {
    h = await startHarness();
    for (const role of ROLES) {
      await h.user(`u-${role}`, role);
      clients[role] = await h.token(`u-${role}`);
    }
    const doc = (await h.anonymous().call('GET', '/api/v1/openapi.json')).body as {
      paths: Record<string, Record<string, { 'x-access': string }>>;
    };
    ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        method: method.toUpperCase(),
        // Path parameters get a value that passes the schemas' length checks.
        path: path.replace(/\{[^}]+\}/g, 'x-probe'),
        access: op['x-access'],
      })),
    );
  });
  after(() => h.close());

  it('every route declares one of the roles or public', () => {
    assert.ok(ops.length > 40, `${ops.length} routes`);
    for (const o of ops)
      assert.ok(
        o.access === 'public' || (ROLES as readonly string[]).includes(o.access),
        `${o.method} ${o.path}: ${o.access}`,
      );
  });

  it('no credentials → 401 on every non-public route', async () => {
    for (const o of ops.filter(
      (x) => x.access !== 'public' && x.path !== '/api/v1/live' && !x.path.endsWith('/live'),
    )) {
      const r = await h
        .anonymous()
        .call(o.method, o.path, o.method === 'GET' || o.method === 'DELETE' ? undefined : {});
      assert.equal(r.status, 401, `${o.method} ${o.path} → ${r.status} ${r.text.slice(0, 120)}`);
    }
  });

  it('the role just below the one a route needs → 403', async () => {
    for (const o of ops.filter(
      (x) => x.access !== 'public' && x.access !== 'viewer' && !x.path.endsWith('/live'),
    )) {
      const below = ROLES[ROLES.indexOf(o.access as (typeof ROLES)[number]) - 1]!;
      const r = await clients[below]!.call(
        o.method,
        o.path,
        o.method === 'GET' || o.method === 'DELETE' ? undefined : {},
      );
      assert.equal(r.status, 403, `${o.method} ${o.path} as ${below} → ${r.status} ${r.text.slice(0, 120)}`);
    }
  });
});
