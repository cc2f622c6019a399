/**
 * Test helper: replays a recorded AMI transcript into a PbxModel and checks it against the transcript's own
 * CoreShowChannels / Status / QueueStatus replies at the point they arrived.
 */
import assert from 'node:assert/strict';
import type { AmiMessage } from '../../src/ami/index.js';
import { type PbxCallRecord, type PbxChange, PbxModel } from '../../src/pbx/index.js';
import { replay } from './replay.js';

const LISTS = new Set(['coreshowchannels', 'status', 'queuestatus']);
const STATES = [
  'down',
  'rsrvd',
  'offhook',
  'dialing',
  'ring',
  'ringing',
  'up',
  'busy',
  'dialing offhook',
  'pre-ring',
];

function state(m: AmiMessage): number | undefined {
  const n = m.get('ChannelState');
  if (n !== undefined) return Number(n);
  const t = m.get('ChannelStateDesc') ?? m.get('State');
  return t === undefined ? undefined : STATES.indexOf(t.toLowerCase());
}

/** Compares the model with one list reply; returns the differences. */
function check(
  model: PbxModel,
  action: string,
  request: Record<string, string>,
  items: AmiMessage[],
): string[] {
  const diffs: string[] = [];
  const snap = model.snapshot();
  if (action === 'coreshowchannels' || action === 'status') {
    const byUid = new Map(snap.channels.map((c) => [c.uniqueid, c]));
    const listed = new Set<string>();
    for (const it of items) {
      const uid = it.get('Uniqueid') ?? '';
      listed.add(uid);
      const ch = byUid.get(uid);
      if (!ch) {
        diffs.push(`${action}: ${it.get('Channel')} (${uid}) missing from the model`);
        continue;
      }
      if (ch.name !== it.get('Channel')) diffs.push(`${uid}: name ${ch.name} != ${it.get('Channel')}`);
      const st = state(it);
      if (st !== undefined && st !== ch.state) diffs.push(`${ch.name}: state ${ch.state} != ${st}`);
      const lid = it.get('Linkedid');
      if (lid && lid !== ch.linkedid) diffs.push(`${ch.name}: linkedid ${ch.linkedid} != ${lid}`);
      const bid = it.get('BridgeId');
      if (bid !== undefined && (bid || undefined) !== ch.bridgeId)
        diffs.push(`${ch.name}: bridge ${ch.bridgeId} != ${bid}`);
      const peer = it.get('BridgedUniqueID');
      if (peer !== undefined) {
        const members = ch.bridgeId
          ? (snap.bridges.find((b) => b.uniqueid === ch.bridgeId)?.members ?? [])
          : [];
        if (peer && !members.includes(peer)) diffs.push(`${ch.name}: not bridged with ${peer}`);
        if (!peer && ch.bridgeId?.startsWith('link:'))
          diffs.push(`${ch.name}: bridged (${ch.bridgeId}), reply says not`);
      }
    }
    // A Status of one channel lists only that one; otherwise the sets must be equal.
    if (!request.channel) {
      for (const c of snap.channels)
        if (!listed.has(c.uniqueid)) diffs.push(`${action}: model has extra ${c.name}`);
    }
  } else {
    for (const it of items) {
      const q = snap.queues.find((x) => x.name === it.get('Queue'));
      const ev = it.event?.toLowerCase();
      if (ev === 'queuemember' && q) {
        const iface = it.get('Location') ?? it.get('Interface');
        const mem = q.members.find((x) => x.interface === iface);
        if (!mem) continue; // first QueueStatus: members not yet known from events
        if (String(mem.status) !== it.get('Status'))
          diffs.push(`${q.name}/${iface}: status ${mem.status} != ${it.get('Status')}`);
        if (mem.paused !== (it.get('Paused') === '1')) diffs.push(`${q.name}/${iface}: paused ${mem.paused}`);
        const ic = it.get('InCall') ?? it.get('IsInCall');
        if (mem.inCall !== (ic === '1')) diffs.push(`${q.name}/${iface}: inCall ${mem.inCall} != ${ic}`);
      }
      if (ev === 'queueparams') {
        const entries = items.filter((e) => e.event === 'QueueEntry' && e.get('Queue') === it.get('Queue'));
        const want = entries.map((e) => `${e.get('Uniqueid')}@${e.get('Position')}`).sort();
        const have = (q?.entries ?? []).map((e) => `${e.uniqueid}@${e.position}`).sort();
        if (have.join() !== want.join()) diffs.push(`callers of ${it.get('Queue')}: ${have} != ${want}`);
      }
    }
  }
  return diffs;
}

