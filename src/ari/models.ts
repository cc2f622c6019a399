/**
 * ARI data models as Asterisk sends them (field names follow the wire). Fields that only some versions send are
 * optional: Asterisk 13 has no `protocol_id`, for example. Unknown extra fields are kept by JSON.parse.
 */

/** Caller or connected-line identity. */
export interface CallerID {
  /** Name. */
  name: string;
  /** Number. */
  number: string;
}

/** Where a channel is in the dialplan. */
export interface DialplanCEP {
  /** Context. */
  context: string;
  /** Extension. */
  exten: string;
  /** Priority. */
  priority: number;
  /** Application running (newer Asterisk). */
  app_name?: string;
  /** Its data (newer Asterisk). */
  app_data?: string;
}

/** Channel states as sent (`Rsrvd` on the wire although the Swagger enum spells `Rsrved`). */
export type ChannelState =
  | 'Down'
  | 'Rsrvd'
  | 'Rsrved'
  | 'OffHook'
  | 'Dialing'
  | 'Ring'
  | 'Ringing'
  | 'Up'
  | 'Busy'
  | 'Dialing Offhook'
  | 'Pre-ring'
  | 'Unknown'
  | (string & {});

/** A channel snapshot. */
export interface Channel {
  /** Unique id (= AMI Uniqueid, or the id chosen at originate). */
  id: string;
  /** Channel name, e.g. `PJSIP/alice-00000001`. */
  name: string;
  /** State. */
  state: ChannelState;
  /** Caller id. */
  caller: CallerID;
  /** Connected line. */
  connected: CallerID;
  /** Account code. */
  accountcode: string;
  /** Dialplan location. */
  dialplan: DialplanCEP;
  /** Creation time, `YYYY-MM-DDTHH:MM:SS.mmm+ZZZZ`. */
  creationtime: string;
  /** Language. */
  language: string;
  /** Protocol id (SIP Call-ID); absent on Asterisk 13. */
  protocol_id?: string;
  /** Variables listed in ari.conf `channelvars`. */
  channelvars?: Record<string, string>;
  /** Redirecting number. */
  caller_rdnis?: string;
  /** Tenant id (newer Asterisk). */
  tenantid?: string;
}

/** A bridge snapshot. */
export interface Bridge {
  /** Bridge id. */
  id: string;
  /** Technology, e.g. `simple_bridge`, `native_rtp`, `softmix`. */
  technology: string;
  /** `mixing` or `holding`. */
  bridge_type: 'mixing' | 'holding' | (string & {});
  /** Class, e.g. `stasis`. */
  bridge_class: string;
  /** Who created it. */
  creator: string;
  /** Name. */
  name: string;
  /** Ids of the channels inside. */
  channels: string[];
  /** Video mode (`none`, `talker`, `single`, `sfu`). */
  video_mode?: string;
  /** Video source channel id. */
  video_source_id?: string;
  /** Creation time. */
  creationtime?: string;
}

/** Playback states. */
export type PlaybackState =
  | 'queued'
  | 'playing'
  | 'continuing'
  | 'paused'
  | 'done'
  | 'failed'
  | (string & {});

/** A playback. */
export interface Playback {
  /** Playback id. */
  id: string;
  /** Media URI being played. */
  media_uri: string;
  /** Next media URI (for lists). */
  next_media_uri?: string;
  /** `channel:<id>` or `bridge:<id>`. */
  target_uri: string;
  /** Language. */
  language?: string;
  /** State. */
  state: PlaybackState;
}

/** Recording states. */
export type RecordingState =
  | 'queued'
  | 'recording'
  | 'paused'
  | 'done'
  | 'failed'
  | 'canceled'
  | (string & {});

/** A recording in progress. */
export interface LiveRecording {
  /** Recording name. */
  name: string;
  /** Format, e.g. `wav`. */
  format: string;
  /** `channel:<id>` or `bridge:<id>`. */
  target_uri?: string;
  /** State. */
  state: RecordingState;
  /** Duration in seconds. */
  duration?: number;
  /** Talking duration in seconds. */
  talking_duration?: number;
  /** Silence duration in seconds. */
  silence_duration?: number;
  /** Why it failed. */
  cause?: string;
}

