/** Queue actions of the simulated PBX (app_queue's manager actions) with Asterisk's messages. */
import { error, header, type ListItem, list, reply, type SimModule } from './action-table.js';
import type { SimCore } from './core.js';
import { memberEvent, memberStatus, newMember } from './queues.js';
import type { SimQueue } from './state.js';

// The change and its event follow the response on the wire, as recorded, and happen in the same instant, so the
// state and the events never disagree.
const later = (core: SimCore, fn: () => void) => core.clock.after(0, fn);

function queuesOf(core: SimCore, name: string | undefined): SimQueue[] {
  return [...core.state.queues.values()].filter((q) => !name || q.name === name);
}

const unk = (s: string) => (s === '' ? 'unknown' : s);

/** The queue actions. */
export const queueModule: SimModule = {
  name: 'queue',
  actions: {
    QueueStatus: (core, a) => {
      const items: ListItem[] = [];
      const now = core.clock.now();
      for (const q of queuesOf(core, header(a, 'Queue'))) {
        items.push({
          idLast: true,
          pairs: [
            ['Event', 'QueueParams'],
            ['Queue', q.name],
            ['Max', '0'],
            ['Strategy', q.strategy],
            ['Calls', String(q.entries.length)],
            ['Holdtime', String(q.holdtime)],
            ['TalkTime', String(q.talktime)],
            ['Completed', String(q.completed)],
            ['Abandoned', String(q.abandoned)],
            ['ServiceLevel', '0'],
            ['ServicelevelPerf', '0.0'],
            ['ServicelevelPerf2', '0.0'],
            ['Weight', '0'],
          ],
        });
        const member = header(a, 'Member');
        for (const m of q.members) {
          if (member && m.iface !== member) continue;
          items.push({
            idLast: true,
            pairs: [
              ['Event', 'QueueMember'],
              ['Queue', q.name],
              ['Name', m.name],
              ['Location', m.iface],
              ['StateInterface', m.stateInterface],
              ['Membership', m.membership],
              ['Penalty', String(m.penalty)],
              ['CallsTaken', String(m.callsTaken)],
              ['LastCall', String(m.lastCall)],
              ['LastPause', String(m.lastPause)],
              ['LoginTime', String(m.loginTime)],
              ['InCall', m.inCall ? '1' : '0'],
              ['Status', String(memberStatus(core, m))],
              ['Paused', m.paused ? '1' : '0'],
              ['PausedReason', m.pausedReason],
              ['Wrapuptime', String(m.wrapuptime)],
            ],
          });
        }
        q.entries.forEach((e, i) => {
          const ch = core.state.channel(e.channel);
          if (!ch) return;
          items.push({
            idLast: true,
            pairs: [
              ['Event', 'QueueEntry'],
              ['Queue', q.name],
              ['Position', String(i + 1)],
              ['Channel', ch.name],
              ['Uniqueid', ch.uniqueid],
              ['CallerIDNum', unk(ch.callerNum)],
              ['CallerIDName', unk(ch.callerName)],
              ['ConnectedLineNum', unk(ch.connNum)],
              ['ConnectedLineName', unk(ch.connName)],
              ['Wait', String(Math.floor((now - e.joinedAt) / 1000))],
              ['Priority', '0'],
            ],
          });
        });
      }
      return list(a, 'Queue status will follow', items, 'QueueStatusComplete');
    },
    QueueSummary: (core, a) => {
      const now = core.clock.now();
      const items: ListItem[] = queuesOf(core, header(a, 'Queue')).map((q) => ({
        idLast: true,
        pairs: [
          ['Event', 'QueueSummary'],
          ['Queue', q.name],
          ['LoggedIn', String(q.members.filter((m) => memberStatus(core, m) !== 5).length)],
          ['Available', String(q.members.filter((m) => !m.paused && memberStatus(core, m) === 1).length)],
          ['Callers', String(q.entries.length)],
          ['HoldTime', String(q.holdtime)],
          ['TalkTime', String(q.talktime)],
          [
            'LongestHoldTime',
            String(
              q.entries.length ? Math.floor((now - Math.min(...q.entries.map((e) => e.joinedAt))) / 1000) : 0,
            ),
          ],
        ],
      }));
      return list(a, 'Queue summary will follow', items, 'QueueSummaryComplete');
    },
    QueueAdd: (core, a) => {
      const iface = header(a, 'Interface');
      const qn = header(a, 'Queue');
      if (!qn || !iface) return error(a, "'Queue' and 'Interface' not specified.");
      const q = core.state.queues.get(qn);
      if (!q) return error(a, 'Unable to add interface to queue: No such queue');
      if (q.members.some((m) => m.iface === iface)) return error(a, 'Unable to add interface: Already there');
      const m = newMember(
        iface,
        header(a, 'MemberName') ?? iface,
        Number(a.get('Penalty')) || 0,
        'dynamic',
        Math.floor(core.clock.now() / 1000),
      );
      m.stateInterface = header(a, 'StateInterface') ?? iface;
      m.paused = /^(true|yes|1)$/i.test(a.get('Paused') ?? '');
      m.pausedReason = m.paused ? (a.get('Reason') ?? '') : '';
      later(core, () => {
        if (q.members.some((x) => x.iface === iface)) return;
        q.members.push(m);
        memberEvent(core, 'QueueMemberAdded', q, m);
      });
      return reply(a, [['Message', 'Added interface to queue']]);
    },
    QueueRemove: (core, a) => {
      const iface = header(a, 'Interface');
      const qn = header(a, 'Queue');
      if (!qn || !iface) return error(a, "Need 'Queue' and 'Interface' parameters.");
      const q = core.state.queues.get(qn);
      if (!q) return error(a, 'Unable to remove interface from queue: No such queue');
      const m = q.members.find((x) => x.iface === iface);
      if (!m) return error(a, 'Unable to remove interface: Not there');
      if (m.membership === 'static') return error(a, 'Unable to remove interface: Not dynamic');
      later(core, () => {
        if (!q.members.includes(m)) return;
        q.members = q.members.filter((x) => x !== m);
        memberEvent(core, 'QueueMemberRemoved', q, m);
      });
      return reply(a, [['Message', 'Removed interface from queue']]);
    },
    QueuePause: (core, a) => {
      const iface = header(a, 'Interface');
      const paused = a.get('Paused');
      if (!iface || paused === undefined) return error(a, "Need 'Interface' and 'Paused' parameters.");
      const on = /^(true|yes|1|on)$/i.test(paused);
      const qn = header(a, 'Queue');
      const hits = queuesOf(core, qn).flatMap((q) =>
        q.members.filter((m) => m.iface === iface).map((m) => ({ q, m })),
      );
      if (hits.length === 0) return error(a, 'Interface not found');
      const reason = on ? (a.get('Reason') ?? '') : '';
      later(core, () => {
        for (const { q, m } of hits) {
          m.paused = on;
          m.pausedReason = reason;
          m.lastPause = Math.floor(core.clock.now() / 1000);
          memberEvent(core, 'QueueMemberPause', q, m);
        }
      });
      return reply(a, [
        ['Message', on ? 'Interface paused successfully' : 'Interface unpaused successfully'],
      ]);
    },
  },
};
