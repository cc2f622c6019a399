import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { describe, test } from 'node:test';
import {
  AGI_HANGUP_GRACE_MS,
  AgiChannel,
  type AgiChannelOptions,
  AgiCommandError,
  AgiHangupError,
  createFastAgiServer,
  type FastAgiServerOptions,
  parseAgiEnvironment,
  parseAgiReply,
  waitsOnChannel,
} from '../../src/agi/index.js';
import { FakeFastAgiCall } from '../../src/testing/index.js';

const DEAD = '511 Command Not Permitted on a dead channel or intercept routine';

function setup(options: AgiChannelOptions = {}) {
  const sent: string[] = [];
  const ch = new AgiChannel(
    parseAgiEnvironment('agi_request: agi://h/x\nagi_uniqueid: 1.2\n\n'),
    { send: (l) => sent.push(l), close: () => {} },
    options,
  );
  const reply = (line: string) => ch.receiveReply(parseAgiReply(line));
  return { ch, sent, reply };
}

/** Runs one FastAGI call: `handler` on the server side, the fake caller configured by `call`. */
async function fastAgi(
  handler: NonNullable<FastAgiServerOptions['handler']>,
  call: Omit<Parameters<typeof FakeFastAgiCall.connect>[0], 'port'>,
  options: Partial<FastAgiServerOptions> = {},
) {
  const server = createFastAgiServer({ port: 0, handler, ...options });
  const { port } = await server.listen();
  try {
    const c = await FakeFastAgiCall.connect({ port, ...call });
    const done = await c.done;
    await server.idle();
    return done;
  } finally {
    await server.close({ deadline: 100 });
  }
}

