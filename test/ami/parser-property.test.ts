import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { type AmiMessage, type AmiParseError, AmiParser } from '../../src/ami/index.js';
import { amiFixtures } from './fixtures.js';

function parse(chunks: readonly Uint8Array[], opts: { maxPacketBytes?: number; maxHeaders?: number } = {}) {
  const messages: AmiMessage[] = [];
  const errors: AmiParseError[] = [];
  const p = new AmiParser({ onMessage: (m) => messages.push(m), onError: (e) => errors.push(e), ...opts });
  for (const c of chunks) p.push(c);
  return { messages, errors, pending: p.pending };
}

function splitAt(buf: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(buf.subarray(prev, p));
    prev = p;
  }
  out.push(buf.subarray(prev));
  return out;
}

const summary = (ms: AmiMessage[]) => ms.map((m) => [m.raw.toString('hex'), m.headers, m.output ?? null]);

describe('re-splitting every transcript at random points gives identical messages', () => {
  for (const f of amiFixtures()) {
    test(f.name, () => {
      const expected = summary(parse([f.raw]).messages);
      // Cut points between CR and LF and inside multi-byte UTF-8 are forced in, plus random ones.
      const special: number[] = [];
      for (let i = 1; i < f.raw.length; i++) {
        if ((f.raw[i - 1] === 0x0d && f.raw[i] === 0x0a) || (f.raw[i]! & 0xc0) === 0x80) special.push(i);
      }
      fc.assert(
        fc.property(
          fc.array(fc.nat({ max: f.raw.length }), { maxLength: 60 }),
          fc.subarray(special, { maxLength: Math.min(40, special.length) }),
          (cuts, forced) => {
            const got = parse(splitAt(f.raw, [...cuts, ...forced]));
            assert.equal(got.pending, 0);
            assert.deepEqual(summary(got.messages), expected);
          },
        ),
        { numRuns: 15 },
      );
    });
  }
  test('one byte at a time', () => {
    for (const f of amiFixtures().filter((x) => x.name.includes('command-output'))) {
      const bytes = [...f.raw].map((b) => Uint8Array.of(b));
      assert.deepEqual(summary(parse(bytes).messages), summary(parse([f.raw]).messages));
    }
  });
});

