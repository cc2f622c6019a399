/** Call records of known recorded calls: queue answered by alonso, attended and blind transfers, queue timeouts. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PbxChannel, PbxEndpoint } from '../../src/pbx/index.js';
import { run } from './replay-check.js';

describe('call records of recorded calls', () => {
  test('sip-queue: answered by alonso after ~1 s in ventas; Cdr ANSWERED + NO ANSWER', () => {
    const { records } = run('asterisk/ami/sip-queue.jsonl');
    assert.equal(records.length, 1);
    const r = records[0]!;
    assert.equal(r.disposition, 'ANSWERED');
    assert.equal(r.source, 'reina');
    assert.equal(r.destination, '600');
    assert.equal(r.agent, 'PJSIP/alonso');
    assert.equal(r.queues.length, 1);
    assert.deepEqual(
      {
        queue: r.queues[0]!.queue,
        outcome: r.queues[0]!.outcome,
        wait: r.queues[0]!.waitSeconds,
        talk: r.queues[0]!.talkSeconds,
      },
      { queue: 'ventas', outcome: 'answered', wait: 1, talk: 2 },
    );
    assert.deepEqual(r.cdrs.map((c) => c.disposition).sort(), ['ANSWERED', 'NO ANSWER']);
    assert.deepEqual(r.legs.map((l) => l.name.replace(/-[0-9a-f]+$/, '')).sort(), [
      'PJSIP/alonso',
      'PJSIP/manuel',
      'PJSIP/reina',
    ]);
    const manuel = r.legs.find((l) => l.name.startsWith('PJSIP/manuel'))!;
    assert.deepEqual([manuel.cause, manuel.causeText], [26, 'Answered elsewhere']);
    const dials = r.dials.map((d) => `${d.toName.replace(/-[0-9a-f]+$/, '')}:${d.status}`).sort();
    assert.deepEqual(dials, ['PJSIP/alonso:ANSWER', 'PJSIP/manuel:CANCEL']);
    assert.ok(r.billableSeconds >= 1 && r.billableSeconds <= r.durationSeconds);
    assert.equal(r.endedWhileDisconnected, false);
  });

  test('sip-attended-transfer: one call, the transfer recorded, the Local pair optimised away', () => {
    const { records } = run('asterisk/ami/sip-attended-transfer.jsonl');
    assert.equal(records.length, 1);
    const r = records[0]!;
    assert.deepEqual(
      r.transfers.map((t) => [t.kind, t.result, t.target]),
      [['attended', 'Success', 'Bridge']],
    );
    assert.equal(r.legs.length, 5);
    assert.equal(r.cdrs.length, 6);
    assert.equal(r.destination, '201');
    assert.ok(r.legs.every((l) => l.endedAt !== undefined));
  });

  test('sip-blind-transfer: blind transfer to 188 recorded, reina then dials manuel', () => {
    const { records } = run('asterisk/ami/sip-blind-transfer.jsonl');
    assert.equal(records.length, 1);
    const r = records[0]!;
    assert.deepEqual(
      r.transfers.map((t) => [t.kind, t.target]),
      [['blind', '188']],
    );
    assert.deepEqual(
      r.dials.map((d) => d.status),
      ['ANSWER', 'ANSWER'],
    );
  });

  test('sip-queue-unanswered: a Queue() timeout is not counted as an abandon; a hang-up is', () => {
    const { records, model } = run('asterisk/ami/sip-queue-unanswered.jsonl');
    assert.deepEqual(
      records.map((r) => [r.queues[0]?.outcome, r.queues[0]?.waitSeconds]),
      [
        ['timeout', 20],
        ['abandoned', 3],
      ],
    );
    const q = model.snapshot().queues.find((x) => x.name === 'ventas')!;
    assert.ok(
      q.members.every((m) => !m.paused),
      'both agents unpaused at the end',
    );
  });

  test('Asterisk 11 queue call: member legs of the queue grouped with the caller, agent recorded', () => {
    const { records } = run('asterisk-11/ami/queue.jsonl');
    assert.equal(records.length, 1);
    assert.equal(records[0]!.agent, 'Local/201@sb-agents/n');
    assert.equal(records[0]!.legs.length, 6);
  });

  test('originate to a missing context: a failed call is recorded as not answered', () => {
    const { records } = run('asterisk/ami/originate-failure.jsonl');
    assert.ok(records.length >= 1);
    for (const r of records) {
      assert.equal(r.disposition, 'NO ANSWER');
      assert.equal(r.billableSeconds, 0);
    }
  });

  test('sip-hold: Hold on reina, music on hold on alonso, both cleared on resume', () => {
    const { changes } = run('asterisk/ami/sip-hold.jsonl');
    const states = changes
      .filter((c) => c.type === 'channel' && c.op === 'update')
      .map((c) => c.data as PbxChannel)
      .map((c) => `${c.name.replace(/-[0-9a-f]+$/, '')} hold=${c.onHold} moh=${c.musicOnHold}`);
    const dedup = states.filter((s, i) => s !== states[i - 1]);
    assert.ok(dedup.includes('PJSIP/reina hold=true moh=false'));
    assert.ok(dedup.includes('PJSIP/alonso hold=false moh=true'));
    const lastReina = dedup.filter((s) => s.startsWith('PJSIP/reina')).pop();
    const lastAlonso = dedup.filter((s) => s.startsWith('PJSIP/alonso')).pop();
    assert.equal(lastReina, 'PJSIP/reina hold=false moh=false');
    assert.equal(lastAlonso, 'PJSIP/alonso hold=false moh=false');
  });

  test('confbridge: two participants, mute seen, conference gone at the end', () => {
    const { changes, model } = run('asterisk/ami/confbridge.jsonl');
    const confs = changes.filter((c) => c.type === 'conference');
    const sizes = confs.map((c) => (c.data as { members: unknown[] }).members.length);
    assert.ok(sizes.includes(2));
    assert.ok(confs.some((c) => (c.data as { members: { muted: boolean }[] }).members.some((m) => m.muted)));
    assert.deepEqual(model.snapshot().conferences, []);
  });

  test('pjsip-register: endpoints become reachable with a contact, then unreachable without', () => {
    const { changes, model } = run('asterisk/ami/pjsip-register.jsonl');
    const alonso = changes
      .filter((c) => c.type === 'endpoint' && c.id === 'A/PJSIP/alonso')
      .map((c) => c.data as PbxEndpoint);
    assert.ok(alonso.some((e) => e.status === 'Reachable' && e.contacts.length === 1));
    const end = model.snapshot().endpoints.find((e) => e.device === 'PJSIP/alonso')!;
    assert.equal(end.status, 'Unreachable');
    assert.deepEqual(end.contacts, []);
    assert.equal(end.deviceState, 'UNAVAILABLE');
  });
});
