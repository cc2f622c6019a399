/**
 * ARI WebSocket events: a discriminated union on `type`, plus a pure codec. Unknown types parse as
 * {@link UnknownAriEvent} (never thrown on); known types keep every field Asterisk sent.
 */
import type { Bridge, Channel, DeviceState, Endpoint, LiveRecording, Playback } from './models.js';

/** Fields every event carries. */
export interface AriEventBase {
  /** Event type. */
  type: string;
  /** Application the event is for. */
  application: string;
  /** `YYYY-MM-DDTHH:MM:SS.mmm+ZZZZ`. */
  timestamp: string;
  /** Entity id of the Asterisk that sent it. */
  asterisk_id?: string;
}

type E<T extends string, F> = AriEventBase & { type: T } & F;

/** A channel entered the application. */
export type StasisStartEvent = E<
  'StasisStart',
  { args: string[]; channel: Channel; replace_channel?: Channel }
>;
/** A channel left the application. */
export type StasisEndEvent = E<'StasisEnd', { channel: Channel }>;
/** A channel was created. */
export type ChannelCreatedEvent = E<'ChannelCreated', { channel: Channel }>;
/** A channel was destroyed. */
export type ChannelDestroyedEvent = E<
  'ChannelDestroyed',
  { cause: number; cause_txt: string; tech_cause?: number; channel: Channel }
>;
/** Channel state changed. */
export type ChannelStateChangeEvent = E<'ChannelStateChange', { channel: Channel }>;
/** DTMF digit received. */
export type ChannelDtmfReceivedEvent = E<
  'ChannelDtmfReceived',
  { digit: string; duration_ms: number; channel: Channel }
>;
/** Hangup requested. */
export type ChannelHangupRequestEvent = E<
  'ChannelHangupRequest',
  { cause?: number; tech_cause?: number; soft?: boolean; channel: Channel }
>;
/** A variable was set (`channel` absent for global variables). */
export type ChannelVarsetEvent = E<'ChannelVarset', { variable: string; value: string; channel?: Channel }>;
/** Dialplan location changed. */
export type ChannelDialplanEvent = E<
  'ChannelDialplan',
  { dialplan_app: string; dialplan_app_data: string; channel: Channel }
>;
/** Caller id changed. */
export type ChannelCallerIdEvent = E<
  'ChannelCallerId',
  { caller_presentation: number; caller_presentation_txt: string; channel: Channel }
>;
/** Connected line changed. */
export type ChannelConnectedLineEvent = E<'ChannelConnectedLine', { channel: Channel }>;
/** A user event. */
export type ChannelUsereventEvent = E<
  'ChannelUserevent',
  {
    eventname: string;
    userevent: Record<string, unknown>;
    channel?: Channel;
    bridge?: Bridge;
    endpoint?: Endpoint;
  }
>;
/** Channel put on hold. */
export type ChannelHoldEvent = E<'ChannelHold', { channel: Channel; musicclass?: string }>;
/** Channel taken off hold. */
export type ChannelUnholdEvent = E<'ChannelUnhold', { channel: Channel }>;
/** Talking detected. */
export type ChannelTalkingStartedEvent = E<'ChannelTalkingStarted', { channel: Channel }>;
/** Talking stopped. */
export type ChannelTalkingFinishedEvent = E<'ChannelTalkingFinished', { channel: Channel; duration: number }>;
/** Channel entered a bridge. */
export type ChannelEnteredBridgeEvent = E<'ChannelEnteredBridge', { bridge: Bridge; channel?: Channel }>;
/** Channel left a bridge. */
export type ChannelLeftBridgeEvent = E<'ChannelLeftBridge', { bridge: Bridge; channel: Channel }>;
/** Bridge created. */
export type BridgeCreatedEvent = E<'BridgeCreated', { bridge: Bridge }>;
/** Bridge destroyed. */
export type BridgeDestroyedEvent = E<'BridgeDestroyed', { bridge: Bridge }>;
/** Two bridges merged. */
export type BridgeMergedEvent = E<'BridgeMerged', { bridge: Bridge; bridge_from: Bridge }>;
/** Video source changed. */
export type BridgeVideoSourceChangedEvent = E<
  'BridgeVideoSourceChanged',
  { bridge: Bridge; old_video_source_id?: string }
>;
/** Blind transfer. */
export type BridgeBlindTransferEvent = E<
  'BridgeBlindTransfer',
  {
    channel: Channel;
    replace_channel?: Channel;
    transferee?: Channel;
    exten: string;
    context: string;
    result: string;
    is_external: boolean;
    bridge?: Bridge;
  }
