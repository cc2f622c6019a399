/** A live recording: stop, pause, mute, and await its end. Released on RecordingFinished or RecordingFailed. */
import type { AriEvent } from '../events.js';
import type { AriRequestOptions } from '../http.js';
import type { LiveRecording } from '../models.js';
import type { LiveContext } from './context.js';
import { LiveObject } from './object.js';

/** A recording tracked by name. */
export class LiveRecordingObject extends LiveObject {
  /** Recording name. */
  readonly name: string;
  /** Registry key. */
  readonly key: string;
  /** Last snapshot seen. */
  snapshot: LiveRecording | undefined;
  readonly #ctx: LiveContext;

  constructor(ctx: LiveContext, name: string) {
    super(ctx);
    this.#ctx = ctx;
    this.name = name;
    this.key = `recording:${name}`;
  }

  /** Resolves with the final snapshot on RecordingFinished or RecordingFailed (check `state` / `cause`). */
  async finished(options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<LiveRecording> {
    const event = await this.waitForAny(['RecordingFinished', 'RecordingFailed'], options);
    return event.recording;
  }

  /** `GET /recordings/live/{name}`. */
  async get(options?: AriRequestOptions): Promise<LiveRecording> {
    this.snapshot = await this.#ctx.recordings.getLive({ recordingName: this.name }, options);
    return this.snapshot;
  }
  /** Stop and keep. */
  stop(options?: AriRequestOptions): Promise<void> {
    return this.#ctx.recordings.stop({ recordingName: this.name }, options);
  }
  /** Stop and discard. */
  cancel(options?: AriRequestOptions): Promise<void> {
    return this.#ctx.recordings.cancel({ recordingName: this.name }, options);
  }
  /** Pause. */
  pause(options?: AriRequestOptions): Promise<void> {
    return this.#ctx.recordings.pause({ recordingName: this.name }, options);
  }
  /** Unpause. */
  unpause(options?: AriRequestOptions): Promise<void> {
    return this.#ctx.recordings.unpause({ recordingName: this.name }, options);
  }
  /** Mute. */
  mute(options?: AriRequestOptions): Promise<void> {
    return this.#ctx.recordings.mute({ recordingName: this.name }, options);
  }
  /** Unmute. */
  unmute(options?: AriRequestOptions): Promise<void> {
    return this.#ctx.recordings.unmute({ recordingName: this.name }, options);
  }

  protected update(event: AriEvent): void {
    const rec = (event as { recording?: LiveRecording }).recording;
    if (rec && rec.name === this.name) this.snapshot = rec;
  }
  protected isTerminal(event: AriEvent): boolean {
    return event.type === 'RecordingFinished' || event.type === 'RecordingFailed';
  }
}
