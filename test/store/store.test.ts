// biome-ignore-all lint/suspicious/noTemplateCurlyInString: dial targets use Asterisk's ${var} template syntax
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { openStore, redactLocation, StoreError } from '../../src/store/index.js';
import { backends } from './backends.js';

test('SQLite: the default file is created and migrated on first open, and reopening migrates nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-store-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'nested', 'router.sqlite');
  const a = await openStore({ url: file, migrate: false });
  const applied = await a.migrate();
  // Every room's migration, in name order, the router's first.
  assert.equal(applied[0], '0001_router');
  assert.deepEqual(applied, [...applied].sort());
  assert.ok(applied.includes('0002_auth'));
  assert.deepEqual(await a.migrate(), []);
  await a.routes.create({ name: 'r', pattern: '_X.', app: 'hangup' });
  await a.close();
  await a.close();
  const b = await openStore({ url: file });
  assert.equal((await b.routes.list()).length, 1);
  await b.close();
});

test('redactLocation never shows a password', () => {
  assert.equal(redactLocation('postgres://bob:s3cret@db.example:5432/sw'), 'postgres://db.example:5432/sw');
  assert.equal(redactLocation('./x.sqlite'), './x.sqlite');
});

test('an unreachable PostgreSQL is a typed error', async () => {
  await assert.rejects(
    openStore({ url: 'postgres://nobody:pw@127.0.0.1:1/none' }),
    (e: unknown) => e instanceof StoreError && !String((e as Error).message).includes('pw@'),
  );
});

