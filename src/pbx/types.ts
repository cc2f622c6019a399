/** Public data types of the live PBX model: what a snapshot holds and what change events carry. */
import type { PbxAgent, PbxQueue } from './queue-types.js';
import type { PbxTrunk } from './trunk-types.js';

/** Queue, agent and KPI types (defined in queue-types.ts). */
export type {
  PbxAgent,
  PbxAgentKpis,
  PbxKpis,
  PbxQueue,
  PbxQueueEntry,
  PbxQueueKpis,
  PbxQueueMember,
} from './queue-types.js';
/** Trunk and line types (defined in trunk-types.ts). */
export type * from './trunk-types.js';

/** The part of an AMI message the model reads (an `AmiMessage` from `switchboard/ami` fits it). */
export interface PbxMessage {
  /** The `Event:` header, when the message is an event. */
  readonly event?: string | undefined;
  /** First value of a header, case-insensitive. */
  get(name: string): string | undefined;
}

/** One channel (a call leg) as Asterisk reports it. Times are epoch milliseconds. */
export interface PbxChannel {
  /** Globally unique id: `<server>/<uniqueid>`. */
  id: string;
  /** Id of the server this channel lives on. */
  server: string;
  /** Asterisk `Uniqueid`. */
  uniqueid: string;
  /** Asterisk `Linkedid` (derived on Asterisk 11, which does not send it). */
  linkedid: string;
  /** Channel name, e.g. `PJSIP/alonso-00000004`. */
  name: string;
  /** Numeric state (0 Down … 6 Up … 9 Pre-ring). */
  state: number;
  /** State text as Asterisk spells it (`Up`, `Ringing`…). */
  stateDesc: string;
  /** Caller id number (`undefined` for `<unknown>`). */
  callerIdNum?: string;
  /** Caller id name. */
  callerIdName?: string;
  /** Connected line number. */
  connectedLineNum?: string;
  /** Connected line name. */
  connectedLineName?: string;
  /** Dialplan context. */
  context?: string;
  /** Dialplan extension. */
  exten?: string;
  /** Dialplan priority. */
  priority?: number;
  /** Application running now. */
  application?: string;
  /** Its arguments. */
  applicationData?: string;
  /** Account code. */
  accountCode?: string;
  /** Language. */
  language?: string;
  /** When the model first saw the channel. */
  createdAt: number;
  /** When it went Up. */
  answeredAt?: number;
  /** Bridge it is in (bridge uniqueid; `link:<uniqueid>` for Asterisk 11 Link pairs). */
  bridgeId?: string;
  /** True between Hold and Unhold. */
  onHold: boolean;
  /** True while music on hold plays to it. */
  musicOnHold: boolean;
  /** Last DTMF digit received, and when. */
  lastDtmf?: { digit: string; at: number };
}

/** A bridge and the channels in it. */
export interface PbxBridge {
  /** Globally unique id: `<server>/<bridge uniqueid>`. */
  id: string;
  /** Server id. */
  server: string;
  /** Bridge uniqueid (`link:<uniqueid>` for Asterisk 11 Link pairs). */
  uniqueid: string;
  /** `basic`, `stasis`… */
  type?: string;
  /** `simple_bridge`, `native_rtp`… (Asterisk changes it without an event). */
  technology?: string;
  /** Uniqueids of the member channels, in order of entry. */
  members: string[];
  /** When the model first saw it. */
  createdAt: number;
}

/** One leg of a call, kept after it hangs up so the record can describe it. */
export interface PbxCallLeg {
  /** Channel uniqueid. */
  uniqueid: string;
  /** Channel name. */
  name: string;
  /** Caller id number at the end (or when last seen). */
  callerIdNum?: string;
  /** Connected line number at the end. */
  connectedLineNum?: string;
  /** First dialplan extension it ran (other than `s`): the number dialled. */
  exten?: string;
  /** Created. */
  createdAt: number;
  /** Answered. */
  answeredAt?: number;
  /** Hung up. */
  endedAt?: number;
  /** Hangup cause code. */
  cause?: number;
  /** Hangup cause text (`Normal Clearing`…). */
  causeText?: string;
  /** True when the leg vanished while the link was down (seen missing from a re-snapshot). */
  endedWhileDisconnected?: boolean;
}

