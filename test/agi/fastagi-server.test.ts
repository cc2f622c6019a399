import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { AgiHangupError, AgiRouter, createFastAgiServer, type FastAgiServer } from '../../src/agi/index.js';
import { FakeFastAgiCall } from '../../src/testing/index.js';

async function withServer(
  opts: Parameters<typeof createFastAgiServer>[0],
  fn: (server: FastAgiServer, port: number) => Promise<void>,
): Promise<void> {
  const server = createFastAgiServer({ port: 0, ...opts });
  const { port } = await server.listen();
  try {
    await fn(server, port);
  } finally {
    await server.close({ deadline: 100 });
  }
}

describe('FastAGI server and router', () => {
  test('routes by path with params, query and args; middleware runs around the handler', async () => {
    const seen: string[] = [];
    const router = new AgiRouter()
      .use(async (_ch, ctx, next) => {
        seen.push(`before ${ctx.route}`);
        await next();
        seen.push('after');
      })
      .route('/callers/:id', async (ch, ctx) => {
        seen.push(`caller ${ctx.params['id']} ${ctx.query['lang']} ${ctx.args.join('|')}`);
        await ch.answer();
        const v = await ch.getVariable('CALLERID(num)');
        await ch.setVariable('RESULT', `hello ${v}`);
      });
    await withServer({ router }, async (server, port) => {
      const call = await FakeFastAgiCall.connect({
        port,
        script: 'callers/42?lang=es',
        args: ['a b', ''],
        answer: [undefined, '200 result=1 (5550100)'],
      });
      const result = await call.done;
      assert.deepEqual(
        result.commands.map((c) => c.line),
        ['ANSWER', 'GET VARIABLE CALLERID(num)', 'SET VARIABLE RESULT "hello 5550100"'],
      );
      assert.equal(result.closedBy, 'server');
      assert.deepEqual(seen, ['before /callers/:id', 'caller 42 es a b|', 'after']);
      await server.idle();
      const m = server.metrics();
      assert.equal(m.totalSessions, 1);
      assert.equal(m.commands, 3);
      assert.equal(m.routes['/callers/:id']?.sessions, 1);
      assert.equal(m.activeSessions, 0);
    });
  });

  test('handler error: logged, SWITCHBOARD_ERROR set for the dialplan, session closed; not found too', async () => {
    const router = new AgiRouter().route('/boom', async (ch) => {
      await ch.answer();
      throw Object.assign(new Error('db down'), { code: 'DB_DOWN' });
    });
    await withServer({ router }, async (server, port) => {
      const a = await (await FakeFastAgiCall.connect({ port, script: 'boom' })).done;
      assert.deepEqual(
        a.commands.map((c) => c.line),
        ['ANSWER', 'SET VARIABLE SWITCHBOARD_ERROR DB_DOWN'],
      );
      const b = await (await FakeFastAgiCall.connect({ port, script: 'nowhere' })).done;
      assert.deepEqual(
        b.commands.map((c) => c.line),
        ['SET VARIABLE SWITCHBOARD_ERROR AGI_NOT_FOUND'],
      );
      await server.idle();
      assert.equal(server.metrics().errors, 2);
    });
  });

  test('hangup mid-command: signal fires, pending command rejects, dead-safe cleanup still runs', async () => {
    let signalled = false;
    let error: unknown;
    await withServer(
      {
        handler: async (ch) => {
          ch.signal.addEventListener('abort', () => {
            signalled = true;
          });
          await ch.answer();
          try {
            await ch.streamFile('long-prompt');
          } catch (err) {
            error = err;
          }
          await assert.rejects(ch.sayDigits('1'), AgiHangupError);
          await ch.setVariable('CLEANUP', 'done');
        },
      },
      async (server, port) => {
        const call = await FakeFastAgiCall.connect({ port, answer: [undefined, null] });
        // Hang up while STREAM FILE is "playing" (its answer is withheld).
        while (call.commands.length < 2) await sleep(1);
        call.hangup();
        const r = await call.done;
        // SAY DIGITS is refused locally, or (if sent before HANGUP was read) answered 511: never played.
        assert.deepEqual(
          r.commands.map((c) => c.line).filter((l) => !l.startsWith('SAY DIGITS')),
          ['ANSWER', 'STREAM FILE long-prompt ""', 'SET VARIABLE CLEANUP done'],
        );
        assert.ok(signalled);
        // Asterisk answers the cut-short playback `-1`, then HANGUP: a hangup, not a failed command.
        assert.ok(error instanceof AgiHangupError, `got ${String(error)}`);
        await server.idle();
        assert.equal(server.metrics().activeSessions, 0);
      },
    );
  });

  test('HANGUP arriving before the reply rejects the command at once with AgiHangupError', async () => {
    let error: unknown;
    await withServer(
      {
        handler: async (ch) => {
          try {
            await ch.waitForDigit(5000);
          } catch (err) {
            error = err;
          }
          assert.equal(await ch.getVariable('X'), undefined);
        },
      },
      async (_server, port) => {
        const call = await FakeFastAgiCall.connect({
          port,
          answer: (cmd, c) => {
            if (cmd.name === 'WAIT FOR DIGIT') {
              // Asterisk's race: HANGUP first, then the reply of the command it was running.
              c.hangup({ replyFirst: false });
              return null;
            }
            return undefined;
          },
        });
        const r = await call.done;
        assert.ok(error instanceof AgiHangupError);
        assert.deepEqual(
          r.commands.map((c) => c.name),
          ['WAIT FOR DIGIT', 'GET VARIABLE'],
        );
      },
    );
  });

  test('allow-list refuses others; max sessions answers BUSY', async () => {
    await withServer({ handler: async () => {}, allow: ['10.0.0.0/8'] }, async (server, port) => {
      const r = await (await FakeFastAgiCall.connect({ port })).done;
      assert.equal(r.commands.length, 0);
      assert.equal(server.metrics().refusedSessions, 1);
      assert.equal(server.metrics().totalSessions, 0);
    });
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    await withServer(
      {
        maxSessions: 1,
        handler: async (ch) => {
          await ch.answer();
          await gate;
        },
      },
      async (server, port) => {
        const first = await FakeFastAgiCall.connect({ port });
        while (first.commands.length < 1) await sleep(1);
        const second = await (await FakeFastAgiCall.connect({ port })).done;
        assert.deepEqual(
          second.commands.map((c) => c.line),
          ['SET VARIABLE SWITCHBOARD_ERROR BUSY'],
        );
        release();
        await first.done;
        assert.equal(server.metrics().refusedSessions, 1);
      },
    );
  });

  test('graceful shutdown: live calls get until the deadline, then are hung up', async () => {
    const server = createFastAgiServer({
      port: 0,
      handler: async (ch) => {
        await ch.answer();
        await ch.waitForDigit(-1).catch(() => {});
      },
    });
    const { port } = await server.listen();
    const call = await FakeFastAgiCall.connect({ port, answer: [undefined, null] });
    while (call.commands.length < 2) await sleep(1);
    await server.close({ deadline: 20 });
    const r = await call.done;
    assert.deepEqual(
      r.commands.map((c) => c.line),
      ['ANSWER', 'WAIT FOR DIGIT -1', 'HANGUP'],
    );
    assert.equal(server.activeSessions, 0);
  });

  test('graceful shutdown: stops accepting at once, a live call finishing before the deadline is not cut', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const server = createFastAgiServer({
      port: 0,
      handler: async (ch) => {
        await ch.answer();
        await gate;
        await ch.setVariable('DONE', '1');
      },
    });
    const { port } = await server.listen();
    const call = await FakeFastAgiCall.connect({ port });
    while (call.commands.length < 1) await sleep(1);
    const closed = server.close({ deadline: 60_000 });
    await assert.rejects(FakeFastAgiCall.connect({ port }), { code: 'ECONNREFUSED' });
    assert.equal(server.activeSessions, 1, 'the live call goes on');
    release();
    const r = await call.done;
    await closed;
    assert.deepEqual(
      r.commands.map((c) => c.line),
      ['ANSWER', 'SET VARIABLE DONE 1'],
    );
    assert.equal(r.closedBy, 'server');
    assert.equal(server.activeSessions, 0);
  });

  test('per-session timeout closes a stuck session', async () => {
    await withServer(
      {
        sessionTimeout: 30,
        handler: async (ch) => {
          await assert.rejects(ch.waitForDigit(-1), { code: 'AGI_TIMEOUT' });
        },
      },
      async (_s, port) => {
        const r = await (await FakeFastAgiCall.connect({ port, answer: [null] })).done;
        assert.equal(r.commands.length, 1);
      },
    );
  });

  test('logs: handler error with the uniqueid, refusal with its reason, one line per call', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        for (const l of String(chunk).trim().split('\n'))
          lines.push(JSON.parse(l) as Record<string, unknown>);
        cb();
      },
    });
    const logger = pino({ level: 'info' }, sink);
    await withServer(
      {
        logger,
        allow: '127.0.0.1/32',
        handler: async () => {
          throw new Error('kaput');
        },
      },
      async (server, port) => {
        await (await FakeFastAgiCall.connect({ port, env: { uniqueid: '1700000000.7' } })).done;
        await server.idle();
      },
    );
    const failed = lines.find((l) => l['msg'] === 'AGI handler failed');
    assert.equal(failed?.['uniqueid'], '1700000000.7');
    assert.equal(failed?.['code'], 'HANDLER_ERROR');
    const call = lines.find((l) => l['msg'] === 'AGI call');
    assert.equal(call?.['outcome'], 'error');
    await withServer({ logger, allow: ['192.0.2.0/24'], handler: async () => {} }, async (_s, port) => {
      await (await FakeFastAgiCall.connect({ port })).done;
    });
    const refused = lines.find((l) => l['msg'] === 'FastAGI connection refused');
    assert.equal(refused?.['reason'], 'address not in the allow-list');
  });
});
