import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  AgiChannel,
  AgiCommandError,
  AgiDeadChannelError,
  AgiHangupError,
  AgiInvalidCommandError,
  AgiReader,
  AgiUsageError,
  parseAgiArgs,
} from '../../src/agi/index.js';
import { waitUntil } from '../helpers/wait.js';
import { fastAgiTranscripts, readTranscript } from './transcripts.js';

/**
 * Runs `handler` against a recorded FastAGI session: each line our channel sends must parse (as Asterisk's
 * parse_args does) to the same argv as the recorded command; then the recorded answer is fed back.
 */
async function replay(path: string, handler: (ch: AgiChannel) => Promise<void>): Promise<string[]> {
  const records = readTranscript(path).filter((r) => !(r.dir === 'out' && r.close));
  let i = 0;
  const sent: string[] = [];
  let channel: AgiChannel | undefined;
  const reader = new AgiReader((e) => {
    if (e.type === 'environment') {
      channel = new AgiChannel(e.request, {
        send(line) {
          sent.push(line);
          const rec = records[i];
          assert.ok(rec && rec.dir === 'out', `unexpected command ${line}`);
          assert.deepEqual(parseAgiArgs(line), parseAgiArgs(rec.data.slice(0, -1)), 'same argv as recorded');
          i++;
          // Deliver the answer asynchronously, like a socket.
          setImmediate(feed);
        },
        close() {},
      });
    } else if (e.type === 'reply') channel?.receiveReply(e.reply);
    else if (e.type === 'hangup') channel?.receiveHangup();
  });
  // Lines Asterisk wrote back to back keep their recorded gap when it is long enough to matter: a hangup's
  // `HANGUP` arrives ~43 ms after the `-1` it follows, as a separate packet.
  function feed() {
    let last: number | undefined;
    while (i < records.length && records[i]!.dir === 'in') {
      const rec = records[i]!;
      if (last !== undefined && rec.t - last > 10) {
        setTimeout(feed, rec.t - last);
        return;
      }
      reader.push(rec.data);
      last = rec.t;
      i++;
    }
  }
  feed();
  assert.ok(channel, 'environment read');
  await handler(channel);
  channel.close();
  return sent;
}

