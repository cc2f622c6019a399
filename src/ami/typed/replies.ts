/** Typed replies of single-packet actions (CoreStatus, CoreSettings, MailboxCount) and QueueStatus / ListCommands. */
import type { QueueEntry, QueueMember, QueueParams } from './results.js';

/** `CoreStatus` reply. */
export interface CoreStatus {
  /** `YYYY-MM-DD`. */
  startupDate: string;
  /** `HH:MM:SS`. */
  startupTime: string;
  /** `YYYY-MM-DD`. */
  reloadDate: string;
  /** `HH:MM:SS`. */
  reloadTime: string;
  /** Calls now. */
  currentCalls: number;
  /** Calls processed since start (absent before Asterisk 14). */
  processedCalls?: number | undefined;
}

/** `CoreSettings` reply. */
export interface CoreSettings {
  /** AMI version, e.g. `13.0.0`. */
  amiVersion: string;
  /** Asterisk version. */
  asteriskVersion: string;
  /** System name. */
  systemName?: string | undefined;
  /** Max calls (0 = unlimited). */
  maxCalls?: number | undefined;
  /** Max load average. */
  maxLoadAvg?: number | undefined;
  /** Run user. */
  runUser?: string | undefined;
  /** Run group. */
  runGroup?: string | undefined;
  /** Max file handles. */
  maxFileHandles?: number | undefined;
  /** Realtime enabled. */
  realTimeEnabled?: boolean | undefined;
  /** CDR enabled. */
  cdrEnabled?: boolean | undefined;
  /** HTTP enabled. */
  httpEnabled?: boolean | undefined;
}

/** `MailboxCount` reply. */
export interface MailboxCount {
  /** Mailbox. */
  mailbox: string;
  /** Urgent messages. */
  urgent: number;
  /** New messages. */
  new: number;
  /** Old messages. */
  old: number;
}

/** `QueueStatus` result, items split by kind. */
export interface QueueStatus {
  /** One per queue. */
  params: QueueParams[];
  /** Members of every listed queue. */
  members: QueueMember[];
  /** Callers waiting. */
  entries: QueueEntry[];
}

/** One action's entry of `ListCommands`. */
export interface CommandInfo {
  /** Synopsis. */
  synopsis: string;
  /** Write classes needed (`<none>` → []). */
  privileges: string[];
}
