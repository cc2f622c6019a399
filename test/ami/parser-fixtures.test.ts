import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AmiMessage, AmiParser } from '../../src/ami/index.js';
import { amiFixture, amiFixtures, referencePacketCount } from './fixtures.js';

function parseChunks(chunks: readonly Buffer[]): {
  messages: AmiMessage[];
  banner?: string;
  pending: number;
} {
  const messages: AmiMessage[] = [];
  let banner: string | undefined;
  const p = new AmiParser({
    onMessage: (m) => messages.push(m),
    onBanner: (b) => {
      banner = b;
    },
    onError: (e) => {
      throw e;
    },
  });
  for (const c of chunks) p.push(c);
  return { messages, ...(banner === undefined ? {} : { banner }), pending: p.pending };
}

function byAction(messages: AmiMessage[], id: string): AmiMessage[] {
  return messages.filter((m) => m.actionId === id);
}

describe('AmiParser replays every recorded transcript', () => {
  const fixtures = amiFixtures();
  test('there are transcripts of the three Asterisk versions', () => {
    assert.ok(fixtures.length >= 80, `only ${fixtures.length} fixtures`);
    for (const v of ['asterisk/', 'asterisk-13/', 'asterisk-11/'])
      assert.ok(fixtures.some((f) => f.name.startsWith(v)));
  });
  for (const f of fixtures) {
    test(f.name, () => {
      const whole = parseChunks([f.raw]);
      const recorded = parseChunks(f.chunks);
      assert.equal(whole.pending, 0, 'bytes left over');
      assert.equal(recorded.pending, 0, 'bytes left over (chunked)');
      assert.match(whole.banner ?? '', /^Asterisk Call Manager\/\d+\.\d+(\.\d+)?$/);
      assert.equal(whole.messages.length, referencePacketCount(f.raw));
      assert.deepEqual(
        recorded.messages.map((m) => m.text()),
        whole.messages.map((m) => m.text()),
      );
      for (const m of whole.messages) {
        // The fast key scan agrees with the full header split.
        const first = (n: string) => m.headers.find(([k]) => k.toLowerCase() === n)?.[1];
        const fresh = new AmiMessage(m.raw);
        assert.equal(fresh.event, first('event'));
        assert.equal(fresh.actionId, first('actionid'));
        assert.equal(fresh.response, first('response'));
        // So does the single-header lookup used before any split, for every header name.
        for (const [name] of m.headers) {
          if (name === '') continue;
          assert.equal(new AmiMessage(m.raw).get(name.toUpperCase()), first(name.toLowerCase()), name);
        }
        assert.notEqual(m.kind, 'other', `unclassified packet ${m.text().slice(0, 60)}`);
        // Every line is a header (or a pre-14 output line): nothing is lost between text and headers.
        const lines = m
          .text()
          .split('\n')
          .filter((l) => l !== '' && l !== '\r').length;
        if (m.response !== 'Follows') assert.equal(m.headers.length, lines);
      }
      // Every ActionID the recording client sent got a response packet.
      for (const out of f.outs) {
        const id = /ActionID: ?([^\r\n]*)/i.exec(out)?.[1];
        if (!id) continue;
        assert.ok(
          whole.messages.some((m) => m.actionId === id && m.kind === 'response'),
          `no response for ${id}`,
        );
      }
    });
  }
});

