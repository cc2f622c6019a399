/** Shapes of `/api/v1/history` and `/api/v1/history/:id` the Last calls page and Home read. */
import type { CallLeg, QueueVisit } from '../../api/types';

/** One finished call (a row of `GET /api/v1/history`). */
export interface HistoryCall {
  id: number;
  callId: string;
  pbx: string;
  linkedid: string;
  start: string;
  answer: string | null;
  end: string;
  durationSeconds: number;
  billableSeconds: number;
  source: string | null;
  destination: string | null;
  callerName: string | null;
  disposition: string;
  hangupCause: number | null;
  hangupCauseText: string | null;
  queue: string | null;
  agent: string | null;
  queueOutcome: string | null;
  waitSeconds: number | null;
  talkSeconds: number | null;
  route: string | null;
  endedWhileDisconnected: boolean;
}

/** A page of `GET /api/v1/history`. */
export interface HistoryPageData {
  items: HistoryCall[];
  next?: string;
}

/** A transfer inside a call. */
export interface Transfer {
  kind: 'blind' | 'attended';
  at: number;
  result?: string;
  transferer?: string;
  target?: string;
}

/** `GET /api/v1/history/:id`. */
export interface HistoryDetail extends HistoryCall {
  legs: CallLeg[];
  dials: {
    from?: string;
    to: string;
    toName: string;
    dialString?: string;
    status?: string;
    startedAt: number;
    endedAt?: number;
  }[];
  transfers: Transfer[];
  queues: (QueueVisit & { waitSeconds?: number; talkSeconds?: number })[];
}

/** A line of `GET /api/v1/logs`. */
export interface LogEntry {
  seq: number;
  pbx: string;
  time: string | null;
  level: string | null;
  callId: string | null;
  message: string;
  raw: string;
}