describe('line endings, odd lines and encodings', () => {
  test('bare LF and CRLF packets parse the same', () => {
    const crlf = parse([Buffer.from('Response: Success\r\nActionID: a\r\nPing: Pong\r\n\r\n')]).messages;
    const lf = parse([Buffer.from('Response: Success\nActionID: a\nPing: Pong\n\n')]).messages;
    assert.deepEqual(
      lf.map((m) => m.headers),
      crlf.map((m) => m.headers),
    );
  });

  test('a lone CR is not a line end; a line without a colon is kept', () => {
    const [m] = parse([Buffer.from('Event: X\r\nA: b\rc\r\nNo categories found\r\n\r\n')]).messages;
    assert.equal(m?.get('A'), 'b\rc');
    assert.deepEqual(m?.headers[2], ['', 'No categories found']);
  });

  test('ChanVariable(chan): n=v names keep their parentheses, even with a colon inside', () => {
    const [m] = parse([
      Buffer.from(
        'Event: Newexten\r\nChanVariable(IAX2/host:4569-1): FOO=a:b\r\nChanVariable(SIP/x): B=2\r\n\r\n',
      ),
    ]).messages;
    assert.deepEqual(m?.getAll('ChanVariable(IAX2/host:4569-1)'), ['FOO=a:b']);
    assert.equal(m?.get('chanvariable(sip/x)'), 'B=2');
  });

  test('a value containing ": " is split at the first colon only', () => {
    const [m] = parse([Buffer.from('Event: X\r\nData: a: b: c\r\nAction:Ping\r\n\r\n')]).messages;
    assert.equal(m?.get('data'), 'a: b: c');
    assert.equal(m?.get('action'), 'Ping');
  });

  test('invalid UTF-8 is kept losslessly and valid UTF-8 beside it still decodes', () => {
    const bytes = Buffer.concat([
      Buffer.from('Event: Newchannel\r\nCallerIDName: Jos'),
      Buffer.from([0xe9]), // latin-1 é, invalid as UTF-8
      Buffer.from('\r\nConnectedLineName: Zoë 😀\r\n\r\n'),
    ]);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const { messages } = parse([bytes.subarray(0, cut), bytes.subarray(cut)]);
      assert.equal(messages.length, 1);
      const m = messages[0]!;
      assert.equal(m.get('CallerIDName'), 'José');
      assert.deepEqual(Buffer.from(m.get('CallerIDName')!, 'latin1'), Buffer.from([0x4a, 0x6f, 0x73, 0xe9]));
      assert.equal(m.get('ConnectedLineName'), 'Zoë 😀');
      assert.deepEqual(m.raw, bytes.subarray(0, bytes.length - 2));
    }
  });

  test('arbitrary bytes in values survive any split (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 20 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (values, cuts) => {
          const clean = values.map((v) => Buffer.from(v.filter((b) => b !== 0x0a && b !== 0x0d)));
          const parts: Buffer[] = [Buffer.from('Event: Bytes\r\n')];
          for (const [i, v] of clean.entries()) parts.push(Buffer.from(`V${i}: `), v, Buffer.from('\r\n'));
          parts.push(Buffer.from('\r\n'));
          const wire = Buffer.concat(parts);
          const { messages } = parse(splitAt(wire, cuts));
          assert.equal(messages.length, 1);
          assert.deepEqual(messages[0]!.raw, wire.subarray(0, wire.length - 2));
          clean.forEach((v, i) => {
            const got = messages[0]!.get(`V${i}`)!;
            const asUtf8 = Buffer.from(got, 'utf8');
            const asLatin1 = Buffer.from(got, 'latin1');
            assert.ok(asUtf8.equals(v) || asLatin1.equals(v), `value ${i} not recoverable`);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  test('the banner is reported only at the start of the stream', () => {
    const banners: string[] = [];
    const messages: AmiMessage[] = [];
    const p = new AmiParser({ onMessage: (m) => messages.push(m), onBanner: (b) => banners.push(b) });
    for (const ch of 'Asterisk Call Manager/1.3\r\nResponse: Success\r\n\r\n') p.push(Buffer.from(ch));
    assert.deepEqual(banners, ['Asterisk Call Manager/1.3']);
    assert.equal(messages.length, 1);
    const q = new AmiParser({ onMessage: (m) => messages.push(m), banner: false });
    q.push(Buffer.from('Response: Success\r\n\r\n'));
    assert.equal(messages.length, 2);
  });
});

describe('limits', () => {
  const good = (id: string) => Buffer.from(`Response: Success\r\nActionID: ${id}\r\n\r\n`);
  const huge = Buffer.from(`Event: Huge\r\n${'X-Pad: ' + 'y'.repeat(200) + '\r\n'}`.repeat(30) + '\r\n');

  test('an oversized packet raises a typed error, is skipped, and the stream resynchronises', () => {
    const wire = Buffer.concat([good('a'), huge, good('b')]);
    for (const chunks of [
      [wire],
      splitAt(wire, [5, 100, 700, 3000, 6000]),
      [...wire].map((b) => Uint8Array.of(b)),
    ]) {
      const { messages, errors, pending } = parse(chunks, { maxPacketBytes: 1024 });
      assert.deepEqual(
        messages.map((m) => m.actionId),
        ['a', 'b'],
      );
      assert.ok(errors.length >= 1);
      assert.ok(errors.every((e) => e.code === 'AMI_PACKET_TOO_LARGE'));
      assert.equal(pending, 0);
    }
  });

  test('an oversized pre-14 Command body resynchronises after its sentinel, not at a blank line inside it', () => {
    const body = `Response: Follows\r\nPrivilege: Command\r\nActionID: c\r\n${'line\n\n'.repeat(400)}--END COMMAND--\r\n\r\n`;
    const wire = Buffer.concat([good('a'), Buffer.from(body), good('b')]);
    const { messages, errors } = parse(splitAt(wire, [10, 50, 500, 1500]), { maxPacketBytes: 512 });
    assert.deepEqual(
      messages.map((m) => m.actionId),
      ['a', 'b'],
    );
    assert.equal(errors[0]?.code, 'AMI_PACKET_TOO_LARGE');
  });

  test('too many header lines raises AMI_TOO_MANY_HEADERS and keeps the next packets', () => {
    const many = Buffer.from(`Event: Many\r\n${'A: 1\r\n'.repeat(50)}\r\n`);
    const { messages, errors } = parse([good('a'), many, good('b')], { maxHeaders: 20 });
    assert.deepEqual(
      messages.map((m) => m.actionId),
      ['a', 'b'],
    );
    assert.equal(errors[0]?.code, 'AMI_TOO_MANY_HEADERS');
  });

  test('memory stays bounded while skipping an endless packet', () => {
    const p = new AmiParser({ onMessage: () => {}, onError: () => {}, maxPacketBytes: 1000 });
    p.push(Buffer.from('Event: Endless\r\n'));
    for (let i = 0; i < 200; i++) p.push(Buffer.from(`X: ${'z'.repeat(100)}\r\n`));
    assert.ok(p.pending < 2000, `pending ${p.pending}`);
  });
});
