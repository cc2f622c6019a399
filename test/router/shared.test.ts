/**
 * Several router instances share one database: each keeps nothing between calls but compiled rules keyed by the
 * store's rules version, so an edit made through another connection (another router, the CLI) takes effect on the
 * very next call. Two connections to one SQLite file, and to one PostgreSQL schema when SWITCHBOARD_TEST_PG_URL is set.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import { CallRouter, hashPin, loadDemo } from '../../src/router/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { FakeChannel, script } from './fake-channel.js';

const CHEAP = { N: 1024, r: 8, p: 1 };
const dir = mkdtempSync(join(tmpdir(), 'sb-router-shared-'));
after(() => rmSync(dir, { recursive: true, force: true }));

type Pair = { a: Store; b: Store; close: () => Promise<void> };

const backends: Array<[string, () => Promise<Pair>]> = [
  [
    'one SQLite file',
    async () => {
      const url = join(dir, `${randomBytes(4).toString('hex')}.sqlite`);
      const a = await openStore({ url });
      const b = await openStore({ url });
      return { a, b, close: async () => void (await Promise.all([a.close(), b.close()])) };
    },
  ],
];
const pgUrl = process.env.SWITCHBOARD_TEST_PG_URL;
if (pgUrl)
  backends.push([
    'one PostgreSQL schema',
    async () => {
      const schema = `t_shared_${randomBytes(5).toString('hex')}`;
      const a = await openStore({ url: pgUrl, schema, poolSize: 2 });
      const b = await openStore({ url: pgUrl, schema, poolSize: 2, migrate: false });
      return {
        a,
        b,
        close: async () => {
          await b.close();
          await sql.raw(`drop schema if exists "${schema}" cascade`).execute(a.db);
          await a.close();
        },
      };
    },
  ]);

for (const [name, open] of backends)
  test(`two routers on ${name}: an edit through one connection is used by the other's next call`, async () => {
    const { a, b, close } = await open();
    try {
      await loadDemo(b, CHEAP);
      const router = new CallRouter({ store: a });
      const dial = async (caller: string, pin?: string) => {
        const channel = new FakeChannel(
          { callerId: caller, extension: '25' },
          script({
            'GET DATA': pin ? `200 result=${pin}` : '200 result=',
            'GET VARIABLE DIALSTATUS': '200 result=1 (ANSWER)',
          }),
        );
        const result = await router.handle(channel);
        return { status: result.status, asked: channel.lines.some((l) => l.startsWith('GET DATA')) };
      };
      assert.deepEqual(await dial('33'), { status: 'ANSWER', asked: false });
      await b.permissions.revoke({ route: 'sip', extension: '33' });
      assert.deepEqual(await dial('33', '123456'), { status: 'ANSWER', asked: true }, 'a PIN is now needed');
      await b.users.setPinHash('moises silva', await hashPin('654321', CHEAP));
      assert.deepEqual(
        await dial('34', '123456'),
        { status: 'DENIED', asked: true },
        'the old PIN is refused',
      );
      assert.deepEqual(await dial('35', '654321'), { status: 'ANSWER', asked: true });
      await b.routes.update('sip', { enabled: false });
      assert.deepEqual(await dial('33'), { status: 'NOROUTE', asked: false });
    } finally {
      await close();
    }
  });
