/**
 * `Dial()` of the simulated PBX (app_dial): creates the dialled channels (PJSIP endpoints, or `Local/` pairs that
 * run the dialplan), sends DialBegin/DialState/DialEnd with the caller's and callee's snapshots, sets the caller
 * ID and connected line the way Asterisk does (the callee sees the caller's number, the caller sees the number it
 * dialled), bridges the answered one and waits until either side hangs up.
 */
import { createBridge, destroyBridge, enterBridge, leaveBridge } from './bridges.js';
import {
  cdrAnswered,
  destroyChannel,
  newChannel,
  newExten,
  requestHangup,
  setCallerId,
  setConnected,
  setState,
  setVar,
  softHangup,
  waitFor,
} from './channels.js';
import type { SimCore } from './core.js';
import { channelPairs, event, type Pairs } from './headers.js';
import { ringPhone, sleepUnless } from './phone.js';
import type { SimChannel } from './state.js';

/** Runs the dialplan on a new `Local/…;2` half (set by the dialplan module, which depends on this one). */
export const localRunner: { run?: (core: SimCore, ch: SimChannel) => Promise<void> } = {};

/** One dialled leg. */
interface Leg {
  ch: SimChannel;
  dialString: string;
  result?: 'answer' | 'busy' | 'reject' | 'gone';
}

/** `DialBegin`/`DialState`/`DialEnd` with (or, for an originate, without) the caller's snapshot. */
function dialEvent(
  core: SimCore,
  name: string,
  caller: SimChannel | undefined,
  dest: SimChannel,
  tail: Pairs,
): void {
  core.emit(event(name, 'call,all', caller ? channelPairs(caller) : [], channelPairs(dest, 'Dest'), tail));
}

/** Creates the channel(s) of one dial target; undefined when the target is unavailable. */
export function createDialled(
  core: SimCore,
  caller: SimChannel | undefined,
  target: string,
  linkedid: string,
  cid?: { num: string; name: string },
): SimChannel | undefined {
  const slash = target.indexOf('/');
  const tech = target.slice(0, slash);
  const resource = target.slice(slash + 1);
  const callerNum = caller?.callerNum ?? '';
  const callerName = caller?.callerName ?? '';
  const context = caller?.context ?? 'default';
  if (tech.toUpperCase() === 'PJSIP') {
    const ep = core.state.endpoints.get(resource);
    if (!ep) {
      core.log.warning(
        caller,
        'chan_pjsip.c',
        `Unable to create PJSIP channel - endpoint '${resource}' was not found`,
      );
      return undefined;
    }
    if (!ep.contact) {
      core.log.warning(
        caller,
        'res_pjsip_session.c',
        `Endpoint '${resource}': Could not create dialog to invalid URI '${resource}'.  Is endpoint registered and reachable?`,
      );
      return undefined;
    }
    const d = newChannel(core, {
      base: `PJSIP/${resource}`,
      tech: 'PJSIP',
      endpoint: resource,
      state: 0,
      context,
      exten: 's',
      language: ep.language,
      linkedid,
      role: 'dialled',
    });
    d.exten = caller?.exten ?? 's';
    d.callerNum = cid ? cid.num : (caller?.exten ?? '');
    if (cid) d.callerName = cid.name;
    d.connNum = cid ? cid.num : callerNum;
    d.connName = cid ? cid.name : callerName;
    newExten(core, d, 'AppDial', '(Outgoing Line)');
    setCallerId(core, d, undefined, undefined);
    setConnected(core, d, d.connNum, d.connName);
    return d;
  }
  if (tech === 'Local') {
    const m = /^([^@/]+)@([^/]+)(\/n)?$/.exec(resource);
    if (!m) return undefined;
    const [, exten = '', ctx = ''] = m;
    const base = `Local/${exten}@${ctx}`;
    const seqName = core.state.channelName(base);
    const one = newChannel(core, {
      base,
      name: seqName,
      half: ';1',
      tech: 'Local',
      state: 0,
      context: ctx,
      exten,
      linkedid,
      role: 'dialled',
    });
    const two = newChannel(core, {
      base,
      name: seqName,
      half: ';2',
      tech: 'Local',
      state: 4,
      context: ctx,
      exten,
      linkedid,
      role: 'caller',
    });
    one.peer = two.name;
    two.peer = one.name;
    one.callerNum = caller?.exten ?? '';
    one.connNum = callerNum;
    one.connName = callerName;
    one.exten = caller?.exten ?? exten;
    newExten(core, one, 'AppDial', '(Outgoing Line)');
    setCallerId(core, one, undefined, undefined);
    setConnected(core, one, callerNum, callerName);
    two.connNum = caller?.exten ?? '';
    setCallerId(core, two, callerNum, callerName);
    setConnected(core, two, caller?.exten ?? '', '');
    two.cdr.src = callerNum;
    core.emit(
      event('LocalBridge', 'call,all', channelPairs(one, 'LocalOne'), channelPairs(two, 'LocalTwo'), [
        ['Context', ctx],
        ['Exten', exten],
        ['LocalOptimization', m[3] ? 'No' : 'Yes'],
      ]),
    );
    return one;
  }
  core.log.warning(caller, 'channel.c', `No channel type registered for '${tech}'`);
  return undefined;
}

