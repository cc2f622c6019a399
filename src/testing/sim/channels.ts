/**
 * Channel life cycle of the simulated PBX: creation, state, caller ID and connected line, variables, device
 * state, hangup and the `Cdr` — each step sends the event a current Asterisk sends, with the same fields in the
 * same order (`main/manager_channels.c`, `main/cdr.c`).
 */
import { SimSignal } from './clock.js';
import type { SimCore } from './core.js';
import { CAUSES, cdrTime, channelPairs, event } from './headers.js';
import type { SimChannel } from './state.js';

/** How a channel is created. */
export interface NewChannelSpec {
  /** `PJSIP/reina` or `Local/200@oficina2` (the sequence suffix is added). */
  base: string;
  /** Local channels: `;1` / `;2` suffix. */
  half?: ';1' | ';2';
  tech: string;
  endpoint?: string;
  state: number;
  context: string;
  exten: string;
  callerNum?: string;
  callerName?: string;
  language?: string;
  linkedid?: string;
  role: 'caller' | 'dialled';
  /** Reuse a sequence name (the second half of a Local pair). */
  name?: string;
}

type Waiter = () => void;
const waiters = new WeakMap<SimChannel, Waiter[]>();

/** Calls every listener waiting on a change of this channel. */
export function poke(ch: SimChannel): void {
  const w = waiters.get(ch);
  if (!w) return;
  waiters.delete(ch);
  for (const f of w) f();
}

/** Resolves when `cond` holds for the channel (checked after each state change and at hangup). */
export function waitFor(ch: SimChannel, cond: (c: SimChannel) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (cond(ch) || ch.gone.aborted) resolve();
      else {
        const w = waiters.get(ch) ?? [];
        w.push(check);
        waiters.set(ch, w);
      }
    };
    check();
  });
}

/** Creates a channel and sends `Newchannel`. */
export function newChannel(core: SimCore, spec: NewChannelSpec): SimChannel {
  const { state } = core;
  const name = spec.name ?? state.channelName(spec.base);
  const uniqueid = state.uniqueid();
  const ch: SimChannel = {
    name: `${name}${spec.half ?? ''}`,
    state: spec.state,
    callerNum: spec.callerNum ?? '',
    callerName: spec.callerName ?? '',
    connNum: '',
    connName: '',
    language: 'en',
    accountCode: '',
    context: spec.context,
    exten: spec.exten,
    priority: 1,
    uniqueid,
    linkedid: spec.linkedid ?? uniqueid,
    tech: spec.tech,
    ...(spec.endpoint !== undefined ? { endpoint: spec.endpoint } : {}),
    app: '',
    appData: '',
    createdAt: core.clock.now(),
    dnid: spec.role === 'caller' ? spec.exten : '',
    vars: new Map(),
    gone: new SimSignal(),
    role: spec.role,
    onHold: false,
    cdr: { src: '', dst: spec.exten, dcontext: spec.context, dstChannel: '', lastApp: '', lastData: '' },
  };
  state.channels.set(ch.name, ch);
  core.emit(event('Newchannel', 'call,all', channelPairs(ch)));
  // Asterisk applies the endpoint's language after the channel snapshot of Newchannel is taken.
  ch.language = spec.language ?? 'en';
  refreshDevice(core, ch);
  return ch;
}

/** Name of the part before the sequence suffix (`PJSIP/reina-0000000a` → `PJSIP/reina`). */
export function deviceOf(ch: SimChannel): string {
  return ch.name.replace(/-[0-9a-f]{8}(;[12])?$/, '');
}

/** Sends `Newexten` and records the application. */
export function newExten(core: SimCore, ch: SimChannel, app: string, data: string): void {
  ch.app = app;
  ch.appData = data;
  if (ch.role === 'caller' && app !== 'AppDial') {
    ch.cdr.lastApp = app;
    ch.cdr.lastData = data;
  }
  core.emit(
    event('Newexten', 'dialplan,all', channelPairs(ch), [
      ['Extension', ch.exten],
      ['Application', app],
      ['AppData', data],
    ]),
  );
}

