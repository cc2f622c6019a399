/** KPIs: the definitions on hand-made facts, and live (model) = history (records) on a recorded queue call. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { computeKpis, type KpiFact, kpiFact, PbxModel } from '../../src/pbx/index.js';
import { replay } from './replay.js';
import { run } from './replay-check.js';

const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);
const min = 60_000;

function fact(end: number, visits: KpiFact['visits'], legs: number[] = []): KpiFact {
  return { end, legs, visits };
}

describe('KPI definitions', () => {
  const facts: KpiFact[] = [
    fact(
      T0 + 2 * min,
      [
        {
          queue: 'q',
          outcome: 'answered',
          waitSeconds: 5,
          agent: 'A',
          talkSeconds: 60,
          joinedAt: T0,
          leftAt: T0 + 5000,
        },
      ],
      [T0, T0 + 2 * min],
    ),
    fact(T0 + 3 * min, [
      {
        queue: 'q',
        outcome: 'answered',
        waitSeconds: 30,
        agent: 'B',
        talkSeconds: 120,
        joinedAt: T0,
        leftAt: T0 + 30_000,
      },
    ]),
    fact(T0 + 4 * min, [
      { queue: 'q', outcome: 'abandoned', waitSeconds: 10, joinedAt: T0, leftAt: T0 + 10_000 },
    ]),
    fact(T0 + 5 * min, [
      { queue: 'r', outcome: 'timeout', waitSeconds: 20, joinedAt: T0, leftAt: T0 + 20_000 },
    ]),
    // Before the window: not counted.
    fact(T0 - 10 * min, [
      {
        queue: 'q',
        outcome: 'answered',
        waitSeconds: 1,
        agent: 'A',
        talkSeconds: 5,
        joinedAt: T0 - 11 * min,
        leftAt: T0 - 11 * min,
      },
    ]),
  ];

  test('answered, abandoned, timed out, waits, talk, service level, per queue and per agent', () => {
    const k = computeKpis(facts, { from: T0, to: T0 + 10 * min, serviceLevelSeconds: 20, capacity: 4 });
    assert.deepEqual(
      { ...k.queues },
      {
        offered: 4,
        answered: 2,
        abandoned: 1,
        timedOut: 1,
        averageWait: 16.25,
        longestWait: 30,
        averageTalk: 90,
        serviceLevel: 0.25,
        waiting: 0,
      },
    );
    assert.equal(k.perQueue.q!.offered, 3);
    assert.equal(k.perQueue.r!.timedOut, 1);
    assert.deepEqual(k.perAgent, {
      A: { answered: 1, talkSeconds: 60, averageTalk: 60 },
      B: { answered: 1, talkSeconds: 120, averageTalk: 120 },
    });
    assert.equal(k.callsPerMinute, 0.4); // 4 calls ended in 10 minutes
    assert.equal(k.averageChannels, 0.2); // one channel up for 2 of the 10 minutes
    assert.equal(k.channelUtilisation, 0.05);
  });

  test('live callers add to waiting and longest wait; nothing offered means service level 1', () => {
    const k = computeKpis(
      [],
      { from: T0, to: T0 + min },
      { calls: 3, legs: [T0, T0 + min], waiting: [{ queue: 'q', joinedAt: T0 + 15_000 }] },
    );
    assert.equal(k.callsInProgress, 3);
    assert.equal(k.queues.waiting, 1);
    assert.equal(k.queues.longestWait, 45);
    assert.equal(k.queues.serviceLevel, 1);
    assert.equal(k.averageChannels, 1);
  });
});

describe('one definition for live and history', () => {
  test('sip-queue: the live model and its stored records give the same KPIs', () => {
    const { model, records } = run('asterisk/ami/sip-queue.jsonl');
    assert.equal(records.length, 1);
    const from = records[0]!.start - min;
    const to = records[0]!.end + min;
    const live = model.kpis({ from, to, serviceLevelSeconds: 20 });
    const history = computeKpis(
      records.map((r) => kpiFact(JSON.parse(JSON.stringify(r)))),
      { from, to, serviceLevelSeconds: 20 },
    );
    assert.deepEqual(live, history);
    assert.equal(live.queues.answered, 1);
    assert.equal(live.perAgent['PJSIP/alonso']!.answered, 1);
    assert.equal(live.perAgent['PJSIP/alonso']!.talkSeconds, 2);
  });

  test('while reina waits in ventas the live KPIs show her, and her wait grows', () => {
    const model = new PbxModel({ server: 'k' });
    for (const it of replay('asterisk/ami/sip-queue.jsonl')) {
      model.apply(it.message, it.at);
      if (it.message.event === 'QueueCallerJoin') {
        const a = model.kpis({ to: it.at + 4000 });
        assert.equal(a.queues.waiting, 1);
        assert.equal(a.perQueue.ventas!.longestWait, 4);
        assert.equal(a.callsInProgress, 1);
        return;
      }
    }
    assert.fail('no QueueCallerJoin in the transcript');
  });
});