/** Starts what a dialled channel does: a phone rings; a Local pair runs its `;2` through the dialplan. */
function startLeg(core: SimCore, leg: Leg, onRinging: () => void): Promise<Leg['result']> {
  const ch = leg.ch;
  if (ch.tech === 'Local') {
    const two = ch.peer ? core.state.channel(ch.peer) : undefined;
    if (two && localRunner.run) core.spawn(localRunner.run(core, two));
    return (async () => {
      await waitFor(ch, (c) => c.state >= 5);
      if (ch.gone.aborted) return 'gone';
      onRinging();
      await waitFor(ch, (c) => c.state === 6);
      return ch.gone.aborted ? 'gone' : 'answer';
    })();
  }
  return ringPhone(core, ch, onRinging);
}

/** Options of {@link dial}. */
export interface DialOptions {
  /** Ring timeout, seconds (0 = none). */
  timeout: number;
  /** The application data shown in Newexten/Cdr. */
  data: string;
  /** Bridge the answered leg (false for Originate: the caller runs its application instead). */
  bridge: boolean;
  /** Originate's caller ID for the dialled channel. */
  cid?: { num: string; name: string };
  /** Originate's `Variable:`s, set on the dialled channel (and a Local pair's `;2`) before it runs. */
  vars?: ReadonlyArray<readonly [string, string]>;
  /** Called for each dialled channel just before its `DialBegin` (app_queue sends `AgentCalled` there). */
  beforeBegin?: (d: SimChannel) => void;
  /** app_queue's dial: cancelled members get two DialEnds and are hung up after `onAnswer`. */
  queue?: boolean;
  /** Called when one answered, before the bridge (app_queue: `QueueCallerLeave`, `AgentConnect`). */
  onAnswer?: (d: SimChannel) => void;
}

/** What `dial` returns: `DIALSTATUS` and the answered channel, if any. */
export interface DialOutcome {
  status: 'ANSWER' | 'BUSY' | 'NOANSWER' | 'CANCEL' | 'CONGESTION' | 'CHANUNAVAIL';
  answered?: SimChannel;
}

/**
 * Dials `&`-separated targets from a caller channel (or from nothing, for an originate) and, when one answers,
 * bridges it with the caller until one side hangs up.
 */