/** One dial attempt inside a call. */
export interface PbxDial {
  /** Dialling channel uniqueid (absent for originated legs). */
  from?: string;
  /** Dialled channel uniqueid. */
  to: string;
  /** Dialled channel name. */
  toName: string;
  /** Dial string, when given. */
  dialString?: string;
  /** Last dial status (RINGING, ANSWER, BUSY, NOANSWER, CANCEL, …). */
  status?: string;
  /** Began. */
  startedAt: number;
  /** Ended (final status known). */
  endedAt?: number;
}

/** A transfer seen in a call. */
export interface PbxTransfer {
  /** Blind or attended. */
  kind: 'blind' | 'attended';
  /** When. */
  at: number;
  /** `Success` or `Fail`… */
  result?: string;
  /** Uniqueid of the transferer. */
  transferer?: string;
  /** Extension (blind) or destination type (attended). */
  target?: string;
}

/** A caller's visit to a queue within a call. */
export interface PbxQueueVisit {
  /** Queue name. */
  queue: string;
  /** Caller channel uniqueid. */
  uniqueid: string;
  /** Joined. */
  joinedAt: number;
  /** Left the queue (connected, abandoned or timed out). */
  leftAt?: number;
  /** Outcome once known. */
  outcome?: 'answered' | 'abandoned' | 'timeout' | 'left';
  /** Seconds waited (Asterisk's HoldTime when it gave one). */
  waitSeconds?: number;
  /** Member interface that answered. */
  agent?: string;
  /** Seconds of talk with the agent (AgentComplete). */
  talkSeconds?: number;
}

/** A Cdr event attached to its call. */
export interface PbxCdr {
  /** Channel. */
  channel: string;
  /** Destination channel (empty when none). */
  destinationChannel: string;
  /** Source. */
  source: string;
  /** Destination extension. */
  destination: string;
  /** ANSWERED, NO ANSWER, BUSY, FAILED, CONGESTION. */
  disposition: string;
  /** Whole seconds. */
  duration: number;
  /** Whole seconds. */
  billableSeconds: number;
  /** Last application. */
  lastApplication: string;
  /** Its data. */
  lastData: string;
  /** Uniqueid. */
  uniqueid: string;
}

/** A live call: every channel that shares a linkedid. */
export interface PbxCall {
  /** Globally unique id: `<server>/<linkedid>`. */
  id: string;
  /** Server id. */
  server: string;
  /** The linkedid. */
  linkedid: string;
  /** First channel seen. */
  startedAt: number;
  /** First leg answered. */
  answeredAt?: number;
  /** Last leg hung up. */
  endedAt?: number;
  /** Uniqueids of the live channels. */
  channels: string[];
  /** Every leg, live or ended. */
  legs: PbxCallLeg[];
  /** Dial attempts. */
  dials: PbxDial[];
  /** Transfers. */
  transfers: PbxTransfer[];
  /** Queue visits. */
  queues: PbxQueueVisit[];
  /** Cdr events received for it. */
  cdrs: PbxCdr[];
}

