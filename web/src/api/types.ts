/**
 * The shapes the UI reads from `/api/v1` and `/api/v1/live` (a client-side copy of the server's public types:
 * the UI is built separately and must not import server code).
 */

/** A role, weakest first. */
export const ROLES = ['viewer', 'agent', 'operator', 'supervisor', 'admin'] as const;
/** A role name. */
export type Role = (typeof ROLES)[number];

/** True when `role` is at least `needed`. */
export function atLeast(role: string, needed: Role): boolean {
  return ROLES.indexOf(role as Role) >= ROLES.indexOf(needed);
}

/** `GET /api/v1/session`. */
export interface Me {
  name: string;
  role: Role;
  extensions: string[];
  language: string | null;
  csrfToken?: string;
  via: 'session' | 'token';
  scope: string;
}

/** One PBX (`GET /api/v1/pbx`). */
export interface PbxInfo {
  id: string;
  name: string;
  state: string;
  connected: boolean;
  simulated: boolean;
  since: string;
  lastError?: string;
  banner?: string;
}

/** A channel. */
export interface Channel {
  id: string;
  server: string;
  uniqueid: string;
  linkedid: string;
  name: string;
  state: number;
  stateDesc: string;
  callerIdNum?: string;
  callerIdName?: string;
  connectedLineNum?: string;
  connectedLineName?: string;
  context?: string;
  exten?: string;
  createdAt: number;
  answeredAt?: number;
  bridgeId?: string;
  onHold: boolean;
}

/** A leg of a call. */
export interface CallLeg {
  uniqueid: string;
  name: string;
  callerIdNum?: string;
  connectedLineNum?: string;
  exten?: string;
  createdAt: number;
  answeredAt?: number;
  endedAt?: number;
}

/** A queue visit inside a call. */
export interface QueueVisit {
  queue: string;
  uniqueid: string;
  joinedAt: number;
  leftAt?: number;
  outcome?: string;
  agent?: string;
}

/** A live call. */
export interface Call {
  id: string;
  server: string;
  linkedid: string;
  startedAt: number;
  answeredAt?: number;
  endedAt?: number;
  channels: string[];
  legs: CallLeg[];
  dials: { to: string; toName: string; status?: string; startedAt: number; endedAt?: number }[];
  queues: QueueVisit[];
}

/** A finished call (live `record` changes). */
export interface CallRecord {
  id: string;
  server: string;
  start: number;
  end: number;
  disposition: string;
}

/** Queue figures. */
export interface QueueKpis {
  offered: number;
  answered: number;
  abandoned: number;
  timedOut: number;
  averageWait: number;
  longestWait: number;
  averageTalk: number;
  serviceLevel: number;
  waiting: number;
}

/** KPIs of one PBX over the server's sliding window. */
export interface Kpis {
  from: number;
  to: number;
  callsInProgress: number;
  callsPerMinute: number;
  averageChannels: number;
  channelUtilisation?: number;
  queues: QueueKpis;
}

/** One server in the live snapshot. */
export interface ServerSnapshot {
  server: string;
  seq: number;
  at: number;
  channels: Channel[];
  calls: Call[];
  trunks?: Trunk[];
}

/** A change of the live model. */
export interface Change {
  seq: number;
  server: string;
  type: string;
  op: 'add' | 'update' | 'remove';
  id: string;
  data: unknown;
}

/** Messages of `/api/v1/live`. */
export type LiveMessage =
  | { type: 'snapshot'; seq: number; epoch: string; data: { pbx: PbxInfo[]; servers: ServerSnapshot[] } }
  | { type: 'resume'; seq: number; epoch: string }
  | { type: 'change'; seq: number; change: Change }
  | { type: 'pbx'; seq: number; pbx: PbxInfo }
  | { type: 'click-to-dial'; seq: number; call: DialCall }
  | { type: 'trunk'; seq: number; change: { op: 'add' | 'update' | 'remove'; id: string; data: Trunk } };

/** A trunk or line (`GET /api/v1/trunks`, live `trunk` messages). */
export interface Trunk {
  id: string;
  server: string;
  name: string;
  kind: 'pjsip-registration' | 'sip-registration' | 'pjsip-endpoint' | 'dahdi-span';
  state:
    | 'registered'
    | 'registering'
    | 'rejected'
    | 'unregistered'
    | 'reachable'
    | 'unreachable'
    | 'up'
    | 'alarm';
  previousState?: string;
  since: number;
  reason?: string;
  status?: string;
}

/** Click-to-dial progress states, in order (`failed` may come at any point). */
export type DialState =
  | 'ringing-caller'
  | 'caller-answered'
  | 'ringing-callee'
  | 'connected'
  | 'ended'
  | 'failed';

/** `POST /api/v1/calls` and `GET /api/v1/calls/:id` (click-to-dial). */
export interface DialCall {
  id: string;
  pbx: string;
  from: string;
  to: string;
  state: DialState;
  /** Why it failed or ended, in words. */
  reason?: string;
  callId?: string;
  updatedAt: number;
}

/** A queue member (`GET /api/v1/queues`). */
export interface QueueMember {
  id: string;
  queue: string;
  interface: string;
  name?: string;
  membership?: string;
  penalty?: number;
  callsTaken: number;
  /** Device status (1 not in use, 2 in use, 3 busy, 4 invalid, 5 unavailable, 6 ringing, 7 ringing in use, 8 on hold). */
  status: number;
  paused: boolean;
  pausedReason?: string;
  inCall: boolean;
}

/** A caller waiting in a queue. */
export interface QueueEntry {
  uniqueid: string;
  channel: string;
  position: number;
  callerIdNum?: string;
  callerIdName?: string;
  joinedAt: number;
}

/** A queue with members, callers and its KPIs. */
export interface Queue {
  id: string;
  server: string;
  name: string;
  strategy?: string;
  completed: number;
  abandoned: number;
  members: QueueMember[];
  entries: QueueEntry[];
  kpis?: QueueKpis;
}
