/** Test helper: synthetic finished calls (`PbxCallRecord`s) shaped like the model's, and a store per back end. */
import type { PbxCallRecord, PbxQueueVisit } from '../../src/pbx/index.js';

/** Options of {@link callRecord}. */
export interface CallOptions {
  server?: string;
  linkedid: string;
  start: number;
  /** Seconds ringing before the answer (undefined: unanswered). */
  answerAfter?: number;
  /** Seconds from start to end. */
  duration: number;
  source?: string;
  destination?: string;
  disposition?: PbxCallRecord['disposition'];
  visit?: Omit<PbxQueueVisit, 'uniqueid' | 'joinedAt'> & { joinedAfter?: number };
}

/** A finished call with one or two legs (and a queue visit when asked). */
export function callRecord(o: CallOptions): PbxCallRecord {
  const server = o.server ?? 'pbx1';
  const end = o.start + o.duration * 1000;
  const answer = o.answerAfter === undefined ? undefined : o.start + o.answerAfter * 1000;
  const uid = `${o.linkedid}`;
  const legs: PbxCallRecord['legs'] = [
    {
      uniqueid: uid,
      name: `PJSIP/${o.source ?? 'x'}-0000${uid.slice(-4)}`,
      ...(o.source ? { callerIdNum: o.source } : {}),
      ...(o.destination ? { exten: o.destination } : {}),
      createdAt: o.start,
      ...(answer !== undefined ? { answeredAt: answer } : {}),
      endedAt: end,
      cause: 16,
      causeText: 'Normal Clearing',
    },
  ];
  const queues: PbxQueueVisit[] = o.visit
    ? [
        {
          ...o.visit,
          uniqueid: uid,
          joinedAt: o.start + (o.visit.joinedAfter ?? 0) * 1000,
        },
      ]
    : [];
  for (const v of queues) delete (v as { joinedAfter?: number }).joinedAfter;
  return {
    id: `${server}/${o.linkedid}`,
    server,
    linkedid: o.linkedid,
    start: o.start,
    ...(answer !== undefined ? { answer } : {}),
    end,
    durationSeconds: o.duration,
    billableSeconds: answer === undefined ? 0 : Math.round((end - answer) / 1000),
    ...(o.source ? { source: o.source } : {}),
    ...(o.destination ? { destination: o.destination } : {}),
    disposition: o.disposition ?? (answer === undefined ? 'NO ANSWER' : 'ANSWERED'),
    hangupCause: 16,
    hangupCauseText: 'Normal Clearing',
    legs,
    dials: [],
    transfers: [],
    queues,
    ...(o.visit?.agent ? { agent: o.visit.agent } : {}),
    cdrs: [],
    endedWhileDisconnected: false,
  };
}
