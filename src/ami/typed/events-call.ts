/** Typed call events: channels, variables, dial, bridges, hangup, hold and music on hold, DTMF, transfers. */
import type { AmiEventBase, ChannelEvent } from './event-base.js';
import type { BridgeSnapshot, ChannelSnapshot } from './snapshot.js';

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
