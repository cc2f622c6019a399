/**
 * A fake Asterisk for the Call centre tests whose queues keep state like app_queue: the recorded `queue`
 * transcript's QueueStatus (queue `support`: static Agent Reina and Agent Alonso, plus the recording's dynamic
 * Agent Temp, paused "lunch break", penalty 2), a second queue `sales` with nobody in it (the recorded QueueParams
 * renamed), and QueueAdd / QueueRemove / QueuePause answered with the recorded replies and events for the
 * member asked. Static members cannot be removed, as in Asterisk.
 */
import { readFileSync } from 'node:fs';
import { type AmiMessage, AmiParser } from '../../src/ami/index.js';
import { FakeAmiServer } from '../../src/testing/index.js';
import type { Headers } from './support.js';

function parse(): AmiMessage[] {
  const out: AmiMessage[] = [];
  const p = new AmiParser({ onMessage: (m) => out.push(m) });
  p.push(readFileSync(new URL('../fixtures/asterisk/ami/queue.raw', import.meta.url)));
  return out;
}

interface Member {
  name: string;
  iface: string;
  state: string;
  membership: 'static' | 'dynamic';
  penalty: number;
  paused: boolean;
  reason: string;
  callsTaken: string;
}

/** The fake and its queues (queue name → members, in order). */
export async function queueAsterisk(): Promise<{
  fake: FakeAmiServer;
  queues: Map<string, Member[]>;
  /** Set `addError` to make QueueAdd fail with that message (Asterisk's own wording). */
  faults: { addError?: string };
}> {
  const faults: { addError?: string } = {};
  const recorded = parse();
  const event = (name: string, actionId?: string) =>
    recorded.find(
      (m) => m.get('Event') === name && (actionId === undefined || m.get('ActionID') === actionId),
    )!;
  const params = event('QueueParams', 'queuestatus-2');
  const memberAdded = event('QueueMemberAdded');
  const memberPause = event('QueueMemberPause');
  const memberRemoved = event('QueueMemberRemoved');
  const fromStatus = (m: AmiMessage): Member => ({
    name: m.get('Name') ?? '',
    iface: m.get('Location') ?? '',
    state: m.get('StateInterface') ?? '',
    membership: m.get('Membership') === 'dynamic' ? 'dynamic' : 'static',
    penalty: Number(m.get('Penalty') ?? 0),
    paused: m.get('Paused') === '1',
    reason: m.get('PausedReason') ?? '',
    callsTaken: m.get('CallsTaken') ?? '0',
  });
  const support = recorded
    .filter((m) => m.get('Event') === 'QueueMember' && m.get('ActionID') === 'queuestatus-2')
    .map(fromStatus);
  support.push(
    fromStatus(
      recorded.find((m) => m.get('Event') === 'QueueMember' && m.get('ActionID') === 'queuestatus-6')!,
    ),
  );
  const queues = new Map<string, Member[]>([
    ['support', support],
    ['sales', []],
  ]);
  const strip = (m: AmiMessage, patch: Record<string, string>): Headers =>
    m.headers.filter(([k]) => k !== 'ActionID').map(([k, v]) => [k, patch[k] ?? v] as const);
  const memberHeaders = (queue: string, m: Member): Record<string, string> => ({
    Queue: queue,
    MemberName: m.name,
    Interface: m.iface,
    StateInterface: m.state,
    Membership: m.membership,
    Penalty: String(m.penalty),
    CallsTaken: m.callsTaken,
    Paused: m.paused ? '1' : '0',
    PausedReason: m.reason,
  });
  const find = (queue: string, iface: string) =>
    queues.get(queue)?.find((m) => m.iface.toLowerCase() === iface.toLowerCase());
  const fake: FakeAmiServer = await FakeAmiServer.start({
    handlers: {
      queuestatus: () => ({
        list: {
          items: [...queues].flatMap(([queue, members]) => [
            strip(params, { Queue: queue, Completed: queue === 'support' ? '1' : '0' }),
            ...members.map(
              (m): Headers => [
                ['Event', 'QueueMember'],
                ['Queue', queue],
                ['Name', m.name],
                ['Location', m.iface],
                ['StateInterface', m.state],
                ['Membership', m.membership],
                ['Penalty', String(m.penalty)],
                ['CallsTaken', m.callsTaken],
                ['LastCall', '0'],
                ['LastPause', '0'],
                ['LoginTime', '1795340659'],
                ['InCall', '0'],
                ['Status', '1'],
                ['Paused', m.paused ? '1' : '0'],
                ['PausedReason', m.reason],
                ['Wrapuptime', '0'],
              ],
            ),
          ]),
          complete: 'QueueStatusComplete',
        },
      }),
      queueadd: (a) => {
        const queue = a.get('Queue') ?? '';
        const iface = a.get('Interface') ?? '';
        const members = queues.get(queue);
        if (faults.addError) return { Response: 'Error', Message: faults.addError };
        if (!members)
          return { Response: 'Error', Message: 'Unable to add interface to queue: No such queue' };
        if (find(queue, iface))
          return { Response: 'Error', Message: 'Unable to add interface: Already there' };
        const m: Member = {
          name: a.get('MemberName') || iface,
          iface,
          state: a.get('StateInterface') || iface,
          membership: 'dynamic',
          penalty: Number(a.get('Penalty') ?? 0),
          paused: /^(true|yes|1|on)$/i.test(a.get('Paused') ?? ''),
          reason: '',
          callsTaken: '0',
        };
        members.push(m);
        setTimeout(() => fake.emit(strip(memberAdded, { ...memberHeaders(queue, m), Status: '1' })), 10);
        return { Message: 'Added interface to queue' };
      },
      queueremove: (a) => {
        const queue = a.get('Queue') ?? '';
        const members = queues.get(queue);
        if (!members)
          return { Response: 'Error', Message: 'Unable to remove interface from queue: No such queue' };
        const m = find(queue, a.get('Interface') ?? '');
        if (!m) return { Response: 'Error', Message: 'Unable to remove interface: Not there' };
        if (m.membership !== 'dynamic') return { Response: 'Error', Message: 'Member not dynamic' };
        members.splice(members.indexOf(m), 1);
        setTimeout(() => fake.emit(strip(memberRemoved, { ...memberHeaders(queue, m), Status: '1' })), 10);
        return { Message: 'Removed interface from queue' };
      },
      queuepause: (a) => {
        const queue = a.get('Queue') ?? '';
        const m = find(queue, a.get('Interface') ?? '');
        if (!m) return { Response: 'Error', Message: 'Interface not found' };
        m.paused = a.get('Paused') === 'true';
        m.reason = m.paused ? (a.get('Reason') ?? '') : '';
        setTimeout(() => fake.emit(strip(memberPause, { ...memberHeaders(queue, m), Status: '1' })), 10);
        return { Message: m.paused ? 'Interface paused successfully' : 'Interface unpaused successfully' };
      },
    },
  });
  return { fake, queues, faults };
}
