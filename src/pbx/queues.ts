/** Queues of one server: parameters, members (agents) and waiting callers, from events and QueueStatus. */
import { bool, type ChangeSink, compact, int, raw, str } from './fields.js';
import type { PbxAgent, PbxMessage, PbxQueue, PbxQueueEntry, PbxQueueMember } from './types.js';

interface QueueState {
  q: Omit<PbxQueue, 'members' | 'entries'>;
  members: Map<string, PbxQueueMember>;
  entries: Map<string, PbxQueueEntry & { seq: number }>;
}

/** Member interface from any of the spellings (`Interface`, `Location`, `Member`, Asterisk 11 `AgentCalled`). */
export function memberInterface(m: PbxMessage): string | undefined {
  return str(m, 'Interface', 'Location', 'Member', 'AgentCalled');
}

/** Queue state of one server. */
export class QueueBook {
  private readonly queues = new Map<string, QueueState>();
  /** While a re-snapshot is in flight: callers seen leaving (a QueueStatus reply built before may still list them). */
  private left: Set<string> | undefined;
  /** While a re-snapshot is in flight: members added (true) or removed (false) by events, by `queue\0interface`. */
  private moved: Map<string, boolean> | undefined;
  /** While a re-snapshot is in flight: members whose state events changed (pause, status, in call). */
  private touched: Set<string> | undefined;
  /** True while `applyStatus` feeds its own items through `member`. */
  private applying = false;

  /** @param sink where changes go */
  constructor(private readonly sink: ChangeSink) {}

  /** Copies of every queue. */
  list(): PbxQueue[] {
    return [...this.queues.values()].map((s) => this.view(s));
  }

  /** Total waiting callers (for memory checks). */
  get entryCount(): number {
    let n = 0;
    for (const s of this.queues.values()) n += s.entries.size;
    return n;
  }

  /** Agents: each member interface across its queues. */
  agents(): PbxAgent[] {
    const by = new Map<string, PbxAgent>();
    for (const s of this.queues.values()) {
      for (const m of s.members.values()) {
        let a = by.get(m.interface);
        if (!a) {
          a = compact({
            id: `${this.sink.server}/${m.interface}`,
            interface: m.interface,
            name: m.name,
            queues: [],
            paused: true,
            inCall: false,
            status: m.status,
            callsTaken: 0,
          });
          by.set(m.interface, a);
        }
        a.queues.push(s.q.name);
        a.paused &&= m.paused;
        a.inCall ||= m.inCall;
        a.callsTaken += m.callsTaken;
        if (m.status !== 0) a.status = m.status;
      }
    }
    return [...by.values()];
  }

  /** Waiting callers of every queue with their join time (for live KPIs). */
  waiting(): { queue: string; joinedAt: number }[] {
    const out: { queue: string; joinedAt: number }[] = [];
    for (const s of this.queues.values())
      for (const e of s.entries.values()) out.push({ queue: s.q.name, joinedAt: e.joinedAt });
    return out;
  }

  private queue(name: string): QueueState {
    let s = this.queues.get(name);
    if (!s) {
      s = {
        q: { id: `${this.sink.server}/${name}`, server: this.sink.server, name, completed: 0, abandoned: 0 },
        members: new Map(),
        entries: new Map(),
      };
      this.queues.set(name, s);
      this.sink.push('queue', 'add', s.q.id, this.view(s));
    }
    return s;
  }

