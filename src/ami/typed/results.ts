/** Typed list items and replies of the typed actions, parsed from what Asterisk 11, 13 and current really send. */
import { bool, cid, first, hms, num, opt, req, variables } from './fields.js';
import type { AmiPacket } from './runner.js';
import { type ChannelSnapshot, readChannel } from './snapshot.js';

/** Channel state numbers by their text, for Asterisk 11 Status items that only say `State: Up`. */
const STATE_NUMBERS: Record<string, number> = {
  down: 0,
  rsrvd: 1,
  offhook: 2,
  dialing: 3,
  ring: 4,
  ringing: 5,
  up: 6,
  busy: 7,
  'dialing offhook': 8,
  'pre-ring': 9,
};

/** Snapshot of a list item, reading Asterisk 11 spellings (`Extension`, `Account`, `State: Up`) too. */
function itemChannel(m: AmiPacket): ChannelSnapshot {
  const c = readChannel(m) ?? { channel: '' };
  c.exten ??= opt(m, 'Extension');
  c.accountCode ??= opt(m, 'Account');
  if (c.state === undefined) {
    const text = m.get('State');
    if (text !== undefined) {
      c.stateDesc ??= text;
      c.state = STATE_NUMBERS[text.toLowerCase()];
    }
  }
  return c;
}

/** One `CoreShowChannel` item. */
export interface CoreShowChannel extends ChannelSnapshot {
  /** Running application, e.g. `Dial`. */
  application?: string | undefined;
  /** Its arguments. */
  applicationData?: string | undefined;
  /** Seconds up (from `HH:MM:SS`). */
  duration?: number | undefined;
  /** Bridge id (12+). */
  bridgeId?: string | undefined;
  /** Bridged channel name (Asterisk 11 only). */
  bridgedChannel?: string | undefined;
  /** Bridged channel unique id (Asterisk 11 only). */
  bridgedUniqueid?: string | undefined;
}

/** Parses a `CoreShowChannel` item. */
export function parseCoreShowChannel(m: AmiPacket): CoreShowChannel {
  return {
    ...itemChannel(m),
    application: opt(m, 'Application'),
    applicationData: opt(m, 'ApplicationData'),
    duration: hms(m.get('Duration')),
    bridgeId: opt(m, 'BridgeId'),
    bridgedChannel: opt(m, 'BridgedChannel'),
    bridgedUniqueid: opt(m, 'BridgedUniqueid'),
  };
}

/** One `Status` item (both Asterisk 11 shapes, 13's `Accountcode`, current's full snapshot). */
export interface StatusChannel extends ChannelSnapshot {
  /** Channel technology, e.g. `PJSIP`. */
  type?: string | undefined;
  /** Dialed number id. */
  dnid?: string | undefined;
  /** Effective connected line number. */
  effectiveConnectedLineNum?: string | undefined;
  /** Effective connected line name. */
  effectiveConnectedLineName?: string | undefined;
  /** Seconds until an absolute timeout (0 = none). */
  timeToHangup?: number | undefined;
  /** Bridge id (12+). */
  bridgeId?: string | undefined;
  /** Bridged channel (Asterisk 11). */
  bridgedChannel?: string | undefined;
  /** Bridged channel unique id (Asterisk 11). */
  bridgedUniqueid?: string | undefined;
  /** Running application. */
  application?: string | undefined;
  /** Its data. */
  data?: string | undefined;
  /** Seconds since the channel was created. */
  seconds?: number | undefined;
  /** Native formats, e.g. `(ulaw)`. */
  nativeFormats?: string | undefined;
  /** Requested variables (`Variable: NAME=value`); Asterisk's `(null)` is undefined. */
  variables: Record<string, string | undefined>;
}

/** Parses a `Status` item. */
export function parseStatusChannel(m: AmiPacket): StatusChannel {
  return {
    ...itemChannel(m),
    type: opt(m, 'Type'),
    dnid: opt(m, 'DNID'),
    effectiveConnectedLineNum: cid(m.get('EffectiveConnectedLineNum')),
    effectiveConnectedLineName: cid(m.get('EffectiveConnectedLineName')),
    timeToHangup: num(m.get('TimeToHangup')),
    bridgeId: opt(m, 'BridgeID'),
    bridgedChannel: opt(m, 'BridgedChannel'),
    bridgedUniqueid: opt(m, 'BridgedUniqueid'),
    application: opt(m, 'Application'),
    data: opt(m, 'Data'),
    seconds: num(m.get('Seconds')),
    nativeFormats: opt(m, 'Nativeformats'),
    variables: variables(m.getAll('Variable')),
  };
}

/** `QueueParams` item of QueueStatus. */
export interface QueueParams {
  /** Queue name. */
  queue: string;
  /** Max callers (0 = unlimited). */
  max?: number | undefined;
  /** Strategy, e.g. `ringall`. */
  strategy?: string | undefined;
  /** Callers waiting now. */
  calls?: number | undefined;
  /** Average hold time (s). */
  holdTime?: number | undefined;
  /** Average talk time (s). */
  talkTime?: number | undefined;
  /** Completed calls. */
  completed?: number | undefined;
  /** Abandoned calls. */
  abandoned?: number | undefined;
  /** Service level (s). */
  serviceLevel?: number | undefined;
  /** Service level performance (%). */
  serviceLevelPerf?: number | undefined;
  /** Second service level performance (current Asterisk only). */
  serviceLevelPerf2?: number | undefined;
  /** Queue weight. */
  weight?: number | undefined;
}

