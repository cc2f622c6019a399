/** Calls: channels grouped by linkedid, their legs, dials, transfers, queue visits and Cdrs; records when done. */
import { type ChangeSink, compact } from './fields.js';
import type {
  PbxCall,
  PbxCallLeg,
  PbxCallRecord,
  PbxCdr,
  PbxChannel,
  PbxDial,
  PbxQueueVisit,
} from './types.js';

interface CallState {
  call: PbxCall;
  live: Set<string>;
  legs: Map<string, PbxCallLeg>;
  disconnected: boolean;
}

/** Keeps every call of one server, from its first channel until its record has been handed out. */
export class CallBook {
  private readonly calls = new Map<string, CallState>();
  /** uniqueid → linkedid, for every leg of every call still held (live or awaiting its record). */
  private readonly legCall = new Map<string, string>();

  /**
   * @param sink where changes go
   * @param lingerMs how long an ended call waits for late Cdr events before its record is emitted
   */
  constructor(
    private readonly sink: ChangeSink,
    private readonly lingerMs: number,
  ) {}

  /** Number of calls held (live or awaiting their record). */
  get size(): number {
    return this.calls.size;
  }

  /** Number of legs indexed (for memory checks). */
  get legCount(): number {
    return this.legCall.size;
  }

  /** Linkedid of the call a channel (live or ended) belongs to. */
  callOf(uniqueid: string): string | undefined {
    return this.legCall.get(uniqueid);
  }

  /** Copies of every call held. */
  list(): PbxCall[] {
    return [...this.calls.values()].map((s) => this.view(s));
  }

  /** A channel appeared: it joins (or opens) the call of its linkedid. */
  addChannel(ch: PbxChannel): void {
    let s = this.calls.get(ch.linkedid);
    const created = !s;
    if (!s) {
      s = {
        call: {
          id: `${this.sink.server}/${ch.linkedid}`,
          server: this.sink.server,
          linkedid: ch.linkedid,
          startedAt: ch.createdAt,
          channels: [],
          legs: [],
          dials: [],
          transfers: [],
          queues: [],
          cdrs: [],
        },
        live: new Set(),
        legs: new Map(),
        disconnected: false,
      };
      this.calls.set(ch.linkedid, s);
    }
    s.call.endedAt = undefined;
    s.live.add(ch.uniqueid);
    if (!s.legs.has(ch.uniqueid)) {
      s.legs.set(ch.uniqueid, {
        uniqueid: ch.uniqueid,
        name: ch.name,
        callerIdNum: ch.callerIdNum,
        connectedLineNum: ch.connectedLineNum,
        exten: ch.exten && ch.exten !== 's' ? ch.exten : undefined,
        createdAt: ch.createdAt,
        answeredAt: ch.answeredAt,
        endedAt: undefined,
        cause: undefined,
        causeText: undefined,
      });
    }
    this.legCall.set(ch.uniqueid, ch.linkedid);
    if (ch.answeredAt !== undefined && (s.call.answeredAt ?? Number.POSITIVE_INFINITY) > ch.answeredAt)
      s.call.answeredAt = ch.answeredAt;
    this.sink.push('call', created ? 'add' : 'update', s.call.id, this.view(s));
  }

  /** Channel fields changed (caller id, name): keep the leg current. */
  updateLeg(ch: PbxChannel): void {
    const s = this.calls.get(ch.linkedid);
    const leg = s?.legs.get(ch.uniqueid);
    if (!leg) return;
    leg.name = ch.name;
    if (ch.callerIdNum !== undefined) leg.callerIdNum = ch.callerIdNum;
    if (ch.connectedLineNum !== undefined) leg.connectedLineNum = ch.connectedLineNum;
    if (leg.exten === undefined && ch.exten && ch.exten !== 's') leg.exten = ch.exten;
  }

  /** A channel went Up. */
  answered(ch: PbxChannel, at: number): void {
    const s = this.calls.get(ch.linkedid);
    if (!s) return;
    const leg = s.legs.get(ch.uniqueid);
    if (leg && leg.answeredAt === undefined) leg.answeredAt = at;
    if (s.call.answeredAt === undefined) {
      s.call.answeredAt = at;
      this.sink.push('call', 'update', s.call.id, this.view(s));
    }
  }

  /** A channel hung up (or vanished while disconnected). */
  hangup(
    ch: PbxChannel,
    now: number,
    cause: number | undefined,
    causeText: string | undefined,
    disconnected = false,
  ): void {
    const s = this.calls.get(ch.linkedid);
    if (!s) return;
    const leg = s.legs.get(ch.uniqueid);
    if (leg) {
      leg.endedAt = now;
      if (cause !== undefined) leg.cause = cause;
      if (causeText !== undefined) leg.causeText = causeText;
      if (disconnected) leg.endedWhileDisconnected = true;
    }
    if (disconnected) s.disconnected = true;
    s.live.delete(ch.uniqueid);
    if (s.live.size === 0) s.call.endedAt = now;
    this.sink.push('call', 'update', s.call.id, this.view(s), disconnected || undefined);
  }