>;
/** Attended transfer. */
export type BridgeAttendedTransferEvent = E<
  'BridgeAttendedTransfer',
  {
    transferer_first_leg: Channel;
    transferer_second_leg: Channel;
    result: string;
    is_external: boolean;
  } & Record<string, unknown>
>;
/** Playback started. */
export type PlaybackStartedEvent = E<'PlaybackStarted', { playback: Playback }>;
/** Playback moved to the next media of a list. */
export type PlaybackContinuingEvent = E<'PlaybackContinuing', { playback: Playback }>;
/** Playback finished (state `done` or `failed`). */
export type PlaybackFinishedEvent = E<'PlaybackFinished', { playback: Playback }>;
/** Recording started. */
export type RecordingStartedEvent = E<'RecordingStarted', { recording: LiveRecording }>;
/** Recording finished. */
export type RecordingFinishedEvent = E<'RecordingFinished', { recording: LiveRecording }>;
/** Recording failed. */
export type RecordingFailedEvent = E<'RecordingFailed', { recording: LiveRecording }>;
/** Dial progress (`dialstatus` is `""` at start, then RINGING, ANSWER, BUSY…). Absent on Asterisk 13. */
export type DialEvent = E<
  'Dial',
  {
    peer: Channel;
    caller?: Channel;
    forwarded?: Channel;
    forward?: string;
    dialstring?: string;
    dialstatus: string;
  }
>;
/** Endpoint state changed. */
export type EndpointStateChangeEvent = E<'EndpointStateChange', { endpoint: Endpoint }>;
/** Peer status changed. */
export type PeerStatusChangeEvent = E<
  'PeerStatusChange',
  { endpoint: Endpoint; peer: Record<string, unknown> }
>;
/** Contact status changed. */
export type ContactStatusChangeEvent = E<
  'ContactStatusChange',
  { endpoint: Endpoint; contact_info: Record<string, unknown> }
>;
/** Device state changed. */
export type DeviceStateChangedEvent = E<'DeviceStateChanged', { device_state: DeviceState }>;
/** Text message received. */
export type TextMessageReceivedEvent = E<
  'TextMessageReceived',
  {
    message: { from: string; to: string; body: string; variables?: Record<string, string> };
    endpoint?: Endpoint;
  }
>;
/** Another WebSocket registered this application; this socket gets no more events for it. */
export type ApplicationReplacedEvent = E<'ApplicationReplaced', Record<never, never>>;
/** A move to another application failed. */
export type ApplicationMoveFailedEvent = E<
  'ApplicationMoveFailed',
  { channel: Channel; destination: string; args: string[] }
>;
/** Asterisk registered/unregistered an application (newer releases). */
export type ApplicationRegisteredEvent = E<'ApplicationRegistered', Record<never, never>>;
/** Application unregistered (newer releases). */
export type ApplicationUnregisteredEvent = E<'ApplicationUnregistered', Record<never, never>>;

/** Every event type this client knows. */
export type KnownAriEvent =
  | StasisStartEvent
  | StasisEndEvent
  | ChannelCreatedEvent
  | ChannelDestroyedEvent
  | ChannelStateChangeEvent
  | ChannelDtmfReceivedEvent
  | ChannelHangupRequestEvent
  | ChannelVarsetEvent
  | ChannelDialplanEvent
  | ChannelCallerIdEvent
  | ChannelConnectedLineEvent
  | ChannelUsereventEvent
  | ChannelHoldEvent
  | ChannelUnholdEvent
  | ChannelTalkingStartedEvent
  | ChannelTalkingFinishedEvent
  | ChannelEnteredBridgeEvent
  | ChannelLeftBridgeEvent
  | BridgeCreatedEvent
  | BridgeDestroyedEvent
  | BridgeMergedEvent
  | BridgeVideoSourceChangedEvent
  | BridgeBlindTransferEvent
  | BridgeAttendedTransferEvent
  | PlaybackStartedEvent
  | PlaybackContinuingEvent
  | PlaybackFinishedEvent
  | RecordingStartedEvent
  | RecordingFinishedEvent
  | RecordingFailedEvent
  | DialEvent
  | EndpointStateChangeEvent
  | PeerStatusChangeEvent
  | ContactStatusChangeEvent
  | DeviceStateChangedEvent
  | TextMessageReceivedEvent
  | ApplicationReplacedEvent
  | ApplicationMoveFailedEvent
  | ApplicationRegisteredEvent
  | ApplicationUnregisteredEvent;

