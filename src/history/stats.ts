/**
 * `historyStats`: call figures per hour, day, extension, queue or route over stored calls, with the live model's KPI
 * definitions (`src/pbx/kpi.ts`): a queue visit is "offered" when it has an outcome; its wait is Asterisk's HoldTime
 * (else left − joined); average wait is over offered visits; average queue talk is over answered visits that have a
 * talk time; service level = answered within the threshold / offered (1 when nothing was offered).
 */
import type { HistoryFilter, HistoryGroupBy, HistoryGroupSums, HistoryRepository } from '../store/index.js';
import { checkHistoryFilter } from './query.js';

/** Queue figures of a group, as `computeKpis` defines them (`PbxQueueKpis` without the live `waiting`). */
export interface HistoryQueueFigures {
  /** Visits with an outcome. */
  offered: number;
  /** Visits answered by an agent. */
  answered: number;
  /** Callers who hung up while waiting. */
  abandoned: number;
  /** Visits that timed out. */
  timedOut: number;
  /** Mean wait of offered visits (s). */
  averageWait: number;
  /** Longest wait (s). */
  longestWait: number;
  /** Mean talk of answered visits with a talk time (s). */
  averageTalk: number;
  /** Answered within the threshold / offered. */
  serviceLevel: number;
}

/** The figures of one group (or of everything). */
export interface HistoryFigures {
  /** Calls. */
  total: number;
  /** Calls answered (disposition ANSWERED). */
  answered: number;
  /** Calls not answered and not busy (NO ANSWER, FAILED). */
  missed: number;
  /** Calls that met a busy line. */
  busy: number;
  /** answered / total (0 with no calls). */
  answerRatio: number;
  /** Mean queue wait (s) — `computeKpis`' `averageWait`; 0 when no call went through a queue. */
  averageWait: number;
  /** Mean talk of answered calls (s): billable seconds, from answer to end. */
  averageTalk: number;
  /** The queue KPIs of the group's calls. */
  queue: HistoryQueueFigures;
}

/** One group's figures with its key. */
export interface HistoryGroup extends HistoryFigures {
  /** ISO-8601 bucket start (hour, day), or the extension, queue or route (null: calls without one). */
  key: string | null;
}

/** Options of {@link historyStats}. */
export interface HistoryStatsOptions {
  /** Grouping (default `hour`). */
  groupBy?: HistoryGroupBy;
  /** Service level threshold in seconds (default 20, as the live KPIs). */
  serviceLevelSeconds?: number;
}

/** Statistics: one entry per group in key order, plus the totals over every call matched (each counted once). */
export interface HistoryStats {
  /** The grouping. */
  groupBy: HistoryGroupBy;
  /** Groups. */
  groups: HistoryGroup[];
  /** Every matching call. */
  totals: HistoryFigures;
}

function figures(s: HistoryGroupSums | undefined): HistoryFigures {
  const z = s ?? {
    total: 0,
    answered: 0,
    busy: 0,
    billableAnswered: 0,
    offered: 0,
    waitSum: 0,
    longestWait: 0,
    queueAnswered: 0,
    abandoned: 0,
    timedOut: 0,
    inServiceLevel: 0,
    talkCount: 0,
    talkSum: 0,
  };
  const queue: HistoryQueueFigures = {
    offered: z.offered,
    answered: z.queueAnswered,
    abandoned: z.abandoned,
    timedOut: z.timedOut,
    averageWait: z.offered ? z.waitSum / z.offered : 0,
    longestWait: z.longestWait,
    averageTalk: z.talkCount ? z.talkSum / z.talkCount : 0,
    serviceLevel: z.offered ? z.inServiceLevel / z.offered : 1,
  };
  return {
    total: z.total,
    answered: z.answered,
    missed: z.total - z.answered - z.busy,
    busy: z.busy,
    answerRatio: z.total ? z.answered / z.total : 0,
    averageWait: queue.averageWait,
    averageTalk: z.answered ? z.billableAnswered / z.answered : 0,
    queue,
  };
}

/** Adds two groups' sums (the extension grouping sees a key under both source and destination). */
function merge(a: HistoryGroupSums, b: HistoryGroupSums): HistoryGroupSums {
  return {
    key: a.key,
    total: a.total + b.total,
    answered: a.answered + b.answered,
    busy: a.busy + b.busy,
    billableAnswered: a.billableAnswered + b.billableAnswered,
    offered: a.offered + b.offered,
    waitSum: a.waitSum + b.waitSum,
    longestWait: Math.max(a.longestWait, b.longestWait),
    queueAnswered: a.queueAnswered + b.queueAnswered,
    abandoned: a.abandoned + b.abandoned,
    timedOut: a.timedOut + b.timedOut,
    inServiceLevel: a.inServiceLevel + b.inServiceLevel,
    talkCount: a.talkCount + b.talkCount,
    talkSum: a.talkSum + b.talkSum,
  };
}

/**
 * Statistics of the calls matching `filter` (calls are placed by their start time). `extension`: each call counts
 * for its source and for its destination; a call from an extension to itself counts once.
 */
export async function historyStats(
  repo: Pick<HistoryRepository, 'sums'>,
  filter: HistoryFilter,
  options: HistoryStatsOptions = {},
): Promise<HistoryStats> {
  checkHistoryFilter(filter);
  const groupBy = options.groupBy ?? 'hour';
  const sl = options.serviceLevelSeconds ?? 20;
  let rows = await repo.sums(filter, groupBy, sl);
  const byKey = new Map<string, HistoryGroupSums>();
  for (const r of rows) {
    if (groupBy === 'extension' && r.key === null) continue;
    const k = String(r.key);
    const had = byKey.get(k);
    byKey.set(k, had ? merge(had, r) : r);
  }
  rows = [...byKey.values()].sort((a, b) =>
    a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
  );
  // Every call is in exactly one group except with `extension`: sum the groups instead of reading the rows again.
  const all =
    groupBy === 'extension'
      ? (await repo.sums(filter, 'all', sl))[0]
      : rows.length > 0
        ? rows.reduce(merge)
        : undefined;
  return {
    groupBy,
    groups: rows.map((r) => ({
      ...figures(r),
      key: r.key === null ? null : typeof r.key === 'number' ? new Date(r.key).toISOString() : r.key,
    })),
    totals: figures(all),
  };
}
