/**
 * Starting mid-call: the model is built from a real CoreShowChannels (or Status) reply, as on a (re)connect,
 * then kept current from the events that follow; the call must still close and be recorded.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AmiMessage } from '../../src/ami/index.js';
import { type PbxCallRecord, PbxModel } from '../../src/pbx/index.js';
import { replay, transcripts } from './replay.js';

/** Replays `rel`, ignoring everything before the first complete `action` reply, which seeds the model. */
function joinMidCall(rel: string, action: 'coreshowchannels' | 'status') {
  const model = new PbxModel({ server: 'B' });
  const records: PbxCallRecord[] = [];
  model.onRecord((r) => records.push(r));
  let seeded: AmiMessage[] | undefined;
  let listId: string | undefined;
  const items: AmiMessage[] = [];
  let last = 0;
  const cel = new Map<string, string>();
  for (const it of replay(rel)) {
    const m = it.message;
    last = it.at;
    if (m.event === 'CEL') cel.set(m.get('UniqueID') ?? '', m.get('LinkedID') ?? '');
    if (!seeded) {
      if (
        m.kind === 'response' &&
        it.action?.toLowerCase() === action &&
        !it.request?.channel &&
        m.response === 'Success'
      )
        listId = m.actionId;
      else if (listId && m.actionId === listId && /Complete$/.test(m.event ?? '')) {
        seeded = items;
        const token = model.beginSnapshot();
        const changes = model.applyChannels(items, token, it.at);
        model.endSnapshot();
        assert.equal(changes.filter((c) => c.type === 'channel' && c.op === 'add').length, items.length);
        const snap = model.snapshot(it.at);
        assert.deepEqual(
          snap.channels.map((c) => c.uniqueid).sort(),
          items.map((i) => i.get('Uniqueid')).sort(),
        );
        for (const i of items) {
          const ch = snap.channels.find((c) => c.uniqueid === i.get('Uniqueid'))!;
          if (i.get('BridgeId')) assert.equal(ch.bridgeId, i.get('BridgeId'));
          if (i.get('Linkedid')) assert.equal(ch.linkedid, i.get('Linkedid'));
        }
        // All channels of the one call on the line are grouped into one call, also without Linkedid (11).
        assert.equal(snap.calls.length, 1, JSON.stringify(snap.calls.map((c) => c.channels)));
      } else if (listId && m.actionId === listId && m.kind === 'event') items.push(m);
      continue;
    }
    model.apply(m, it.at);
  }
  model.flush(last + 10_000);
  return { model, records, seeded, cel };
}

describe('built from a snapshot mid-call, then kept current from events', () => {
  for (const rel of transcripts().filter((f) => /coreshowchannels-during-call|status-during-call/.test(f))) {
    const action = rel.includes('status') ? 'status' : 'coreshowchannels';
    test(`${rel} (${action})`, () => {
      const { model, records, seeded, cel } = joinMidCall(rel, action);
      assert.ok(seeded && seeded.length === 4, 'the reply lists the four channels of the call');
      const st = model.stats();
      assert.deepEqual([st.channels, st.calls, st.legs], [0, 0, 0]);
      assert.equal(records.length, 1);
      const r = records[0]!;
      assert.equal(r.legs.length, 4);
      assert.equal(r.disposition, 'ANSWERED');
      for (const l of r.legs)
        assert.equal(r.linkedid, cel.get(l.uniqueid), `${l.name} grouped as Asterisk did`);
    });
  }
});
