/** `/bridges`: create and destroy bridges, move channels in and out, play, record, music on hold, video. */

import type { AriRequestOptions } from '../http.js';
import { seg } from '../http.js';
import type { Bridge, LiveRecording, Playback, Variable } from '../models.js';
import { AriResource } from './base.js';
import type { PlayParams, RecordParams } from './channels.js';

/** Bridge type flags (several may be combined). */
export type BridgeTypeFlag =
  | 'mixing'
  | 'holding'
  | 'dtmf_events'
  | 'proxy_media'
  | 'video_sfu'
  | 'video_single'
  | 'sdp_label';

/** Parameters of bridge creation. */
export interface CreateBridgeParams {
  /** Type flags; an array is sent as a comma list. */
  type?: BridgeTypeFlag | BridgeTypeFlag[] | string;
  /** Id of the new bridge. */
  bridgeId?: string;
  /** Name. */
  name?: string;
}

type Id = { bridgeId: string };

/** Operations of `/bridges`. */
export class BridgesResource extends AriResource {
  /** `GET /bridges`. */
  list(options?: AriRequestOptions): Promise<Bridge[]> {
    return this.call('GET', '/bridges', undefined, undefined, options);
  }
  /** `POST /bridges`. */
  create(params: CreateBridgeParams = {}, options?: AriRequestOptions): Promise<Bridge> {
    return this.call('POST', '/bridges', params, undefined, options);
  }
  /** `POST /bridges/{bridgeId}`: create with an id, or update. */
  createWithId(params: CreateBridgeParams & Id, options?: AriRequestOptions): Promise<Bridge> {
    const { bridgeId, ...query } = params;
    return this.call('POST', path({ bridgeId }), query, undefined, options);
  }
  /** `GET /bridges/{bridgeId}`. */
  get(params: Id, options?: AriRequestOptions): Promise<Bridge> {
    return this.call('GET', path(params), undefined, undefined, options);
  }
  /** `DELETE /bridges/{bridgeId}`. */
  destroy(params: Id, options?: AriRequestOptions): Promise<void> {
    return this.call('DELETE', path(params), undefined, undefined, options);
  }
  /** `POST /bridges/{bridgeId}/addChannel` (channel: one id or several). */
  addChannel(
    params: Id & {
      channel: string | string[];
      role?: string;
      absorbDTMF?: boolean;
      mute?: boolean;
      inhibitConnectedLineUpdates?: boolean;
    },
    options?: AriRequestOptions,
  ): Promise<void> {
    const { bridgeId, ...query } = params;
    return this.call('POST', `${path({ bridgeId })}/addChannel`, query, undefined, options);
  }
  /** `POST /bridges/{bridgeId}/removeChannel`. */
  removeChannel(params: Id & { channel: string | string[] }, options?: AriRequestOptions): Promise<void> {
    const { bridgeId, ...query } = params;
    return this.call('POST', `${path({ bridgeId })}/removeChannel`, query, undefined, options);
  }
  /** `POST /bridges/{bridgeId}/videoSource/{channelId}`. */
  setVideoSource(params: Id & { channelId: string }, options?: AriRequestOptions): Promise<void> {
    return this.call(
      'POST',
      `${path(params)}/videoSource/${seg(params.channelId)}`,
      undefined,
      undefined,
      options,
    );
  }
  /** `DELETE /bridges/{bridgeId}/videoSource`. */
  clearVideoSource(params: Id, options?: AriRequestOptions): Promise<void> {
    return this.call('DELETE', `${path(params)}/videoSource`, undefined, undefined, options);
  }
  /** `POST /bridges/{bridgeId}/moh`. */
  startMoh(params: Id & { mohClass?: string }, options?: AriRequestOptions): Promise<void> {
    const { bridgeId, ...query } = params;
    return this.call('POST', `${path({ bridgeId })}/moh`, query, undefined, options);
  }
  /** `DELETE /bridges/{bridgeId}/moh`. */
  stopMoh(params: Id, options?: AriRequestOptions): Promise<void> {
    return this.call('DELETE', `${path(params)}/moh`, undefined, undefined, options);
  }
  /** `POST /bridges/{bridgeId}/play`. */
  play(params: Id & PlayParams, options?: AriRequestOptions): Promise<Playback> {
    const { bridgeId, ...query } = params;
    return this.call('POST', `${path({ bridgeId })}/play`, query, undefined, options);
  }
  /** `POST /bridges/{bridgeId}/play/{playbackId}`. */
  playWithId(
    params: Id & PlayParams & { playbackId: string },
    options?: AriRequestOptions,
  ): Promise<Playback> {
    const { bridgeId, playbackId, ...query } = params;
    return this.call('POST', `${path({ bridgeId })}/play/${seg(playbackId)}`, query, undefined, options);
  }
  /** `POST /bridges/{bridgeId}/record`. */
  record(params: Id & RecordParams, options?: AriRequestOptions): Promise<LiveRecording> {
    const { bridgeId, ...query } = params;
    return this.call('POST', `${path({ bridgeId })}/record`, query, undefined, options);
  }
  /** `GET /bridges/{bridgeId}/variable` (newer Asterisk). */
  getBridgeVar(params: Id & { variable: string }, options?: AriRequestOptions): Promise<Variable> {
    const { bridgeId, ...query } = params;
    return this.call('GET', `${path({ bridgeId })}/variable`, query, undefined, options);
  }
  /** `POST /bridges/{bridgeId}/variable` (newer Asterisk). */
  setBridgeVar(
    params: Id & { variable: string; value?: string },
    options?: AriRequestOptions,
  ): Promise<void> {
    const { bridgeId, ...query } = params;
    return this.call('POST', `${path({ bridgeId })}/variable`, query, undefined, options);
  }
}

function path(p: Id): string {
  return `/bridges/${seg(p.bridgeId)}`;
}
