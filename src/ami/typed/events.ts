/**
 * Typed AMI events, in their modern (Asterisk 12+) shape. `normalizeEvent()` also maps the legacy forms (Asterisk
 * ≤ 11: `Dial` + SubEvent, `Bridge`/`Link`/`Unlink`, `Join`/`Leave`, `DTMF`, `MusicOnHold`, `AsyncAGI`/`AGIExec` +
 * SubEvent, `QueueMemberPaused`, chan_sip `Hold` + Status) onto these shapes; `name` keeps the wire name, `legacy`
 * says it was mapped, and `raw` is the untouched packet. Events without a typed shape are `UntypedEvent`.
 */
import type { QueueMember } from './results.js';
import type { AmiPacket } from './runner.js';
import type { BridgeSnapshot, ChannelSnapshot } from './snapshot.js';

/** Fields every typed event has. */
export interface AmiEventBase<T extends string> {
  /** Modern event name, the discriminant (`DialBegin` also for a legacy `Dial` / `SubEvent: Begin`). */
  type: T;
  /** The `Event:` name as sent on the wire. */
  name: string;
  /** Whether the packet was in a legacy (≤ 11) form and was mapped. */
  legacy: boolean;
  /** `Privilege:` classes, e.g. `call,all` (list items have none). */
  privilege?: string | undefined;
  /** The original packet (nothing is lost). */
  raw: AmiPacket;
}

/** An event about one channel. */
export interface ChannelEvent<T extends string> extends AmiEventBase<T> {
  /** The channel (a thinner snapshot on Asterisk 11). */
  channel: ChannelSnapshot;
}

/** `Newchannel`, `Newstate`, `NewConnectedLine`, `Unhold`, `MusicOnHoldStop`, `AsyncAGIEnd`. */
export type PlainChannelEvent = ChannelEvent<
  'Newchannel' | 'Newstate' | 'NewConnectedLine' | 'Unhold' | 'MusicOnHoldStop' | 'AsyncAGIEnd'
>;

/** `Newexten`: a dialplan step. */
export interface NewextenEvent extends ChannelEvent<'Newexten'> {
  /** Extension. */
  extension?: string | undefined;
  /** Application. */
  application?: string | undefined;
  /** Application data. */
  appData?: string | undefined;
}

/** `NewCallerid`. */
export interface NewCalleridEvent extends ChannelEvent<'NewCallerid'> {
  /** Presentation, e.g. `0 (Presentation Allowed, Not Screened)`. */
  callingPres?: string | undefined;
}

/** `NewAccountCode`. */
export interface NewAccountCodeEvent extends ChannelEvent<'NewAccountCode'> {
  /** Previous account code. */
  oldAccountCode?: string | undefined;
}

/** `VarSet` (global variables have `channel.channel === 'none'`). */
export interface VarSetEvent extends ChannelEvent<'VarSet'> {
  /** Variable name. */
  variable: string;
  /** New value. */
  value: string;
}

/** `Hangup`. */
export interface HangupEvent extends ChannelEvent<'Hangup'> {
  /** Q.850 cause (16 normal clearing, 17 busy, 26 answered elsewhere…). */
  cause?: number | undefined;
  /** Cause text (`Cause-txt`). */
  causeText?: string | undefined;
  /** Technology cause, e.g. SIP 404 (recent Asterisk). */
  techCause?: number | undefined;
}

/** `HangupRequest` / `SoftHangupRequest` (Asterisk 11 HangupRequest has no cause). */
export interface HangupRequestEvent extends ChannelEvent<'HangupRequest' | 'SoftHangupRequest'> {
  /** Cause, when known. */
  cause?: number | undefined;
}

/** `DialBegin` / `DialState` / `DialEnd` (legacy `Dial` with SubEvent Begin/End). */
export interface DialEvent extends AmiEventBase<'DialBegin' | 'DialState' | 'DialEnd'> {
  /** The calling channel (absent for an originated leg). */
  caller?: ChannelSnapshot | undefined;
  /** The dialled channel (absent in a legacy `SubEvent: End`). */
  dest?: ChannelSnapshot | undefined;
  /** Dial string (Begin). */
  dialString?: string | undefined;
  /** `ANSWER`, `BUSY`, `NOANSWER`, `CANCEL`, `RINGING`… (State/End). */
  dialStatus?: string | undefined;
  /** Call forward target. */
  forward?: string | undefined;
}

/** `BridgeCreate` / `BridgeDestroy`. */
export interface BridgeEvent extends AmiEventBase<'BridgeCreate' | 'BridgeDestroy'> {
  /** The bridge. */
  bridge: BridgeSnapshot;
}

/** `BridgeEnter` / `BridgeLeave`. */
export interface BridgeChannelEvent extends ChannelEvent<'BridgeEnter' | 'BridgeLeave'> {
  /** The bridge. */
  bridge: BridgeSnapshot;
  /** Channel this one replaced (Enter, on a swap). */
  swapUniqueid?: string | undefined;
}

/** `BridgeMerge`. */
export interface BridgeMergeEvent extends AmiEventBase<'BridgeMerge'> {
  /** The bridge that remains. */
  to: BridgeSnapshot;
  /** The bridge merged into it. */
  from: BridgeSnapshot;
}

/**
 * Pre-12 bridging: 1.6–11 `Bridge` (`Bridgestate: Link|Unlink`) and 1.4 `Link`/`Unlink`. One event per channel
 * pair; there is no one-to-one modern equivalent (12+ has BridgeCreate/Enter/Leave/Destroy), so it keeps its shape.
 */