  /** Moves a channel to another call (linkedid changed, or Asterisk 11 grouping merged it). */
  move(uniqueid: string, to: string, ch: PbxChannel | undefined): void {
    const from = this.legCall.get(uniqueid);
    if (from === undefined || from === to) return;
    const src = this.calls.get(from);
    if (!src) return;
    const leg = src.legs.get(uniqueid);
    src.legs.delete(uniqueid);
    const wasLive = src.live.delete(uniqueid);
    const moved: PbxDial[] = src.call.dials.filter((d) => d.to === uniqueid || d.from === uniqueid);
    src.call.dials = src.call.dials.filter((d) => !moved.includes(d));
    const visits = src.call.queues.filter((v) => v.uniqueid === uniqueid);
    src.call.queues = src.call.queues.filter((v) => v.uniqueid !== uniqueid);
    if (ch) ch.linkedid = to;
    if (wasLive && ch) this.addChannel(ch);
    const dst = this.calls.get(to);
    if (dst && leg) {
      dst.legs.set(uniqueid, leg);
      this.legCall.set(uniqueid, to);
      dst.call.dials.push(...moved);
      dst.call.queues.push(...visits);
      dst.call.startedAt = Math.min(dst.call.startedAt, leg.createdAt);
      if (leg.answeredAt !== undefined && (dst.call.answeredAt ?? Infinity) > leg.answeredAt)
        dst.call.answeredAt = leg.answeredAt;
    }
    if (src.legs.size === 0) {
      // Everything moved: the old grouping was only a guess (Asterisk 11), so it disappears without a record.
      this.calls.delete(from);
      this.sink.push('call', 'remove', src.call.id, this.view(src));
    } else {
      this.sink.push('call', 'update', src.call.id, this.view(src));
    }
  }

  /** Every uniqueid (live or ended) of a call. */
  legsOf(linkedid: string): string[] {
    const s = this.calls.get(linkedid);
    return s ? [...s.legs.keys()] : [];
  }

  /** Start time of a call (for choosing the older of two when merging). */
  startOf(linkedid: string): number | undefined {
    return this.calls.get(linkedid)?.call.startedAt;
  }

  /** A dial attempt began. */
  dialBegin(linkedid: string, d: PbxDial): void {
    const s = this.calls.get(linkedid);
    if (!s) return;
    s.call.dials.push(compact(d));
    this.sink.push('call', 'update', s.call.id, this.view(s));
  }

  /** A dial attempt changed status; returns false when no such dial is known. */
  dialStatus(
    linkedid: string,
    to: string | undefined,
    from: string | undefined,
    status: string,
    end: boolean,
    now: number,
    live: (u: string) => PbxChannel | undefined,
  ): void {
    const s = this.calls.get(linkedid);
    if (!s) return;
    const open = s.call.dials.filter(
      (d) =>
        (to !== undefined ? d.to === to : d.from === from) &&
        (d.endedAt === undefined || d.status === status),
    );
    if (open.length === 0 && to !== undefined) {
      const d: PbxDial = compact({ from, to, toName: live(to)?.name ?? to, startedAt: now, status });
      if (end) d.endedAt = now;
      s.call.dials.push(d);
    }
    for (const d of open) {
      if (d.endedAt !== undefined) continue;
      // Asterisk 11 ends a Dial() once for all its destinations: ANSWER belongs to the one that answered.
      let st = status;
      if (to === undefined && status === 'ANSWER' && open.length > 1) {
        const dest = live(d.to);
        const leg = s.legs.get(d.to);
        st = dest?.answeredAt !== undefined || leg?.answeredAt !== undefined ? 'ANSWER' : 'CANCEL';
      }
      d.status = st;
      if (end) d.endedAt = now;
    }
    this.sink.push('call', 'update', s.call.id, this.view(s));
  }

  /** Adds a transfer to the call of a channel. */
  transfer(uniqueid: string | undefined, t: PbxCall['transfers'][number]): void {
    const lid = uniqueid === undefined ? undefined : this.legCall.get(uniqueid);
    const s = lid === undefined ? undefined : this.calls.get(lid);
    if (!s) return;
    s.call.transfers.push(compact(t));
    this.sink.push('call', 'update', s.call.id, this.view(s));
  }

