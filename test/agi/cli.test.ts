import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { AgiRouter } from '../../src/agi/index.js';
import { agiTargetOf } from '../../src/cli/agi.js';
import { FakeFastAgiCall } from '../../src/testing/index.js';

const root = new URL('../../', import.meta.url).pathname;

test('agiTargetOf finds a router or a handler export', () => {
  const router = new AgiRouter();
  const handler = async () => {};
  assert.deepEqual(agiTargetOf({ router }), { router });
  assert.deepEqual(agiTargetOf({ default: router }), { router });
  assert.deepEqual(agiTargetOf({ handler }), { handler });
  assert.throws(() => agiTargetOf({ other: 1 }), /neither a router nor a handler/);
});

test('switchboard agi serve <module>: serves it, one log line per call, graceful stop on SIGTERM', async () => {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'agi', 'serve', 'test/agi/serve-module.ts', '--port', '0'],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  proc.stdout.setEncoding('utf8').on('data', (t: string) => {
    stdout += t;
  });
  proc.stderr.setEncoding('utf8');
  const port = await new Promise<number>((resolve, reject) => {
    proc.stderr.on('data', (t: string) => {
      stderr += t;
      const m = /FastAGI on [^:]+:(\d+)/.exec(stderr);
      if (m) resolve(Number(m[1]));
    });
    proc.once('exit', () => reject(new Error(`serve exited: ${stderr}`)));
  });
  const r = await (await FakeFastAgiCall.connect({ port, script: 'hello/ana' })).done;
  assert.deepEqual(
    r.commands.map((c) => c.line),
    ['ANSWER', 'SET VARIABLE GREETING "hello ana"'],
  );
  while (!stdout.includes('AGI call')) await new Promise((res) => setTimeout(res, 10));
  const lines = stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { msg: string; route?: string; uniqueid?: string; outcome?: string });
  const calls = lines.filter((l) => l.msg === 'AGI call');
  assert.equal(calls.length, 1);
  assert.equal(calls[0]?.route, '/hello/:name');
  assert.equal(calls[0]?.outcome, 'ok');
  assert.ok(calls[0]?.uniqueid);
  proc.kill('SIGTERM');
  const [code] = await once(proc, 'exit');
  assert.equal(code, 0);
});

test('switchboard agi serve --host --allow: binds where told and refuses clients outside the allow-list, with a logged reason', async () => {
  const proc = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/main.ts',
      'agi',
      'serve',
      'test/agi/serve-module.ts',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--allow',
      '10.0.0.0/8, 192.168.1.7',
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  proc.stdout.setEncoding('utf8').on('data', (t: string) => {
    stdout += t;
  });
  proc.stderr.setEncoding('utf8');
  const [host, port] = await new Promise<[string, number]>((resolve, reject) => {
    proc.stderr.on('data', (t: string) => {
      stderr += t;
      const m = /FastAGI on ([^ ]+):(\d+)/.exec(stderr);
      if (m) resolve([m[1] ?? '', Number(m[2])]);
    });
    proc.once('exit', () => reject(new Error(`serve exited: ${stderr}`)));
  });
  assert.equal(host, '127.0.0.1');
  const r = await (await FakeFastAgiCall.connect({ port, script: 'hello/ana' })).done;
  assert.deepEqual(r.commands, [], 'a refused client gets no command');
  while (!stdout.includes('refused')) await new Promise((res) => setTimeout(res, 10));
  const refused = stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { msg: string; reason?: string })
    .filter((l) => l.msg === 'FastAGI connection refused');
  assert.equal(refused.length, 1);
  assert.equal(refused[0]?.reason, 'address not in the allow-list');
  assert.ok(!stdout.includes('"AGI call"'), 'the handler never ran');
  proc.kill('SIGTERM');
  const [code] = await once(proc, 'exit');
  assert.equal(code, 0);
});

test('switchboard agi serve: a bad --deadline is refused at start with a clear message, not at shutdown', async () => {
  const proc = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/main.ts',
      'agi',
      'serve',
      'test/agi/serve-module.ts',
      '--port',
      '0',
      '--deadline',
      'soon',
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  proc.stderr.setEncoding('utf8').on('data', (t: string) => {
    stderr += t;
    if (stderr.includes('FastAGI on')) proc.kill('SIGKILL'); // it started: the test fails instead of waiting
  });
  proc.stdout.resume();
  const [code] = await once(proc, 'exit');
  assert.equal(code, 2);
  assert.match(stderr, /--deadline must be a non-negative integer, got soon/);
  assert.doesNotMatch(stderr, /FastAGI on/);
});
