import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  AgiAbortedError,
  AgiChannel,
  AgiClosedError,
  AgiHangupError,
  AgiInvalidArgumentError,
  AgiTimeoutError,
  parseAgiEnvironment,
  parseAgiReply,
} from '../../src/agi/index.js';

function setup() {
  const sent: string[] = [];
  let closed = 0;
  const ch = new AgiChannel(parseAgiEnvironment('agi_request: agi://h/x\nagi_uniqueid: 1.2\n\n'), {
    send: (l) => sent.push(l),
    close: () => {
      closed++;
    },
  });
  const reply = (line: string) => ch.receiveReply(parseAgiReply(line));
  return { ch, sent, reply, closedCount: () => closed };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('AgiChannel', () => {
  test('concurrent calls are queued, never pipelined', async () => {
    const { ch, sent, reply } = setup();
    const a = ch.answer();
    const b = ch.getVariable('A');
    const c = ch.getVariable('B');
    assert.deepEqual(sent, ['ANSWER']);
    reply('200 result=0');
    await a;
    assert.deepEqual(sent, ['ANSWER', 'GET VARIABLE A']);
    reply('200 result=1 ()');
    assert.equal(await b, '');
    reply('200 result=0');
    assert.equal(await c, undefined);
    assert.equal(ch.commandCount, 3);
    ch.close();
  });

  test('digits are characters; timeout vs input; -1 is a typed error', async () => {
    const { ch, reply } = setup();
    const d = ch.waitForDigit(1000);
    reply('200 result=35');
    assert.equal(await d, '#');
    const g = ch.getData('x', 1000, 3);
    reply('200 result=12 (timeout)');
    assert.deepEqual(await g, { digits: '12', timeout: true });
    const s = ch.streamFile('x', '12');
    reply('200 result=50 endpos=1234');
    assert.deepEqual(await s, { digit: '2', endpos: 1234 });
    const f = ch.answer();
    reply('200 result=-1');
    await assert.rejects(f, { code: 'AGI_COMMAND_FAILED' });
    const r = ch.recordFile('msg', 'wav', '#', 5000, { beep: true, silenceSeconds: 3 });
    reply('200 result=0 (timeout) endpos=16000');
    assert.deepEqual(await r, { timeout: true, endpos: 16000 });
    ch.close();
  });

  test('per-command timeout rejects; the late reply is consumed, not given to the next command', async () => {
    const { ch, sent, reply } = setup();
    const slow = ch.exec('Dial', 'PJSIP/x', { timeout: 5 });
    await assert.rejects(slow, AgiTimeoutError);
    const next = ch.getVariable('X');
    assert.deepEqual(sent, ['EXEC Dial PJSIP/x'], 'not sent while the old reply is outstanding');
    reply('200 result=0'); // the late Dial reply
    await tick();
    assert.deepEqual(sent, ['EXEC Dial PJSIP/x', 'GET VARIABLE X']);
    reply('200 result=1 (v)');
    assert.equal(await next, 'v');
    ch.close();
  });

  test('abort signal rejects a queued command, which is then never sent', async () => {
    const { ch, sent, reply } = setup();
    const first = ch.answer();
    const ac = new AbortController();
    const second = ch.noop({ signal: ac.signal });
    ac.abort();
    await assert.rejects(second, AgiAbortedError);
    reply('200 result=0');
    await first;
    await tick();
    assert.deepEqual(sent, ['ANSWER']);
    ch.close();
  });

  test('bad arguments are refused before anything is sent', async () => {
    const { ch, sent } = setup();
    await assert.rejects(ch.setVariable('X', 'a\r\nHANGUP'), AgiInvalidArgumentError);
    await assert.rejects(ch.command('NOOP\nHANGUP'), AgiInvalidArgumentError);
    assert.deepEqual(sent, []);
    ch.close();
  });

  test('close rejects everything pending and is idempotent; transport close after hangup', async () => {
    const { ch, closedCount } = setup();
    const a = ch.answer();
    const b = ch.noop();
    ch.close();
    ch.close();
    await assert.rejects(a, AgiClosedError);
    await assert.rejects(b, AgiClosedError);
    await assert.rejects(ch.noop(), AgiClosedError);
    assert.equal(closedCount(), 1);
    assert.equal(ch.signal.aborted, true);
  });

  test('transport closing = hangup: signal fires, pending and later commands reject with AgiHangupError', async () => {
    const { ch } = setup();
    const a = ch.streamFile('x');
    ch.transportClosed();
    await assert.rejects(a, AgiHangupError);
    await assert.rejects(ch.getVariable('X'), AgiHangupError);
    assert.equal(ch.hungUp, true);
    assert.equal(ch.signal.aborted, true);
    assert.ok(ch.signal.reason instanceof AgiHangupError);
  });

  test('GOSUB: interim 100 then final 200; a hangup rejects queued non-dead-safe commands at once', async () => {
    const { ch, sent, reply } = setup();
    const g = ch.gosub('sub', 's', 1, 'a,b');
    const p = ch.sayDigits('123');
    const v = ch.setVariable('A', 'b');
    reply('200 result=0 Gosub complete');
    await g;
    assert.equal(sent[0], 'GOSUB sub s 1 a,b');
    ch.receiveHangup();
    await assert.rejects(p, AgiHangupError);
    reply('511 Command Not Permitted on a dead channel or intercept routine'); // SAY DIGITS had been sent
    await tick();
    assert.equal(sent.at(-1), 'SET VARIABLE A b');
    reply('200 result=1');
    await v;
    ch.close();
  });

  test('session timeout closes the session', async () => {
    const ch = new AgiChannel(
      parseAgiEnvironment('agi_request: x\n\n'),
      { send() {}, close() {} },
      { sessionTimeout: 5 },
    );
    await assert.rejects(ch.waitForDigit(-1), AgiTimeoutError);
    assert.equal(ch.closed, true);
  });
});