/** How far (recording ms) a list reply may run ahead of the event stream: Asterisk builds replies from live
 * state while events travel through its stasis queues, so a BridgeEnter can arrive a few ms after a
 * CoreShowChannels that already shows the channel in the bridge (asterisk-13/ami/concurrent-actions). */
const AHEAD_MS = 50;

/** What a replay produced. */
export interface Outcome {
  model: PbxModel;
  records: PbxCallRecord[];
  checks: number;
  /** Every change, in order. */
  changes: PbxChange[];
  /** uniqueid → LinkedID as reported by the transcript's CEL events (Asterisk's own grouping). */
  celLinked: Map<string, string>;
}

/** Replays one transcript (optionally without some events) and returns the model, its records and checks made. */
export function run(rel: string, drop?: (m: AmiMessage) => boolean): Outcome {
  const model = new PbxModel({ server: 'A', recordLingerMs: 2000 });
  const records: PbxCallRecord[] = [];
  model.onRecord((r) => records.push(r));
  const lists = new Map<string, { action: string; request: Record<string, string>; items: AmiMessage[] }>();
  let checks = 0;
  const celLinked = new Map<string, string>();
  let last = 0;
  let seq = 0;
  const all: PbxChange[] = [];
  const count = (changes: PbxChange[]) => {
    all.push(...changes);
    for (const c of changes) {
      assert.equal(c.seq, ++seq, 'change numbers are consecutive');
      assert.equal(c.server, 'A');
    }
  };
  let pending: {
    action: string;
    request: Record<string, string>;
    items: AmiMessage[];
    until: number;
    what: string;
  }[] = [];
  const settle = (now: number, final = false) => {
    pending = pending.filter((p) => {
      const diffs = check(model, p.action, p.request, p.items);
      if (diffs.length === 0) {
        if (p.action === 'queuestatus') count(model.applyQueueStatus(p.items, model.seq));
        checks++;
        return false;
      }
      if (final || now > p.until) assert.deepEqual(diffs, [], p.what);
      return true;
    });
  };
  for (const it of replay(rel)) {
    const m = it.message;
    last = it.at;
    settle(it.at);
    const id = m.actionId;
    if (
      m.kind === 'response' &&
      id &&
      it.action &&
      LISTS.has(it.action.toLowerCase()) &&
      m.response === 'Success'
    ) {
      lists.set(id, { action: it.action.toLowerCase(), request: it.request ?? {}, items: [] });
      continue;
    }
    if (m.kind !== 'event') continue;
    const l = id === undefined ? undefined : lists.get(id);
    if (l && /^(CoreShowChannelsComplete|StatusComplete|QueueStatusComplete)$/i.test(m.event ?? '')) {
      lists.delete(id!);
      pending.push({ ...l, until: it.at + AHEAD_MS, what: `${rel} at ${m.event} (${id})` });
      settle(it.at);
      continue;
    }
    if (l) {
      l.items.push(m);
      continue;
    }
    if (m.event === 'CEL' && m.get('UniqueID') && m.get('LinkedID'))
      celLinked.set(m.get('UniqueID')!, m.get('LinkedID')!);
    if (drop?.(m)) continue;
    count(model.apply(m, it.at));
    count(model.tick(it.at, false));
  }
  settle(last, true);
  count(model.flush(last + 10_000));
  return { model, records, checks, celLinked, changes: all };
}