/** A recording on disk. */
export interface StoredRecording {
  /** Name. */
  name: string;
  /** Format. */
  format: string;
}

/** An endpoint (e.g. `PJSIP/alice`). */
export interface Endpoint {
  /** Technology. */
  technology: string;
  /** Resource name. */
  resource: string;
  /** `unknown`, `offline`, `online`. */
  state?: string;
  /** Ids of its channels. */
  channel_ids: string[];
  /** Connected contacts (newer Asterisk). */
  contact_status?: unknown;
}

/** A device state. */
export interface DeviceState {
  /** Device name, e.g. `Stasis:lamp`. */
  name: string;
  /** `UNKNOWN`, `NOT_INUSE`, `INUSE`, `BUSY`, `INVALID`, `UNAVAILABLE`, `RINGING`, `RINGINUSE`, `ONHOLD`. */
  state: string;
}

/** A mailbox. */
export interface Mailbox {
  /** Name. */
  name: string;
  /** Old message count. */
  old_messages: number;
  /** New message count. */
  new_messages: number;
}

/** A format/language pair of a sound. */
export interface FormatLangPair {
  /** Language. */
  language: string;
  /** Format. */
  format: string;
}

/** A sound prompt. */
export interface Sound {
  /** Sound id, e.g. `hello-world`. */
  id: string;
  /** Text of the prompt, when known. */
  text?: string;
  /** Available formats. */
  formats: FormatLangPair[];
}

/** `GET /asterisk/info`. */
export interface AsteriskInfo {
  /** Build information. */
  build?: { os: string; kernel: string; options: string; machine: string; date: string; user: string };
  /** System information. */
  system?: { version: string; entity_id: string };
  /** Configuration. */
  config?: {
    name: string;
    default_language: string;
    max_channels?: number;
    max_open_files?: number;
    max_load?: number;
    setid: { user: string; group: string };
  };
  /** Status. */
  status?: { startup_time: string; last_reload_time: string };
}

/** `GET /asterisk/ping`. */
export interface AsteriskPing {
  /** Always `pong`. */
  ping: string;
  /** Server time. */
  timestamp: string;
  /** Entity id. */
  asterisk_id: string;
}

/** A Stasis application as Asterisk sees it. */
export interface Application {
  /** Name. */
  name: string;
  /** Channels it is subscribed to. */
  channel_ids: string[];
  /** Bridges it is subscribed to. */
  bridge_ids: string[];
  /** Endpoints it is subscribed to. */
  endpoint_ids: string[];
  /** Device states it is subscribed to. */
  device_names: string[];
  /** Event types allowed. */
  events_allowed: Array<Record<string, unknown>>;
  /** Event types disallowed. */
  events_disallowed: Array<Record<string, unknown>>;
}

/** A loaded module. */
export interface Module {
  /** Name, e.g. `res_ari.so`. */
  name: string;
  /** Description. */
  description: string;
  /** Use count. */
  use_count: number;
  /** `Running`, `Not Running`. */
  status: string;
  /** Support level. */
  support_level: string;
}

/** A log channel. */
export interface LogChannel {
  /** Channel (file) name. */
  channel: string;
  /** Type, e.g. `File`. */
  type: string;
  /** `Enabled` / `Disabled`. */
  status: string;
  /** Levels logged. */
  configuration: string;
}

/** A variable value (`{"value":…}`). */
export interface Variable {
  /** Value. */
  value: string;
}

/** One attribute of a dynamic configuration object. */
export interface ConfigTuple {
  /** Attribute. */
  attribute: string;
  /** Value. */
  value: string;
}

/** RTP statistics of a channel (subset; all fields optional as they vary by version). */
export type RTPstat = Record<string, number | string>;
