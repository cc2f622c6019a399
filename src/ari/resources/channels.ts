/** `/channels`: originate, create + dial, and every operation on a channel. */

import type { AriRequestOptions } from '../http.js';
import { seg } from '../http.js';
import type { Channel, LiveRecording, Playback, RTPstat, Variable } from '../models.js';
import { AriResource, variablesBody } from './base.js';

/** Hangup reasons accepted by `DELETE /channels/{id}`. */
export type HangupReason =
  | 'normal'
  | 'busy'
  | 'congestion'
  | 'no_answer'
  | 'timeout'
  | 'rejected'
  | 'unallocated'
  | 'normal_unspecified'
  | 'number_incomplete'
  | 'codec_mismatch'
  | 'interworking'
  | 'failure'
  | 'answered_elsewhere';

/** Parameters of originate (`POST /channels` or `POST /channels/{channelId}`). */
export interface OriginateParams {
  /** Endpoint to call, e.g. `PJSIP/alice` or `Local/100@default`. Required. */
  endpoint: string;
  /** Dialplan extension (when not sending the channel to an app). */
  extension?: string;
  /** Dialplan context. */
  context?: string;
  /** Dialplan priority. */
  priority?: number;
  /** Dialplan label. */
  label?: string;
  /** Stasis application to put the answered channel in. */
  app?: string;
  /** Application arguments; an array is joined with commas (StasisStart.args). */
  appArgs?: string | string[];
  /** Caller id, e.g. `Alice <100>`. */
  callerId?: string;
  /** Seconds to wait for an answer (Asterisk default 30). */
  timeout?: number;
  /** Channel variables, sent in the JSON body. */
  variables?: Record<string, string>;
  /** Id of the new channel (choose it to subscribe before dialling). */
  channelId?: string;
  /** Id of the second half of a Local channel. */
  otherChannelId?: string;
  /** Channel that originated (for linkedid / codecs). */
  originator?: string;
  /** Comma list of formats, e.g. `ulaw,alaw`. */
  formats?: string | string[];
}

/** Parameters of `POST /channels/create`. */
export interface CreateChannelParams {
  /** Endpoint. Required. */
  endpoint: string;
  /** Stasis application. Required. */
  app: string;
  /** Application arguments. */
  appArgs?: string | string[];
  /** Id of the new channel. */
  channelId?: string;
  /** Id of the other Local half. */
  otherChannelId?: string;
  /** Originator channel. */
  originator?: string;
  /** Formats. */
  formats?: string | string[];
  /** Channel variables (JSON body). */
  variables?: Record<string, string>;
}

/** Parameters of play on a channel or bridge. */
export interface PlayParams {
  /** Media URI(s): `sound:hello-world`, `recording:x`, `number:42`, `digits:123`, `tone:ring`… Required. */
  media: string | string[];
  /** Language. */
  lang?: string;
  /** Start offset in ms. */
  offsetms?: number;
  /** Skip step in ms for forward/reverse (default 3000). */
  skipms?: number;
  /** Playback id (choose it to subscribe before starting). */
  playbackId?: string;
}

/** Parameters of record on a channel or bridge. */
export interface RecordParams {
  /** Recording name. Required. */
  name: string;
  /** Format, e.g. `wav`. Required. */
  format: string;
  /** Maximum duration in seconds. */
  maxDurationSeconds?: number;
  /** Maximum silence in seconds. */
  maxSilenceSeconds?: number;
  /** What to do if the recording exists. */
  ifExists?: 'fail' | 'overwrite' | 'append';
  /** Beep before recording. */
  beep?: boolean;
  /** DTMF that stops the recording. */
  terminateOn?: 'none' | 'any' | '*' | '#';
}

/** Parameters of `POST /channels/externalMedia`. */
export interface ExternalMediaParams {
  /** Stasis application. Required. */
  app: string;
  /** Format, e.g. `ulaw`. Required. */
  format: string;
  /** `host:port` to send media to. */
  external_host?: string;
  /** Channel id. */
  channelId?: string;
  /** `rtp`, `audiosocket` or `none`. */
  encapsulation?: string;
  /** `udp`, `tcp` or `websocket`. */
  transport?: string;
  /** `client` or `server`. */
  connection_type?: string;
  /** `both`, `in`, `out`. */
  direction?: string;
  /** Transport data. */
  data?: string;
  /** Channel variables (JSON body). */
  variables?: Record<string, string>;
}

type Id = { channelId: string };

