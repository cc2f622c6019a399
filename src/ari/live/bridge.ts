/** A live bridge: create, add/remove channels, play, record, destroy. Released on BridgeDestroyed. */
import { randomUUID } from 'node:crypto';
import type { AriEvent } from '../events.js';
import type { AriRequestOptions } from '../http.js';
import type { Bridge } from '../models.js';
import type { BridgeTypeFlag } from '../resources/bridges.js';
import type { PlayParams, RecordParams } from '../resources/channels.js';
import type { LiveChannel } from './channel.js';
import type { LiveContext } from './context.js';
import { LiveObject, startTracked } from './object.js';
import type { LivePlayback } from './playback.js';
import type { LiveRecordingObject } from './recording.js';

type ChannelRef = string | LiveChannel;
const idOf = (c: ChannelRef): string => (typeof c === 'string' ? c : c.id);

/** A bridge tracked by id. */
export class LiveBridge extends LiveObject {
  /** Bridge id. */
  readonly id: string;
  /** Registry key. */
  readonly key: string;
  /** Last snapshot seen. */
  snapshot: Bridge | undefined;
  readonly #ctx: LiveContext;

  constructor(ctx: LiveContext, id: string) {
    super(ctx);
    this.#ctx = ctx;
    this.id = id;
    this.key = `bridge:${id}`;
  }

  /** Creates the bridge with this id (`POST /bridges?bridgeId=…`). */
  async create(
    params: { type?: BridgeTypeFlag | BridgeTypeFlag[] | string; name?: string } = {},
    options?: AriRequestOptions,
  ): Promise<Bridge> {
    this.snapshot = await this.#ctx.bridges.create({ ...params, bridgeId: this.id }, options);
    return this.snapshot;
  }
  /** Refreshes the snapshot. */
  async get(options?: AriRequestOptions): Promise<Bridge> {
    this.snapshot = await this.#ctx.bridges.get({ bridgeId: this.id }, options);
    return this.snapshot;
  }
  /** Destroys the bridge. */
  destroy(options?: AriRequestOptions): Promise<void> {
    return this.#ctx.bridges.destroy({ bridgeId: this.id }, options);
  }
  /** Adds one or more channels. */
  addChannel(
    channel: ChannelRef | ChannelRef[],
    params: {
      role?: string;
      absorbDTMF?: boolean;
      mute?: boolean;
      inhibitConnectedLineUpdates?: boolean;
    } = {},
    options?: AriRequestOptions,
  ): Promise<void> {
    const ids = Array.isArray(channel) ? channel.map(idOf) : [idOf(channel)];
    return this.#ctx.bridges.addChannel({ ...params, bridgeId: this.id, channel: ids }, options);
  }
  /** Removes one or more channels. */
  removeChannel(channel: ChannelRef | ChannelRef[], options?: AriRequestOptions): Promise<void> {
    const ids = Array.isArray(channel) ? channel.map(idOf) : [idOf(channel)];
    return this.#ctx.bridges.removeChannel({ bridgeId: this.id, channel: ids }, options);
  }
  /** Starts music on hold. */
  startMoh(mohClass?: string, options?: AriRequestOptions): Promise<void> {
    return this.#ctx.bridges.startMoh({ bridgeId: this.id, mohClass }, options);
  }
  /** Stops music on hold. */
  stopMoh(options?: AriRequestOptions): Promise<void> {
    return this.#ctx.bridges.stopMoh({ bridgeId: this.id }, options);
  }
  /** Plays media to the bridge; the playback is tracked before the request. */
  async play(
    media: string | string[],
    params: Omit<PlayParams, 'media'> = {},
    options?: AriRequestOptions,
  ): Promise<LivePlayback> {
    const playback = this.#ctx.playback(params.playbackId ?? randomUUID());
    return startTracked(playback, 'play', () =>
      this.#ctx.bridges.play({ ...params, media, playbackId: playback.id, bridgeId: this.id }, options),
    );
  }
  /** Records the bridge; the recording is tracked before the request. */
  async record(params: RecordParams, options?: AriRequestOptions): Promise<LiveRecordingObject> {
    const rec = this.#ctx.recording(params.name);
    return startTracked(
      rec,
      'record',
      async () => await this.#ctx.bridges.record({ ...params, bridgeId: this.id }, options),
    );
  }

  protected update(event: AriEvent): void {
    const br = (event as { bridge?: Bridge }).bridge;
    if (br && br.id === this.id) this.snapshot = br;
  }
  protected isTerminal(event: AriEvent): boolean {
    const br = (event as { bridge?: Bridge }).bridge;
    return event.type === 'BridgeDestroyed' && br?.id === this.id;
  }
}