/** Parses a `QueueParams` item. */
export function parseQueueParams(m: AmiPacket): QueueParams {
  return {
    queue: req(m, 'Queue'),
    max: num(m.get('Max')),
    strategy: opt(m, 'Strategy'),
    calls: num(m.get('Calls')),
    holdTime: num(m.get('Holdtime')),
    talkTime: num(m.get('TalkTime')),
    completed: num(m.get('Completed')),
    abandoned: num(m.get('Abandoned')),
    serviceLevel: num(m.get('ServiceLevel')),
    serviceLevelPerf: num(m.get('ServicelevelPerf')),
    serviceLevelPerf2: num(m.get('ServicelevelPerf2')),
    weight: num(m.get('Weight')),
  };
}

/** A queue member, from `QueueMember` items and `QueueMember*` events (`Location` ≤ 11 / items, `Interface` events). */
export interface QueueMember {
  /** Queue name. */
  queue: string;
  /** Member name. */
  name?: string | undefined;
  /** Member interface (`Location` in list items and Asterisk 11 events, `Interface` in current events). */
  interface: string;
  /** Device state interface. */
  stateInterface?: string | undefined;
  /** `dynamic`, `static` or `realtime`. */
  membership?: string | undefined;
  /** Penalty. */
  penalty?: number | undefined;
  /** Calls taken. */
  callsTaken?: number | undefined;
  /** Epoch seconds of the last call (0 = never). */
  lastCall?: number | undefined;
  /** Epoch seconds of the last pause (current Asterisk only). */
  lastPause?: number | undefined;
  /** Epoch seconds of login (current Asterisk only). */
  loginTime?: number | undefined;
  /** On a queue call now (`InCall`, Asterisk 11 `IsInCall`). */
  inCall?: boolean | undefined;
  /** Device state number (1 not in use, 2 in use, 6 ringing, 8 on hold…). */
  status?: number | undefined;
  /** Paused. */
  paused?: boolean | undefined;
  /** Pause reason (`PausedReason`, or Asterisk 11's `Reason`). */
  pausedReason?: string | undefined;
  /** Wrap-up time (s, current Asterisk only). */
  wrapupTime?: number | undefined;
  /** Ring when in use (events only). */
  ringInUse?: boolean | undefined;
}

/** Parses a `QueueMember` item or a `QueueMember*` event. */
export function parseQueueMember(m: AmiPacket): QueueMember {
  return {
    queue: req(m, 'Queue'),
    name: opt(m, 'MemberName') ?? opt(m, 'Name'),
    interface: first(m, 'Interface', 'Location') ?? '',
    stateInterface: opt(m, 'StateInterface'),
    membership: opt(m, 'Membership'),
    penalty: num(m.get('Penalty')),
    callsTaken: num(m.get('CallsTaken')),
    lastCall: num(m.get('LastCall')),
    lastPause: num(m.get('LastPause')),
    loginTime: num(m.get('LoginTime')),
    inCall: bool(first(m, 'InCall', 'IsInCall')),
    status: num(m.get('Status')),
    paused: bool(m.get('Paused')),
    pausedReason: opt(m, 'PausedReason') ?? opt(m, 'Reason'),
    wrapupTime: num(m.get('Wrapuptime')),
    ringInUse: bool(m.get('Ringinuse')),
  };
}

/** `QueueEntry` item: a caller waiting in a queue. */
export interface QueueEntry {
  /** Queue name. */
  queue: string;
  /** 1-based position. */
  position?: number | undefined;
  /** Caller channel. */
  channel: string;
  /** Caller unique id. */
  uniqueid?: string | undefined;
  /** Caller number (`unknown` → undefined). */
  callerIdNum?: string | undefined;
  /** Caller name (`unknown` → undefined). */
  callerIdName?: string | undefined;
  /** Connected line number. */
  connectedLineNum?: string | undefined;
  /** Connected line name. */
  connectedLineName?: string | undefined;
  /** Seconds waiting. */
  wait?: number | undefined;
  /** Caller priority. */
  priority?: number | undefined;
}

/** Parses a `QueueEntry` item. */
export function parseQueueEntry(m: AmiPacket): QueueEntry {
  return {
    queue: req(m, 'Queue'),
    position: num(m.get('Position')),
    channel: req(m, 'Channel'),
    uniqueid: opt(m, 'Uniqueid'),
    callerIdNum: cid(m.get('CallerIDNum')),
    callerIdName: cid(m.get('CallerIDName')),
    connectedLineNum: cid(m.get('ConnectedLineNum')),
    connectedLineName: cid(m.get('ConnectedLineName')),
    wait: num(m.get('Wait')),
    priority: num(m.get('Priority')),
  };
}

/** `QueueSummary` item. */
export interface QueueSummary {
  /** Queue name. */
  queue: string;
  /** Members logged in. */
  loggedIn?: number | undefined;
  /** Members available. */
  available?: number | undefined;
  /** Callers waiting. */
  callers?: number | undefined;
  /** Average hold time (s). */
  holdTime?: number | undefined;
  /** Average talk time (s). */
  talkTime?: number | undefined;
  /** Longest current hold time (s). */
  longestHoldTime?: number | undefined;
}

/** Parses a `QueueSummary` item. */
export function parseQueueSummary(m: AmiPacket): QueueSummary {
  return {
    queue: req(m, 'Queue'),
    loggedIn: num(m.get('LoggedIn')),
    available: num(m.get('Available')),
    callers: num(m.get('Callers')),
    holdTime: num(m.get('HoldTime')),
    talkTime: num(m.get('TalkTime')),
    longestHoldTime: num(m.get('LongestHoldTime')),
  };
}