/** Operations of `/channels`. */
export class ChannelsResource extends AriResource {
  /** `GET /channels`. */
  list(options?: AriRequestOptions): Promise<Channel[]> {
    return this.call('GET', '/channels', undefined, undefined, options);
  }
  /** `POST /channels` (or `POST /channels/{channelId}` when channelId is given): originate. */
  originate(params: OriginateParams, options?: AriRequestOptions): Promise<Channel> {
    const { variables, ...query } = params;
    return this.call('POST', '/channels', query, variablesBody(variables), options);
  }
  /** `POST /channels/{channelId}`: originate with a chosen id. */
  originateWithId(params: OriginateParams & Id, options?: AriRequestOptions): Promise<Channel> {
    const { variables, channelId, ...query } = params;
    return this.call('POST', `/channels/${seg(channelId)}`, query, variablesBody(variables), options);
  }
  /** `POST /channels/create`: a channel in the app, not yet dialled (then {@link dial}). */
  create(params: CreateChannelParams, options?: AriRequestOptions): Promise<Channel> {
    const { variables, ...query } = params;
    return this.call('POST', '/channels/create', query, variablesBody(variables), options);
  }
  /** `GET /channels/{channelId}`. */
  get(params: Id, options?: AriRequestOptions): Promise<Channel> {
    return this.call('GET', path(params), undefined, undefined, options);
  }
  /** `DELETE /channels/{channelId}`: hang up (reason or reason_code). */
  hangup(
    params: Id & { reason?: HangupReason; reason_code?: number },
    options?: AriRequestOptions,
  ): Promise<void> {
    const { channelId, ...query } = params;
    return this.call('DELETE', path({ channelId }), query, undefined, options);
  }
  /** `POST /channels/{channelId}/continue`: leave Stasis, back to the dialplan. */
  continueInDialplan(
    params: Id & { context?: string; extension?: string; priority?: number; label?: string },
    options?: AriRequestOptions,
  ): Promise<void> {
    const { channelId, ...query } = params;
    return this.call('POST', `${path({ channelId })}/continue`, query, undefined, options);
  }
  /** `POST /channels/{channelId}/move`: hand to another Stasis application. */
  move(
    params: Id & { app: string; appArgs?: string | string[] },
    options?: AriRequestOptions,
  ): Promise<void> {
    const { channelId, ...query } = params;
    return this.call('POST', `${path({ channelId })}/move`, query, undefined, options);
  }
  /** `POST /channels/{channelId}/redirect`. */
  redirect(params: Id & { endpoint: string }, options?: AriRequestOptions): Promise<void> {
    const { channelId, ...query } = params;
    return this.call('POST', `${path({ channelId })}/redirect`, query, undefined, options);
  }
  /** `POST /channels/{channelId}/answer`. */
  answer(params: Id, options?: AriRequestOptions): Promise<void> {
    return this.call('POST', `${path(params)}/answer`, undefined, undefined, options);
  }
  /** `POST /channels/{channelId}/ring`. */
  ring(params: Id, options?: AriRequestOptions): Promise<void> {
    return this.call('POST', `${path(params)}/ring`, undefined, undefined, options);
  }
  /** `DELETE /channels/{channelId}/ring`. */
  ringStop(params: Id, options?: AriRequestOptions): Promise<void> {
    return this.call('DELETE', `${path(params)}/ring`, undefined, undefined, options);
  }
  /** `POST /channels/{channelId}/progress`. */
  progress(params: Id, options?: AriRequestOptions): Promise<void> {
    return this.call('POST', `${path(params)}/progress`, undefined, undefined, options);
  }
  /** `POST /channels/{channelId}/dtmf`: send DTMF. */
  sendDTMF(
    params: Id & { dtmf?: string; before?: number; between?: number; duration?: number; after?: number },
    options?: AriRequestOptions,
  ): Promise<void> {
    const { channelId, ...query } = params;
    return this.call('POST', `${path({ channelId })}/dtmf`, query, undefined, options);
  }
  /** `POST /channels/{channelId}/mute`. */
  mute(params: Id & { direction?: 'both' | 'in' | 'out' }, options?: AriRequestOptions): Promise<void> {
    const { channelId, ...query } = params;
    return this.call('POST', `${path({ channelId })}/mute`, query, undefined, options);
  }
  /** `DELETE /channels/{channelId}/mute`. */
  unmute(params: Id & { direction?: 'both' | 'in' | 'out' }, options?: AriRequestOptions): Promise<void> {
    const { channelId, ...query } = params;
    return this.call('DELETE', `${path({ channelId })}/mute`, query, undefined, options);
  }
  /** `POST /channels/{channelId}/hold`. */
  hold(params: Id, options?: AriRequestOptions): Promise<void> {
    return this.call('POST', `${path(params)}/hold`, undefined, undefined, options);
  }
  /** `DELETE /channels/{channelId}/hold`. */
  unhold(params: Id, options?: AriRequestOptions): Promise<void> {
    return this.call('DELETE', `${path(params)}/hold`, undefined, undefined, options);
  }
  /** `POST /channels/{channelId}/moh`. */
  startMoh(params: Id & { mohClass?: string }, options?: AriRequestOptions): Promise<void> {
    const { channelId, ...query } = params;
    return this.call('POST', `${path({ channelId })}/moh`, query, undefined, options);
  }
  /** `DELETE /channels/{channelId}/moh`. */
  stopMoh(params: Id, options?: AriRequestOptions): Promise<void> {
    return this.call('DELETE', `${path(params)}/moh`, undefined, undefined, options);
  }
  /** `POST /channels/{channelId}/silence`. */
  startSilence(params: Id, options?: AriRequestOptions): Promise<void> {
    return this.call('POST', `${path(params)}/silence`, undefined, undefined, options);
  }
  /** `DELETE /channels/{channelId}/silence`. */
  stopSilence(params: Id, options?: AriRequestOptions): Promise<void> {
    return this.call('DELETE', `${path(params)}/silence`, undefined, undefined, options);
  }
  /** `POST /channels/{channelId}/play` (201 with the queued Playback). */
  play(params: Id & PlayParams, options?: AriRequestOptions): Promise<Playback> {
    const { channelId, ...query } = params;
    return this.call('POST', `${path({ channelId })}/play`, query, undefined, options);
  }
  /** `POST /channels/{channelId}/play/{playbackId}`. */
  playWithId(
    params: Id & PlayParams & { playbackId: string },
    options?: AriRequestOptions,
  ): Promise<Playback> {
    const { channelId, playbackId, ...query } = params;
    return this.call('POST', `${path({ channelId })}/play/${seg(playbackId)}`, query, undefined, options);
  }
  /** `POST /channels/{channelId}/record`. */
  record(params: Id & RecordParams, options?: AriRequestOptions): Promise<LiveRecording> {
    const { channelId, ...query } = params;
    return this.call('POST', `${path({ channelId })}/record`, query, undefined, options);
  }
  /** `GET /channels/{channelId}/variable`. */
  getChannelVar(params: Id & { variable: string }, options?: AriRequestOptions): Promise<Variable> {
    const { channelId, ...query } = params;
    return this.call('GET', `${path({ channelId })}/variable`, query, undefined, options);
  }
  /** `POST /channels/{channelId}/variable`. */
  setChannelVar(
    params: Id & { variable: string; value?: string },
    options?: AriRequestOptions,
  ): Promise<void> {
    const { channelId, ...query } = params;
    return this.call('POST', `${path({ channelId })}/variable`, query, undefined, options);
  }
  /** `GET /channels/{channelId}/variables` (newer Asterisk): several variables at once. */
  getChannelVars(
    params: Id & { variables: string | string[] },
    options?: AriRequestOptions,
  ): Promise<{ variables: Record<string, string> }> {
    const { channelId, ...query } = params;
    return this.call('GET', `${path({ channelId })}/variables`, query, undefined, options);
  }
  /** `POST /channels/{channelId}/variables` (newer Asterisk): set several variables (JSON body). */
  setChannelVars(
    params: Id & { variables: Record<string, string> },
    options?: AriRequestOptions,
  ): Promise<void> {
    return this.call(
      'POST',
      `${path(params)}/variables`,
      undefined,
      variablesBody(params.variables),
      options,
    );
  }
  /** `POST /channels/{channelId}/snoop` (or `/snoop/{snoopId}` when snoopId is given). */
  snoopChannel(
    params: Id & {
      app: string;
      spy?: 'none' | 'both' | 'out' | 'in';
      whisper?: 'none' | 'both' | 'out' | 'in';
      appArgs?: string | string[];
      snoopId?: string;
    },
    options?: AriRequestOptions,
  ): Promise<Channel> {
    const { channelId, snoopId, ...query } = params;
    const p =
      snoopId === undefined ? `${path({ channelId })}/snoop` : `${path({ channelId })}/snoop/${seg(snoopId)}`;
    return this.call('POST', p, query, undefined, options);
  }
  /** `POST /channels/{channelId}/dial`: dial a channel made by {@link create}. */
  dial(params: Id & { caller?: string; timeout?: number }, options?: AriRequestOptions): Promise<void> {
    const { channelId, ...query } = params;
    return this.call('POST', `${path({ channelId })}/dial`, query, undefined, options);
  }
  /** `GET /channels/{channelId}/rtp_statistics`. */
  rtpstatistics(params: Id, options?: AriRequestOptions): Promise<RTPstat> {
    return this.call('GET', `${path(params)}/rtp_statistics`, undefined, undefined, options);
  }
  /** `POST /channels/externalMedia`. */
  externalMedia(params: ExternalMediaParams, options?: AriRequestOptions): Promise<Channel> {
    const { variables, ...query } = params;
    return this.call('POST', '/channels/externalMedia', query, variablesBody(variables), options);
  }
  /** `POST /channels/{channelId}/transfer_progress`. */
  transferProgress(params: Id & { states: string }, options?: AriRequestOptions): Promise<void> {
    const { channelId, ...query } = params;
    return this.call('POST', `${path({ channelId })}/transfer_progress`, query, undefined, options);
  }
}

function path(p: Id): string {
  return `/channels/${seg(p.channelId)}`;
}
