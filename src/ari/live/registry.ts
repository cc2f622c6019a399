/** The registry of live objects: routes each event to the objects it names and releases those it ends. */
import { randomUUID } from 'node:crypto';
import { type AriEvent, eventTargets } from '../events.js';
import type { BridgesResource } from '../resources/bridges.js';
import type { ChannelsResource } from '../resources/channels.js';
import type { PlaybacksResource } from '../resources/misc.js';
import type { RecordingsResource } from '../resources/recordings.js';
import { LiveBridge } from './bridge.js';
import { type ChannelLifetime, LiveChannel } from './channel.js';
import type { LiveContext } from './context.js';
import type { Releasable } from './object.js';
import { LivePlayback } from './playback.js';
import { LiveRecordingObject } from './recording.js';

/** The REST resources live objects use. */
export interface LiveResources {
  /** `/channels`. */
  channels: ChannelsResource;
  /** `/bridges`. */
  bridges: BridgesResource;
  /** `/playbacks`. */
  playbacks: PlaybacksResource;
  /** `/recordings`. */
  recordings: RecordingsResource;
}

/** Holds every live object by key; one per id, so two lookups of the same id give the same object. */
export class LiveRegistry implements LiveContext {
  /** `/channels`. */
  readonly channels: ChannelsResource;
  /** `/bridges`. */
  readonly bridges: BridgesResource;
  /** `/playbacks`. */
  readonly playbacks: PlaybacksResource;
  /** `/recordings`. */
  readonly recordings: RecordingsResource;
  readonly #objects = new Map<string, Releasable>();

  constructor(resources: LiveResources) {
    this.channels = resources.channels;
    this.bridges = resources.bridges;
    this.playbacks = resources.playbacks;
    this.recordings = resources.recordings;
  }

  /** Number of objects tracked. */
  get size(): number {
    return this.#objects.size;
  }

  /** Total listeners attached to tracked objects. */
  listenerCount(): number {
    let n = 0;
    for (const o of this.#objects.values()) n += o.listenerCount();
    return n;
  }

  /** Gets or creates a live channel (a new random id when omitted: a channel this client will originate). */
  channel(id?: string, lifetime?: ChannelLifetime): LiveChannel {
    const key = id === undefined ? undefined : `channel:${id}`;
    const found = key === undefined ? undefined : this.#objects.get(key);
    if (found instanceof LiveChannel) return found;
    const ch = new LiveChannel(
      this,
      id ?? randomUUID(),
      lifetime ?? (id === undefined ? 'destroyed' : 'stasis'),
    );
    this.#objects.set(ch.key, ch);
    return ch;
  }

  /** Gets or creates a live bridge. */
  bridge(id?: string): LiveBridge {
    const found = id === undefined ? undefined : this.#objects.get(`bridge:${id}`);
    if (found instanceof LiveBridge) return found;
    const br = new LiveBridge(this, id ?? randomUUID());
    this.#objects.set(br.key, br);
    return br;
  }

  /** Gets or creates a live playback. */
  playback(id?: string): LivePlayback {
    const found = id === undefined ? undefined : this.#objects.get(`playback:${id}`);
    if (found instanceof LivePlayback) return found;
    const pb = new LivePlayback(this, id ?? randomUUID());
    this.#objects.set(pb.key, pb);
    return pb;
  }

  /** Gets or creates a live recording. */
  recording(name: string): LiveRecordingObject {
    const found = this.#objects.get(`recording:${name}`);
    if (found instanceof LiveRecordingObject) return found;
    const rec = new LiveRecordingObject(this, name);
    this.#objects.set(rec.key, rec);
    return rec;
  }

  /** Removes an object (called by its `release()`). */
  remove(obj: Releasable): void {
    if (this.#objects.get(obj.key) === obj) this.#objects.delete(obj.key);
  }

  /** Delivers one event to every object it names, then releases the objects it ended. */
  dispatch(event: AriEvent): void {
    const keys = eventTargets(event);
    if (keys.length === 0) return;
    const ended: Releasable[] = [];
    for (const key of keys) {
      const obj = this.#objects.get(key);
      if (obj?.deliver(event)) ended.push(obj);
    }
    for (const obj of ended) obj.release(event.type);
  }

  /** Releases every object (client close). */
  releaseAll(reason: string): void {
    for (const obj of [...this.#objects.values()]) obj.release(reason);
  }
}
