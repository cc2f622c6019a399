/** Call history (`/api/v1/history`, JSON pages or a streamed CSV) and statistics (`/api/v1/stats`). */
import { z } from 'zod';
import { historyCsv, historyStats, MAX_ID, queryHistory, toHistoryCall } from '../../history/index.js';
import type { HistoryFilter } from '../../store/index.js';
import type { RoutePlugin } from '../context.js';
import { notFound, registerErrorCodes } from '../errors.js';
import type { HistoryRoom } from '../rooms/history.js';
import { defineRoute } from '../route.js';

const DAY = 86_400_000;

/** `2026-11-22`, `2026-11-22T09:00:00Z` or epoch milliseconds. */
const time = z
  .string()
  .max(40)
  .transform((s, c) => {
    const ms = /^\d{1,16}$/.test(s) ? Number(s) : Date.parse(s);
    if (!Number.isFinite(ms)) {
      c.addIssue({ code: 'custom', message: 'an ISO-8601 date/time or epoch milliseconds' });
      return z.NEVER;
    }
    return ms;
  });
const text = (max: number) => z.string().min(1).max(max);
const filterShape = {
  from: time.optional(),
  to: time.optional(),
  src: text(80).optional(),
  dst: text(80).optional(),
  disposition: z.enum(['ANSWERED', 'NO ANSWER', 'BUSY', 'FAILED']).optional(),
  pbx: text(32).optional(),
  queue: text(80).optional(),
  q: text(80).optional(),
};
const historyQuery = z.object({
  ...filterShape,
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  cursor: z.string().max(100).optional(),
  format: z.enum(['json', 'csv']).optional(),
});
const call = z.object({
  id: z.number(),
  callId: z.string(),
  pbx: z.string(),
  linkedid: z.string(),
  start: z.string(),
  answer: z.string().nullable(),
  end: z.string(),
  durationSeconds: z.number(),
  billableSeconds: z.number(),
  source: z.string().nullable(),
  destination: z.string().nullable(),
  callerName: z.string().nullable(),
  disposition: z.string(),
  hangupCause: z.number().nullable(),
  hangupCauseText: z.string().nullable(),
  queue: z.string().nullable(),
  agent: z.string().nullable(),
  queueOutcome: z.string().nullable(),
  waitSeconds: z.number().nullable(),
  talkSeconds: z.number().nullable(),
  route: z.string().nullable(),
  endedWhileDisconnected: z.boolean(),
});
const queueFigures = z.object({
  offered: z.number(),
  answered: z.number(),
  abandoned: z.number(),
  timedOut: z.number(),
  averageWait: z.number(),
  longestWait: z.number(),
  averageTalk: z.number(),
  serviceLevel: z.number(),
});
const figures = z.object({
  total: z.number(),
  answered: z.number(),
  missed: z.number(),
  busy: z.number(),
  answerRatio: z.number(),
  averageWait: z.number(),
  averageTalk: z.number(),
  queue: queueFigures,
});

function filterOf(q: Partial<Record<keyof typeof filterShape, unknown>>): HistoryFilter {
  const f: HistoryFilter = {};
  for (const k of Object.keys(filterShape) as (keyof typeof filterShape)[]) {
    if (q[k] !== undefined) (f as Record<string, unknown>)[k] = q[k];
  }
  return f;
}

/** History and statistics routes (the `history` service must be running). */
export const historyRoutes: RoutePlugin = (app, ctx) => {
  registerErrorCodes({ HISTORY_INVALID_CURSOR: 400, HISTORY_INVALID_RANGE: 400 });
  const repo = () => {
    const room = ctx.rooms.get('history') as HistoryRoom | undefined;
    if (!room) throw notFound('the history service');
    return room.repository;
  };
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/history',
      access: 'viewer',
      tag: 'history',
      summary:
        'Finished calls newest first, one page (`next` = the cursor of the following page); `Accept: text/csv` or `format=csv` streams every page as CSV',
      query: historyQuery,
      response: z.object({ items: z.array(call), next: z.string().optional() }),
      produces: ['text/csv'],
    },
    async ({ query, request, reply }) => {
      const filter = filterOf(query);
      const csv =
        query.format === 'csv' ||
        (query.format === undefined && /\btext\/csv\b/.test(request.headers.accept ?? ''));
      if (!csv)
        return queryHistory(repo(), filter, {
          limit: query.limit,
          ...(query.cursor ? { cursor: query.cursor } : {}),
        });
      const stream = historyCsv(repo(), filter);
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="call-history.csv"');
      // The reply itself, not undefined: a stream is not `sent` until it ends, and defineRoute must not answer again.
      return reply.send(stream);
    },
  );
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/history/:id',
      access: 'viewer',
      tag: 'history',
      summary: 'One finished call with its legs, dial attempts, transfers, queue visits and Cdr events',
      params: z.object({ id: z.coerce.number().int().min(1).max(MAX_ID) }),
    },
    async ({ params }) => {
      const e = await repo().get(params.id);
      if (!e) throw notFound(`call ${params.id}`);
      const detail = JSON.parse(e.detail) as Record<string, unknown>;
      return {
        ...toHistoryCall(e),
        legs: detail.legs ?? [],
        dials: detail.dials ?? [],
        transfers: detail.transfers ?? [],
        queues: detail.queues ?? [],
        cdrs: detail.cdrs ?? [],
      };
    },
  );
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/stats',
      access: 'viewer',
      tag: 'history',
      summary:
        'Call figures per hour, day, extension, queue or route, and the totals (the live KPIs’ definitions); default range: the last 24 hours',
      query: z.object({
        ...filterShape,
        groupBy: z.enum(['hour', 'day', 'extension', 'queue', 'route']).default('hour'),
        serviceLevel: z.coerce.number().int().min(0).max(3600).default(20),
      }),
      response: z.object({
        from: z.string(),
        to: z.string(),
        groupBy: z.string(),
        groups: z.array(figures.extend({ key: z.string().nullable() })),
        totals: figures,
      }),
    },
    async ({ query }) => {
      const to = query.to ?? Date.now();
      const from = query.from ?? to - DAY;
      const filter = { ...filterOf(query), from, to };
      const stats = await historyStats(repo(), filter, {
        groupBy: query.groupBy,
        serviceLevelSeconds: query.serviceLevel,
      });
      return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), ...stats };
    },
  );
};
