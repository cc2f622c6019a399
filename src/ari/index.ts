/** Public face of `switchboard/ari`: REST client, events WebSocket, live objects and Stasis applications. */
export { DTMF_BUFFER_LIMIT, type NextDtmfOptions, StasisCall } from './call.js';
export {
  type AriCallError,
  AriClient,
  type AriClientEvents,
  type AriClientOptions,
  type AriClientStats,
  type StasisApp,
  type StasisAppOptions,
  type StasisHandler,
} from './client.js';
export {
  type AriAuthMode,
  type AriConnectionOptions,
  type AriEndpoint,
  redact,
  resolveEndpoint,
} from './connection.js';
export { type Listener, TypedEmitter } from './emitter.js';
export * from './errors.js';
export * from './events.js';
export {
  type AriBinaryResponse,
  type AriCall,
  AriHttp,
  type AriHttpOptions,
  type AriMethod,
  type AriQuery,
  type AriQueryValue,
  type AriRequestOptions,
  encodeQuery,
  seg,
} from './http.js';
export { LiveBridge } from './live/bridge.js';
export { type ChannelLifetime, LiveChannel } from './live/channel.js';
export { LiveObject, type LiveObjectEvents, type WaitOptions } from './live/object.js';
export { LivePlayback } from './live/playback.js';
export { LiveRecordingObject } from './live/recording.js';
export type * from './models.js';
export { ApplicationsResource, type EventFilterEntry } from './resources/applications.js';
export { AsteriskResource, type DynamicObjectRef } from './resources/asterisk.js';
export { AriResource } from './resources/base.js';
export { BridgesResource, type BridgeTypeFlag, type CreateBridgeParams } from './resources/bridges.js';
export {
  ChannelsResource,
  type CreateChannelParams,
  type ExternalMediaParams,
  type HangupReason,
  type OriginateParams,
  type PlayParams,
  type RecordParams,
} from './resources/channels.js';
export {
  DeviceStatesResource,
  type DeviceStateValue,
  EndpointsResource,
  EventsResource,
  MailboxesResource,
  type PlaybackOperation,
  PlaybacksResource,
  type ReferParams,
  SoundsResource,
} from './resources/misc.js';
export { RecordingsResource } from './resources/recordings.js';
export {
  AriEventSocket,
  type AriEventSocketEvents,
  type AriEventSocketOptions,
  type AriGap,
  type AriReconnectOptions,
  type AriSocketState,
} from './socket.js';
