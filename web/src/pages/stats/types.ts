/** Shapes of `GET /api/v1/stats`. */

/** Queue figures of a group (the live KPIs' definitions). */
export interface QueueFigures {
  offered: number;
  answered: number;
  abandoned: number;
  timedOut: number;
  averageWait: number;
  longestWait: number;
  averageTalk: number;
  serviceLevel: number;
}

/** Call figures of a group or of the whole range. */
export interface Figures {
  total: number;
  answered: number;
  missed: number;
  busy: number;
  answerRatio: number;
  averageWait: number;
  averageTalk: number;
  queue: QueueFigures;
}

/** The answer of `GET /api/v1/stats`. */
export interface Stats {
  from: string;
  to: string;
  groupBy: string;
  groups: (Figures & { key: string | null })[];
  totals: Figures;
}
