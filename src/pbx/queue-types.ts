/** Public data types of queues, agents and KPIs. */

/** A queue member. */
export interface PbxQueueMember {
  /** Globally unique id: `<server>/<queue>/<interface>`. */
  id: string;
  /** Queue name. */
  queue: string;
  /** Member interface (`Location`/`Interface`). */
  interface: string;
  /** Member name. */
  name?: string;
  /** State interface. */
  stateInterface?: string;
  /** static / dynamic / realtime. */
  membership?: string;
  /** Penalty. */
  penalty?: number;
  /** Calls taken. */
  callsTaken: number;
  /** Device status number (1 not in use, 2 in use, 6 ringing…). */
  status: number;
  /** Paused. */
  paused: boolean;
  /** Pause reason. */
  pausedReason?: string;
  /** In a queue call. */
  inCall: boolean;
}

/** A caller waiting in a queue. */
export interface PbxQueueEntry {
  /** Caller channel uniqueid. */
  uniqueid: string;
  /** Caller channel name. */
  channel: string;
  /** 1-based position. */
  position: number;
  /** Caller id number. */
  callerIdNum?: string;
  /** Caller id name. */
  callerIdName?: string;
  /** Joined (epoch ms, derived from `Wait` for snapshots). */
  joinedAt: number;
}

/** A queue with its members and waiting callers. */
export interface PbxQueue {
  /** Globally unique id: `<server>/<name>`. */
  id: string;
  /** Server id. */
  server: string;
  /** Name. */
  name: string;
  /** Strategy. */
  strategy?: string;
  /** Max callers (0 = unlimited). */
  max?: number;
  /** Completed calls (Asterisk counter, kept current from events). */
  completed: number;
  /** Abandoned calls (Asterisk counter, kept current from events). */
  abandoned: number;
  /** Service level seconds. */
  serviceLevel?: number;
  /** Weight. */
  weight?: number;
  /** Members by interface. */
  members: PbxQueueMember[];
  /** Waiting callers, by position. */
  entries: PbxQueueEntry[];
}

/** An agent: one member interface across every queue it belongs to. */
export interface PbxAgent {
  /** Globally unique id: `<server>/<interface>`. */
  id: string;
  /** Interface. */
  interface: string;
  /** Name. */
  name?: string;
  /** Queues it is a member of. */
  queues: string[];
  /** Paused in every queue. */
  paused: boolean;
  /** In a queue call. */
  inCall: boolean;
  /** Device status number (as in its queues). */
  status: number;
  /** Calls taken, summed over its queues. */
  callsTaken: number;
}

/** KPIs over one sliding window. */
export interface PbxKpis {
  /** Window start (epoch ms). */
  from: number;
  /** Window end (epoch ms). */
  to: number;
  /** Calls in progress at `to` (live only; 0 for history). */
  callsInProgress: number;
  /** Calls that ended in the window, per minute of window. */
  callsPerMinute: number;
  /** Mean number of channels up during the window (channel-seconds / window seconds). */
  averageChannels: number;
  /** averageChannels / capacity, when a capacity is configured. */
  channelUtilisation?: number;
  /** Whole-PBX queue figures. */
  queues: PbxQueueKpis;
  /** Per queue. */
  perQueue: Record<string, PbxQueueKpis>;
  /** Per agent (member interface). */
  perAgent: Record<string, PbxAgentKpis>;
}

/** Queue KPIs: visits that ended inside the window. */
export interface PbxQueueKpis {
  /** Visits that ended (answered + abandoned + timeout + left). */
  offered: number;
  /** Connected to an agent. */
  answered: number;
  /** Caller hung up while waiting. */
  abandoned: number;
  /** Queue() timed out. */
  timedOut: number;
  /** Mean wait of every ended visit (seconds). */
  averageWait: number;
  /** Longest wait of an ended visit, or of a caller still waiting (live). */
  longestWait: number;
  /** Mean talk of answered visits with a known talk time (seconds). */
  averageTalk: number;
  /** Answered within N seconds / offered (1 when nothing was offered). */
  serviceLevel: number;
  /** Callers waiting now (live only). */
  waiting: number;
}

/** Agent KPIs over the window. */
export interface PbxAgentKpis {
  /** Queue calls answered. */
  answered: number;
  /** Total talk seconds. */
  talkSeconds: number;
  /** Mean talk seconds. */
  averageTalk: number;
}
