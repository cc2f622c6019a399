/**
 * A live channel: operations (`answer()`, `play()`, `hangup()`…), per-channel events, and race-free origination
 * (the object, and so its listeners, exists before the request that creates the channel is sent).
 */
import { randomUUID } from 'node:crypto';
import type { AriEvent } from '../events.js';
import type { AriRequestOptions } from '../http.js';
import type { Channel, LiveRecording, Variable } from '../models.js';
import type {
  CreateChannelParams,
  HangupReason,
  OriginateParams,
  PlayParams,
  RecordParams,
} from '../resources/channels.js';
import type { LiveContext } from './context.js';
import { LiveObject, startTracked } from './object.js';
import type { LivePlayback } from './playback.js';
import type { LiveRecordingObject } from './recording.js';

/** How a live channel decides it has ended. */
export type ChannelLifetime = 'stasis' | 'destroyed';

/** A channel tracked by id. */
export class LiveChannel extends LiveObject {
  /** Channel id. */
  readonly id: string;
  /** Registry key. */
  readonly key: string;
  /** Last snapshot seen (REST reply or event). */
  snapshot: Channel | undefined;
  /**
   * `stasis`: released on StasisEnd or ChannelDestroyed (channels that came in through `Stasis()`; Asterisk stops
   * sending their events after StasisEnd). `destroyed`: released only on ChannelDestroyed (channels this client
   * originated or created: Asterisk keeps the application subscribed until they are destroyed).
   */
  lifetime: ChannelLifetime;
  readonly #ctx: LiveContext;

  constructor(ctx: LiveContext, id: string, lifetime: ChannelLifetime) {
    super(ctx);
    this.#ctx = ctx;
    this.id = id;
    this.key = `channel:${id}`;
    this.lifetime = lifetime;
  }

