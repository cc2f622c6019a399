/**
 * The far end of a simulated SIP call: a dialled phone rings, then answers, refuses (busy, reject) or keeps
 * ringing, and may hang up after talking — as the per-call plan, the endpoint's behaviour or the defaults say.
 */
import { requestHangup, setState, waitFor } from './channels.js';
import { SimSignal } from './clock.js';
import type { PhoneBehaviour, SimCore } from './core.js';
import type { SimChannel } from './state.js';

/** What a ringing phone ended with. */
export type RingResult = 'answer' | 'busy' | 'reject' | 'gone';

/** Waits `ms` simulated ms unless one of the channels goes away; true when the whole time passed. */
export async function sleepUnless(core: SimCore, ms: number, ...chans: SimChannel[]): Promise<boolean> {
  if (chans.some((c) => c.gone.aborted)) return false;
  const sig = new SimSignal();
  for (const c of chans) {
    c.gone.onAbort(() => sig.abort());
    c.kick?.onAbort(() => sig.abort());
  }
  try {
    await core.clock.sleep(ms, sig);
    return true;
  } catch {
    return false;
  }
}

/** The behaviour of a phone dialled in this call. */
export function behaviourFor(core: SimCore, ch: SimChannel): PhoneBehaviour & { ringMs: number } {
  const plan = core.plans.get(ch.linkedid);
  const own = ch.endpoint ? core.behaviours.get(ch.endpoint) : undefined;
  return { ...core.options.phone, ...own, ...plan };
}

/**
 * Rings a dialled PJSIP channel: `Newstate` Ringing at once (the 180), then the outcome after the ring time.
 * An answered phone that has a talk time hangs up by itself later.
 */
export async function ringPhone(core: SimCore, ch: SimChannel, onRinging: () => void): Promise<RingResult> {
  const b = behaviourFor(core, ch);
  if (!(await sleepUnless(core, 20, ch))) return 'gone';
  setState(core, ch, 5);
  onRinging();
  const outcome = b.outcome ?? 'answer';
  if (outcome === 'busy' || outcome === 'reject') {
    if (!(await sleepUnless(core, Math.min(b.ringMs, 300), ch))) return 'gone';
    return outcome;
  }
  if (outcome === 'noanswer') {
    await waitFor(ch, () => false);
    return 'gone';
  }
  if (!(await sleepUnless(core, b.ringMs, ch))) return 'gone';
  setState(core, ch, 6);
  if (b.talkMs !== undefined) {
    const talk = b.talkMs;
    core.spawn(
      (async () => {
        if (await sleepUnless(core, talk, ch)) requestHangup(core, ch, 16);
      })(),
    );
  }
  return 'answer';
}
