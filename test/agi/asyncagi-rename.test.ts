import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, test } from 'node:test';
import { AgiCommandError, AgiHangupError, AsyncAgiDispatcher } from '../../src/agi/index.js';
import { AmiMessage, AmiParser } from '../../src/ami/index.js';
import { waitUntil } from '../helpers/wait.js';
import { fixturePath, readTranscript } from './transcripts.js';

/**
 * AsyncAGI events built from the recorded ones of each version (same headers, same order): only the values a
 * scenario needs are replaced, so the dispatcher sees exactly the shapes Asterisk sends.
 */
class FixtureEvents {
  private readonly templates = new Map<string, AmiMessage>();
  constructor(readonly version: string) {
    const parser = new AmiParser({
      onMessage: (m) => {
        if (m.kind !== 'event') return;
        const key = m.get('SubEvent') ? `${m.get('Event')}/${m.get('SubEvent')}` : (m.get('Event') ?? '');
        if (!this.templates.has(key)) this.templates.set(key, m);
      },
    });
    for (const r of readTranscript(fixturePath(`${version}/ami/asyncagi.jsonl`)))
      if (r.dir === 'in') parser.push(Buffer.from(r.data, 'utf8'));
  }
  get legacy(): boolean {
    return this.templates.has('AsyncAGI/Start');
  }
  /** The recorded `kind` event (Start, Exec, End) with `set` replacing header values (or appending them). */
  event(kind: 'Start' | 'Exec' | 'End', set: Record<string, string>): AmiMessage {
    const t = this.templates.get(this.legacy ? `AsyncAGI/${kind}` : `AsyncAGI${kind}`);
    assert.ok(t, `${this.version} has no AsyncAGI ${kind}`);
    return replaced(t, set);
  }
  /** The call as recorded: its channel name and Uniqueid (the environment's on Asterisk 11). */
  get call(): { channel: string; uniqueid: string } {
    const start = this.event('Start', {});
    const env = decodeURIComponent(start.get('Env') ?? '');
    return {
      channel: start.get('Channel') ?? '',
      uniqueid: start.get('Uniqueid') ?? /agi_uniqueid: (\S+)/.exec(env)?.[1] ?? '',
    };
  }
}

function replaced(m: AmiMessage, set: Record<string, string>): AmiMessage {
  const left = new Map(Object.entries(set).map(([k, v]) => [k.toLowerCase(), [k, v] as const]));
  const lines = m.headers.map(([k, v]) => {
    const r = left.get(k.toLowerCase());
    if (!r) return `${k}: ${v}`;
    left.delete(k.toLowerCase());
    return `${k}: ${r[1]}`;
  });
  for (const [k, v] of left.values()) lines.push(`${k}: ${v}`);
  return new AmiMessage(Buffer.from(`${lines.join('\r\n')}\r\n\r\n`));
}

const enc = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** A stand-in AmiClient: records AGI actions; the test answers them with events. */
class ScriptedAmi extends EventEmitter {
  readonly actions: Record<string, string>[] = [];
  async action(name: string, params: Record<string, string>) {
    this.actions.push({ Action: name, ...params });
    const message = new AmiMessage(
      Buffer.from('Response: Success\r\nMessage: Added AGI command to queue\r\n\r\n'),
    );
    return { ok: true, message };
  }
  last(): Record<string, string> {
    return this.actions[this.actions.length - 1] ?? {};
  }
}

type Handler = ConstructorParameters<typeof AsyncAgiDispatcher>[1]['handler'];

function start(ev: FixtureEvents, handler: Handler) {
  const ami = new ScriptedAmi();
  const dispatcher = new AsyncAgiDispatcher(
    ami as unknown as ConstructorParameters<typeof AsyncAgiDispatcher>[0],
    handler ? { handler } : {},
  ).start();
  ami.emit('event', ev.event('Start', {}));
  return { ami, dispatcher };
}

