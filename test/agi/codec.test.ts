import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  AgiInvalidArgumentError,
  AgiReader,
  type AgiReaderEvent,
  isDeadSafeCommand,
  parseAgiArgs,
  parseAgiEnvironment,
  parseAgiReply,
  quoteAgiArg,
  serializeAgiCommand,
} from '../../src/agi/index.js';
import { fastAgiTranscripts, readTranscript } from './transcripts.js';

function readAll(chunks: string[], environment = true): AgiReaderEvent[] {
  const events: AgiReaderEvent[] = [];
  const reader = new AgiReader((e) => events.push(e), { environment });
  for (const c of chunks) reader.push(c);
  return events;
}

describe('FastAGI transcripts (codec replay)', () => {
  for (const [label, path] of fastAgiTranscripts()) {
    test(label, () => {
      const records = readTranscript(path);
      const ins = records.filter((r) => r.dir === 'in' && r.data !== '').map((r) => r.data);
      const outs = records.filter((r) => r.dir === 'out' && !r.close).map((r) => r.data);
      const events = readAll(ins);
      if (ins.length === 0) {
        assert.equal(events.length, 0);
        return;
      }
      assert.equal(events[0]?.type, 'environment');
      const replies = events.filter((e) => e.type === 'reply');
      // Every command our recorder sent got exactly one final reply, in order.
      assert.equal(replies.length, outs.length);
      for (const out of outs) {
        assert.ok(out.endsWith('\n') && !out.slice(0, -1).includes('\n'));
        // What our serializer writes for the same arguments parses (as Asterisk does) to the same argv.
        const argv = parseAgiArgs(out.slice(0, -1));
        const ours = serializeAgiCommand(argv[0]!, argv.slice(1));
        assert.deepEqual(parseAgiArgs(ours), argv);
      }
      // Random re-chunking yields the same events.
      const whole = ins.join('');
      fc.assert(
        fc.property(fc.array(fc.nat(whole.length), { maxLength: 20 }), (cuts) => {
          const points = [...new Set(cuts)].sort((a, b) => a - b);
          const chunks: string[] = [];
          let last = 0;
          for (const p of points) {
            chunks.push(whole.slice(last, p));
            last = p;
          }
          chunks.push(whole.slice(last));
          assert.deepEqual(readAll(chunks), events);
        }),
        { numRuns: 50 },
      );
    });
  }

  test('environment of the current-Asterisk tour is typed, with values containing ":" whole', () => {
    const rec = readTranscript(
      fastAgiTranscripts().find(([l]) => l === 'asterisk/full-command-tour.jsonl')![1],
    );
    const events = readAll(rec.filter((r) => r.dir === 'in').map((r) => r.data));
    const env = events[0];
    assert.ok(env?.type === 'environment');
    const r = env.request;
    assert.equal(r.request, 'agi://127.0.0.1:4573/route?exten=100&src=harness');
    assert.equal(r.network, true);
    assert.equal(r.networkScript, 'route?exten=100&src=harness');
    assert.equal(r.script, 'route');
    assert.equal(r.path, '/route');
    assert.deepEqual(r.query, { exten: '100', src: 'harness' });
    assert.deepEqual(r.args, ['first', 'second arg']);
    assert.equal(r.channel, 'Local/100@sb-test-00000051;2');
    assert.equal(r.callerId, '33');
    assert.equal(r.callerIdName, 'SB Harness');
    assert.equal(r.dnid, undefined);
    assert.equal(r.rdnis, undefined);
    assert.equal(r.callingPres, 0);
    assert.equal(r.context, 'sb-test');
    assert.equal(r.extension, '100');
    assert.equal(r.priority, '3');
    assert.equal(r.enhanced, false);
    assert.equal(r.accountCode, '');
    assert.equal(r.threadId, '140236520683200');
    assert.equal(r.uniqueid, '1795341080.165');
    assert.equal(r.env['agi_request'], r.request);
  });

  test('SIP call: unknown caller name absent, dnid present, no args', () => {
    const rec = readTranscript(
      fastAgiTranscripts().find(([l]) => l === 'asterisk/sip-router-call.jsonl')![1],
    );
    const env = readAll(rec.filter((r) => r.dir === 'in').map((r) => r.data))[0];
    assert.ok(env?.type === 'environment');
    assert.equal(env.request.callerIdName, undefined);
    assert.equal(env.request.callerId, 'reina');
    assert.equal(env.request.dnid, '25');
    assert.deepEqual(env.request.args, []);
    assert.equal(env.request.path, '/router');
    assert.deepEqual(env.request.query, {});
  });

  test('Asterisk 11 520 block with the terminator glued to the usage text', () => {
    const rec = readTranscript(
      fastAgiTranscripts().find(([l]) => l === 'asterisk-11/full-command-tour.jsonl')![1],
    );
    const replies = readAll(rec.filter((r) => r.dir === 'in').map((r) => r.data)).filter(
      (e) => e.type === 'reply',
    );
    const usage = replies.find((e) => e.type === 'reply' && e.reply.code === 520);
    assert.ok(usage?.type === 'reply');
    assert.equal(usage.reply.usage?.length, 1);
    assert.match(usage.reply.usage?.[0] ?? '', /^Say a given digit string.*error\/hangup\.$/);
  });
});