/** The CDR-like record emitted once a call is finished. */
export interface PbxCallRecord {
  /** Call id (`<server>/<linkedid>`). */
  id: string;
  /** Server id. */
  server: string;
  /** Linkedid. */
  linkedid: string;
  /** Start (epoch ms). */
  start: number;
  /** Answer (epoch ms), when answered. */
  answer?: number;
  /** End (epoch ms). */
  end: number;
  /** Seconds from start to end. */
  durationSeconds: number;
  /** Seconds from answer to end (0 if never answered). */
  billableSeconds: number;
  /** Caller number of the first leg. */
  source?: string;
  /** Dialled extension of the first leg. */
  destination?: string;
  /** ANSWERED, NO ANSWER, BUSY or FAILED. */
  disposition: 'ANSWERED' | 'NO ANSWER' | 'BUSY' | 'FAILED';
  /** Hangup cause of the first leg. */
  hangupCause?: number;
  /** Its text. */
  hangupCauseText?: string;
  /** Every leg. */
  legs: PbxCallLeg[];
  /** Dial attempts. */
  dials: PbxDial[];
  /** Transfers. */
  transfers: PbxTransfer[];
  /** Queue visits. */
  queues: PbxQueueVisit[];
  /** Member interface of the agent that answered, if the call went through a queue. */
  agent?: string;
  /** Cdr events Asterisk sent for it. */
  cdrs: PbxCdr[];
  /** True when at least one leg ended while the link was down. */
  endedWhileDisconnected: boolean;
}

/** A SIP/PJSIP endpoint (or chan_sip peer). */
export interface PbxEndpoint {
  /** Globally unique id: `<server>/<Tech/resource>`. */
  id: string;
  /** Server id. */
  server: string;
  /** `PJSIP/alonso`. */
  device: string;
  /** Reachable, Unreachable, Registered, Unknown… (as last reported). */
  status?: string;
  /** Device state in DeviceStateChange spelling (NOT_INUSE, INUSE…). */
  deviceState?: string;
  /** Registered contact URIs. */
  contacts: string[];
  /** Channels in use, when the server said. */
  activeChannels?: number;
}

/** A conference participant. */
export interface PbxConferenceMember {
  /** Channel uniqueid. */
  uniqueid: string;
  /** Channel name. */
  channel: string;
  /** Admin. */
  admin: boolean;
  /** Muted. */
  muted: boolean;
  /** Talking (when talk detection is on). */
  talking: boolean;
}

/** A ConfBridge conference. */
export interface PbxConference {
  /** Globally unique id: `<server>/<name>`. */
  id: string;
  /** Server id. */
  server: string;
  /** Conference name. */
  name: string;
  /** Locked. */
  locked: boolean;
  /** Participants. */
  members: PbxConferenceMember[];
}

/** A consistent picture of one server. */
export interface PbxServerSnapshot {
  /** Server id. */
  server: string;
  /** Sequence number of the last change included. */
  seq: number;
  /** Taken at (epoch ms). */
  at: number;
  /** Channels. */
  channels: PbxChannel[];
  /** Bridges. */
  bridges: PbxBridge[];
  /** Calls in progress (plus ended ones whose record is pending). */
  calls: PbxCall[];
  /** Endpoints. */
  endpoints: PbxEndpoint[];
  /** Device states (any device, including Queue: and Custom: pseudo devices). */
  devices: Record<string, string>;
  /** Queues. */
  queues: PbxQueue[];
  /** Agents. */
  agents: PbxAgent[];
  /** Conferences. */
  conferences: PbxConference[];
  /** Trunks and lines (registrations, trunk endpoints, DAHDI spans). */
  trunks: PbxTrunk[];
}

/** Kinds of change event. */
export type PbxChangeType =
  | 'channel'
  | 'call'
  | 'bridge'
  | 'queue'
  | 'member'
  | 'caller'
  | 'endpoint'
  | 'conference'
  | 'record'
  | 'kpi'
  | 'trunk';

/** One change of the model, numbered per server. */
export interface PbxChange {
  /** Per-server sequence number, +1 per change (a jump means a missed change). */
  seq: number;
  /** Server id. */
  server: string;
  /** What changed. */
  type: PbxChangeType;
  /** Added, updated or removed. */
  op: 'add' | 'update' | 'remove';
  /** Global id of the object. */
  id: string;
  /** The object after the change (before it, for `remove`). */
  data: unknown;
  /** Set on removals the model inferred from a re-snapshot rather than saw. */
  endedWhileDisconnected?: boolean;
}
