/**
 * KPIs: one definition for live and history. Both are computed by `computeKpis` from compact facts derived from
 * call records (`kpiFact`), so a wallboard and a report over stored records give the same numbers.
 */
import type { PbxAgentKpis, PbxCallRecord, PbxKpis, PbxQueueKpis, PbxQueueVisit } from './types.js';

/** What the KPIs need from one call record (small enough to keep a window of them in memory). */
export interface KpiFact {
  /** Call end (epoch ms). */
  end: number;
  /** Leg intervals, flattened `[created, ended, created, ended…]` (ended = end when unknown). */
  legs: number[];
  /** Queue visits. */
  visits: Pick<
    PbxQueueVisit,
    'queue' | 'outcome' | 'waitSeconds' | 'agent' | 'talkSeconds' | 'leftAt' | 'joinedAt'
  >[];
}

/** Live state the KPIs add for the present moment. */
export interface KpiLive {
  /** Calls in progress. */
  calls: number;
  /** Creation times of the channels up now (and legs of live calls that ended: `[created, ended]`). */
  legs: number[];
  /** Callers waiting now. */
  waiting: { queue: string; joinedAt: number }[];
}

/** Options of a KPI computation. */
export interface KpiOptions {
  /** Window start (epoch ms). */
  from: number;
  /** Window end (epoch ms). */
  to: number;
  /** Service level threshold in seconds (default 20). */
  serviceLevelSeconds?: number;
  /** Channel capacity, for `channelUtilisation`. */
  capacity?: number;
}

/** Reduces a call record to what the KPIs need. */
export function kpiFact(r: PbxCallRecord): KpiFact {
  const legs: number[] = [];
  for (const l of r.legs) legs.push(l.createdAt, l.endedAt ?? r.end);
  return {
    end: r.end,
    legs,
    visits: r.queues.map((v) => ({
      queue: v.queue,
      outcome: v.outcome,
      waitSeconds: v.waitSeconds,
      agent: v.agent,
      talkSeconds: v.talkSeconds,
      leftAt: v.leftAt,
      joinedAt: v.joinedAt,
    })),
  };
}

function emptyQueue(): PbxQueueKpis {
  return {
    offered: 0,
    answered: 0,
    abandoned: 0,
    timedOut: 0,
    averageWait: 0,
    longestWait: 0,
    averageTalk: 0,
    serviceLevel: 1,
    waiting: 0,
  };
}

interface Acc {
  k: PbxQueueKpis;
  wait: number;
  talk: number;
  talkN: number;
  inSl: number;
}

function accFor(per: Map<string, Acc>, queue: string): Acc {
  let q = per.get(queue);
  if (!q) {
    q = { k: emptyQueue(), wait: 0, talk: 0, talkN: 0, inSl: 0 };
    per.set(queue, q);
  }
  return q;
}

/**
 * Computes KPIs over `[from, to]` from facts of finished calls (a visit counts when it left the queue inside the
 * window; a call counts when it ended inside it) plus, for live use, the present state.
 */
export function computeKpis(facts: Iterable<KpiFact>, o: KpiOptions, live?: KpiLive): PbxKpis {
  const sl = o.serviceLevelSeconds ?? 20;
  const span = Math.max(1, o.to - o.from);
  const all: Acc = { k: emptyQueue(), wait: 0, talk: 0, talkN: 0, inSl: 0 };
  const per = new Map<string, Acc>();
  const agents = new Map<string, PbxAgentKpis>();
  let ended = 0;
  let channelMs = 0;
  const overlap = (legs: number[]) => {
    for (let i = 0; i + 1 < legs.length; i += 2) {
      const a = Math.max(legs[i]!, o.from);
      const b = Math.min(legs[i + 1]!, o.to);
      if (b > a) channelMs += b - a;
    }
  };
  for (const f of facts) {
    overlap(f.legs);
    if (f.end >= o.from && f.end <= o.to) ended++;
    for (const v of f.visits) {
      const left = v.leftAt ?? f.end;
      if (left < o.from || left > o.to || v.outcome === undefined) continue;
      const q = accFor(per, v.queue);
      for (const acc of [all, q]) {
        const w = v.waitSeconds ?? Math.round((left - v.joinedAt) / 1000);
        acc.k.offered++;
        acc.wait += w;
        acc.k.longestWait = Math.max(acc.k.longestWait, w);
        if (v.outcome === 'answered') {
          acc.k.answered++;
          if (w <= sl) acc.inSl++;
          if (v.talkSeconds !== undefined) {
            acc.talk += v.talkSeconds;
            acc.talkN++;
          }
        } else if (v.outcome === 'abandoned') acc.k.abandoned++;
        else if (v.outcome === 'timeout') acc.k.timedOut++;
      }
      if (v.outcome === 'answered' && v.agent) {
        let a = agents.get(v.agent);
        if (!a) {
          a = { answered: 0, talkSeconds: 0, averageTalk: 0 };
          agents.set(v.agent, a);
        }
        a.answered++;
        a.talkSeconds += v.talkSeconds ?? 0;
      }
    }
  }
  if (live) {
    overlap(live.legs);
    for (const w of live.waiting) {
      const q = accFor(per, w.queue);
      const secs = Math.max(0, Math.round((o.to - w.joinedAt) / 1000));
      for (const acc of [all, q]) {
        acc.k.waiting++;
        acc.k.longestWait = Math.max(acc.k.longestWait, secs);
      }
    }
  }
  const finish = (acc: Acc): PbxQueueKpis => {
    const k = acc.k;
    k.averageWait = k.offered ? acc.wait / k.offered : 0;
    k.averageTalk = acc.talkN ? acc.talk / acc.talkN : 0;
    k.serviceLevel = k.offered ? acc.inSl / k.offered : 1;
    return k;
  };
  for (const a of agents.values()) a.averageTalk = a.answered ? a.talkSeconds / a.answered : 0;
  const averageChannels = channelMs / span;
  const out: PbxKpis = {
    from: o.from,
    to: o.to,
    callsInProgress: live?.calls ?? 0,
    callsPerMinute: ended / (span / 60000),
    averageChannels,
    queues: finish(all),
    perQueue: Object.fromEntries([...per].map(([n, a]) => [n, finish(a)])),
    perAgent: Object.fromEntries(agents),
  };
  if (o.capacity) out.channelUtilisation = averageChannels / o.capacity;
  return out;
}
