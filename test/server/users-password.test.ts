/** `PATCH /api/v1/users/:name {password}` alone (the Users page's "Reset password"): 200, and the new one signs in. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Harness, startHarness } from './harness.js';

describe('users API: password reset', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ pbx: 0 });
    await h.user('ana', 'admin');
    await h.user('lucia', 'agent', { extensions: ['201'] });
  });
  after(() => h.close());

  it('changes only the password; the user keeps its role and extensions and signs in with the new one', async () => {
    const ana = await h.login('ana');
    const r = await ana.call('PATCH', '/api/v1/users/lucia', { password: 'brand-new-secret' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.role, 'agent');
    assert.deepEqual(r.body.extensions, ['201']);
    assert.ok(!r.text.includes('brand-new-secret'));
    const me = await (await h.login('lucia', 'brand-new-secret')).call('GET', '/api/v1/session');
    assert.equal(me.status, 200);
    assert.equal(
      (await ana.call('PATCH', '/api/v1/users/nobody', { password: 'brand-new-secret' })).status,
      404,
    );
  });
});