  /** Originates this channel (`POST /channels` with `channelId` = this id). Subscribe before calling. */
  async originate(params: Omit<OriginateParams, 'channelId'>, options?: AriRequestOptions): Promise<Channel> {
    this.lifetime = 'destroyed';
    this.snapshot = await this.#ctx.channels.originate({ ...params, channelId: this.id }, options);
    return this.snapshot;
  }
  /** Creates this channel in an application without dialling (`POST /channels/create`); then {@link dial}. */
  async create(
    params: Omit<CreateChannelParams, 'channelId'>,
    options?: AriRequestOptions,
  ): Promise<Channel> {
    this.lifetime = 'destroyed';
    this.snapshot = await this.#ctx.channels.create({ ...params, channelId: this.id }, options);
    return this.snapshot;
  }
  /** Dials a channel made by {@link create}. */
  dial(params: { caller?: string; timeout?: number } = {}, options?: AriRequestOptions): Promise<void> {
    return this.#ctx.channels.dial({ ...params, channelId: this.id }, options);
  }
  /** `GET /channels/{id}`: refreshes the snapshot. */
  async get(options?: AriRequestOptions): Promise<Channel> {
    this.snapshot = await this.#ctx.channels.get({ channelId: this.id }, options);
    return this.snapshot;
  }
  /** Answers. */
  answer(options?: AriRequestOptions): Promise<void> {
    return this.#ctx.channels.answer({ channelId: this.id }, options);
  }
  /** Hangs up. */
  hangup(
    params: { reason?: HangupReason; reason_code?: number } = {},
    options?: AriRequestOptions,
  ): Promise<void> {
    return this.#ctx.channels.hangup({ ...params, channelId: this.id }, options);
  }
  /** Indicates ringing. */
  ring(options?: AriRequestOptions): Promise<void> {
    return this.#ctx.channels.ring({ channelId: this.id }, options);
  }
  /** Stops ringing. */
  ringStop(options?: AriRequestOptions): Promise<void> {
    return this.#ctx.channels.ringStop({ channelId: this.id }, options);
  }
  /** Indicates progress. */
  progress(options?: AriRequestOptions): Promise<void> {
    return this.#ctx.channels.progress({ channelId: this.id }, options);
  }
  /** Sends DTMF. */
  sendDTMF(
    dtmf: string,
    params: { before?: number; between?: number; duration?: number; after?: number } = {},
    options?: AriRequestOptions,
  ): Promise<void> {
    return this.#ctx.channels.sendDTMF({ ...params, dtmf, channelId: this.id }, options);
  }
  /** Mutes. */
  mute(direction: 'both' | 'in' | 'out' = 'both', options?: AriRequestOptions): Promise<void> {
    return this.#ctx.channels.mute({ channelId: this.id, direction }, options);
  }
  /** Unmutes. */
  unmute(direction: 'both' | 'in' | 'out' = 'both', options?: AriRequestOptions): Promise<void> {
    return this.#ctx.channels.unmute({ channelId: this.id, direction }, options);
  }
  /** Holds. */
  hold(options?: AriRequestOptions): Promise<void> {
    return this.#ctx.channels.hold({ channelId: this.id }, options);
  }
  /** Unholds. */
  unhold(options?: AriRequestOptions): Promise<void> {
    return this.#ctx.channels.unhold({ channelId: this.id }, options);
  }
  /** Starts music on hold. */
  startMoh(mohClass?: string, options?: AriRequestOptions): Promise<void> {
    return this.#ctx.channels.startMoh({ channelId: this.id, mohClass }, options);
  }
  /** Stops music on hold. */
  stopMoh(options?: AriRequestOptions): Promise<void> {
    return this.#ctx.channels.stopMoh({ channelId: this.id }, options);
  }
  /** Plays silence. */
  startSilence(options?: AriRequestOptions): Promise<void> {
    return this.#ctx.channels.startSilence({ channelId: this.id }, options);
  }
  /** Stops silence. */
  stopSilence(options?: AriRequestOptions): Promise<void> {
    return this.#ctx.channels.stopSilence({ channelId: this.id }, options);
  }
  /**
   * Starts a playback and returns its live object. The playback id is chosen (or taken from `params.playbackId`)
   * and tracked before the request, so PlaybackStarted/Finished are never missed; await `.finished()` on it.
   */
  async play(
    media: string | string[],
    params: Omit<PlayParams, 'media'> = {},
    options?: AriRequestOptions,
  ): Promise<LivePlayback> {
    const playback = this.#ctx.playback(params.playbackId ?? randomUUID());
    return startTracked(playback, 'play', () =>
      this.#ctx.channels.play({ ...params, media, playbackId: playback.id, channelId: this.id }, options),
    );
  }
  /** Starts a recording and returns its live object (tracked before the request). */
  async record(params: RecordParams, options?: AriRequestOptions): Promise<LiveRecordingObject> {
    const rec = this.#ctx.recording(params.name);
    return startTracked(
      rec,
      'record',
      async () =>
        (await this.#ctx.channels.record({ ...params, channelId: this.id }, options)) as LiveRecording,
    );
  }
  /** Reads a channel variable or function; `undefined` when it is not set (404 `Provided variable was not found`). */
  async getVariable(variable: string, options?: AriRequestOptions): Promise<string | undefined> {
    try {
      const v: Variable = await this.#ctx.channels.getChannelVar({ channelId: this.id, variable }, options);
      return v.value;
    } catch (err) {
      // Asterisk answers 404 both for a missing channel and for an unset variable; only the latter is a value.
      const e = err as { status?: number; asteriskMessage?: string };
      if (e.status === 404 && /variable/i.test(e.asteriskMessage ?? '')) return undefined;
      throw err;
    }
  }
  /** Sets a channel variable. */
  setVariable(variable: string, value: string, options?: AriRequestOptions): Promise<void> {
    return this.#ctx.channels.setChannelVar({ channelId: this.id, variable, value }, options);
  }
  /** Leaves Stasis and continues in the dialplan. */
  continueInDialplan(
    params: { context?: string; extension?: string; priority?: number; label?: string } = {},
    options?: AriRequestOptions,
  ): Promise<void> {
    return this.#ctx.channels.continueInDialplan({ ...params, channelId: this.id }, options);
  }
  /** Moves to another application. */
  move(app: string, appArgs?: string | string[], options?: AriRequestOptions): Promise<void> {
    return this.#ctx.channels.move({ channelId: this.id, app, appArgs }, options);
  }
  /** Redirects to an endpoint. */
  redirect(endpoint: string, options?: AriRequestOptions): Promise<void> {
    return this.#ctx.channels.redirect({ channelId: this.id, endpoint }, options);
  }

  protected update(event: AriEvent): void {
    const ch = (event as { channel?: Channel }).channel;
    if (ch && ch.id === this.id) this.snapshot = ch;
  }
  protected isTerminal(event: AriEvent): boolean {
    const ch = (event as { channel?: Channel }).channel;
    if (!ch || ch.id !== this.id) return false;
    if (event.type === 'ChannelDestroyed') return true;
    return event.type === 'StasisEnd' && this.lifetime === 'stasis';
  }
}
