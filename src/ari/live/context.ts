/** What live objects need from their client: the REST resources and a way to get other live objects. */
import type { BridgesResource } from '../resources/bridges.js';
import type { ChannelsResource } from '../resources/channels.js';
import type { PlaybacksResource } from '../resources/misc.js';
import type { RecordingsResource } from '../resources/recordings.js';
import type { LiveBridge } from './bridge.js';
import type { LiveChannel } from './channel.js';
import type { RegistryHandle } from './object.js';
import type { LivePlayback } from './playback.js';
import type { LiveRecordingObject } from './recording.js';

/** The client side a live object talks to. */
export interface LiveContext extends RegistryHandle {
  /** `/channels`. */
  readonly channels: ChannelsResource;
  /** `/bridges`. */
  readonly bridges: BridgesResource;
  /** `/playbacks`. */
  readonly playbacks: PlaybacksResource;
  /** `/recordings`. */
  readonly recordings: RecordingsResource;
  /** Gets or creates the live playback with this id. */
  playback(id?: string): LivePlayback;
  /** Gets or creates the live recording with this name. */
  recording(name: string): LiveRecordingObject;
  /** Gets or creates the live channel with this id. */
  channel(id?: string): LiveChannel;
  /** Gets or creates the live bridge with this id. */
  bridge(id?: string): LiveBridge;
}
