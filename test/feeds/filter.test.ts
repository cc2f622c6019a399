/** Feed filters over the real transcripts: the seed's ROM-Asterisk expressions, legacy/modern names, headers, mine. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AmiMessage } from '../../src/ami/index.js';
import {
  compileFeedFilter,
  eventText,
  FeedsError,
  RegexWorker,
  unsafeReason,
} from '../../src/feeds/index.js';
import { replay } from '../pbx/replay.js';

const events = (rel: string) =>
  replay(rel)
    .map((r) => r.message)
    .filter((m) => m.kind === 'event');
const SEED = 'Dial.{1,}?Begin.{1,}?902|Bridge.{1,}?902|Hangup.{1,}?902';

describe('regex over the flattened event text (ROM-Asterisk)', () => {
  test('the text is one line: Header: value pairs joined by TAB, no CR/LF', () => {
    const m = AmiMessage.from([
      ['Event', 'Dial'],
      ['SubEvent', 'Begin'],
      ['Channel', 'SIP/902-0000000a'],
    ]);
    assert.equal(eventText(m), 'Event: Dial\tSubEvent: Begin\tChannel: SIP/902-0000000a');
  });

  test('the seed expression, unchanged, on Asterisk 11 shaped events of extension 902', () => {
    const f = compileFeedFilter({ regex: SEED });
    const dial = AmiMessage.from([
      ['Event', 'Dial'],
      ['Privilege', 'call,all'],
      ['SubEvent', 'Begin'],
      ['Channel', 'SIP/trunk-00000001'],
      ['Destination', 'SIP/902-00000002'],
    ]);
    const dialOther = AmiMessage.from([
      ['Event', 'Dial'],
      ['SubEvent', 'Begin'],
      ['Channel', 'SIP/trunk-00000001'],
      ['Destination', 'SIP/903-00000002'],
    ]);
    const end = AmiMessage.from([
      ['Event', 'Dial'],
      ['SubEvent', 'End'],
      ['Channel', 'SIP/902-00000002'],
    ]);
    assert.equal(f.test(dial), true);
    assert.equal(f.test(dialOther), false);
    assert.equal(f.test(end), false, 'SubEvent: End is not Begin');
  });

  test('Asterisk 11 transcript: the seed shape for extension 200 picks Dial Begin, Bridge and Hangup of 200', () => {
    const f = compileFeedFilter({ regex: SEED.replaceAll('902', '200') });
    const all = events('asterisk-11/ami/call-lifecycle-full.jsonl');
    const hit = all.filter((m) => f.test(m));
    const names = new Set(hit.map((m) => m.event));
    assert.ok(names.has('Dial') && names.has('Bridge') && names.has('Hangup'), [...names].join(','));
    for (const m of hit) {
      assert.ok(
        ['Dial', 'Bridge', 'LocalBridge', 'Hangup', 'SoftHangupRequest', 'HangupRequest'].includes(m.event!),
        m.event,
      );
      assert.match(eventText(m), /200/);
      if (m.event === 'Dial') assert.equal(m.get('SubEvent'), 'Begin');
    }
    const dialTo200 = all.filter((m) => m.event === 'Dial' && m.get('Destination')?.startsWith('Local/200@'));
    assert.ok(dialTo200.length > 0 && dialTo200.every((m) => f.test(m)));
    const other = all.filter((m) => m.event === 'Newexten' || m.event === 'VarSet');
    assert.equal(other.filter((m) => f.test(m)).length, 0);
  });

  test('modern transcript: Bridge/Hangup parts of the seed shape match BridgeEnter/Hangup of alonso', () => {
    const f = compileFeedFilter({ regex: SEED.replaceAll('902', 'alonso') });
    const all = events('asterisk/ami/sip-call.jsonl');
    const hit = all.filter((m) => f.test(m));
    const names = new Set(hit.map((m) => m.event));
    assert.ok(names.has('BridgeEnter') && names.has('Hangup'), [...names].join(','));
    const hangups = all.filter((m) => m.event === 'Hangup');
    assert.ok(
      hangups.some((m) => !f.test(m)),
      'reina’s own hangup event has no alonso in it',
    );
  });
});

describe('event names, headers, mine', () => {
  test('DialBegin matches Asterisk 11 Dial/SubEvent Begin; BridgeEnter matches Bridge Link', () => {
    const f = compileFeedFilter({ events: ['DialBegin', 'BridgeEnter'] });
    const old = events('asterisk-11/ami/call-lifecycle-full.jsonl').filter((m) => f.test(m));
    assert.ok(old.some((m) => m.event === 'Dial' && m.get('SubEvent') === 'Begin'));
    assert.ok(old.some((m) => m.event === 'Bridge' && m.get('Bridgestate') === 'Link'));
    assert.ok(!old.some((m) => m.get('SubEvent') === 'End' || m.get('Bridgestate') === 'Unlink'));
    const modern = events('asterisk/ami/sip-call.jsonl').filter((m) => f.test(m));
    assert.deepEqual([...new Set(modern.map((m) => m.event))].sort(), ['BridgeEnter', 'DialBegin']);
    const legacyName = compileFeedFilter({ events: ['Dial'] });
    assert.ok(events('asterisk/ami/sip-call.jsonl').some((m) => m.event === 'DialEnd' && legacyName.test(m)));
  });

  test('header regex per header; missing header fails', () => {
    const f = compileFeedFilter({ headers: { Channel: '^PJSIP/alonso-' } });
    const all = events('asterisk/ami/sip-call.jsonl');
    const hit = all.filter((m) => f.test(m));
    assert.ok(hit.length > 0);
    assert.ok(hit.every((m) => m.get('Channel')!.startsWith('PJSIP/alonso-')));
    assert.equal(f.test(AmiMessage.from([['Event', 'FullyBooted']])), false);
  });

  test('mine: channels of the extensions (any header naming a channel), or calls via inMyCall', () => {
    const f = compileFeedFilter({ mine: true });
    const all = events('asterisk/ami/sip-call.jsonl');
    const scope = { extensions: new Set(['alonso']) };
    const hit = all.filter((m) => f.test(m, scope));
    assert.ok(hit.some((m) => m.event === 'DialBegin' && m.get('DestChannel')!.startsWith('PJSIP/alonso-')));
    assert.ok(hit.some((m) => m.get('Channel')?.startsWith('PJSIP/alonso-')));
    assert.equal(f.test(all[0]!, undefined), false);
    const linked = all.find((m) => m.get('Channel')?.startsWith('PJSIP/reina-'))!.get('Linkedid');
    const call = { extensions: new Set<string>(), inMyCall: (m: AmiMessage) => m.get('Linkedid') === linked };
    assert.ok(all.filter((m) => f.test(m, call)).length > 0);
    const local = compileFeedFilter({ mine: true });
    const old = events('asterisk-11/ami/call-lifecycle-full.jsonl');
    assert.ok(old.some((m) => local.test(m, { extensions: new Set(['200']) })));
  });
});

describe('validation and catastrophic backtracking', () => {
  const fails = (spec: Parameters<typeof compileFeedFilter>[0], field: string, code: string) => {
    assert.throws(
      () => compileFeedFilter(spec),
      (e: unknown) => e instanceof FeedsError && e.field === field && e.code === code,
    );
  };

  test('a bad regex names its field', () => {
    fails({ regex: 'Dial(' }, 'filter.regex', 'FEED_BAD_FILTER');
    fails({ regex: '[z-a]' }, 'filter.regex', 'FEED_BAD_FILTER');
    fails({ headers: { Channel: '(' } }, 'filter.headers.Channel', 'FEED_BAD_FILTER');
    fails({ headers: { 'Bad Header': 'x' } }, 'filter.headers.Bad Header', 'FEED_BAD_FILTER');
    fails({ events: [] }, 'filter.events', 'FEED_BAD_FILTER');
  });

  test('super-linear constructs are refused statically; the seed and ordinary patterns pass', () => {
    for (const evil of ['(a+)+$', '(a*)*b', '(a|a)*$', '(.*a){12}', '(\\w+\\s?)+$', '(a)\\1', '(?<=x)y']) {
      assert.ok(unsafeReason(evil), evil);
    }
    for (const ok of [SEED, '^PJSIP/902-', 'Channel: (SIP|PJSIP)/90[0-9]-', 'a{2,5}b?', '[(+*)]+x']) {
      assert.equal(unsafeReason(ok), undefined, ok);
    }
  });

  test('one slow regex is suspended by the worker budget; the event path and other feeds go on', async () => {
    const slow: number[] = [];
    const w = new RegexWorker({ budgetMs: 200, onSlow: (id) => slow.push(id) });
    try {
      w.set(1, SEED); // passes the static check, yet cubic on this text
      w.set(2, '^Event: Dial');
      const evil = eventText(
        AmiMessage.from([
          ['Event', 'Dial'],
          ['Data', 'DialBegin'.repeat(1800)],
        ]),
      );
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 10);
      const hits = await w.match(evil, [1, 2]);
      clearInterval(ticker);
      assert.deepEqual([...hits], [2]);
      assert.deepEqual(slow, [1]);
      assert.equal(w.isSuspended(1), true);
      assert.ok(ticks > 0, 'the main thread kept running while the worker was stuck');
      const dial = eventText(
        AmiMessage.from([
          ['Event', 'Dial'],
          ['SubEvent', 'Begin'],
          ['Channel', 'SIP/902-1'],
        ]),
      );
      assert.deepEqual([...(await w.match(dial, [1, 2]))], [2], 'the suspended pattern stays off');
      w.set(1, SEED);
      assert.deepEqual([...(await w.match(dial, [1, 2]))].sort(), [1, 2], 'saving it again re-enables it');
    } finally {
      await w.close();
    }
  });
});