/** The `type` strings of {@link KnownAriEvent}. */
export type KnownAriEventType = KnownAriEvent['type'];

/** An event whose type this client does not know: delivered as sent, flagged `unknown: true`. */
export interface UnknownAriEvent {
  /** The type Asterisk sent. */
  type: string;
  /** Application, when present. */
  application?: string;
  /** Timestamp, when present. */
  timestamp?: string;
  /** Marks the event as untyped. */
  readonly unknown: true;
  /** Every other field, untouched. */
  [key: string]: unknown;
}

/** Anything the events socket can deliver. */
export type AriEvent = KnownAriEvent | UnknownAriEvent;

/** The event of a given known type. */
export type AriEventOf<T extends KnownAriEventType> = Extract<KnownAriEvent, { type: T }>;

const KNOWN = new Set<string>([
  'StasisStart',
  'StasisEnd',
  'ChannelCreated',
  'ChannelDestroyed',
  'ChannelStateChange',
  'ChannelDtmfReceived',
  'ChannelHangupRequest',
  'ChannelVarset',
  'ChannelDialplan',
  'ChannelCallerId',
  'ChannelConnectedLine',
  'ChannelUserevent',
  'ChannelHold',
  'ChannelUnhold',
  'ChannelTalkingStarted',
  'ChannelTalkingFinished',
  'ChannelEnteredBridge',
  'ChannelLeftBridge',
  'BridgeCreated',
  'BridgeDestroyed',
  'BridgeMerged',
  'BridgeVideoSourceChanged',
  'BridgeBlindTransfer',
  'BridgeAttendedTransfer',
  'PlaybackStarted',
  'PlaybackContinuing',
  'PlaybackFinished',
  'RecordingStarted',
  'RecordingFinished',
  'RecordingFailed',
  'Dial',
  'EndpointStateChange',
  'PeerStatusChange',
  'ContactStatusChange',
  'DeviceStateChanged',
  'TextMessageReceived',
  'ApplicationReplaced',
  'ApplicationMoveFailed',
  'ApplicationRegistered',
  'ApplicationUnregistered',
]);

/** True when `type` is one this client types. */
export function isKnownEventType(type: string): type is KnownAriEventType {
  return KNOWN.has(type);
}

/** Narrows an event to a known type. */
export function isEvent<T extends KnownAriEventType>(event: AriEvent, type: T): event is AriEventOf<T> {
  return event.type === type && !('unknown' in event && event.unknown === true);
}

/** Result of decoding one WebSocket text frame. */
export type DecodeResult = { ok: true; event: AriEvent } | { ok: false; error: string; raw: string };

/**
 * Decodes one text frame. Never throws: a frame that is not a JSON object with a string `type` is returned as
 * `{ ok: false }` so the caller can report it without losing anything.
 */
export function decodeAriEvent(raw: string): DecodeResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { ok: false, error: 'frame is not valid JSON', raw };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { ok: false, error: 'frame is not a JSON object', raw };
  }
  const obj = parsed as Record<string, unknown>;
  if (typeof obj.type !== 'string') return { ok: false, error: 'frame has no string "type"', raw };
  if (KNOWN.has(obj.type)) return { ok: true, event: obj as unknown as KnownAriEvent };
  return { ok: true, event: { ...obj, type: obj.type, unknown: true } as UnknownAriEvent };
}

function idOf(v: unknown, key = 'id'): string | undefined {
  if (v && typeof v === 'object') {
    const x = (v as Record<string, unknown>)[key];
    if (typeof x === 'string') return x;
  }
  return undefined;
}

function push(out: string[], prefix: string, id: string | undefined): void {
  if (id === undefined) return;
  const k = prefix + id;
  if (!out.includes(k)) out.push(k);
}

/** Object keys an event refers to (`channel:<id>`, `bridge:<id>`, `playback:<id>`, `recording:<name>`). */
export function eventTargets(event: AriEvent): string[] {
  const out: string[] = [];
  const e = event as Record<string, unknown>;
  push(out, 'channel:', idOf(e.channel));
  if (event.type === 'Dial') {
    push(out, 'channel:', idOf(e.peer));
    push(out, 'channel:', idOf(e.caller));
  }
  push(out, 'bridge:', idOf(e.bridge));
  if (event.type === 'BridgeMerged') push(out, 'bridge:', idOf(e.bridge_from));
  push(out, 'playback:', idOf(e.playback));
  push(out, 'recording:', idOf(e.recording, 'name'));
  return out;
}
