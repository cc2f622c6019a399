/** Agents' state in words and who may manage a membership — shared by the Call centre and its wallboard. */
import { atLeast, type Me, type QueueMember } from '../../api/types';

/** What an agent is doing, as the page names it. */
export type AgentState = 'free' | 'ringing' | 'inCall' | 'paused' | 'unavailable';

/** The member's state in words (Asterisk device status numbers, `paused` first). */
export function agentState(m: QueueMember): AgentState {
  if (m.paused) return 'paused';
  if (m.status === 6 || m.status === 7) return 'ringing';
  if (m.inCall || m.status === 2 || m.status === 3 || m.status === 8) return 'inCall';
  if (m.status === 4 || m.status === 5 || m.status === 0) return 'unavailable';
  return 'free';
}

/** Agents manage only their own membership (`<Tech>/<their extension>…`), like the server's rule. */
export function mayManage(me: Me, iface: string): boolean {
  if (atLeast(me.role, 'supervisor')) return true;
  const ext = /^[A-Za-z0-9]+\/([^-@;/]+)/.exec(iface)?.[1];
  return me.role === 'agent' && ext !== undefined && me.extensions.includes(ext);
}

/** Free / busy (ringing or in a call) / paused counts of a queue's agents; unavailable ones count in none. */
export function agentCounts(members: readonly QueueMember[]): { free: number; busy: number; paused: number } {
  const c = { free: 0, busy: 0, paused: 0 };
  for (const m of members) {
    const s = agentState(m);
    if (s === 'free') c.free++;
    else if (s === 'paused') c.paused++;
    else if (s !== 'unavailable') c.busy++;
  }
  return c;
}
