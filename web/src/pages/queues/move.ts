/**
 * Moving an agent between queues with the two documented calls: add to the target first (so the agent is never
 * in no queue), then remove from the source; a failed add removes nothing. The pause reason is re-applied on the
 * target because `QueueAdd` carries `Paused` but no reason.
 */
import { api, seg } from '../../api/client';
import type { Queue, QueueMember } from '../../api/types';

/** How a move ended; `error` is the failure of the step named. */
export type MoveOutcome =
  | { kind: 'moved' }
  | { kind: 'addFailed'; error: unknown }
  | { kind: 'removeFailed'; error: unknown }
  | { kind: 'reasonFailed'; error: unknown };

const members = (queue: string) => `/api/v1/queues/${seg(queue)}/members`;
const pbxQuery = (pbx: string) => `?pbx=${seg(pbx)}`;

/** Moves `m` from `from` to the queue named `to` on the same PBX, keeping penalty, pause and name. */
export async function moveMember(from: Queue, m: QueueMember, to: string): Promise<MoveOutcome> {
  const pbx = from.server;
  try {
    await api('POST', `${members(to)}${pbxQuery(pbx)}`, {
      interface: m.interface,
      ...(m.penalty !== undefined ? { penalty: m.penalty } : {}),
      ...(m.paused ? { paused: true } : {}),
      ...(m.name ? { memberName: m.name } : {}),
    });
  } catch (error) {
    return { kind: 'addFailed', error };
  }
  let reasonError: unknown;
  if (m.paused && m.pausedReason) {
    try {
      await api('POST', `${members(to)}/${seg(m.interface)}/pause${pbxQuery(pbx)}`, {
        paused: true,
        reason: m.pausedReason,
      });
    } catch (error) {
      reasonError = error;
    }
  }
  try {
    await api('DELETE', `${members(from.name)}/${seg(m.interface)}${pbxQuery(pbx)}`);
  } catch (error) {
    return { kind: 'removeFailed', error };
  }
  return reasonError === undefined ? { kind: 'moved' } : { kind: 'reasonFailed', error: reasonError };
}
