/** `gateway_users` (migration 0008_gateway) on SQLite, and on PostgreSQL when SWITCHBOARD_TEST_PG_URL is set. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayUserRepository, type StoreError } from '../../src/store/index.js';
import { backends } from '../store/backends.js';

for (const backend of backends) {
  describe(`gateway users store (${backend.name})`, () => {
    it('creates, lists without secrets, changes, and deletes logins', async () => {
      const store = await backend.open();
      try {
        const repo = new GatewayUserRepository(store.db, store.dialect);
        await repo.delete('gw-a').catch(() => {});
        const a = await repo.create({
          name: 'gw-a',
          sealedSecret: 'plain:s3cret',
          read: ['call'],
          write: ['call', 'originate'],
          filter: { regex: 'Hangup' },
          commands: ['core show'],
        });
        assert.deepEqual(
          [a.name, a.read, a.write, a.filter, a.commands, a.actions, a.pbx],
          ['gw-a', ['call'], ['call', 'originate'], { regex: 'Hangup' }, ['core show'], null, null],
        );
        assert.equal(JSON.stringify(await repo.list()).includes('s3cret'), false);
        assert.equal(
          (await repo.listWithSecrets()).find((u) => u.name === 'gw-a')?.sealedSecret,
          'plain:s3cret',
        );
        await assert.rejects(
          repo.create({ name: 'gw-a', sealedSecret: 'plain:x', read: [], write: [] }),
          (e: StoreError) => e.code === 'STORE_CONFLICT',
        );
        const b = await repo.update('gw-a', { write: ['all'], filter: null, sealedSecret: 'plain:new' });
        assert.deepEqual([b.write, b.filter, b.commands], [['all'], null, ['core show']]);
        assert.equal(
          (await repo.listWithSecrets()).find((u) => u.name === 'gw-a')?.sealedSecret,
          'plain:new',
        );
        await repo.delete('gw-a');
        assert.equal(await repo.get('gw-a'), undefined);
        await assert.rejects(repo.delete('gw-a'), (e: StoreError) => e.code === 'STORE_NOT_FOUND');
        await assert.rejects(
          repo.update('gw-a', { read: [] }),
          (e: StoreError) => e.code === 'STORE_NOT_FOUND',
        );
      } finally {
        await store.close();
      }
    });
  });
}
