import { AmiTimeoutError } from './errors.js';
import type { AmiMessage } from './message.js';

interface Waiter {
  resolve: (m: AmiMessage) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Async Originates waiting for their `OriginateResponse`. Asterisk broadcasts that event to every session, so
 * only ActionIDs registered here are matched; the rest are someone else's.
 */
export class AmiOriginateWaiters {
  private readonly waiters = new Map<string, Waiter>();

  /** Starts waiting for the OriginateResponse of `id` (the promise never rejects unhandled). */
  wait(id: string, ms: number): Promise<AmiMessage> {
    const p = new Promise<AmiMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(id);
        reject(new AmiTimeoutError('AMI Originate (OriginateResponse)', ms));
      }, ms);
      this.waiters.set(id, { resolve, reject, timer });
    });
    p.catch(() => {});
    return p;
  }

  /** Resolves the waiter of this event's ActionID, if the event is an OriginateResponse we wait for. */
  /** Number of originates waiting for their OriginateResponse. */
  get size(): number {
    return this.waiters.size;
  }

  offer(m: AmiMessage, id: string): void {
    if (this.waiters.size === 0 || m.event?.toLowerCase() !== 'originateresponse') return;
    const w = this.waiters.get(id);
    if (!w) return;
    clearTimeout(w.timer);
    this.waiters.delete(id);
    w.resolve(m);
  }

  /** Rejects one waiter (refused Originate, abort). */
  reject(id: string, err: Error): void {
    const w = this.waiters.get(id);
    if (!w) return;
    clearTimeout(w.timer);
    this.waiters.delete(id);
    w.reject(err);
  }

  /** Rejects every waiter (link lost, client closed). */
  rejectAll(err: () => Error): void {
    for (const id of [...this.waiters.keys()]) this.reject(id, err());
  }
}
