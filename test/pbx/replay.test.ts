/**
 * Replays every recorded AMI transcript (current Asterisk, 13 and 11) into a PbxModel and checks it against the
 * transcript's own CoreShowChannels / Status / QueueStatus replies at the point they arrived; after the last
 * Hangup nothing may stay open.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { transcripts } from './replay.js';
import { run } from './replay-check.js';

describe('replay of every recorded AMI transcript', () => {
  const files = transcripts();
  test('finds the transcripts of the three versions', () => {
    assert.ok(files.length >= 60, `${files.length} transcripts`);
  });
  for (const rel of files) {
    test(rel, () => {
      const { model, records, celLinked } = run(rel);
      // Calls group exactly as Asterisk's own linkedid (CEL LinkedID) says, on every version.
      for (const r of records)
        for (const l of r.legs)
          if (celLinked.has(l.uniqueid))
            assert.equal(r.linkedid, celLinked.get(l.uniqueid), `${l.name} grouped`);
      const st = model.stats();
      assert.deepEqual(
        { channels: st.channels, calls: st.calls, legs: st.legs, callers: st.callers },
        { channels: 0, calls: 0, legs: 0, callers: 0 },
        'nothing left open after the final Hangups',
      );
      const snap = model.snapshot();
      assert.deepEqual(
        snap.bridges.filter((b) => b.members.length > 0),
        [],
        'no bridge with members left',
      );
    });
  }
});

describe('Asterisk 11 has no Linkedid: grouping is derived from Dial/LocalBridge/Bridge/AgentCalled', () => {
  for (const rel of transcripts().filter((f) => f.startsWith('asterisk-11/'))) {
    test(`${rel} without CEL gives Asterisk's linkedids`, () => {
      const { records, celLinked } = run(rel, (m) => m.event === 'CEL');
      for (const r of records)
        for (const l of r.legs)
          if (celLinked.has(l.uniqueid)) assert.equal(r.linkedid, celLinked.get(l.uniqueid), `${l.name}`);
    });
  }
});