describe('reply lines', () => {
  test('result, data, endpos, fields, text', () => {
    assert.deepEqual(parseAgiReply('200 result=0 endpos=3520'), {
      code: 200,
      result: '0',
      endpos: 3520,
      fields: { endpos: '3520' },
      lines: ['200 result=0 endpos=3520'],
    });
    const v = parseAgiReply('200 result=1 (100-Local/100@sb-test-00000051;2)');
    assert.equal(v.data, '100-Local/100@sb-test-00000051;2');
    const t = parseAgiReply('200 result= (timeout)');
    assert.equal(t.result, '');
    assert.equal(t.data, 'timeout');
    const g = parseAgiReply('200 result=-1 Gosub label not found');
    assert.equal(g.result, '-1');
    assert.equal(g.text, 'Gosub label not found');
    const p = parseAgiReply('200 result=1 (a (b) c)');
    assert.equal(p.data, 'a (b) c');
    const s = parseAgiReply(
      '200 result=1 (speech) endpos=100 results=1 score0=900 text0="hello (x) world" grammar0=g',
    );
    assert.equal(s.data, 'speech');
    assert.equal(s.endpos, 100);
    assert.equal(s.fields['text0'], 'hello (x) world');
    assert.equal(parseAgiReply('510 Invalid or unknown command').text, 'Invalid or unknown command');
    assert.equal(parseAgiReply('200 result=0 (timeout) endpos=8000').data, 'timeout');
  });

  test('GOSUB: 100 Trying is interim, then 200; HANGUP while waiting', () => {
    const events = readAll(['100 result=0 Tr', 'ying...\nHAN', 'GUP\n200 result=0 Gosub complete\n'], false);
    assert.deepEqual(
      events.map((e) => e.type),
      ['interim', 'hangup', 'reply'],
    );
  });

  test('520: the single-line form, and a multi-line usage block read to its end over any chunking', () => {
    const wire =
      '520 Invalid command syntax.  Proper usage not available.\n' +
      '520-Invalid command syntax.  Proper usage follows:\n' +
      ' Usage: SAY DIGITS <number> <escape digits>\n' +
      '\n' +
      '200 result=1 looks like a reply but is usage text\n' +
      '520 End of proper usage.\n' +
      '200 result=0\n';
    const expectOn = (events: AgiReaderEvent[]) => {
      assert.deepEqual(
        events.map((e) => (e.type === 'reply' ? e.reply.code : e.type)),
        [520, 520, 200],
      );
      const [single, block] = events as { reply: { usage?: readonly string[]; text?: string } }[];
      assert.equal(single?.reply.usage, undefined);
      assert.equal(single?.reply.text, 'Invalid command syntax.  Proper usage not available.');
      assert.deepEqual(block?.reply.usage, [
        ' Usage: SAY DIGITS <number> <escape digits>',
        '',
        '200 result=1 looks like a reply but is usage text',
      ]);
    };
    expectOn(readAll([wire], false));
    fc.assert(
      fc.property(fc.array(fc.nat(wire.length), { maxLength: 12 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks: string[] = [];
        let last = 0;
        for (const p of points) {
          chunks.push(wire.slice(last, p));
          last = p;
        }
        chunks.push(wire.slice(last));
        expectOn(readAll(chunks, false));
      }),
      { numRuns: 200 },
    );
  });

  test('bytes split anywhere, even inside a UTF-8 sequence, read the same', () => {
    const wire = Buffer.from(
      'agi_network: yes\nagi_network_script: ivr?n=%C3%A9\nagi_request: agi://h/ivr?n=%C3%A9\n' +
        'agi_calleridname: José Ñúñez ☎\nagi_arg_1: 日本\n\n' +
        '200 result=1 (café ☎ 😀)\nHANGUP\n200 result=1 (ü)\n',
      'utf8',
    );
    const read = (chunks: Buffer[]) => {
      const events: AgiReaderEvent[] = [];
      const reader = new AgiReader((e) => events.push(e));
      for (const c of chunks) reader.push(c);
      return events;
    };
    const whole = read([wire]);
    const env = whole[0];
    assert.ok(env?.type === 'environment');
    assert.equal(env.request.callerIdName, 'José Ñúñez ☎');
    assert.deepEqual(env.request.args, ['日本']);
    assert.deepEqual(env.request.query, { n: 'é' });
    assert.deepEqual(
      whole.slice(1).map((e) => (e.type === 'reply' ? e.reply.data : e.type)),
      ['café ☎ 😀', 'hangup', 'ü'],
    );
    fc.assert(
      fc.property(fc.array(fc.nat(wire.length), { maxLength: 30 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let last = 0;
        for (const p of points) {
          chunks.push(wire.subarray(last, p));
          last = p;
        }
        chunks.push(wire.subarray(last));
        assert.deepEqual(read(chunks), whole);
      }),
      { numRuns: 300 },
    );
  });

  test('garbage is a protocol error', () => {
    const reader = new AgiReader(() => {}, { environment: false });
    assert.throws(() => reader.push('hello\n'), { code: 'AGI_PROTOCOL' });
  });
});

/** Asterisk's parse_args, written independently as a byte-level state machine mirroring res_agi.c. */
function asteriskParseArgs(s: string): string[] {
  const argv: string[] = [];
  let out = '';
  const starts: number[] = [];
  let quoted = false;
  let escaped = false;
  let whitespace = true;
  // `out` is the rewritten buffer; '\0' marks ends; starts[] are argv pointers into it.
  for (const ch of s) {
    let normal = false;
    if (ch === '"') {
      if (escaped) normal = true;
      else {
        quoted = !quoted;
        if (quoted && whitespace) {
          starts.push(out.length);
          whitespace = false;
        }
        escaped = false;
      }
    } else if (ch === ' ' || ch === '\t') {
      if (!quoted && !escaped) {
        whitespace = true;
        out += '\0';
      } else normal = true;
    } else if (ch === '\\') {
      if (escaped) normal = true;
      else escaped = true;
    } else normal = true;
    if (normal) {
      if (whitespace) {
        starts.push(out.length);
        whitespace = false;
      }
      out += ch;
      escaped = false;
    }
  }
  out += '\0';
  for (const st of starts) argv.push(out.slice(st, out.indexOf('\0', st)));
  return argv;
}

describe('command quoting', () => {
  const arg = fc.string({ unit: fc.constantFrom('a', ' ', '\t', '"', '\\', 'é', '$', '(', 'x', '0', ',') });
  test('round trip through Asterisk parse_args', () => {
    fc.assert(
      fc.property(fc.array(arg, { maxLength: 8 }), (args) => {
        const line = serializeAgiCommand('EXEC', args);
        assert.deepEqual(asteriskParseArgs(line), ['EXEC', ...args]);
        assert.deepEqual(parseAgiArgs(line), ['EXEC', ...args]);
      }),
      { numRuns: 500 },
    );
  });

  test('our parseAgiArgs agrees with the reference on any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ' ', '\t', '"', '\\', 'b') }), (s) => {
        assert.deepEqual(parseAgiArgs(s), asteriskParseArgs(s));
      }),
      { numRuns: 1000 },
    );
  });

  test('quoting rules', () => {
    assert.equal(quoteAgiArg(''), '""');
    assert.equal(quoteAgiArg('beep'), 'beep');
    assert.equal(quoteAgiArg('sip ok'), '"sip ok"');
    assert.equal(quoteAgiArg('a"b\\c'), '"a\\"b\\\\c"');
    assert.equal(quoteAgiArg(42), '42');
    assert.equal(serializeAgiCommand('STREAM FILE', ['beep', '']), 'STREAM FILE beep ""');
    assert.equal(serializeAgiCommand('GET DATA', ['beep', 100, 4, undefined]), 'GET DATA beep 100 4');
  });

  test('CR or LF in an argument is refused (injection)', () => {
    assert.throws(() => serializeAgiCommand('SET VARIABLE', ['X', 'a\nHANGUP']), AgiInvalidArgumentError);
    assert.throws(() => quoteAgiArg('a\rb'), { code: 'AGI_INVALID_ARGUMENT' });
    assert.throws(() => serializeAgiCommand('X', [undefined, 'a']), AgiInvalidArgumentError);
  });

  test('environment parser keeps values with colons', () => {
    const r = parseAgiEnvironment('agi_request: agi://h:4573/x?u=http://a:b@c\nagi_arg_1: a: b\n\n');
    assert.equal(r.request, 'agi://h:4573/x?u=http://a:b@c');
    assert.deepEqual(r.query, { u: 'http://a:b@c' });
    assert.deepEqual(r.args, ['a: b']);
    assert.equal(r.path, '/x');
  });
});

describe('dead-safe commands', () => {
  test('recognised whatever the case and spacing; others are not', () => {
    for (const l of [
      'GET VARIABLE X',
      'get variable X',
      'GET\tVARIABLE X',
      'SET VARIABLE A "b c"',
      'EXEC Dial x',
      'NOOP',
    ]) {
      assert.equal(isDeadSafeCommand(l), true, l);
    }
    for (const l of [
      'STREAM FILE beep ""',
      'DATABASE DELTREEX a',
      'GET DATA x',
      'ANSWER',
      'SPEECH UNLOAD',
      '',
    ]) {
      assert.equal(isDeadSafeCommand(l), false, l);
    }
    assert.equal(isDeadSafeCommand('SPEECH UNLOAD GRAMMAR g'), true);
    assert.equal(isDeadSafeCommand('DATABASE DELTREE fam'), true);
  });
});