describe('facts from specific transcripts', () => {
  test('14+ Command output arrives as Output headers', () => {
    const { messages } = parseChunks(amiFixture('asterisk/ami/command-output').chunks);
    const [channels] = byAction(messages, 'command-2');
    assert.deepEqual(channels?.output?.slice(1), [
      '0 active channels',
      '0 active calls',
      '47 calls processed',
    ]);
    assert.ok(channels?.output?.[0]?.startsWith('Channel '));
    assert.ok(channels?.output?.[0]?.endsWith('Application(Data)             '), 'trailing spaces kept');
    const [dialplan] = byAction(messages, 'command-4');
    assert.ok(dialplan?.output?.some((l) => l.includes('UserEvent(AgiDone,Status: $' + '{AGISTATUS}')));
    assert.equal(dialplan?.getAll('output').length, dialplan?.output?.length);
    const [unknown] = byAction(messages, 'command-5');
    assert.equal(unknown?.response, 'Error');
    assert.match(unknown?.output?.[0] ?? '', /^No such command 'no such command here'/);
  });

  for (const v of ['asterisk-13', 'asterisk-11']) {
    test(`${v}: pre-14 Command body (Response: Follows … --END COMMAND--) is read raw`, () => {
      const { messages } = parseChunks(amiFixture(`${v}/ami/command-output`).chunks);
      const [channels] = byAction(messages, 'command-2');
      assert.equal(channels?.response, 'Follows');
      assert.equal(channels?.get('Privilege'), 'Command');
      assert.equal(channels?.output?.[1], '0 active channels');
      assert.equal(channels?.output?.length, 4);
      const [dialplan] = byAction(messages, 'command-4');
      const out = dialplan?.output ?? [];
      assert.ok(out.includes(''), 'the blank line inside the output is kept');
      assert.match(out[out.length - 1] ?? '', /^-= \d+ extensions \(\d+ priorities\) in 1 context\. =-$/);
      assert.ok(out.some((l) => l.includes('UserEvent(AgiDone,Status: $' + '{AGISTATUS}')));
      assert.ok(!out.some((l) => l.includes('--END COMMAND--')));
      assert.equal(dialplan?.headers.length, 3);
      const [unknown] = byAction(messages, 'command-5');
      assert.match(unknown?.output?.[0] ?? '', /^No such command/);
      const goodbye = messages[messages.length - 1];
      assert.equal(goodbye?.response, 'Goodbye');
    });
  }

  test('OriginateResponse is an event even though it carries Response and the ActionID', () => {
    for (const v of ['asterisk', 'asterisk-13', 'asterisk-11']) {
      const { messages } = parseChunks(amiFixture(`${v}/ami/originate-sync-and-async`).chunks);
      const orig = messages.filter((m) => m.event === 'OriginateResponse');
      assert.equal(orig.length, 1, v);
      assert.equal(orig[0]?.kind, 'event');
      assert.equal(orig[0]?.response, 'Success');
      assert.equal(orig[0]?.actionId, 'orig-async');
      const replies = byAction(messages, 'orig-async').filter((m) => m.kind === 'response');
      assert.equal(replies.length, 1);
      assert.equal(replies[0]?.get('message'), 'Originate successfully queued');
    }
  });

  test('Status items: repeated Variable headers in order, ActionID last', () => {
    const { messages } = parseChunks(amiFixture('asterisk/ami/status-during-call').chunks);
    const items = byAction(messages, 'status-3');
    assert.deepEqual(
      items.map((m) => m.event ?? m.response),
      ['Success', 'Status', 'StatusComplete'],
    );
    const item = items[1]!;
    assert.deepEqual(item.getAll('Variable'), ['WAITSECS=5', 'FOO=(null)']);
    assert.deepEqual(item.headers[item.headers.length - 1], ['ActionID', 'status-3']);
    assert.deepEqual(item.toJSON()['Variable'], ['WAITSECS=5', 'FOO=(null)']);
    assert.equal(items[2]?.get('eventlist'), 'Complete');
  });

  test('UserEvent: repeats, empty values, colons and padding are kept verbatim', () => {
    const { messages } = parseChunks(amiFixture('asterisk/ami/userevent').chunks);
    const ev = messages.find((m) => m.get('UserEvent') === 'SbTest')!;
    assert.equal(ev.event, 'UserEvent');
    assert.deepEqual(ev.getAll('x-repeat'), ['a', 'b']);
    assert.equal(ev.get('URL'), 'http://example.invalid:8080/x?y=1');
    assert.equal(ev.get('Empty'), '');
    assert.ok(ev.has('empty'));
    assert.equal(ev.get('Spaces'), '  padded  ');
    assert.equal(ev.get('nope'), undefined);
    assert.equal(ev.headers.find(([n]) => n.toLowerCase() === 'url')?.[0], 'Url', 'original spelling kept');
  });

  test('a bare LF inside a value plus the blank line does not make a phantom packet', () => {
    const { messages } = parseChunks(amiFixture('asterisk/ami/pjsip-register').chunks);
    const err = messages.find((m) => m.get('Message') === 'No Contacts found');
    assert.equal(err?.response, 'Error');
    assert.ok(messages.every((m) => m.headers.length > 0));
  });

  test('Asterisk 11 lists without EventList still carry their ActionID on every item', () => {
    const { messages } = parseChunks(amiFixture('asterisk-11/ami/status-during-call').chunks);
    const complete = messages.filter((m) => m.event === 'StatusComplete');
    assert.ok(complete.length >= 1);
    assert.ok(complete.every((m) => m.get('EventList') === undefined));
  });

  test('CEL and Cdr header spellings are looked up case-insensitively', () => {
    const { messages } = parseChunks(amiFixture('asterisk/ami/call-lifecycle-full').chunks);
    const cel = messages.find((m) => m.event === 'CEL')!;
    assert.equal(cel.get('CallerIDNum'), cel.get('callerIDnum'));
    assert.ok(cel.headers.some(([n]) => n === 'CallerIDnum'));
    assert.equal(messages.filter((m) => m.event === 'Cdr').length, 3);
  });
});
