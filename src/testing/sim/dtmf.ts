/** DTMF on a simulated channel: `DTMFBegin`/`DTMFEnd` pairs, as RFC 4733 digits arrive or are sent. */
import type { SimCore } from './core.js';
import { channelPairs, event } from './headers.js';
import { sleepUnless } from './phone.js';
import type { SimChannel } from './state.js';

/** Digits Asterisk accepts in DTMF. */
export const DTMF_DIGITS = /^[0-9A-Da-d*#]*$/;

/** Sends or receives digits on a channel, 100 ms each with 50 ms gaps. */
export async function sendDtmf(
  core: SimCore,
  ch: SimChannel,
  digits: string,
  direction: 'Received' | 'Sent',
): Promise<void> {
  for (const d of digits) {
    if (ch.gone.aborted) return;
    if (!DTMF_DIGITS.test(d)) continue;
    core.emit(
      event('DTMFBegin', 'dtmf,all', channelPairs(ch), [
        ['Digit', d],
        ['Direction', direction],
      ]),
    );
    if (!(await sleepUnless(core, 100, ch))) return;
    core.emit(
      event('DTMFEnd', 'dtmf,all', channelPairs(ch), [
        ['Digit', d],
        ['DurationMs', '100'],
        ['Direction', direction],
      ]),
    );
    if (!(await sleepUnless(core, 50, ch))) return;
  }
}
