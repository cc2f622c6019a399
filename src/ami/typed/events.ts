/**
 * Typed AMI events, in their modern (Asterisk 12+) shape. `normalizeEvent()` also maps the legacy forms (Asterisk
 * ≤ 11: `Dial` + SubEvent, `Bridge`/`Link`/`Unlink`, `Join`/`Leave`, `DTMF`, `MusicOnHold`, `AsyncAGI`/`AGIExec` +
 * SubEvent, `QueueMemberPaused`, chan_sip `Hold` + Status) onto these shapes; `name` keeps the wire name, `legacy`
 * says it was mapped, and `raw` is the untouched packet. Events without a typed shape are `UntypedEvent`.
 */
import type { AmiEventBase } from './event-base.js';
import type {
  AttendedTransferEvent,
  BlindTransferEvent,
  BridgeChannelEvent,
  BridgeEvent,
  BridgeMergeEvent,
  DialEvent,
  DtmfEvent,
  HangupEvent,
  HangupRequestEvent,
  HoldEvent,
  LegacyBridgeEvent,
  LocalBridgeEvent,
  MusicOnHoldStartEvent,
  NewAccountCodeEvent,
  NewCalleridEvent,
  NewextenEvent,
  PlainChannelEvent,
  VarSetEvent,
} from './events-call.js';
import type {
  AgentEvent,
  AgiExecEvent,
  AsyncAgiExecEvent,
  AsyncAgiStartEvent,
  CdrEvent,
  CelEvent,
  ConfbridgeChannelEvent,
  ConfbridgeEvent,
  ContactStatusEvent,
  DeviceStateChangeEvent,
  ExtensionStatusEvent,
  FullyBootedEvent,
  OriginateResponseEvent,
  PeerStatusEvent,
  QueueCallerEvent,
  QueueMemberEvent,
  ReloadEvent,
  ShutdownEvent,
  UserEventEvent,
} from './events-other.js';

export type * from './event-base.js';
export type * from './events-call.js';
export type * from './events-other.js';

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