const tours = fastAgiTranscripts().filter(([l]) => l.endsWith('full-command-tour.jsonl'));
describe('typed commands replayed against real Asterisk sessions', () => {
  for (const [label, path] of tours) {
    test(label, async () => {
      await replay(path, async (ch) => {
        assert.equal(await ch.answer(), undefined);
        assert.equal(await ch.getVariable('CALLERID(num)'), '33');
        assert.equal(await ch.getVariable('NOSUCHVAR'), undefined);
        // biome-ignore lint/suspicious/noTemplateCurlyInString: an Asterisk expression, not a template
        assert.equal(await ch.getFullVariable('${EXTEN}-${CHANNEL}'), `100-${ch.request.channel}`);
        await ch.setVariable('ROUTE', 'sip ok');
        assert.equal(await ch.getVariable('ROUTE'), 'sip ok');
        assert.equal(await ch.channelStatus(), 6);
        await assert.rejects(ch.channelStatus('Local/nosuch@sb-test-00000000;1'), AgiCommandError);
        assert.deepEqual(await ch.streamFile('beep', '0123'), { endpos: 3520 });
        assert.equal(await ch.sayDigits('123'), undefined);
        assert.equal(await ch.sayNumber(42), undefined);
        assert.equal(await ch.waitForDigit(100), undefined);
        assert.deepEqual(await ch.getData('beep', 100, 4), { digits: '', timeout: true });
        assert.equal(await ch.exec('NoOp', 'hello world'), 0);
        assert.equal(await ch.exec('Set', 'X=1'), 0);
        assert.equal(await ch.getVariable('X'), '1');
        await assert.rejects(ch.exec('NoSuchApplication', 'foo'), {
          code: 'AGI_COMMAND_FAILED',
          result: '-2',
        });
        assert.equal(await ch.databasePut('sb', 'key', 'val'), true);
        assert.equal(await ch.databaseGet('sb', 'key'), 'val');
        assert.equal(await ch.databaseGet('sb', 'nokey'), undefined);
        assert.equal(await ch.databaseDel('sb', 'key'), true);
        await ch.verbose('msg', 1);
        await ch.setMusic(false);
        await ch.noop();
        await assert.rejects(ch.command('FOO BAR'), AgiInvalidCommandError);
        await assert.rejects(ch.command('SAY DIGITS'), (err: unknown) => {
          assert.ok(err instanceof AgiUsageError);
          assert.match(err.usage, /^Say a given digit string/);
          return true;
        });
        await assert.rejects(ch.gosub('nosuchcontext', 's', 1), AgiCommandError);
        assert.equal(ch.signal.aborted, false);
        await ch.hangup();
        // The HANGUP line follows ~44 ms later: the signal fires, dead-safe commands still work, others refuse.
        await waitUntil(() => ch.hungUp, 'the HANGUP line');
        assert.equal(ch.signal.aborted, true);
        assert.equal(await ch.getVariable('CHANNEL'), ch.request.channel);
        await assert.rejects(ch.streamFile('beep'), AgiHangupError);
      });
    });
  }

  for (const [label, path] of fastAgiTranscripts().filter(([l]) => l.endsWith('hangup-mid-script.jsonl'))) {
    test(label, async () => {
      await replay(path, async (ch) => {
        await ch.answer();
        // `200 result=-1`, then HANGUP 42-44 ms later: a hangup, not a failed command.
        await assert.rejects(ch.waitForDigit(10000), AgiHangupError);
        assert.equal(await ch.getVariable('CHANNEL'), ch.request.channel);
        assert.equal(ch.signal.aborted, true);
        await assert.rejects(ch.streamFile('beep'), AgiHangupError);
      });
    });
  }

  test('asterisk/sip-router-call.jsonl', async () => {
    const path = fastAgiTranscripts().find(([l]) => l === 'asterisk/sip-router-call.jsonl')![1];
    await replay(path, async (ch) => {
      await ch.answer();
      assert.deepEqual(await ch.getData('beep', 3000, 4), { digits: '1234', timeout: false });
      assert.equal(await ch.exec('Dial', 'PJSIP/alonso,10'), -1);
      assert.equal(await ch.getVariable('DIALSTATUS'), 'ANSWER');
    });
  });

  for (const name of ['router-exten', 'set-route-success', 'env-and-args']) {
    for (const [label, path] of fastAgiTranscripts().filter(([l]) => l.endsWith(`/${name}.jsonl`))) {
      test(label, async () => {
        const sent = await replay(path, async (ch) => {
          await ch.answer();
          if (name === 'router-exten') {
            assert.equal(await ch.getVariable('EXTEN'), '5551234');
            await ch.setVariable('ROUTE', 'router');
          }
          if (name === 'set-route-success') await ch.setVariable('ROUTE', 'sip ok');
        });
        assert.ok(sent.length >= 1);
      });
    }
  }

  test('a 511 when the HANGUP line has not arrived yet rejects at once with a typed error', async () => {
    const sent: string[] = [];
    const ch = new AgiChannel(
      {
        ...(await import('../../src/agi/index.js')).parseAgiEnvironment('agi_request: x\n\n'),
      },
      {
        send: (l) => sent.push(l),
        close() {},
      },
    );
    const p = ch.streamFile('beep');
    ch.receiveReply({
      code: 511,
      result: '',
      fields: {},
      text: 'Command Not Permitted on a dead channel',
      lines: [],
    });
    await assert.rejects(p, AgiDeadChannelError);
    assert.equal(ch.hungUp, true);
    assert.equal(ch.signal.aborted, true);
    ch.close();
  });
});