  /** QueueMemberStatus / Added / Pause(d) / Penalty / Ringinuse, and QueueMember list items. */
  member(m: PbxMessage, kind: 'update' | 'add' | 'remove'): void {
    const name = str(m, 'Queue');
    const iface = memberInterface(m);
    if (!name || !iface) return;
    const s = this.queue(name);
    const id = `${this.sink.server}/${name}/${iface}`;
    const old = s.members.get(iface);
    if (this.moved && !this.applying && kind !== 'update')
      this.moved.set(`${name}\0${iface}`, kind === 'add');
    if (this.touched && !this.applying && kind === 'update') this.touched.add(`${name}\0${iface}`);
    if (kind === 'remove') {
      if (!old) return;
      s.members.delete(iface);
      this.sink.push('member', 'remove', id, { ...old });
      return;
    }
    const mem: PbxQueueMember = old ?? {
      id,
      queue: name,
      interface: iface,
      callsTaken: 0,
      status: 0,
      paused: false,
      inCall: false,
    };
    const nm = str(m, 'MemberName', 'Name');
    if (nm !== undefined) mem.name = nm;
    const si = str(m, 'StateInterface');
    if (si !== undefined) mem.stateInterface = si;
    const ms = str(m, 'Membership');
    if (ms !== undefined) mem.membership = ms;
    const pen = int(m, 'Penalty');
    if (pen !== undefined) mem.penalty = pen;
    const ct = int(m, 'CallsTaken');
    if (ct !== undefined) mem.callsTaken = ct;
    const st = int(m, 'Status');
    if (st !== undefined) mem.status = st;
    const p = bool(m, 'Paused');
    if (p !== undefined) {
      mem.paused = p;
      const r = raw(m, 'PausedReason', 'Reason');
      // An empty PausedReason is a pause with no reason (not "keep the old one"); no header at all keeps it.
      if (p && r) mem.pausedReason = r;
      else if (!p || r === '') delete mem.pausedReason;
    }
    const ic = bool(m, 'InCall', 'IsInCall');
    if (ic !== undefined) mem.inCall = ic;
    s.members.set(iface, mem);
    this.sink.push('member', old ? 'update' : 'add', id, { ...mem });
  }

  /** Sets a member's in-call flag (AgentConnect / AgentComplete); Asterisk 11 has no InCall header. */
  inCall(queue: string, iface: string, on: boolean, callDone = false): void {
    const s = this.queues.get(queue);
    const mem = s?.members.get(iface);
    if (!mem) return;
    mem.inCall = on;
    this.touched?.add(`${queue}\0${iface}`);
    if (callDone && s) {
      s.q.completed++;
      this.sink.push('queue', 'update', s.q.id, this.view(s));
    }
    this.sink.push('member', 'update', mem.id, { ...mem });
  }

  /** A re-snapshot starts: from now on, callers that leave are remembered until `endSnapshot`. */
  beginSnapshot(): void {
    this.left = new Set();
    this.moved = new Map();
    this.touched = new Set();
  }

  /** The re-snapshot is over. */
  endSnapshot(): void {
    this.left = undefined;
    this.moved = undefined;
    this.touched = undefined;
  }

  /** A caller joined (QueueCallerJoin / Join). */
  join(m: PbxMessage, now: number, seq: number): void {
    const name = str(m, 'Queue');
    const uid = str(m, 'Uniqueid');
    if (!name || !uid) return;
    const s = this.queue(name);
    this.left?.delete(uid);
    const e = compact({
      uniqueid: uid,
      channel: raw(m, 'Channel') ?? '',
      position: int(m, 'Position') ?? s.entries.size + 1,
      callerIdNum: str(m, 'CallerIDNum'),
      callerIdName: str(m, 'CallerIDName'),
      joinedAt: now,
      seq,
    });
    s.entries.set(uid, e);
    this.sink.push('caller', 'add', `${s.q.id}/${uid}`, this.entryView(e));
  }

  /** A caller left (QueueCallerLeave / Leave, or its channel hung up): later callers move up. */
  leave(queue: string | undefined, uid: string, disconnected = false): void {
    this.left?.add(uid);
    for (const s of queue === undefined ? this.queues.values() : [this.queues.get(queue)]) {
      const e = s?.entries.get(uid);
      if (!s || !e) continue;
      s.entries.delete(uid);
      this.sink.push('caller', 'remove', `${s.q.id}/${uid}`, this.entryView(e), disconnected || undefined);
      for (const o of s.entries.values()) {
        if (o.position > e.position) {
          o.position--;
          this.sink.push('caller', 'update', `${s.q.id}/${o.uniqueid}`, this.entryView(o));
        }
      }
    }
  }