/** Changes the state (`Newstate`). A Local `;2` that answers answers its `;1` too. */
export function setState(core: SimCore, ch: SimChannel, state: number): void {
  if (ch.state === state || ch.gone.aborted) return;
  ch.state = state;
  if (state === 6 && ch.answeredAt === undefined) ch.answeredAt = core.clock.now();
  core.emit(event('Newstate', 'call,all', channelPairs(ch)));
  refreshDevice(core, ch);
  const peer = ch.peer ? core.state.channel(ch.peer) : undefined;
  if (peer && ch.name.endsWith(';2') && state === 6 && peer.state !== 6) {
    if (peer.state < 5) setState(core, peer, 5);
    setState(core, peer, 6);
  }
  poke(ch);
}

/** Sets the caller ID (`NewCallerid`). */
export function setCallerId(
  core: SimCore,
  ch: SimChannel,
  num: string | undefined,
  name: string | undefined,
): void {
  if (num !== undefined) ch.callerNum = num;
  if (name !== undefined) ch.callerName = name;
  core.emit(
    event('NewCallerid', 'call,all', channelPairs(ch), [
      ['CID-CallingPres', '0 (Presentation Allowed, Not Screened)'],
    ]),
  );
}

/** Sets the connected line (`NewConnectedLine`). */
export function setConnected(core: SimCore, ch: SimChannel, num: string, name: string): void {
  ch.connNum = num;
  ch.connName = name;
  core.emit(event('NewConnectedLine', 'call,all', channelPairs(ch)));
}

/** Sets a channel variable (`VarSet`). */
export function setVar(core: SimCore, ch: SimChannel, name: string, value: string): void {
  ch.vars.set(name, value);
  core.emit(
    event('VarSet', 'dialplan,all', channelPairs(ch), [
      ['Variable', name],
      ['Value', value],
    ]),
  );
}

/** Device state of an endpoint from its channels and registration (`ast_devstate2str` words). */
export function endpointDeviceState(core: SimCore, endpoint: string): string {
  const ep = core.state.endpoints.get(endpoint);
  const chans = core.state.channelsOf(endpoint);
  if (chans.some((c) => c.onHold)) return 'ONHOLD';
  if (chans.some((c) => c.state === 6)) return 'INUSE';
  // As recorded: a phone's own ringing-out call leaves it NOT_INUSE until answered; a dialled phone rings at 180.
  if (chans.some((c) => c.state === 5)) return 'RINGING';
  if (!ep?.contact) return 'UNAVAILABLE';
  return 'NOT_INUSE';
}

/** The `Status` number of a queue member in that device state (app_queue's AST_DEVICE_* values). */
export const DEVICE_STATUS: Readonly<Record<string, number>> = {
  UNKNOWN: 0,
  NOT_INUSE: 1,
  INUSE: 2,
  BUSY: 3,
  INVALID: 4,
  UNAVAILABLE: 5,
  RINGING: 6,
  RINGINUSE: 7,
  ONHOLD: 8,
};

/** Device-state listeners (queues follow their members' devices). */
export const deviceListeners: Array<(core: SimCore, device: string, state: string) => void> = [];

/** Sends `DeviceStateChange` when a device's state changed. */
export function setDeviceState(core: SimCore, device: string, value: string): void {
  if (core.state.deviceStates.get(device) === value) return;
  core.state.deviceStates.set(device, value);
  core.emit(
    event('DeviceStateChange', 'call,all', [
      ['Device', device],
      ['State', value],
    ]),
  );
  for (const l of deviceListeners) l(core, device, value);
}

/** Recomputes the device state of a channel's endpoint. */
export function refreshDevice(core: SimCore, ch: SimChannel): void {
  if (ch.endpoint) setDeviceState(core, `PJSIP/${ch.endpoint}`, endpointDeviceState(core, ch.endpoint));
}

/**
 * Asks a channel to hang up (a phone's BYE, an AMI `Hangup`): `HangupRequest` with the cause; whatever the
 * channel runs notices and tears down.
 */
export function requestHangup(core: SimCore, ch: SimChannel, cause: number, withCause = true): void {
  if (ch.gone.aborted || ch.hangupCause !== undefined) return;
  ch.hangupCause = cause;
  core.emit(
    event('HangupRequest', 'call,all', channelPairs(ch), withCause ? [['Cause', String(cause)]] : []),
  );
  ch.gone.abort();
  poke(ch);
}

