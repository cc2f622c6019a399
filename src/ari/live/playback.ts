/** A live playback: control it and await its end. Released on PlaybackFinished (done or failed). */

import type { AriEvent } from '../events.js';
import type { AriRequestOptions } from '../http.js';
import type { Playback } from '../models.js';
import type { PlaybackOperation } from '../resources/misc.js';
import type { LiveContext } from './context.js';
import { LiveObject } from './object.js';

/** A playback tracked by id. */
export class LivePlayback extends LiveObject {
  /** Playback id. */
  readonly id: string;
  /** Registry key. */
  readonly key: string;
  /** Last snapshot seen (from the REST reply or an event). */
  snapshot: Playback | undefined;
  readonly #ctx: LiveContext;

  constructor(ctx: LiveContext, id: string) {
    super(ctx);
    this.#ctx = ctx;
    this.id = id;
    this.key = `playback:${id}`;
  }

  /** Resolves with the final snapshot when PlaybackFinished arrives (state `done` or `failed`), even if it came first. */
  async finished(options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<Playback> {
    const event = await this.waitFor('PlaybackFinished', options);
    return event.playback;
  }

  /** `GET /playbacks/{id}`. */
  async get(options?: AriRequestOptions): Promise<Playback> {
    this.snapshot = await this.#ctx.playbacks.get({ playbackId: this.id }, options);
    return this.snapshot;
  }
  /** `DELETE /playbacks/{id}`. */
  stop(options?: AriRequestOptions): Promise<void> {
    return this.#ctx.playbacks.stop({ playbackId: this.id }, options);
  }
  /** `POST /playbacks/{id}/control`. */
  control(operation: PlaybackOperation, options?: AriRequestOptions): Promise<void> {
    return this.#ctx.playbacks.control({ playbackId: this.id, operation }, options);
  }

  protected update(event: AriEvent): void {
    const pb = (event as { playback?: Playback }).playback;
    if (pb && pb.id === this.id) this.snapshot = pb;
  }
  protected isTerminal(event: AriEvent): boolean {
    return event.type === 'PlaybackFinished';
  }
}
