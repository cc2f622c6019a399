import type { AmiResponse } from './client-options.js';
import { AmiActionError } from './errors.js';
import type { AmiMessage } from './message.js';

/**
 * Turns an event-list action into an async generator of its items, yielded as they arrive. `run` starts the
 * action with an item callback. Throws at the end if the action failed or Asterisk answered `Response: Error`.
 */
export async function* iterateList(
  name: string,
  run: (onItem: (m: AmiMessage) => void) => Promise<AmiResponse>,
): AsyncGenerator<AmiMessage, AmiResponse> {
  const queue: AmiMessage[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  let result: AmiResponse | undefined;
  let failure: unknown;
  run((m) => {
    queue.push(m);
    wake?.();
  }).then(
    (r) => {
      result = r;
      done = true;
      wake?.();
    },
    (e: unknown) => {
      failure = e;
      done = true;
      wake?.();
    },
  );
  let i = 0;
  while (true) {
    if (i < queue.length) {
      yield queue[i++]!;
      continue;
    }
    if (done) break;
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
    wake = undefined;
  }
  if (failure !== undefined) throw failure;
  const r = result!;
  if (!r.ok) throw new AmiActionError(name, r.message.get('Message') ?? 'Response: Error');
  return r;
}