  /** Attaches a Cdr to the call of its channel (it may arrive before or after the Hangup). */
  cdr(uniqueid: string | undefined, c: PbxCdr): boolean {
    const lid = uniqueid === undefined ? undefined : this.legCall.get(uniqueid);
    const s = lid === undefined ? undefined : this.calls.get(lid);
    if (!s) return false;
    s.call.cdrs.push(c);
    return true;
  }

  /** The queue visit of a caller, opening it on join. */
  visit(uniqueid: string, queue: string, now: number, open = false): PbxQueueVisit | undefined {
    const lid = this.legCall.get(uniqueid);
    const s = lid === undefined ? undefined : this.calls.get(lid);
    if (!s) return undefined;
    for (let i = s.call.queues.length - 1; i >= 0; i--) {
      const v = s.call.queues[i]!;
      if (v.uniqueid === uniqueid && v.queue === queue && (v.outcome === undefined || !open)) {
        if (!open || v.leftAt === undefined) return v;
      }
    }
    if (!open) return undefined;
    const v: PbxQueueVisit = { queue, uniqueid, joinedAt: now };
    s.call.queues.push(v);
    return v;
  }

  /** Queue visits of one caller channel (live objects, for in-place updates). */
  visitsOf(uniqueid: string): PbxQueueVisit[] {
    const lid = this.legCall.get(uniqueid);
    const s = lid === undefined ? undefined : this.calls.get(lid);
    return s ? s.call.queues.filter((v) => v.uniqueid === uniqueid) : [];
  }

  /** Signals that a visit changed (emits the call). */
  touch(uniqueid: string): void {
    const lid = this.legCall.get(uniqueid);
    const s = lid === undefined ? undefined : this.calls.get(lid);
    if (s) this.sink.push('call', 'update', s.call.id, this.view(s));
  }

  /** Emits the records of calls that ended at least `lingerMs` ago (all of them with `force`). */
  finish(now: number, force: boolean, onRecord: (r: PbxCallRecord) => void): void {
    for (const [lid, s] of this.calls) {
      if (s.live.size > 0 || s.call.endedAt === undefined) continue;
      if (!force && now - s.call.endedAt < this.lingerMs) continue;
      this.calls.delete(lid);
      for (const u of s.legs.keys()) if (this.legCall.get(u) === lid) this.legCall.delete(u);
      const rec = this.record(s);
      this.sink.push('call', 'remove', s.call.id, this.view(s), s.disconnected || undefined);
      this.sink.push('record', 'add', rec.id, rec, s.disconnected || undefined);
      onRecord(rec);
    }
  }

  private record(s: CallState): PbxCallRecord {
    const c = s.call;
    const legs = [...s.legs.values()].sort((a, b) => a.createdAt - b.createdAt);
    const first = legs[0];
    const end = c.endedAt ?? Date.now();
    let disposition: PbxCallRecord['disposition'] = 'NO ANSWER';
    if (c.answeredAt !== undefined) disposition = 'ANSWERED';
    else {
      const last = c.dials[c.dials.length - 1]?.status;
      if (last === 'BUSY') disposition = 'BUSY';
      else if (last === 'CONGESTION' || last === 'CHANUNAVAIL') disposition = 'FAILED';
    }
    for (const v of c.queues) {
      v.leftAt ??= end;
      v.outcome ??= 'left';
      v.waitSeconds ??= Math.max(0, Math.round((v.leftAt - v.joinedAt) / 1000));
    }
    const agent = c.queues.find((v) => v.outcome === 'answered')?.agent;
    return compact({
      id: c.id,
      server: c.server,
      linkedid: c.linkedid,
      start: c.startedAt,
      answer: c.answeredAt,
      end,
      durationSeconds: Math.max(0, Math.round((end - c.startedAt) / 1000)),
      billableSeconds: c.answeredAt === undefined ? 0 : Math.max(0, Math.round((end - c.answeredAt) / 1000)),
      source: first?.callerIdNum,
      destination: legs.find((l) => l.exten !== undefined)?.exten,
      disposition,
      hangupCause: first?.cause,
      hangupCauseText: first?.causeText,
      legs: legs.map((l) => compact({ ...l })),
      dials: c.dials,
      transfers: c.transfers,
      queues: c.queues,
      agent,
      cdrs: c.cdrs,
      endedWhileDisconnected: s.disconnected,
    });
  }

  private view(s: CallState): PbxCall {
    const c = s.call;
    return {
      ...c,
      channels: [...s.live],
      legs: [...s.legs.values()].map((l) => ({ ...l })),
      dials: c.dials.map((d) => ({ ...d })),
      transfers: [...c.transfers],
      queues: c.queues.map((v) => ({ ...v })),
      cdrs: [...c.cdrs],
    };
  }
}
