/** Typed parameters of the typed actions (header names follow Asterisk's). */

/** Originate: dial `channel`, then run `exten@context:priority` or `application(data)`. */
export interface OriginateParams {
  /** `Tech/resource`, e.g. `PJSIP/alonso` or `Local/300@sb-test`. */
  channel: string;
  /** Target extension (with context and priority). */
  exten?: string;
  /** Target context. */
  context?: string;
  /** Target priority (number or label). */
  priority?: number | string;
  /** Application instead of an extension. */
  application?: string;
  /** Application data. */
  data?: string;
  /** Ring timeout in ms (Asterisk default 30000). */
  timeout?: number;
  /** `"Name" <number>`. */
  callerId?: string;
  /** Channel variables, sent as repeated `Variable: name=value` headers. */
  variables?: Record<string, string | number>;
  /** Account code. */
  account?: string;
  /** Connect on early media. */
  earlyMedia?: boolean;
  /** Codecs, e.g. `['ulaw', 'alaw']`. */
  codecs?: string[];
  /** Unique id of the first channel. */
  channelId?: string;
  /** Unique id of the second (Local) channel. */
  otherChannelId?: string;
  /** Pre-dial Gosub. */
  preDialGoSub?: string;
}

/** Redirect (optionally two channels at once). */
export interface RedirectParams {
  /** Channel to move. */
  channel: string;
  /** Target context. */
  context: string;
  /** Target extension. */
  exten: string;
  /** Target priority. */
  priority: number | string;
  /** A second channel to move. */
  extraChannel?: string;
  /** Its context. */
  extraContext?: string;
  /** Its extension. */
  extraExten?: string;
  /** Its priority. */
  extraPriority?: number | string;
}

/** QueueAdd. */
export interface QueueAddParams {
  /** Queue. */
  queue: string;
  /** Member interface, e.g. `PJSIP/alonso`. */
  interface: string;
  /** Penalty. */
  penalty?: number;
  /** Add paused. */
  paused?: boolean;
  /** Pause reason. */
  reason?: string;
  /** Member name. */
  memberName?: string;
  /** Device state interface. */
  stateInterface?: string;
}

/** QueuePause. */
export interface QueuePauseParams {
  /** Member interface. */
  interface: string;
  /** Pause (true) or unpause (false). */
  paused: boolean;
  /** Only this queue (default: all queues). */
  queue?: string;
  /** Reason. */
  reason?: string;
}

/** The result of Originate. */
export interface OriginateResult {
  /** Whether the call was placed/answered (`Response: Success` in the OriginateResponse). */
  success: boolean;
  /** Last control frame: 0 failed, 1 hung up, 3 ringing, 4 answered, 5 busy, 8 congestion. */
  reason?: number | undefined;
  /** Unique id of the new channel (absent on failure). */
  uniqueid?: string | undefined;
  /** Channel name (on failure, the dial string). */
  channel?: string | undefined;
  /** Whether the result came from an `OriginateResponse` event (async) or the synchronous reply. */
  async: boolean;
}
