import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, test } from 'node:test';
import {
  AgiInvalidCommandError,
  AsyncAgiDispatcher,
  type AsyncAgiMessage,
  decodeAsyncAgiValue,
} from '../../src/agi/index.js';
import { AmiMessage, AmiParser } from '../../src/ami/index.js';
import { fixturePath, readTranscript } from './transcripts.js';

/**
 * A stand-in for AmiClient fed from a recorded AsyncAGI session: AGI actions are checked against the recorded
 * ones and answered by replaying the recorded events up to the matching AsyncAGIExec.
 */
class ReplayAmi extends EventEmitter {
  readonly actions: Record<string, string>[] = [];
  private readonly events: AmiMessage[] = [];
  private cursor = 0;
  constructor(path: string) {
    super();
    const parser = new AmiParser({
      onMessage: (m) => {
        if (m.kind === 'event') this.events.push(m);
      },
    });
    for (const r of readTranscript(path)) if (r.dir === 'in') parser.push(Buffer.from(r.data, 'utf8'));
  }
  /** Emits events up to and including the first that satisfies `until` (or all). */
  flush(until?: (m: AmiMessage) => boolean): void {
    while (this.cursor < this.events.length) {
      const m = this.events[this.cursor++]!;
      this.emit('event', m);
      if (until?.(m)) return;
    }
  }
  async action(name: string, params: Record<string, string>) {
    this.actions.push({ Action: name, ...params });
    const id = params['CommandID'];
    setImmediate(() => {
      this.flush(
        (m) =>
          (m.get('Event') === 'AsyncAGIExec' || m.get('SubEvent') === 'Exec') && m.get('CommandID') === id,
      );
      if (params['Command'] === 'ASYNCAGI BREAK') this.flush();
    });
    const message = new AmiMessage(
      Buffer.from('Response: Success\r\nMessage: Added AGI command to queue\r\n\r\n'),
    );
    return { ok: true, message };
  }
}

const ids = [
  'cmd-answer',
  'cmd-getvar',
  'cmd-stream',
  'cmd-bogus',
  'cmd-noop-1',
  'cmd-callerid',
  'cmd-break',
];

/** Waits (a bounded number of event-loop turns, not a time) for `cond`; fails instead of hanging. */
async function until(cond: () => boolean, what = 'condition never became true'): Promise<void> {
  for (let i = 0; i < 10_000 && !cond(); i++) await new Promise((r) => setImmediate(r));
  assert.ok(cond(), what);
}