export async function dial(
  core: SimCore,
  caller: SimChannel | undefined,
  targets: string,
  linkedid: string,
  opts: DialOptions,
): Promise<DialOutcome> {
  if (caller) {
    for (const v of ['DIALSTATUS', 'DIALEDPEERNUMBER', 'DIALEDPEERNAME']) setVar(core, caller, v, '');
  }
  const legs: Leg[] = [];
  for (const t of targets.split('&')) {
    const ch = createDialled(core, caller, t.trim(), linkedid, opts.cid);
    if (!ch) continue;
    for (const [k, v] of opts.vars ?? []) {
      ch.vars.set(k, v);
      const two = ch.peer ? core.state.channel(ch.peer) : undefined;
      two?.vars.set(k, v);
    }
    const dialString = t.slice(t.indexOf('/') + 1);
    legs.push({ ch, dialString });
    opts.beforeBegin?.(ch);
    core.log.verbose(caller, 'app_dial.c', `Called ${t.trim()}`);
    dialEvent(core, 'DialBegin', caller, ch, [['DialString', dialString]]);
    if (caller) setConnected(core, caller, ch.callerNum, ch.callerName);
  }
  const finish = (status: DialOutcome['status'], answered?: SimChannel): DialOutcome => {
    if (caller && !caller.gone.aborted) setVar(core, caller, 'DIALSTATUS', status);
    return answered ? { status, answered } : { status };
  };
  if (legs.length === 0) return finish('CHANUNAVAIL');
  let answered: Leg | undefined;
  let busy = 0;
  let settled = 0;
  const allDone = new Promise<void>((resolve) => {
    for (const leg of legs) {
      void startLeg(core, leg, () => {
        if (caller?.name.endsWith(';2') && caller.peer) {
          const one = core.state.channel(caller.peer);
          if (one && one.state < 5) setState(core, one, 5);
        }
        core.log.verbose(caller, 'app_dial.c', `${leg.ch.name} is ringing`);
        dialEvent(core, 'DialState', caller, leg.ch, [['DialStatus', 'RINGING']]);
      }).then((r) => {
        leg.result = r;
        settled++;
        if (r === 'answer' && !answered) answered = leg;
        if (r === 'busy' || r === 'reject') busy++;
        if (answered || settled === legs.length) resolve();
      });
    }
  });
  const timeoutMs = opts.timeout > 0 ? opts.timeout * 1000 : 24 * 3600 * 1000;
  const watch = caller ? [caller] : [];
  let timedOut = false;
  await Promise.race([
    allDone,
    (async () => {
      const ok = await sleepUnless(core, timeoutMs, ...watch);
      if (ok) timedOut = true;
    })(),
    ...(caller ? [waitFor(caller, () => false)] : []),
  ]);
  const won = answered as Leg | undefined;
  if (won && !(caller?.gone.aborted ?? false)) {
    dialEvent(core, 'DialEnd', caller, won.ch, [['DialStatus', 'ANSWER']]);
    core.log.verbose(caller, 'app_dial.c', `${won.ch.name} answered ${caller?.name ?? ''}`.trim());
    const losers = legs.filter((l) => l !== won && core.state.channels.has(l.ch.name));
    for (const leg of losers) {
      // app_queue reports a cancelled member twice (its own DialEnd and the dial's).
      for (let i = 0; i < (opts.queue ? 2 : 1); i++)
        dialEvent(core, 'DialEnd', caller, leg.ch, [['DialStatus', 'CANCEL']]);
      if (!opts.queue) {
        requestHangup(core, leg.ch, 26);
        destroyChannel(core, leg.ch, 26);
      }
    }
    if (caller) {
      cdrAnswered(caller, won.ch, core.clock.now());
      setVar(core, caller, 'DIALEDPEERNUMBER', won.dialString);
      setVar(core, caller, 'DIALSTATUS', 'ANSWER');
      setState(core, caller, 6);
    }
    opts.onAnswer?.(won.ch);
    for (const leg of opts.queue ? losers : []) {
      leg.ch.hangupCause = 26;
      leg.ch.gone.abort();
      destroyChannel(core, leg.ch, 26);
    }
    if (!opts.bridge || !caller) return { status: 'ANSWER', answered: won.ch };
    await bridgeCall(core, caller, won.ch);
    return { status: 'ANSWER', answered: won.ch };
  }
  const cancelled = caller?.gone.aborted ?? false;
  const status: DialOutcome['status'] = cancelled
    ? 'CANCEL'
    : timedOut
      ? 'NOANSWER'
      : busy > 0 && legs.every((l) => l.result === 'busy')
        ? 'BUSY'
        : legs.some((l) => l.result === 'reject')
          ? 'CONGESTION'
          : 'CHANUNAVAIL';
  for (const leg of legs) {
    const why = leg.result === 'busy' ? 17 : leg.result === 'reject' ? 21 : cancelled ? 16 : 19;
    if (core.state.channels.has(leg.ch.name))
      cancelLeg(core, caller, leg, why, status === 'CANCEL' ? 'CANCEL' : status);
    else dialEvent(core, 'DialEnd', caller, leg.ch, [['DialStatus', status]]);
  }
  return finish(status);
}

