/** call.ringing / call.answered / call.ended derived from the recorded SIP calls replayed through PbxModel. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type CallEvent, CallEventDeriver } from '../../src/feeds/index.js';
import { run } from '../pbx/replay-check.js';

function derive(rel: string, known: string[]): CallEvent[] {
  const d = new CallEventDeriver(() => new Set(known));
  return run(rel).changes.flatMap((c) => d.apply(c));
}

describe('call events from the SIP transcripts', () => {
  test('sip-call: reina calls alonso — ringing, answered, ended ANSWERED, internal', () => {
    const ev = derive('asterisk/ami/sip-call.jsonl', ['reina', 'alonso']);
    assert.deepEqual(
      ev.map((e) => e.type),
      ['call.ringing', 'call.answered', 'call.ended'],
    );
    for (const e of ev) {
      assert.equal(e.caller, 'reina');
      assert.equal(e.callee, 'alonso');
      assert.equal(e.direction, 'internal');
    }
    const end = ev[2]!;
    assert.equal(end.disposition, 'ANSWERED');
    assert.ok(end.duration! >= end.billable! && end.billable! >= 0);
    assert.deepEqual(end.extensions.sort(), ['alonso', 'reina']);
  });

  test('sip-queue: one ringing per call even with two agents rung; direction from known extensions', () => {
    const ev = derive('asterisk/ami/sip-queue.jsonl', ['alonso', 'manuel']);
    assert.equal(ev.filter((e) => e.type === 'call.ringing').length, 1);
    assert.equal(ev.filter((e) => e.type === 'call.answered').length, 1);
    const end = ev.find((e) => e.type === 'call.ended')!;
    assert.equal(end.caller, 'reina');
    assert.equal(end.direction, 'inbound');
    assert.equal(end.disposition, 'ANSWERED');
  });

  test('sip-click-to-dial: the originated call rings, is answered and ends', () => {
    const ev = derive('asterisk/ami/sip-click-to-dial.jsonl', []);
    const types = ev.map((e) => e.type);
    assert.ok(types.includes('call.ringing') && types.includes('call.ended'), types.join(','));
    assert.equal(ev.find((e) => e.type === 'call.ended')!.direction, 'unknown');
  });
});