  /** Counts an abandon (QueueCallerAbandon; Asterisk also reports Queue() timeouts this way). */
  abandoned(queue: string): void {
    const s = this.queues.get(queue);
    if (!s) return;
    s.q.abandoned++;
    this.sink.push('queue', 'update', s.q.id, this.view(s));
  }

  /**
   * Applies a QueueStatus reply: parameters and members replace what the model had; callers not listed are gone
   * unless they joined after the request was sent (`sinceSeq`).
   */
  applyStatus(items: PbxMessage[], now: number, sinceSeq: number): void {
    const seen = new Map<string, { members: Set<string>; entries: Set<string> }>();
    const touch = (q: string) => {
      let t = seen.get(q);
      if (!t) {
        t = { members: new Set(), entries: new Set() };
        seen.set(q, t);
      }
      return t;
    };
    for (const m of items) {
      const ev = m.event?.toLowerCase();
      const name = str(m, 'Queue');
      if (!name) continue;
      if (ev === 'queueparams') {
        const s = this.queue(name);
        touch(name);
        s.q.strategy = str(m, 'Strategy') ?? s.q.strategy;
        s.q.max = int(m, 'Max') ?? s.q.max;
        s.q.completed = int(m, 'Completed') ?? s.q.completed;
        s.q.abandoned = int(m, 'Abandoned') ?? s.q.abandoned;
        s.q.serviceLevel = int(m, 'ServiceLevel') ?? s.q.serviceLevel;
        s.q.weight = int(m, 'Weight') ?? s.q.weight;
        this.sink.push('queue', 'update', s.q.id, this.view(s));
      } else if (ev === 'queuemember') {
        const iface = memberInterface(m);
        if (!iface) continue;
        touch(name).members.add(iface);
        // A member removed after the request stays removed: the reply is older than that.
        if (this.moved?.get(`${name}\0${iface}`) === false) continue;
        // A member whose pause or status an event changed after the request keeps that newer state.
        if (this.touched?.has(`${name}\0${iface}`) && this.queues.get(name)?.members.has(iface)) continue;
        this.applying = true;
        try {
          this.member(m, 'update');
        } finally {
          this.applying = false;
        }
      } else if (ev === 'queueentry') {
        const uid = str(m, 'Uniqueid');
        // A caller seen leaving (or hanging up) after the request stays gone: the reply is older than that.
        if (!uid || this.left?.has(uid)) continue;
        touch(name).entries.add(uid);
        const s = this.queue(name);
        const old = s.entries.get(uid);
        const e = compact({
          uniqueid: uid,
          channel: raw(m, 'Channel') ?? '',
          position: int(m, 'Position') ?? 0,
          callerIdNum: str(m, 'CallerIDNum'),
          callerIdName: str(m, 'CallerIDName'),
          joinedAt: old?.joinedAt ?? now - (int(m, 'Wait') ?? 0) * 1000,
          seq: old?.seq ?? 0,
        });
        s.entries.set(uid, e);
        this.sink.push('caller', old ? 'update' : 'add', `${s.q.id}/${uid}`, this.entryView(e));
      }
    }
    for (const [name, t] of seen) {
      const s = this.queues.get(name)!;
      for (const [iface, mem] of s.members) {
        // Listed, or added after the request (the reply is older than that): kept.
        if (t.members.has(iface) || this.moved?.get(`${name}\0${iface}`) === true) continue;
        s.members.delete(iface);
        this.sink.push('member', 'remove', mem.id, { ...mem });
      }
      for (const [uid, e] of s.entries)
        if (!t.entries.has(uid) && e.seq <= sinceSeq) this.leave(name, uid, true);
    }
  }

  private entryView(e: PbxQueueEntry & { seq?: number }): PbxQueueEntry {
    const { seq: _seq, ...rest } = e;
    return rest;
  }

  private view(s: QueueState): PbxQueue {
    return {
      ...s.q,
      members: [...s.members.values()].map((m) => ({ ...m })),
      entries: [...s.entries.values()].map((e) => this.entryView(e)).sort((a, b) => a.position - b.position),
    };
  }
}