/** `SoftHangupRequest` (the channel's own thread asked to stop). */
export function softHangup(core: SimCore, ch: SimChannel, cause: number): void {
  core.emit(event('SoftHangupRequest', 'call,all', channelPairs(ch), [['Cause', String(cause)]]));
}

/** Listeners of destroyed channels (AsyncAGI, queues). */
export const hangupListeners: Array<(core: SimCore, ch: SimChannel) => void> = [];

/** Destroys a channel: `Hangup` with `Cause`/`Cause-txt`, device state, then its `Cdr`; a Local peer follows. */
export function destroyChannel(core: SimCore, ch: SimChannel, cause?: number): void {
  if (!core.state.channels.has(ch.name)) return;
  const c = cause ?? ch.hangupCause ?? 16;
  if (ch.bridge) leaveBridgeSilently(core, ch);
  core.state.channels.delete(ch.name);
  ch.endedAt = core.clock.now();
  ch.gone.abort();
  core.emit(
    event('Hangup', 'call,all', channelPairs(ch), [
      ['Cause', String(c)],
      ['Cause-txt', CAUSES[c] ?? 'Unknown'],
    ]),
  );
  if (ch.role === 'caller')
    core.log.verbose(
      ch,
      'pbx.c',
      `Spawn extension (${ch.context}, ${ch.exten}, ${ch.priority}) exited non-zero on '${ch.name}'`,
    );
  refreshDevice(core, ch);
  for (const l of hangupListeners) l(core, ch);
  if (ch.role === 'caller') {
    core.state.processedCalls++;
    // cdr_manager posts the record once the call's teardown is over.
    core.clock.after(0, () => emitCdr(core, ch));
  }
  poke(ch);
  const peer = ch.peer ? core.state.channel(ch.peer) : undefined;
  if (peer) {
    requestHangup(core, peer, c);
    // A half that is bridged is torn down by its bridge; a lone one goes at once.
    if (!peer.bridge) destroyChannel(core, peer, c);
  }
}

function leaveBridgeSilently(core: SimCore, ch: SimChannel): void {
  const b = ch.bridge ? core.state.bridges.get(ch.bridge) : undefined;
  if (b) b.channels = b.channels.filter((n) => n !== ch.name);
  ch.bridge = undefined;
}

/** Marks the answer of a dialled destination in the dialler's CDR. */
export function cdrAnswered(caller: SimChannel, dest: SimChannel, now: number): void {
  caller.cdr.dstChannel = dest.name;
  caller.vars.set('__CDR_ANSWER', String(now));
}

function emitCdr(core: SimCore, ch: SimChannel): void {
  const answerRaw = ch.vars.get('__CDR_ANSWER');
  const answer = answerRaw !== undefined ? Number(answerRaw) : ch.answeredAt;
  // cdr.conf's default (unanswered = no) keeps no record of a call nobody answered.
  if (answer === undefined) return;
  const end = ch.endedAt ?? core.clock.now();
  core.emit(
    event('Cdr', 'cdr,all', [
      ['AccountCode', ch.accountCode],
      ['Source', ch.callerNum],
      ['Destination', ch.cdr.dst],
      ['DestinationContext', ch.cdr.dcontext],
      ['CallerID', `"${ch.callerName}" <${ch.callerNum}>`],
      ['Channel', ch.name],
      ['DestinationChannel', ch.cdr.dstChannel],
      ['LastApplication', ch.cdr.lastApp],
      ['LastData', ch.cdr.lastData],
      ['StartTime', cdrTime(ch.createdAt)],
      ['AnswerTime', cdrTime(answer)],
      ['EndTime', cdrTime(end)],
      ['Duration', String(Math.floor((end - ch.createdAt) / 1000))],
      ['BillableSeconds', String(Math.floor((end - answer) / 1000))],
      ['Disposition', 'ANSWERED'],
      ['AMAFlags', 'DOCUMENTATION'],
      ['UniqueID', ch.uniqueid],
      ['UserField', ''],
    ]),
  );
}
