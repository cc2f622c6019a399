// biome-ignore-all lint/suspicious/noTemplateCurlyInString: dial targets use the router's ${var} syntax
/**
 * `switchboard router` CRUD run in process (the same commander registrar the binary uses, stdout captured): every
 * list/add/update/remove of routes, extensions, users and permissions, and the errors that name what is missing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Command } from 'commander';
import { registerRouter } from '../../src/cli/router.js';
import { verifyPin } from '../../src/router/index.js';
import { openStore } from '../../src/store/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sb-router-crud-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let db = join(dir, 'crud.sqlite');

/** Runs `switchboard router <args> --db <db>` in process; returns the exit status and what it printed. */
async function router(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const program = new Command('switchboard').exitOverride();
  registerRouter(program);
  let out = '';
  let err = '';
  const write = { out: process.stdout.write, err: process.stderr.write };
  // Only text is captured: the test runner reports to its parent through this process's stdout in binary chunks.
  const capture =
    (stream: NodeJS.WriteStream, original: typeof process.stdout.write, append: (s: string) => void) =>
    (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      if (typeof chunk !== 'string')
        return (original as (...a: unknown[]) => boolean).call(stream, chunk, ...rest);
      append(chunk);
      return true;
    };
  process.stdout.write = capture(process.stdout, write.out, (s) => {
    out += s;
  }) as typeof process.stdout.write;
  process.stderr.write = capture(process.stderr, write.err, (s) => {
    err += s;
  }) as typeof process.stderr.write;
  const before = process.exitCode;
  process.exitCode = 0;
  try {
    await program.parseAsync(['router', ...args, '--db', db], { from: 'user' });
    return { code: Number(process.exitCode ?? 0), out, err };
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
    process.exitCode = before;
  }
}

async function ok(...args: string[]): Promise<string> {
  const r = await router(...args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
  return r.out;
}

test('routes: add, list, update (pattern, app, enabled flag, targets), remove', async () => {
  assert.match(
    await ok('routes', 'add', 'sip', '_2X', 'dial', '--target', 'SIP/${number}'),
    /route sip added/,
  );
  await ok('routes', 'update', 'sip', '--pattern', '_2XX', '--disabled', '--target', 'PJSIP/${number}');
  let [route] = JSON.parse(await ok('routes', 'list', '--json'));
  assert.equal(route.pattern, '_2XX');
  assert.equal(route.enabled, false);
  assert.deepEqual(
    route.targets.map((t: { template: string }) => t.template),
    ['PJSIP/${number}'],
  );
  await ok('routes', 'update', 'sip', '--enabled', '--app', 'busy', '--data', '{"timeout":5}');
  [route] = JSON.parse(await ok('routes', 'list', '--json'));
  assert.equal(route.enabled, true);
  assert.equal(route.app, 'busy');
  assert.match(await ok('routes', 'list'), /^ORDER +NAME +PATTERN.*\n0 +sip +_2XX +busy/m);
  const bad = await router('routes', 'update', 'sip', '--pattern', '_2Q');
  assert.equal(bad.code, 1);
  assert.match(bad.err, /"_2Q": unexpected character "Q" at position 3/);
  const missing = await router('routes', 'update', 'nope', '--enabled');
  assert.equal(missing.code, 1);
  assert.match(missing.err, /route nope not found/);
  assert.match(await ok('routes', 'remove', 'sip'), /route sip removed/);
  assert.deepEqual(JSON.parse(await ok('routes', 'list', '--json')), []);
  assert.match((await router('routes', 'remove', 'sip')).err, /route sip not found/);
});

test('extensions, users (PIN hashed) and permissions: add, update, grant, list, revoke, remove', async () => {
  db = join(dir, 'people.sqlite');
  await ok('routes', 'add', 'sip', '_2X', 'dial', '--target', 'SIP/${number}');
  await ok('extensions', 'add', '33', '--name', 'desk');
  await ok('extensions', 'update', '33', '--name', 'lobby');
  assert.match(await ok('users', 'add', 'ana', '--pin', '4321'), /user ana added/);
  await ok('users', 'set-pin', 'ana', '--pin', '987654');
  const store = await openStore({ url: db });
  try {
    const [ana] = await store.users.list();
    assert.ok(ana && !ana.pinHash.includes('987654'), 'never the PIN itself');
    assert.equal(await verifyPin('987654', ana?.pinHash ?? ''), true);
    assert.equal(await verifyPin('4321', ana?.pinHash ?? ''), false);
  } finally {
    await store.close();
  }
  const weak = await router('users', 'add', 'bob', '--pin', '12');
  assert.equal(weak.code, 1);
  assert.match(weak.err, /4 to 12 digits/);

  await ok('permissions', 'grant', 'sip', '--extension', '33');
  await ok('permissions', 'grant', 'sip', '--user', 'ana');
  assert.match((await router('permissions', 'grant', 'sip')).err, /exactly one of --extension or --user/);
  const perms = await ok('permissions', 'list');
  assert.match(perms, /sip +extension 33/);
  assert.match(perms, /sip +user ana/);
  assert.match(await ok('extensions', 'list'), /33 +lobby +sip/);
  assert.match(await ok('users', 'list'), /ana +sip/);

  await ok('permissions', 'revoke', 'sip', '--extension', '33');
  assert.doesNotMatch(await ok('permissions', 'list'), /extension 33/);
  const again = await router('permissions', 'revoke', 'sip', '--extension', '33');
  assert.equal(again.code, 1);
  assert.match(again.err, /no such permission/);

  assert.match(await ok('users', 'remove', 'ana'), /user ana removed/);
  assert.doesNotMatch(await ok('permissions', 'list'), /user ana/, 'removing a holder drops its permissions');
  assert.match(await ok('extensions', 'remove', '33'), /extension 33 removed/);
  assert.match((await router('extensions', 'remove', '33')).err, /extension 33 not found/);
  assert.match((await router('users', 'remove', 'ana')).err, /user ana not found/);
  assert.match(await ok('log', '--limit', '5'), /^TIME +UNIQUEID/);
});