describe('a -1 that Asterisk follows with HANGUP is a hangup', () => {
  test('the fake caller writes the result line, then HANGUP, then 511s, exactly in that order', async () => {
    // A raw FastAGI server that behaves like the old router: it answers the -1 with a prompt at once.
    const received: string[] = [];
    const server = createServer((socket: Socket) => {
      socket.setEncoding('utf8');
      let buf = '';
      let stage = 0;
      socket.on('data', (text: string) => {
        buf += text;
        if (stage === 0 && buf.includes('\n\n')) {
          stage = 1;
          buf = buf.slice(buf.indexOf('\n\n') + 2);
          socket.write('GET DATA agent-pass 5000 8\n');
        }
        let nl = buf.indexOf('\n');
        while (stage > 0 && nl >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          received.push(line);
          if (line === '200 result=-1') socket.write('STREAM FILE an-error-has-occured ""\n');
          if (line.startsWith('511')) socket.end();
          nl = buf.indexOf('\n');
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const call = await FakeFastAgiCall.connect({ port, hangupOnCommand: 1 });
      const done = await call.done;
      assert.deepEqual(received, ['200 result=-1', 'HANGUP', DEAD]);
      assert.deepEqual(
        done.commands.map((c) => c.line),
        ['GET DATA agent-pass 5000 8', 'STREAM FILE an-error-has-occured ""'],
      );
      assert.equal(done.hungUp, true);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  test('GET DATA cut short by a hangup rejects with AgiHangupError; nothing else is sent', async () => {
    let error: unknown;
    const done = await fastAgi(
      async (ch) => {
        await ch.answer();
        try {
          await ch.getData('agent-pass', 5000, 8);
        } catch (err) {
          error = err;
        }
        assert.equal(ch.hungUp, true);
        await assert.rejects(ch.streamFile('an-error-has-occured'), AgiHangupError);
      },
      { hangupOnCommand: 2 },
    );
    assert.ok(error instanceof AgiHangupError, `got ${String(error)}`);
    assert.equal((error as AgiHangupError).code, 'AGI_HANGUP');
    assert.deepEqual(
      done.commands.map((c) => c.line),
      ['ANSWER', 'GET DATA agent-pass 5000 8'],
    );
  });

  test('STREAM FILE (endpos) and EXEC Dial cut short: AgiHangupError; the close of AGIEXITONHANGUP too', async () => {
    const errors: unknown[] = [];
    await fastAgi(
      async (ch) => {
        await ch.streamFile('welcome').catch((e: unknown) => errors.push(e));
      },
      {
        answer: (_cmd, c) => {
          c.hangup();
          return null;
        },
      },
    );
    await fastAgi(
      async (ch) => {
        await ch.exec('Dial', 'PJSIP/alonso,20').catch((e: unknown) => errors.push(e));
      },
      { hangupOnCommand: 1, exitOnHangup: true },
    );
    assert.equal(errors.length, 2);
    for (const e of errors) assert.ok(e instanceof AgiHangupError, `got ${String(e)}`);
  });

  test('a genuine -1 with no HANGUP after it still rejects with AgiCommandError, and the call goes on', async () => {
    let error: unknown;
    let after: string | undefined;
    const done = await fastAgi(
      async (ch) => {
        try {
          await ch.streamFile('no-such-file');
        } catch (err) {
          error = err;
        }
        assert.equal(ch.hungUp, false);
        after = await ch.getVariable('CHANNEL');
      },
      { answer: ['200 result=-1 endpos=0', '200 result=1 (PJSIP/reina-0000001a)'] },
    );
    assert.ok(error instanceof AgiCommandError, `got ${String(error)}`);
    assert.equal((error as AgiCommandError).result, '-1');
    assert.equal(after, 'PJSIP/reina-0000001a');
    assert.equal(done.hungUp, false);
  });

  test('the grace window is an option: 0 keeps every -1 an AgiCommandError', async () => {
    let error: unknown;
    await fastAgi(
      async (ch) => {
        await ch.getData('agent-pass', 5000, 8).catch((e: unknown) => {
          error = e;
        });
      },
      { hangupOnCommand: 1 },
      { hangupGrace: 0 },
    );
    assert.ok(error instanceof AgiCommandError, `got ${String(error)}`);
  });

  test('in the channel: HANGUP after the -1 turns it into a hangup; a -1 after HANGUP is a hangup at once', async () => {
    const a = setup();
    const p = a.ch.getData('agent-pass', 5000, 8);
    a.reply('200 result=-1');
    const q = a.ch.getVariable('X'); // queued behind the held -1: not sent meanwhile
    assert.deepEqual(a.sent, ['GET DATA agent-pass 5000 8']);
    a.ch.receiveHangup();
    await assert.rejects(p, AgiHangupError);
    assert.deepEqual(a.sent, ['GET DATA agent-pass 5000 8', 'GET VARIABLE X']);
    a.reply('200 result=1 (x)');
    assert.equal(await q, 'x');

    const b = setup();
    const d = b.ch.exec('Dial', 'PJSIP/alonso');
    b.ch.receiveHangup(); // EXEC is dead-safe: it stays in flight
    b.reply('200 result=-1');
    await assert.rejects(d, AgiHangupError);
  });

  test('in the channel: -1 of commands that do not wait on the channel is never held', async () => {
    const { ch, reply } = setup({ hangupGrace: 60_000 });
    const status = ch.channelStatus('Local/nosuch@x;1');
    reply('200 result=-1');
    await assert.rejects(status, AgiCommandError);
    // EXEC of an application that does not block keeps its -1 as a return code.
    const hangup = ch.exec('Hangup');
    reply('200 result=-1');
    assert.equal(await hangup, -1);
  });

  test('in the channel: a held -1 settles as AgiCommandError after the window, timeouts still apply', async () => {
    const a = setup({ hangupGrace: 5 });
    const p = a.ch.sayDigits('123');
    a.reply('200 result=-1');
    await assert.rejects(p, AgiCommandError);
    assert.equal(a.ch.hungUp, false);

    const b = setup({ hangupGrace: 60_000 });
    const r = b.ch.recordFile('msg', 'wav', '#', 1000, {}, { timeout: 20 });
    b.reply('200 result=-1 (hangup) endpos=800');
    await assert.rejects(r, { code: 'AGI_TIMEOUT' });
    // The reply was consumed: the next command goes out at once.
    const n = b.ch.noop();
    assert.equal(b.sent.at(-1), 'NOOP');
    b.reply('200 result=0');
    await n;
    b.ch.close();
  });

  test('which commands wait on the channel', () => {
    assert.equal(AGI_HANGUP_GRACE_MS > 44, true, 'covers the 42-44 ms of the recorded transcripts');
    for (const line of [
      'STREAM FILE beep ""',
      'GET DATA agent-pass 5000 8',
      'WAIT FOR DIGIT 10000',
      'RECORD FILE msg wav # 1000',
      'SAY DIGITS 123 ""',
      'EXEC Dial PJSIP/alonso,20',
      'EXEC "Playback" hello',
      'exec queue ventas',
      'CONTROL STREAM FILE x ""',
      'GET OPTION x ""',
    ])
      assert.equal(waitsOnChannel(line), true, line);
    for (const line of [
      'CHANNEL STATUS',
      'GOSUB nosuchcontext s 1',
      'EXEC Hangup',
      'EXEC Set X=1',
      'GET VARIABLE X',
      'FOO BAR',
    ])
      assert.equal(waitsOnChannel(line), false, line);
  });
});