/** Ends a leg that will not be bridged. */
function cancelLeg(
  core: SimCore,
  caller: SimChannel | undefined,
  leg: Leg,
  cause: number,
  status = 'CANCEL',
): void {
  dialEvent(core, 'DialEnd', caller, leg.ch, [['DialStatus', status]]);
  requestHangup(core, leg.ch, cause);
  destroyChannel(core, leg.ch, cause);
}

/**
 * Bridges two answered channels until one hangs up, with Asterisk's teardown order: the caller's own hangup
 * (`BridgeLeave`, `SoftHangupRequest`, `Hangup`) comes before the callee's; when the callee hangs up first, the
 * caller leaves the bridge and goes on in the dialplan.
 */
export async function bridgeCall(core: SimCore, caller: SimChannel, first: SimChannel): Promise<void> {
  const b = createBridge(core);
  enterBridge(core, b, first);
  // The caller's own thread joins a moment later (after its answer has been reported to its own dialler).
  await core.clock.sleep(0).catch(() => {});
  if (!caller.redirect) enterBridge(core, b, caller);
  let callee = first;
  for (;;) {
    const peer = callee;
    await Promise.race([
      waitFor(caller, () => false),
      waitFor(peer, () => false),
      waitFor(caller, (c) => c.bridge !== b.id),
      waitFor(peer, (c) => c.bridge !== b.id),
    ]);
    if (!core.state.bridges.has(b.id)) return;
    if (caller.gone.aborted) {
      const cause = caller.hangupCause ?? 16;
      leaveBridge(core, caller);
      softHangup(core, caller, cause);
      destroyChannel(core, caller, cause);
      if (core.state.channels.has(callee.name) && callee.bridge === b.id) {
        leaveBridge(core, callee);
        destroyBridge(core, b);
        destroyChannel(core, callee, cause);
      } else destroyBridge(core, b);
      return;
    }
    if (callee.gone.aborted && callee.bridge === b.id) {
      const cause = callee.hangupCause ?? 16;
      leaveBridge(core, callee);
      if (caller.bridge === b.id) leaveBridge(core, caller);
      destroyBridge(core, b);
      // The callee's channel is freed once the caller's dialplan has moved on (its Hangup comes after the caller's).
      if (core.closing) destroyChannel(core, callee, cause);
      else core.clock.after(0, () => destroyChannel(core, callee, cause));
      return;
    }
    // The callee was replaced (an attended transfer put the target in its place): follow the new partner.
    const next = b.channels.map((n) => core.state.channel(n)).find((c) => c !== undefined && c !== caller);
    if (caller.bridge === b.id && next && next !== callee) {
      callee = next;
      continue;
    }
    break;
  }
  // One of them was moved out (transfer, redirect): the bridge dissolves; a dialled leg left alone hangs up.
  if (b.channels.length <= 1) {
    const alone = b.channels
      .map((n) => core.state.channel(n))
      .filter((c): c is SimChannel => c !== undefined);
    for (const c of alone) leaveBridge(core, c);
    destroyBridge(core, b);
    for (const c of alone) {
      if (c.role !== 'dialled') continue;
      requestHangup(core, c, 16);
      destroyChannel(core, c, 16);
    }
  }
}
