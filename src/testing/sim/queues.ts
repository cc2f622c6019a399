/**
 * The call-centre queues of the simulated PBX (app_queue): loaded from `queues.conf`, the `Queue()` application
 * (ringall and rrmemory strategies, member timeout, the caller's overall timeout), dynamic members (QueueAdd /
 * QueueRemove / QueuePause with a reason) and every event with app_queue's fields and order.
 */
import { DEVICE_STATUS, deviceListeners, endpointDeviceState } from './channels.js';
import type { SimCore } from './core.js';
import { dial } from './dial.js';
import { dialplanApps } from './dialplan.js';
import { channelPairs, event, type Pairs } from './headers.js';
import { sleepUnless } from './phone.js';
import type { SimChannel, SimMember, SimQueue } from './state.js';

/** Reads queues and static members from `queues.conf` (keeps dynamic members and counters of known queues). */
export function loadQueues(core: SimCore): void {
  const now = Math.floor(core.clock.now() / 1000);
  for (const cat of core.config.get('queues.conf') ?? []) {
    if (cat.name === 'general') continue;
    const get = (k: string) => cat.lines.find((l) => l.key === k)?.value;
    const old = core.state.queues.get(cat.name);
    const q: SimQueue = old ?? {
      name: cat.name,
      strategy: 'ringall',
      timeout: 15,
      members: [],
      entries: [],
      completed: 0,
      abandoned: 0,
      holdtime: 0,
      talktime: 0,
    };
    q.strategy = get('strategy') ?? 'ringall';
    q.timeout = Number(get('timeout') ?? 15);
    const statics = cat.lines.filter((l) => l.key === 'member');
    q.members = q.members.filter((m) => m.membership === 'dynamic');
    for (const l of statics) {
      const [iface = '', penalty = '0', name] = l.value.split(',').map((s) => s.trim());
      q.members.push(newMember(iface, name ?? iface, Number(penalty) || 0, 'static', now));
    }
    core.state.queues.set(q.name, q);
  }
}

/** A member record. */
export function newMember(
  iface: string,
  name: string,
  penalty: number,
  membership: SimMember['membership'],
  now: number,
): SimMember {
  return {
    iface,
    name,
    stateInterface: iface,
    membership,
    penalty,
    callsTaken: 0,
    lastCall: 0,
    lastPause: 0,
    loginTime: now,
    inCall: false,
    paused: false,
    pausedReason: '',
    wrapuptime: 0,
    ringinuse: true,
  };
}

/** The member's `Status` (device state number). */
export function memberStatus(core: SimCore, m: SimMember): number {
  const dev = m.stateInterface;
  if (dev.startsWith('PJSIP/')) return DEVICE_STATUS[endpointDeviceState(core, dev.slice(6))] ?? 0;
  // A Local member without a hint has no device state: app_queue reports it INVALID (4), and still rings it.
  return m.inCall ? 2 : 4;
}

/** The member headers of QueueMemberStatus/Added/Removed/Pause. */
export function memberPairs(core: SimCore, q: SimQueue, m: SimMember): Pairs {
  return [
    ['Queue', q.name],
    ['MemberName', m.name],
    ['Interface', m.iface],
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
    ['Ringinuse', m.ringinuse ? '1' : '0'],
    ['Wrapuptime', String(m.wrapuptime)],
  ];
}

/** Sends a member event (`QueueMemberStatus`, `QueueMemberAdded`, …). */
export function memberEvent(core: SimCore, name: string, q: SimQueue, m: SimMember): void {
  core.emit(event(name, 'agent,all', memberPairs(core, q, m)));
}

deviceListeners.push((core, device) => {
  for (const q of core.state.queues.values())
    for (const m of q.members) if (m.stateInterface === device) memberEvent(core, 'QueueMemberStatus', q, m);
});

function available(core: SimCore, m: SimMember): boolean {
  if (m.paused) return false;
  if (!m.iface.startsWith('PJSIP/')) return !m.inCall;
  return memberStatus(core, m) === 1;
}

function callerPairs(q: SimQueue, ch: SimChannel, extra: Pairs): Pairs {
  return [...channelPairs(ch), ['Queue', q.name], ...extra];
}

