/** Typed events beyond the call itself: queues and agents, conferences, devices and peers, CDR/CEL, AGI, system, user. */
import type { AmiEventBase, ChannelEvent } from './event-base.js';
import type { QueueMember } from './results.js';
import type { BridgeSnapshot, ChannelSnapshot } from './snapshot.js';

/** `QueueCallerJoin` / `QueueCallerLeave` / `QueueCallerAbandon` (legacy `Join` / `Leave`). */
export interface QueueCallerEvent
  extends ChannelEvent<'QueueCallerJoin' | 'QueueCallerLeave' | 'QueueCallerAbandon'> {
  /** Queue. */
  queue: string;
  /** Position. */
  position?: number | undefined;
  /** Callers in the queue (Join/Leave). */
  count?: number | undefined;
  /** Position at join (Abandon). */
  originalPosition?: number | undefined;
  /** Seconds held (Abandon). */
  holdTime?: number | undefined;
}

/** `QueueMemberStatus`/`Added`/`Removed`/`Pause`/`Penalty`/`Ringinuse` (legacy `QueueMemberPaused`). */
export interface QueueMemberEvent
  extends AmiEventBase<
    | 'QueueMemberStatus'
    | 'QueueMemberAdded'
    | 'QueueMemberRemoved'
    | 'QueueMemberPause'
    | 'QueueMemberPenalty'
    | 'QueueMemberRinginuse'
  > {
  /** The member (`Location` on Asterisk 11 → `interface`). */
  member: QueueMember;
}

/** `AgentCalled` / `AgentRingNoAnswer` / `AgentConnect` / `AgentComplete` / `AgentDump`. */
export interface AgentEvent
  extends AmiEventBase<'AgentCalled' | 'AgentRingNoAnswer' | 'AgentConnect' | 'AgentComplete' | 'AgentDump'> {
  /** Queue. */
  queue: string;
  /** The queue caller (Asterisk 11: channel name and/or uniqueid only). */
  caller?: ChannelSnapshot | undefined;
  /** The member's channel (`Dest…`; Asterisk 11 `DestinationChannel` / `Channel`). */
  dest?: ChannelSnapshot | undefined;
  /** Member interface (Asterisk 11 `AgentCalled` / `Member`). */
  interface?: string | undefined;
  /** Member name (Asterisk 11 `AgentName`). */
  memberName?: string | undefined;
  /** Seconds the caller waited. */
  holdTime?: number | undefined;
  /** Seconds the member's phone rang. */
  ringTime?: number | undefined;
  /** Seconds of talk (Complete). */
  talkTime?: number | undefined;
  /** Who hung up: `caller`, `agent`, `transfer` (Complete). */
  reason?: string | undefined;
}

/** `ConfbridgeStart` / `ConfbridgeEnd`. */
export interface ConfbridgeEvent extends AmiEventBase<'ConfbridgeStart' | 'ConfbridgeEnd'> {
  /** Conference name. */
  conference: string;
  /** Its bridge. */
  bridge?: BridgeSnapshot | undefined;
}

/** `ConfbridgeJoin` / `Leave` / `Mute` / `Unmute` / `Talking`. */
export interface ConfbridgeChannelEvent
  extends ChannelEvent<
    'ConfbridgeJoin' | 'ConfbridgeLeave' | 'ConfbridgeMute' | 'ConfbridgeUnmute' | 'ConfbridgeTalking'
  > {
  /** Conference name. */
  conference: string;
  /** Its bridge. */
  bridge?: BridgeSnapshot | undefined;
  /** Admin user. */
  admin?: boolean | undefined;
  /** Muted (Join). */
  muted?: boolean | undefined;
  /** Talking status (Talking: `on`/`off`). */
  talking?: boolean | undefined;
}

/** `DeviceStateChange`. */
export interface DeviceStateChangeEvent extends AmiEventBase<'DeviceStateChange'> {
  /** Device, e.g. `PJSIP/alonso` or `Queue:ventas_avail`. */
  device: string;
  /** `NOT_INUSE`, `INUSE`, `RINGING`, `ONHOLD`, `UNAVAILABLE`… */
  state: string;
}

/** `PeerStatus`. */
export interface PeerStatusEvent extends AmiEventBase<'PeerStatus'> {
  /** `PJSIP`, `SIP`, `IAX2`… */
  channelType?: string | undefined;
  /** `Tech/resource`. */
  peer: string;
  /** `Reachable`, `Unreachable`, `Registered`… */
  peerStatus: string;
  /** Cause. */
  cause?: string | undefined;
  /** Address. */
  address?: string | undefined;
}

/** `ContactStatus`. */
export interface ContactStatusEvent extends AmiEventBase<'ContactStatus'> {
  /** Contact URI. */
  uri: string;
  /** `Reachable`, `Unreachable`, `NonQualified`, `Removed`, `Created`, `Unknown`. */
  contactStatus: string;
  /** AOR. */
  aor?: string | undefined;
  /** Endpoint. */
  endpointName?: string | undefined;
  /** Round trip (µs). */
  roundtripUsec?: number | undefined;
}

/** `ExtensionStatus`. */
export interface ExtensionStatusEvent extends AmiEventBase<'ExtensionStatus'> {
  /** Extension. */
  exten: string;
  /** Context. */
  context: string;
  /** Hint. */
  hint?: string | undefined;
  /** Numeric status. */
  status?: number | undefined;
  /** Status text. */
  statusText?: string | undefined;
}

