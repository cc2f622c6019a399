import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { AmiClient } from '../../../src/ami/index.js';
import { waitUntil } from '../../helpers/wait.js';

const root = new URL('../../..', import.meta.url).pathname;
const main = join(root, 'src/cli/main.ts');
const tsx = join(root, 'node_modules/tsx/dist/esm/index.mjs');

test('switchboard simulate: prints the AMI URL without the secret, serves traffic, writes the log, stops on SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-sim-'));
  const log = join(dir, 'messages');
  const child = spawn(
    process.execPath,
    [
      '--import',
      tsx,
      main,
      'simulate',
      '--port',
      '0',
      '--secret',
      'Tr1cky-Secret',
      '--speed',
      '20',
      '--calls-per-minute',
      '60',
      '--seed',
      '3',
      '--log-file',
      log,
    ],
    { cwd: dir },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  let client: AmiClient | undefined;
  try {
    await waitUntil(
      () => /listening at ami:\/\/127\.0\.0\.1:\d+/.test(out),
      `the ready line (${err})`,
      20_000,
    );
    assert.ok(!out.includes('Tr1cky-Secret'));
    const port = /ami:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1];
    client = new AmiClient({
      url: `ami://admin:Tr1cky-Secret@127.0.0.1:${port}`,
      keepalive: false,
      reconnect: false,
    });
    const events: string[] = [];
    client.on('event', (m) => events.push(m.event ?? ''));
    await client.connect();
    const eps = await client.action('PJSIPShowEndpoints');
    assert.ok(eps.items.some((i) => i.get('ObjectName') === 'reina'));
    await waitUntil(() => events.includes('Newchannel') && events.includes('Hangup'), 'traffic', 20_000);
    await client.close();
    client = undefined;
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.match(out, /Simulated PBX stopped/);
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    assert.ok(lines.length > 5);
    for (const l of lines)
      assert.match(
        l,
        /^\[[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d\] (VERBOSE|NOTICE|WARNING|ERROR)\[\d+\](\[C-[0-9a-f]{8}\])? [a-z_/]+\.c: /,
      );
    assert.ok(lines.some((l) => l.includes("manager.c: Manager 'admin' logged on from 127.0.0.1")));
    assert.ok(!lines.some((l) => l.includes('Tr1cky-Secret')));
  } finally {
    await client?.close();
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('switchboard simulate refuses bad options with exit status 1', async () => {
  const child = spawn(process.execPath, [
    '--import',
    tsx,
    main,
    'simulate',
    '--port',
    '0',
    '--fastagi',
    'nonsense',
  ]);
  let err = '';
  child.stderr.on('data', (d) => {
    err += d;
  });
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  assert.equal(code, 1);
  assert.match(err, /--fastagi must be host:port/);
});