for (const version of ['asterisk', 'asterisk-13', 'asterisk-11']) {
  describe(`AsyncAGI on ${version} shapes`, () => {
    const ev = new FixtureEvents(version);
    const { channel: original, uniqueid } = ev.call;
    const renamed = original.replace(/;2$/, ';1<MASQ>').replace(/^Local/, 'PJSIP/manuel-0000002b');
    const exec = (ch: string, id: string, result: string) =>
      ev.event('Exec', { Channel: ch, [ev.legacy ? 'CommandID' : 'CommandId']: id, Result: enc(result) });

    const renames: Array<[string, () => AmiMessage | undefined]> = ev.legacy
      ? [
          [
            'Rename (Channel, Newname)',
            () =>
              new AmiMessage(
                Buffer.from(
                  `Event: Rename\r\nPrivilege: call,all\r\nChannel: ${original}\r\nNewname: ${renamed}\r\nUniqueid: ${uniqueid}\r\n\r\n`,
                ),
              ),
          ],
          [
            'Rename (Oldname, Newname)',
            () =>
              new AmiMessage(
                Buffer.from(
                  `Event: Rename\r\nPrivilege: call,all\r\nOldname: ${original}\r\nNewname: ${renamed}\r\nUniqueid: ${uniqueid}\r\n\r\n`,
                ),
              ),
          ],
        ]
      : // 12+ raise no Rename: the call's next AsyncAGI event carries the new Channel and the same Uniqueid.
        [['no Rename event (12+), the Uniqueid', () => undefined]];

    for (const [how, renameEvent] of renames) {
      test(`a call renamed mid-call keeps working: ${how}`, async () => {
        const got: unknown[] = [];
        let finished = false;
        const { ami, dispatcher } = start(ev, async (ch) => {
          got.push(await ch.getVariable('CHANNEL'));
          got.push(await ch.getVariable('CHANNEL'));
          got.push(await ch.streamFile('beep'));
          await ch.asyncAgiBreak();
          finished = true;
        });
        await waitUntil(() => ami.actions.length === 1, 'the first AGI action');
        assert.equal(ami.last()['Channel'], original);
        const masq = renameEvent();
        if (masq) {
          // The masquerade happens between two commands: the next one must reach the new name.
          ami.emit('event', exec(original, ami.last()['CommandID']!, `200 result=1 (${original})\n`));
          ami.emit('event', masq);
          await waitUntil(() => ami.actions.length === 2, 'the second AGI action');
          assert.equal(ami.last()['Channel'], renamed);
          ami.emit('event', exec(renamed, ami.last()['CommandID']!, `200 result=1 (${renamed})\n`));
        } else {
          // The rename shows in the reply to the first command (same Uniqueid, new Channel).
          ami.emit(
            'event',
            replaced(exec(renamed, ami.last()['CommandID']!, `200 result=1 (${renamed})\n`), {
              Uniqueid: uniqueid,
            }),
          );
          await waitUntil(() => ami.actions.length === 2, 'the second AGI action');
          assert.equal(ami.last()['Channel'], renamed);
          ami.emit('event', exec(renamed, ami.last()['CommandID']!, `200 result=1 (${renamed})\n`));
        }
        await waitUntil(() => ami.actions.length === 3, 'the third AGI action');
        assert.equal(ami.last()['Channel'], renamed);
        // Another client's command on the old name (a new channel there) is not ours.
        ami.emit(
          'event',
          replaced(exec(original, 'other-client-7', '200 result=-1\n'), ev.legacy ? {} : { Uniqueid: '9.9' }),
        );
        ami.emit('event', exec(renamed, ami.last()['CommandID']!, '200 result=0 endpos=3520\n'));
        await waitUntil(() => ami.actions.length === 4, 'ASYNCAGI BREAK');
        assert.deepEqual(ami.last()['Command'], 'ASYNCAGI BREAK');
        assert.equal(ami.last()['Channel'], renamed);
        ami.emit('event', exec(renamed, ami.last()['CommandID']!, '200 result=0\n'));
        ami.emit('event', ev.event('End', { Channel: renamed }));
        await waitUntil(() => finished, 'the handler to finish');
        await dispatcher.close();
        assert.deepEqual(got, [masq ? original : renamed, renamed, { endpos: 3520 }]);
        assert.equal(dispatcher.activeSessions, 0);
      });
    }

    test('AsyncAGIExec result=-1 then AsyncAGIEnd: the pending GET DATA rejects as a hangup', async () => {
      let error: unknown;
      const { ami, dispatcher } = start(ev, async (ch) => {
        await ch.getData('agent-pass', 5000, 8).catch((e: unknown) => {
          error = e;
        });
      });
      await waitUntil(() => ami.actions.length === 1, 'GET DATA');
      ami.emit('event', exec(original, ami.last()['CommandID']!, '200 result=-1\n'));
      setTimeout(() => ami.emit('event', ev.event('End', { Channel: original })), 40);
      await waitUntil(() => error !== undefined, 'GET DATA to settle');
      await dispatcher.close();
      assert.ok(error instanceof AgiHangupError, `got ${String(error)}`);
      assert.equal(ami.actions.length, 1, 'nothing sent after the hangup');
    });

    test('AsyncAGIExec result=-1 then the channel Hangup (no AsyncAGIEnd yet): a hangup too', async () => {
      let error: unknown;
      const { ami, dispatcher } = start(ev, async (ch) => {
        await ch.streamFile('welcome').catch((e: unknown) => {
          error = e;
        });
      });
      await waitUntil(() => ami.actions.length === 1, 'STREAM FILE');
      ami.emit('event', exec(original, ami.last()['CommandID']!, '200 result=-1 endpos=4000\n'));
      ami.emit(
        'event',
        new AmiMessage(
          Buffer.from(`Event: Hangup\r\nPrivilege: call,all\r\nChannel: ${original}\r\nCause: 16\r\n\r\n`),
        ),
      );
      await waitUntil(() => error !== undefined, 'STREAM FILE to settle');
      await dispatcher.close();
      assert.ok(error instanceof AgiHangupError, `got ${String(error)}`);
    });

    test('AsyncAGIExec result=-1 and the call goes on: AgiCommandError', async () => {
      let error: unknown;
      const { ami, dispatcher } = start(ev, async (ch) => {
        await ch.streamFile('no-such-file').catch((e: unknown) => {
          error = e;
        });
        await ch.noop();
      });
      await waitUntil(() => ami.actions.length === 1, 'STREAM FILE');
      ami.emit('event', exec(original, ami.last()['CommandID']!, '200 result=-1 endpos=0\n'));
      await waitUntil(() => ami.actions.length === 2, 'NOOP after the failure');
      assert.ok(error instanceof AgiCommandError, `got ${String(error)}`);
      ami.emit('event', exec(original, ami.last()['CommandID']!, '200 result=0\n'));
      await waitUntil(() => ami.actions.length === 3, 'ASYNCAGI BREAK');
      ami.emit('event', exec(original, ami.last()['CommandID']!, '200 result=0\n'));
      ami.emit('event', ev.event('End', { Channel: original }));
      await dispatcher.close();
    });
  });
}
