/** `/recordings`: stored recordings (list, download as a stream, copy, delete) and live recording control. */

import type { AriBinaryResponse, AriRequestOptions } from '../http.js';
import { seg } from '../http.js';
import type { LiveRecording, StoredRecording } from '../models.js';
import { AriResource } from './base.js';

type Stored = { recordingName: string };

/** Operations of `/recordings`. */
export class RecordingsResource extends AriResource {
  /** `GET /recordings/stored`. */
  listStored(options?: AriRequestOptions): Promise<StoredRecording[]> {
    return this.call('GET', '/recordings/stored', undefined, undefined, options);
  }
  /** `GET /recordings/stored/{recordingName}`. */
  getStored(params: Stored, options?: AriRequestOptions): Promise<StoredRecording> {
    return this.call('GET', stored(params), undefined, undefined, options);
  }
  /** `DELETE /recordings/stored/{recordingName}`. */
  deleteStored(params: Stored, options?: AriRequestOptions): Promise<void> {
    return this.call('DELETE', stored(params), undefined, undefined, options);
  }
  /** `GET /recordings/stored/{recordingName}/file`: the audio, as a stream (not buffered in memory). */
  getStoredFile(params: Stored, options?: AriRequestOptions): Promise<AriBinaryResponse> {
    return this.stream(`${stored(params)}/file`, options);
  }
  /** `POST /recordings/stored/{recordingName}/copy`. */
  copyStored(
    params: Stored & { destinationRecordingName: string },
    options?: AriRequestOptions,
  ): Promise<StoredRecording> {
    const { recordingName, ...query } = params;
    return this.call('POST', `${stored({ recordingName })}/copy`, query, undefined, options);
  }
  /** `GET /recordings/live/{recordingName}`. */
  getLive(params: Stored, options?: AriRequestOptions): Promise<LiveRecording> {
    return this.call('GET', live(params), undefined, undefined, options);
  }
  /** `DELETE /recordings/live/{recordingName}`: stop and discard. */
  cancel(params: Stored, options?: AriRequestOptions): Promise<void> {
    return this.call('DELETE', live(params), undefined, undefined, options);
  }
  /** `POST /recordings/live/{recordingName}/stop`: stop and keep. */
  stop(params: Stored, options?: AriRequestOptions): Promise<void> {
    return this.call('POST', `${live(params)}/stop`, undefined, undefined, options);
  }
  /** `POST /recordings/live/{recordingName}/pause`. */
  pause(params: Stored, options?: AriRequestOptions): Promise<void> {
    return this.call('POST', `${live(params)}/pause`, undefined, undefined, options);
  }
  /** `DELETE /recordings/live/{recordingName}/pause`. */
  unpause(params: Stored, options?: AriRequestOptions): Promise<void> {
    return this.call('DELETE', `${live(params)}/pause`, undefined, undefined, options);
  }
  /** `POST /recordings/live/{recordingName}/mute`. */
  mute(params: Stored, options?: AriRequestOptions): Promise<void> {
    return this.call('POST', `${live(params)}/mute`, undefined, undefined, options);
  }
  /** `DELETE /recordings/live/{recordingName}/mute`. */
  unmute(params: Stored, options?: AriRequestOptions): Promise<void> {
    return this.call('DELETE', `${live(params)}/mute`, undefined, undefined, options);
  }
}

function stored(p: Stored): string {
  return `/recordings/stored/${seg(p.recordingName)}`;
}
function live(p: Stored): string {
  return `/recordings/live/${seg(p.recordingName)}`;
}