export interface LegacyBridgeEvent extends AmiEventBase<'Bridge'> {
  /** Linked or unlinked. */
  state: 'Link' | 'Unlink';
  /** `core` or `native`. */
  bridgeType?: string | undefined;
  /** First channel. */
  channel1: ChannelSnapshot;
  /** Second channel. */
  channel2: ChannelSnapshot;
}

/** `LocalBridge`: the two halves of a Local channel. */
export interface LocalBridgeEvent extends AmiEventBase<'LocalBridge'> {
  /** `;1` half. */
  localOne: ChannelSnapshot;
  /** `;2` half. */
  localTwo: ChannelSnapshot;
  /** Context. */
  context?: string | undefined;
  /** Extension. */
  exten?: string | undefined;
  /** Whether the pair may optimise itself away. */
  localOptimization?: boolean | undefined;
}

/** `Hold` (modern, or chan_sip's `Hold` with `Status: On`). */
export interface HoldEvent extends ChannelEvent<'Hold'> {
  /** Music class suggested by the holding side. */
  musicClass?: string | undefined;
}

/** `MusicOnHoldStart` (legacy `MusicOnHold` / `State: Start`). */
export interface MusicOnHoldStartEvent extends ChannelEvent<'MusicOnHoldStart'> {
  /** Music class. */
  class?: string | undefined;
}

/** `DTMFBegin` / `DTMFEnd` (legacy `DTMF` with `Begin: Yes` / `End: Yes`). */
export interface DtmfEvent extends ChannelEvent<'DTMFBegin' | 'DTMFEnd'> {
  /** The digit. */
  digit: string;
  /** `Received` or `Sent`. */
  direction?: string | undefined;
  /** Duration (End, 12+). */
  durationMs?: number | undefined;
}

/** `BlindTransfer`. */
export interface BlindTransferEvent extends AmiEventBase<'BlindTransfer'> {
  /** `Success`, `Fail`, `Invalid`, `Not Permitted`. */
  result?: string | undefined;
  /** The party that transferred. */
  transferer?: ChannelSnapshot | undefined;
  /** The party that moves. */
  transferee?: ChannelSnapshot | undefined;
  /** The bridge they were in. */
  bridge?: BridgeSnapshot | undefined;
  /** Whether it was requested from outside Asterisk (AMI, SIP REFER). */
  isExternal?: boolean | undefined;
  /** Target context. */
  context?: string | undefined;
  /** Target extension. */
  extension?: string | undefined;
}

/** `AttendedTransfer`. */
export interface AttendedTransferEvent extends AmiEventBase<'AttendedTransfer'> {
  /** `Success`, `Fail`… */
  result?: string | undefined;
  /** Transferer in the original bridge. */
  origTransferer?: ChannelSnapshot | undefined;
  /** The original bridge. */
  origBridge?: BridgeSnapshot | undefined;
  /** Transferer in the consultation bridge. */
  secondTransferer?: ChannelSnapshot | undefined;
  /** The consultation bridge. */
  secondBridge?: BridgeSnapshot | undefined;
  /** `Bridge`, `App`, `Link`, `Threeway`, `Fail`. */
  destType?: string | undefined;
  /** Resulting bridge (DestType Bridge). */
  destBridgeUniqueid?: string | undefined;
  /** Resulting application (DestType App). */
  destApp?: string | undefined;
  /** The party that moved. */
  transferee?: ChannelSnapshot | undefined;
  /** The target. */
  transferTarget?: ChannelSnapshot | undefined;
  /** Requested from outside Asterisk. */
  isExternal?: boolean | undefined;
}

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

/** Any event without a typed shape; nothing is dropped. */
export interface UntypedEvent extends AmiEventBase<'Untyped'> {}

/** Every typed event, discriminated by `type`. */
export type AmiTypedEvent =
  | PlainChannelEvent
  | NewextenEvent
  | NewCalleridEvent
  | NewAccountCodeEvent
  | VarSetEvent
  | HangupEvent
  | HangupRequestEvent
  | DialEvent
  | BridgeEvent
  | BridgeChannelEvent
  | BridgeMergeEvent
  | LegacyBridgeEvent
  | LocalBridgeEvent
  | HoldEvent
  | MusicOnHoldStartEvent
  | DtmfEvent
  | BlindTransferEvent
  | AttendedTransferEvent
  | QueueCallerEvent
  | QueueMemberEvent
  | AgentEvent
  | ConfbridgeEvent
  | ConfbridgeChannelEvent
  | DeviceStateChangeEvent
  | PeerStatusEvent
  | ContactStatusEvent
  | ExtensionStatusEvent
  | CdrEvent
  | CelEvent
  | AsyncAgiStartEvent
  | AsyncAgiExecEvent
  | AgiExecEvent
  | OriginateResponseEvent
  | FullyBootedEvent
  | ShutdownEvent
  | ReloadEvent
  | UserEventEvent
  | UntypedEvent;

/** The modern event names that have a typed shape. */
export type AmiTypedEventName = Exclude<AmiTypedEvent['type'], 'Untyped'>;

/** The typed event for a modern name, e.g. `AmiEventOf<'Hangup'>`. */
export type AmiEventOf<T extends AmiTypedEvent['type']> = DistributeEventOf<AmiTypedEvent, T>;

/** Helper of {@link AmiEventOf}: picks the members whose `type` union contains `T`, narrowed to `T`. */
export type DistributeEventOf<E, T> = E extends { type: infer U }
  ? T extends U
    ? E & { type: T }
    : never
  : never;