/** `Queue(name,options,URL,announce,timeout)`. */
dialplanApps.set('queue', async (core, ch, args) => {
  const q = core.state.queues.get(args[0] ?? '');
  if (!q) {
    core.log.warning(ch, 'app_queue.c', `Unable to join queue '${args[0] ?? ''}'`);
    ch.vars.set('QUEUESTATUS', 'UNKNOWN');
    return undefined;
  }
  const timeoutS = Number(args[4]) || 0;
  const joined = core.clock.now();
  q.entries.push({ channel: ch.name, joinedAt: joined });
  const pos = () => q.entries.findIndex((e) => e.channel === ch.name) + 1;
  const original = pos();
  core.emit(
    event(
      'QueueCallerJoin',
      'agent,all',
      callerPairs(q, ch, [
        ['Position', String(original)],
        ['Count', String(q.entries.length)],
      ]),
    ),
  );
  core.emit(event('MusicOnHoldStart', 'call,all', channelPairs(ch), [['Class', 'default']]));
  const leave = () => {
    const p = pos();
    q.entries = q.entries.filter((e) => e.channel !== ch.name);
    core.emit(
      event(
        'QueueCallerLeave',
        'agent,all',
        callerPairs(q, ch, [
          ['Position', String(p)],
          ['Count', String(q.entries.length)],
        ]),
      ),
    );
  };
  const abandon = () => {
    q.abandoned++;
    const hold = Math.round((core.clock.now() - joined) / 1000);
    core.emit(
      event(
        'QueueCallerAbandon',
        'agent,all',
        callerPairs(q, ch, [
          ['Position', String(pos())],
          ['OriginalPosition', String(original)],
          ['HoldTime', String(hold)],
        ]),
      ),
    );
  };
  const deadline = timeoutS > 0 ? joined + timeoutS * 1000 : Number.POSITIVE_INFINITY;
  let rr = 0;
  while (!ch.gone.aborted && !core.closing && !ch.redirect) {
    const left = deadline - core.clock.now();
    if (left <= 0) break;
    const free = q.members.filter((m) => available(core, m));
    // Only the caller at the head of the queue is offered to agents.
    if (pos() !== 1 || free.length === 0) {
      if (!(await sleepUnless(core, Math.min(1000, left), ch))) break;
      continue;
    }
    const ring = q.strategy === 'ringall' ? free : [free[rr++ % free.length] as SimMember];
    const byChan = new Map<string, SimMember>();
    const ringStart = core.clock.now();
    const targets = ring.map((m) => m.iface).join('&');
    const member = (d: SimChannel) =>
      byChan.get(d.name) ?? ring.find((m) => d.name.startsWith(`${m.iface.replace(/\/n$/, '')}-`));
    const agentPairs = (d: SimChannel, m: SimMember | undefined): Pairs => [
      ...channelPairs(ch),
      ...channelPairs(d, 'Dest'),
      ['Queue', q.name],
      ['Interface', m?.iface ?? ''],
      ['MemberName', m?.name ?? ''],
    ];
    let connectedAt = 0;
    let agent: { d: SimChannel; m: SimMember | undefined } | undefined;
    const res = await dial(core, ch, targets, ch.linkedid, {
      timeout: Math.max(1, Math.min(q.timeout, Math.ceil(left / 1000))),
      data: targets,
      bridge: true,
      queue: true,
      beforeBegin: (d) => {
        const m = member(d);
        if (m) byChan.set(d.name, m);
        core.emit(event('AgentCalled', 'agent,all', agentPairs(d, m)));
      },
      onAnswer: (d) => {
        const m = member(d);
        connectedAt = core.clock.now();
        agent = { d, m };
        core.emit(event('MusicOnHoldStop', 'call,all', channelPairs(ch)));
        leave();
        const hold = Math.round((connectedAt - joined) / 1000);
        q.holdtime = q.holdtime === 0 ? hold : Math.round((q.holdtime * 3 + hold) / 4);
        if (m) m.inCall = true;
        core.emit(
          event('AgentConnect', 'agent,all', agentPairs(d, m), [
            ['HoldTime', String(hold)],
            ['RingTime', String(Math.round((connectedAt - ringStart) / 1000))],
          ]),
        );
      },
    });
    if (res.status === 'ANSWER' && agent) {
      const { d, m } = agent;
      const talk = Math.round((core.clock.now() - connectedAt) / 1000);
      q.completed++;
      q.talktime = q.talktime === 0 ? talk : Math.round((q.talktime * 3 + talk) / 4);
      if (m) {
        m.inCall = false;
        m.callsTaken++;
        m.lastCall = Math.floor(core.clock.now() / 1000);
      }
      core.emit(
        event('AgentComplete', 'agent,all', agentPairs(d, m), [
          ['HoldTime', String(Math.round((connectedAt - joined) / 1000))],
          ['TalkTime', String(talk)],
          ['Reason', ch.gone.aborted ? 'caller' : 'agent'],
        ]),
      );
      ch.vars.set('QUEUESTATUS', 'CONTINUE');
      return ch.gone.aborted ? 'hangup' : undefined;
    }
    // Retry after app_queue's `retry` (5 s by default).
    if (!(await sleepUnless(core, Math.min(5000, Math.max(0, deadline - core.clock.now())), ch))) break;
  }
  abandon();
  leave();
  if (!ch.gone.aborted) {
    core.emit(event('MusicOnHoldStop', 'call,all', channelPairs(ch)));
    ch.vars.set('QUEUESTATUS', 'TIMEOUT');
  }
  return undefined;
});