for (const backend of backends) {
  describe(`store on ${backend.name}`, () => {
    test('routes with targets and windows round-trip, edits change the rules version', async () => {
      const s = await backend.open();
      try {
        const v0 = await s.rulesVersion();
        await s.routes.create({
          name: 'pstn',
          pattern: '_XXXXXXXX',
          app: 'dial',
          appData: { options: 'tT' },
          position: 5,
          rewriteStrip: 1,
          rewritePrepend: '0',
          failoverOn: ['CHANUNAVAIL', 'CONGESTION', 'cause:34'],
          targets: [{ template: 'DAHDI/g1/${number}', timeout: 30 }, { template: 'IAX2/backup/${number}' }],
          windows: [{ weekdays: 'mon-fri', startTime: '08:00', endTime: '18:00', timezone: 'Europe/Madrid' }],
        });
        const v1 = await s.rulesVersion();
        assert.notEqual(v1, v0);
        await s.routes.create({ name: 'first', pattern: '_2X', app: 'hangup', position: 1, enabled: false });
        const list = await s.routes.list();
        assert.deepEqual(
          list.map((r) => r.name),
          ['first', 'pstn'],
        );
        const pstn = list[1];
        assert.ok(pstn);
        assert.equal(pstn.appData, '{"options":"tT"}');
        assert.deepEqual(pstn.failoverOn, ['CHANUNAVAIL', 'CONGESTION', 'cause:34']);
        assert.deepEqual(pstn.targets, [
          { template: 'DAHDI/g1/${number}', options: null, timeout: 30 },
          { template: 'IAX2/backup/${number}', options: null, timeout: null },
        ]);
        assert.deepEqual(pstn.windows, [
          {
            weekdays: 'mon-fri',
            startTime: '08:00',
            endTime: '18:00',
            startDate: null,
            endDate: null,
            timezone: 'Europe/Madrid',
          },
        ]);
        assert.equal(list[0]?.enabled, false);
        await s.routes.update('pstn', { targets: [{ template: 'DAHDI/g2/${number}' }], enabled: false });
        const updated = await s.routes.get('pstn');
        assert.equal(updated?.targets.length, 1);
        assert.equal(updated?.enabled, false);
        assert.equal(updated?.windows.length, 1, 'windows not given are kept');
        await assert.rejects(s.routes.create({ name: 'pstn', pattern: '1', app: 'hangup' }), {
          code: 'STORE_CONFLICT',
        });
        await assert.rejects(s.routes.update('nope', { app: 'busy' }), { code: 'STORE_NOT_FOUND' });
        assert.equal(await s.routes.remove('pstn'), true);
        assert.equal(await s.routes.remove('pstn'), false);
        assert.equal((await s.routes.list()).length, 1);
      } finally {
        await s.close();
      }
    });

    test('extensions, users and permissions; deleting a route or holder drops its permissions', async () => {
      const s = await backend.open();
      try {
        await s.routes.create({ name: 'sip', pattern: '_2X', app: 'dial' });
        await s.routes.create({ name: 'vm', pattern: '66', app: 'voicemail' });
        await s.extensions.create({ number: '33', name: 'reception' });
        await s.users.create({ name: 'moises silva', pinHash: 'scrypt$x' });
        await assert.rejects(s.extensions.create({ number: '33' }), { code: 'STORE_CONFLICT' });
        await s.permissions.grant({ route: 'sip', extension: '33' });
        await s.permissions.grant({ route: 'sip', extension: '33' });
        await s.permissions.grant({ route: 'sip', user: 'moises silva' });
        await s.permissions.grant({ route: 'vm', user: 'moises silva' });
        await assert.rejects(s.permissions.grant({ route: 'nope', extension: '33' }), {
          code: 'STORE_NOT_FOUND',
        });
        await assert.rejects(s.permissions.grant({ route: 'sip', user: 'nobody' }), {
          code: 'STORE_NOT_FOUND',
        });
        assert.deepEqual(await s.permissions.list(), [
          { route: 'sip', extension: '33', user: null },
          { route: 'sip', extension: null, user: 'moises silva' },
          { route: 'vm', extension: null, user: 'moises silva' },
        ]);
        assert.equal(await s.permissions.revoke({ route: 'vm', user: 'moises silva' }), true);
        await s.routes.remove('sip');
        assert.deepEqual(await s.permissions.list(), []);
        await s.extensions.update('33', { name: 'front desk' });
        assert.deepEqual(
          (await s.extensions.list()).map((e) => e.name),
          ['front desk'],
        );
        await s.users.setPinHash('moises silva', 'scrypt$y');
        assert.equal((await s.users.list())[0]?.pinHash, 'scrypt$y');
        assert.equal(await s.users.remove('moises silva'), true);
        await assert.rejects(s.users.setPinHash('moises silva', 'z'), { code: 'STORE_NOT_FOUND' });
      } finally {
        await s.close();
      }
    });

    test('a transaction commits everything or nothing', async () => {
      const s = await backend.open();
      try {
        const v0 = await s.rulesVersion();
        await assert.rejects(
          s.transaction(async (tx) => {
            await tx.routes.create({ name: 'a', pattern: '_2X', app: 'busy', targets: [{ template: 'x' }] });
            await tx.extensions.create({ number: '33' });
            await tx.permissions.grant({ route: 'a', extension: '33' });
            throw new Error('stop here');
          }),
          /stop here/,
        );
        assert.deepEqual(await s.routes.list(), []);
        assert.deepEqual(await s.extensions.list(), []);
        assert.equal(await s.rulesVersion(), v0, 'nothing committed, nothing to reload');
        await s.transaction(async (tx) => {
          await tx.routes.create({ name: 'a', pattern: '_2X', app: 'busy' });
          await tx.extensions.create({ number: '33' });
          await tx.permissions.grant({ route: 'a', extension: '33' });
        });
        assert.equal((await s.permissions.list()).length, 1);
        assert.notEqual(await s.rulesVersion(), v0);
      } finally {
        await s.close();
      }
    });

    test('call log and lockouts', async () => {
      const s = await backend.open();
      try {
        const entry = {
          at: '2026-11-30T10:00:00.000Z',
          uniqueid: '1795341105.171',
          channel: 'PJSIP/reina-0000001a',
          caller: '33',
          dialed: '25',
          route: 'sip',
          outcome: 'ANSWER',
          attempts: 0,
          target: 'PJSIP/25',
          userName: null,
          detail: null,
        };
        await s.callLog.add(entry);
        await s.callLog.add({ ...entry, uniqueid: '2', outcome: 'NOROUTE', route: null, target: null });
        const log = await s.callLog.list();
        assert.deepEqual(
          log.map((e) => e.outcome),
          ['NOROUTE', 'ANSWER'],
        );
        assert.deepEqual(log[1], entry);
        const policy = { maxFailures: 3, windowMs: 60_000, lockMs: 300_000 };
        const t0 = new Date('2026-11-30T10:00:00Z');
        assert.equal(await s.lockouts.lockedUntil('33', t0), null);
        assert.deepEqual(await s.lockouts.recordFailure('33', t0, policy), {
          failures: 1,
          lockedUntil: null,
        });
        assert.equal(
          (await s.lockouts.recordFailure('33', new Date(t0.getTime() + 1000), policy)).failures,
          2,
        );
        const third = await s.lockouts.recordFailure('33', new Date(t0.getTime() + 2000), policy);
        assert.equal(third.lockedUntil, '2026-11-30T10:05:02.000Z');
        assert.equal(
          await s.lockouts.lockedUntil('33', new Date(t0.getTime() + 3000)),
          '2026-11-30T10:05:02.000Z',
        );
        assert.equal(await s.lockouts.lockedUntil('33', new Date('2026-11-30T10:06:00Z')), null);
        // A failure after the window starts a new count.
        assert.equal((await s.lockouts.recordFailure('34', t0, policy)).failures, 1);
        assert.equal(
          (await s.lockouts.recordFailure('34', new Date(t0.getTime() + 61_000), policy)).failures,
          1,
        );
        await s.lockouts.clear('33');
        assert.equal(await s.lockouts.lockedUntil('33', new Date(t0.getTime() + 3000)), null);
      } finally {
        await s.close();
      }
    });
  });
}
