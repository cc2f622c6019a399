// biome-ignore-all lint/suspicious/noTemplateCurlyInString: dial targets use the router's ${var} syntax
/** `switchboard router …` spawned like a user would: `node --import tsx src/cli/main.ts router …` on a temp DB. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';

const root = new URL('../../', import.meta.url).pathname;
// By file URL: the CLI runs from temp directories where `tsx` would not resolve.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const dir = mkdtempSync(join(tmpdir(), 'sb-router-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(
  args: string[],
  options: { cwd?: string; until?: RegExp } = {},
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', tsxLoader, join(root, 'src/cli/main.ts'), 'router', ...args],
      {
        cwd: options.cwd ?? root,
        env: { ...process.env, LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let interrupted = false;
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      if (options.until?.test(out) && !interrupted) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

test('serve --demo on a fresh directory creates and migrates the SQLite file, loads the demo, prints the dialplan line', async () => {
  const cwd = mkdtempSync(join(dir, 'fresh-'));
  const r = await run(['serve', '--demo', '--port', '0'], { cwd, until: /Press Ctrl-C/ });
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /demo data loaded/);
  assert.match(r.out, /exten => _X\.,1,AGI\(agi:\/\/127\.0\.0\.1:\d+\/router\)/);
  assert.ok(existsSync(join(cwd, '.switchboard', 'router.sqlite')));
  const again = await run(['explain', '25', '--caller', '33'], { cwd });
  assert.match(again.out, /1\. sip \(_2X\): chosen/);
  assert.match(again.out, /PIN: not needed/);
});

test('CRUD, explain and check against a temp database', async () => {
  const db = join(dir, 'crud.sqlite');
  const ok = async (args: string[]) => {
    const r = await run([...args, '--db', db]);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
    return r.out;
  };
  await ok([
    'routes',
    'add',
    'trunk',
    '_0X.',
    'dial',
    '--target',
    'PJSIP/${number}@t1',
    '--target',
    'IAX2/b/${number}',
    '--strip',
    '1',
    '--prepend',
    '+34',
    '--window',
    'mon-fri 08:00-18:00 Europe/Madrid',
  ]);
  await ok(['extensions', 'add', '33', '--name', 'front desk']);
  await ok(['permissions', 'grant', 'trunk', '--extension', '33']);
  const out = await ok(['explain', '0911', '--caller', '33', '--at', '2026-11-30T10:00:00Z']);
  assert.match(out, /number after rewrite: \+34911/);
  assert.match(out, /dial order: 1\. PJSIP\/\+34911@t1 {2}2\. IAX2\/b\/\+34911/);
  assert.match(out, /mon-fri 08:00-18:00 Europe\/Madrid: open/);
  const bad = await run(['routes', 'add', 'oops', '_1[5-1]', 'busy', '--db', db]);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /range 5-1 runs backwards at position 6/);
  const checked = await run(['check', '--json', '--db', db]);
  assert.equal(checked.code, 0);
  assert.deepEqual(JSON.parse(checked.out), []);
});

test('import refuses a file with a bad row, naming it, and changes nothing', async () => {
  const db = join(dir, 'import.sqlite');
  const file = join(dir, 'rules.yaml');
  writeFileSync(
    file,
    'routes:\n  - { name: a, pattern: _2X, app: busy }\n  - { name: b, pattern: "_3Q", app: busy }\n',
  );
  const r = await run(['import', file, '--db', db]);
  assert.equal(r.code, 1);
  assert.match(
    r.err,
    /routes\[1\] "b": pattern: invalid dial pattern "_3Q": unexpected character "Q" at position 3/,
  );
  writeFileSync(
    file,
    'routes:\n  - { name: a, pattern: _2X, app: busy }\nusers:\n  - { name: ana, pin: "4321", routes: [a] }\n',
  );
  const good = await run(['import', file, '--db', db]);
  assert.equal(good.code, 0, good.err);
  const exported = await run(['export', '--db', db]);
  assert.match(exported.out, /pinHash: scrypt\$/);
  assert.ok(!exported.out.includes('4321'));
});