describe('AsyncAGI dispatcher replayed against real sessions', () => {
  for (const version of ['asterisk', 'asterisk-13', 'asterisk-11']) {
    test(`${version}/ami/asyncagi.jsonl`, async () => {
      const ami = new ReplayAmi(fixturePath(`${version}/ami/asyncagi.jsonl`));
      const queue = [...ids];
      let finished!: () => void;
      const done = new Promise<void>((r) => {
        finished = r;
      });
      const seen: string[] = [];
      const dispatcher = new AsyncAgiDispatcher(
        ami as unknown as ConstructorParameters<typeof AsyncAgiDispatcher>[0],
        {
          commandId: () => queue.shift() ?? 'unexpected',
          handler: async (ch) => {
            try {
              seen.push(ch.request.request, ch.request.channel, ch.request.callerId ?? '');
              await ch.answer();
              assert.equal(await ch.getVariable('CHANNEL'), ch.request.channel);
              assert.deepEqual(await ch.streamFile('beep'), { endpos: 3520 });
              await assert.rejects(ch.command('NOSUCH COMMAND'), AgiInvalidCommandError);
              await ch.noop();
              assert.equal(await ch.getVariable('CALLERID(num)'), '5550100');
              await ch.asyncAgiBreak();
              assert.equal(ch.signal.aborted, true); // AsyncAGIEnd followed
            } finally {
              finished();
            }
          },
        },
      ).start();
      ami.flush((m) => m.get('Event') === 'AsyncAGIStart' || m.get('SubEvent') === 'Start');
      await done;
      await dispatcher.close();
      assert.deepEqual(seen.slice(0, 1), ['async']);
      assert.match(seen[1] ?? '', /^Local\/400@sb-test-[0-9a-f]+;2$/);
      assert.equal(seen[2], '5550100');
      assert.deepEqual(
        ami.actions.map((a) => [a['Action'], a['Command'], a['CommandID']]),
        [
          ['AGI', 'ANSWER', 'cmd-answer'],
          ['AGI', 'GET VARIABLE CHANNEL', 'cmd-getvar'],
          ['AGI', 'STREAM FILE beep ""', 'cmd-stream'],
          ['AGI', 'NOSUCH COMMAND', 'cmd-bogus'],
          ['AGI', 'NOOP', 'cmd-noop-1'],
          ['AGI', 'GET VARIABLE CALLERID(num)', 'cmd-callerid'],
          ['AGI', 'ASYNCAGI BREAK', 'cmd-break'],
        ],
      );
      assert.equal(dispatcher.activeSessions, 0);
    });
  }

  test('URL decoding keeps + literal and decodes UTF-8', () => {
    assert.equal(decodeAsyncAgiValue('200%20result%3D1%20(a+b%C3%A9)%0A'), '200 result=1 (a+bé)\n');
    assert.equal(decodeAsyncAgiValue('100%'), '100%');
  });

  test('a refused AGI action (channel gone) rejects the command and ends the session', async () => {
    const ami = new EventEmitter() as EventEmitter & {
      action: (n: string, p: Record<string, string>) => Promise<{ ok: boolean; message: AsyncAgiMessage }>;
    };
    ami.action = async () => ({
      ok: false,
      message: new AmiMessage(Buffer.from('Response: Error\r\nMessage: Channel X does not exist.\r\n\r\n')),
    });
    let error: unknown;
    const d = new AsyncAgiDispatcher(ami, {
      handler: async (ch) => {
        await ch.answer().catch((e: unknown) => {
          error = e;
        });
      },
    }).start();
    ami.emit(
      'event',
      new AmiMessage(
        Buffer.from('Event: AsyncAGIStart\r\nChannel: X\r\nEnv: agi_request%3A%20async%0A%0A\r\n\r\n'),
      ),
    );
    while (d.activeSessions > 0) await new Promise((r) => setImmediate(r));
    assert.equal((error as { code?: string }).code, 'AGI_HANGUP');
    await d.close();
  });
  test('a dropped AMI link rejects the command whose AsyncAGIExec was lost; a closed client ends the call', async () => {
    const ami = new EventEmitter() as EventEmitter & {
      action: (n: string, p: Record<string, string>) => Promise<{ ok: boolean; message: AsyncAgiMessage }>;
    };
    const sent: string[] = [];
    let answerExec = false;
    ami.action = async (_n, p) => {
      sent.push(p['Command'] ?? '');
      // The first ANSWER is acknowledged but its AsyncAGIExec never comes (the link drops); later ones are answered.
      if (answerExec)
        setImmediate(() =>
          ami.emit(
            'event',
            new AmiMessage(
              Buffer.from(
                `Event: AsyncAGIExec\r\nChannel: ${p['Channel']}\r\nCommandID: ${p['CommandID']}\r\nResult: 200%20result%3D1%0A\r\n\r\n`,
              ),
            ),
          ),
        );
      return { ok: true, message: new AmiMessage(Buffer.from('Response: Success\r\n\r\n')) };
    };
    const errors: unknown[] = [];
    const d = new AsyncAgiDispatcher(ami, {
      handler: async (ch) => {
        await ch.answer().catch((e: unknown) => errors.push(e));
        answerExec = true;
        await ch.setVariable('AFTER', 'reconnect'); // goes out after the reconnect and completes
        answerExec = false;
        await ch.waitForDigit(-1).catch((e: unknown) => errors.push(e)); // then the client closes
      },
    }).start();
    const start = (name: string) =>
      ami.emit(
        'event',
        new AmiMessage(
          Buffer.from(
            `Event: AsyncAGIStart\r\nChannel: ${name}\r\nEnv: agi_request%3A%20async%0A%0A\r\n\r\n`,
          ),
        ),
      );
    start('Y');
    await until(() => sent.length >= 1);
    ami.emit('state', 'reconnecting');
    await until(() => sent.length >= 3, 'the handler is stuck on the lost reply');
    assert.equal((errors[0] as { code?: string }).code, 'AGI_DISCONNECTED');
    assert.deepEqual(sent, ['ANSWER', 'SET VARIABLE AFTER reconnect', 'WAIT FOR DIGIT -1']);
    ami.emit('state', 'closed');
    await until(() => d.activeSessions === 0, 'the session outlived the closed client');
    assert.equal((errors[1] as { code?: string }).code, 'AGI_HANGUP');
    assert.equal(errors.length, 2);
    await d.close();
    assert.equal(ami.listenerCount('state'), 0);
    assert.equal(ami.listenerCount('event'), 0);
  });
  test('a call re-entering AsyncAGI after its AsyncAGIEnd starts a new handler, even while the old one lingers', async () => {
    const ami = new EventEmitter() as EventEmitter & {
      action: (n: string, p: Record<string, string>) => Promise<{ ok: boolean; message: AsyncAgiMessage }>;
    };
    ami.action = async (_n, p) => {
      setImmediate(() =>
        ami.emit(
          'event',
          new AmiMessage(
            Buffer.from(
              `Event: AsyncAGIExec\r\nChannel: Z\r\nCommandID: ${p['CommandID']}\r\nResult: 200%20result%3D0%0A\r\n\r\n`,
            ),
          ),
        ),
      );
      return { ok: true, message: new AmiMessage(Buffer.from('Response: Success\r\n\r\n')) };
    };
    const emit = (text: string) => ami.emit('event', new AmiMessage(Buffer.from(`${text}\r\n\r\n`)));
    let release!: () => void;
    const linger = new Promise<void>((r) => {
      release = r;
    });
    const runs: string[] = [];
    const d = new AsyncAgiDispatcher(ami, {
      handler: async (ch) => {
        runs.push(ch.request.uniqueid);
        await ch.answer();
        runs.push(`answered ${ch.request.uniqueid}`);
        if (ch.request.uniqueid === '1.1') await linger; // e.g. still writing to a database after the call ended
      },
    }).start();
    emit('Event: AsyncAGIStart\r\nChannel: Z\r\nEnv: agi_request%3A%20async%0Aagi_uniqueid%3A%201.1%0A%0A');
    await until(() => runs.includes('answered 1.1'));
    emit('Event: AsyncAGIEnd\r\nChannel: Z');
    emit('Event: AsyncAGIStart\r\nChannel: Z\r\nEnv: agi_request%3A%20async%0Aagi_uniqueid%3A%201.2%0A%0A');
    await until(() => runs.includes('answered 1.2'), 'the second AsyncAGIStart was ignored');
    assert.deepEqual(runs, ['1.1', 'answered 1.1', '1.2', 'answered 1.2']);
    await until(() => d.activeSessions === 0, 'the second call did not end');
    let closed = false;
    const closing = d.close().then(() => {
      closed = true;
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(closed, false, 'close() waits for the lingering handler too');
    release();
    await closing;
    assert.equal(d.activeSessions, 0);
  });
});
