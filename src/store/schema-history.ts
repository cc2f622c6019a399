/** Tables of the call history: one row per finished call (times are epoch milliseconds, for compact range indexes). */
import type { Generated } from 'kysely';

/** `call_history`: one finished call, unique per `(pbx, linkedid)`. */
export interface CallHistoryTable {
  id: Generated<number>;
  /** PBX (server) id. */
  pbx: string;
  /** Asterisk linkedid of the call. */
  linkedid: string;
  /** Call id (`<pbx>/<linkedid>`). */
  call_id: string;
  /** Start, epoch ms (PostgreSQL `bigint`: read back as text by `pg`, hence the union). */
  start_ms: number | string;
  /** Answer, epoch ms. */
  answer_ms: number | string | null;
  /** End, epoch ms. */
  end_ms: number | string;
  /** Seconds from start to end. */
  duration: number;
  /** Seconds from answer to end. */
  billable: number;
  /** Caller number. */
  source: string | null;
  /** The dialled number (never the `s` of an originated channel's Cdr). */
  destination: string | null;
  /** Caller name (when the PBX gave one). */
  caller_name: string | null;
  /** ANSWERED, NO ANSWER, BUSY or FAILED. */
  disposition: string;
  /** Hangup cause code of the first leg. */
  hangup_cause: number | null;
  /** Its text. */
  hangup_cause_text: string | null;
  /** Queue of the call's (answered, else last) queue visit. */
  queue: string | null;
  /** Member interface that answered. */
  agent: string | null;
  /** Outcome of that visit (answered, abandoned, timeout, left), null when none. */
  queue_outcome: string | null;
  /** Seconds waited in that visit (the live KPIs' definition). */
  wait_seconds: number | null;
  /** Seconds of talk with the agent (AgentComplete). */
  talk_seconds: number | null;
  /** Router route name, when the call went through the call router. */
  route: string | null;
  /** 1 when a leg ended while the AMI link was down. */
  ended_while_disconnected: number;
  /** JSON: legs, dials, transfers, queue visits and Cdr events. */
  detail: string;
}

/** The history room's tables. */
export interface HistoryTables {
  call_history: CallHistoryTable;
}
