import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { runAgi } from '../../src/agi/index.js';

const child = new URL('./stdio-child.ts', import.meta.url).pathname;

function env(enhanced: boolean): string {
  return [
    'agi_request: /var/lib/asterisk/agi-bin/ivr.sh',
    'agi_channel: PJSIP/reina-0000001a',
    'agi_language: es',
    'agi_type: PJSIP',
    'agi_uniqueid: 1795342900.26',
    'agi_callerid: reina',
    'agi_calleridname: unknown',
    'agi_context: oficina2',
    'agi_extension: 25',
    'agi_priority: 1',
    `agi_enhanced: ${enhanced ? '1.0' : '0.0'}`,
    'agi_accountcode: ',
    'agi_threadid: 140401134118592',
    'agi_arg_1: one',
    'agi_arg_2: two words',
    '',
    '',
  ].join('\n');
}

async function runScript(enhanced: boolean) {
  const proc = spawn(process.execPath, ['--import', 'tsx', child], {
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
  });
  const stdin = proc.stdin as Writable;
  let stderr = '';
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (t: string) => {
    stderr += t;
  });
  const commands: string[] = [];
  let buf = '';
  proc.stdout.setEncoding('utf8');
  proc.stdout.on('data', (t: string) => {
    buf += t;
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      commands.push(line);
      if (line === 'ANSWER') stdin.write('200 result=0\n');
      else if (line === 'GET VARIABLE FOO') stdin.write('200 result=1 (bar: baz)\n');
      else if (line.startsWith('SET VARIABLE') || line.startsWith('VERBOSE')) stdin.write('200 result=1\n');
      else if (line.startsWith('WAIT FOR DIGIT')) {
        // The caller hangs up: Asterisk signals a local script with SIGHUP, the blocked command returns -1.
        proc.kill('SIGHUP');
        setTimeout(() => stdin.write('200 result=-1\n'), 50);
      } else stdin.write('510 Invalid or unknown command\n');
    }
  });
  stdin.write(env(enhanced));
  if (enhanced) (proc.stdio[3] as Writable).write(Buffer.alloc(320, 1));
  const code = await new Promise<number | null>((resolve) => proc.once('exit', (c) => resolve(c)));
  (proc.stdio[3] as Readable | Writable).destroy();
  return { code, commands, stderr };
}

test('stdio AGI: same handler over stdin/stdout, stdout guarded, SIGHUP is a hangup', async () => {
  const r = await runScript(false);
  assert.deepEqual(r.commands, [
    'ANSWER',
    'GET VARIABLE FOO',
    'SET VARIABLE ECHO "bar: baz one,two words"',
    'WAIT FOR DIGIT -1',
    'VERBOSE "ended: AGI_HANGUP"',
  ]);
  assert.match(r.stderr, /stray output that must not reach Asterisk/);
  assert.equal(r.code, 0);
});

test('EAGI: the caller audio on fd 3 is a readable stream', async () => {
  const r = await runScript(true);
  assert.ok(r.commands.includes('SET VARIABLE AUDIO 320'), r.commands.join('|') + r.stderr);
  assert.equal(r.code, 0);
});

describe('runAgi in-process', () => {
  const base = 'agi_request: /x.sh\nagi_channel: PJSIP/a-1\nagi_uniqueid: 1.1\nagi_enhanced: 0.0\n\n';
  const noSighup = { guardStdout: false, handleSighup: false } as const;

  test('a HANGUP in the same chunk as the environment is not lost', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const seen: boolean[] = [];
    const run = runAgi(
      (ch) => {
        seen.push(ch.hungUp, ch.signal.aborted);
      },
      { input, output, ...noSighup },
    );
    input.write(`${base}HANGUP\n`);
    assert.equal(await run, 'ok');
    assert.deepEqual(seen, [true, true]);
  });

  test('a SIGHUP before the environment is read is not lost', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let error: unknown;
    const run = runAgi(
      async (ch) => {
        await ch.answer().catch((e: unknown) => {
          error = e;
        });
      },
      { input, output, guardStdout: false, handleSighup: true },
    );
    process.emit('SIGHUP', 'SIGHUP');
    input.write(base);
    assert.equal(await run, 'ok');
    assert.equal((error as { code?: string }).code, 'AGI_HANGUP');
    assert.equal(output.read(), null, 'ANSWER is refused at once on a dead channel, never sent');
    assert.equal(process.listenerCount('SIGHUP'), 0);
  });

  test('stdin failing before the environment rejects instead of hanging', async () => {
    const input = new PassThrough();
    const run = runAgi(() => {}, { input, output: new PassThrough(), ...noSighup });
    input.destroy(new Error('EPIPE'));
    await assert.rejects(run, /EPIPE/);
  });
});