/** `Cdr` (times are local time without a zone, as Asterisk writes them). */
export interface CdrEvent extends AmiEventBase<'Cdr'> {
  /** Account code. */
  accountCode?: string | undefined;
  /** Source number. */
  source?: string | undefined;
  /** Destination extension (racy after transfers). */
  destination?: string | undefined;
  /** Destination context. */
  destinationContext?: string | undefined;
  /** `"name" <num>`. */
  callerId?: string | undefined;
  /** Channel. */
  channel?: string | undefined;
  /** Destination channel. */
  destinationChannel?: string | undefined;
  /** Last application. */
  lastApplication?: string | undefined;
  /** Its data. */
  lastData?: string | undefined;
  /** `YYYY-MM-DD HH:MM:SS`. */
  startTime?: string | undefined;
  /** Empty when unanswered → undefined. */
  answerTime?: string | undefined;
  /** `YYYY-MM-DD HH:MM:SS`. */
  endTime?: string | undefined;
  /** Seconds. */
  duration?: number | undefined;
  /** Seconds. */
  billableSeconds?: number | undefined;
  /** `ANSWERED`, `NO ANSWER`, `BUSY`, `FAILED`. */
  disposition?: string | undefined;
  /** AMA flags. */
  amaFlags?: string | undefined;
  /** Unique id. */
  uniqueid?: string | undefined;
  /** User field. */
  userField?: string | undefined;
}

/** `CEL`. */
export interface CelEvent extends AmiEventBase<'CEL'> {
  /** `CHAN_START`, `ANSWER`, `BRIDGE_ENTER`, `HANGUP`… */
  eventName: string;
  /** Channel. */
  channel?: string | undefined;
  /** Unique id. */
  uniqueid?: string | undefined;
  /** Linked id. */
  linkedid?: string | undefined;
  /** Caller number (`CallerIDnum`). */
  callerIdNum?: string | undefined;
  /** Caller name. */
  callerIdName?: string | undefined;
  /** Extension. */
  exten?: string | undefined;
  /** Context. */
  context?: string | undefined;
  /** Application. */
  application?: string | undefined;
  /** Application data. */
  appData?: string | undefined;
  /** `YYYY-MM-DD HH:MM:SS` local time. */
  eventTime?: string | undefined;
  /** Peer channel. */
  peer?: string | undefined;
  /** Extra as sent (JSON on 12+, a comma list on 11). */
  extra?: string | undefined;
  /** Extra parsed, when it is a JSON object. */
  extraJson?: Record<string, unknown> | undefined;
}

/** `AsyncAGIStart` (legacy `AsyncAGI` / `SubEvent: Start`). */
export interface AsyncAgiStartEvent extends ChannelEvent<'AsyncAGIStart'> {
  /** The AGI environment, URL-decoded (`agi_request` → `async`, …). */
  env: Record<string, string>;
}

/** `AsyncAGIExec` (legacy `AsyncAGI` / `SubEvent: Exec`, header `CommandID`). */
export interface AsyncAgiExecEvent extends ChannelEvent<'AsyncAGIExec'> {
  /** The CommandID given to the AGI action. */
  commandId?: string | undefined;
  /** The AGI reply line, URL-decoded, without its final newline (e.g. `200 result=1 (5550100)`). */
  result: string;
}

/** `AGIExecStart` / `AGIExecEnd` (legacy `AGIExec` + SubEvent). */
export interface AgiExecEvent extends ChannelEvent<'AGIExecStart' | 'AGIExecEnd'> {
  /** Random id of the command. */
  commandId?: string | undefined;
  /** The command line. */
  command?: string | undefined;
  /** AGI result code (End). */
  resultCode?: number | undefined;
  /** Result text (End). */
  result?: string | undefined;
}

/** `OriginateResponse` (broadcast; correlate by `actionId`). */
export interface OriginateResponseEvent extends AmiEventBase<'OriginateResponse'> {
  /** The originator's ActionID. */
  actionId?: string | undefined;
  /** Whether the call was answered. */
  success: boolean;
  /** Channel (the dial string on failure). */
  channel?: string | undefined;
  /** Context (extension targets). */
  context?: string | undefined;
  /** Extension. */
  exten?: string | undefined;
  /** Application (application targets). */
  application?: string | undefined;
  /** Application data. */
  data?: string | undefined;
  /** 0 failed, 1 hung up, 3 ringing, 4 answered, 5 busy, 8 congestion. */
  reason?: number | undefined;
  /** Unique id (`<unknown>` on failure → undefined). */
  uniqueid?: string | undefined;
  /** Caller number. */
  callerIdNum?: string | undefined;
  /** Caller name. */
  callerIdName?: string | undefined;
}

/** `FullyBooted` (also sent right after login). */
export interface FullyBootedEvent extends AmiEventBase<'FullyBooted'> {
  /** `Fully Booted`. */
  status?: string | undefined;
  /** Seconds up (absent before 14). */
  uptime?: number | undefined;
  /** Seconds since the last reload (absent before 14). */
  lastReload?: number | undefined;
}

/** `Shutdown`. */
export interface ShutdownEvent extends AmiEventBase<'Shutdown'> {
  /** `Cleanly` or `Uncleanly`. */
  shutdown?: string | undefined;
  /** Whether Asterisk restarts. */
  restart?: boolean | undefined;
}

/** `Reload`. */
export interface ReloadEvent extends AmiEventBase<'Reload'> {
  /** Module, or `All`. */
  module?: string | undefined;
  /** Status (`0` success, `2` module not found…). */
  status?: string | undefined;
}

/** `UserEvent`: custom headers kept verbatim and in order. */
export interface UserEventEvent extends AmiEventBase<'UserEvent'> {
  /** The user event name. */
  userEvent: string;
  /** Channel snapshot (dialplan UserEvents on 12+). */
  channel?: ChannelSnapshot | undefined;
  /** ActionID of the UserEvent action that raised it (broadcast to every session). */
  actionId?: string | undefined;
  /** Custom headers in wire order (repeats and empty values kept). */
  headers: Array<[string, string]>;
}
