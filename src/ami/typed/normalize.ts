/** `normalizeEvent()`: an AMI event packet (modern or legacy) to its typed, modern shape. */
import type { AmiTypedEvent, DialEvent } from './events.js';
import { bool, cid, num, opt, req, urlDecode } from './fields.js';
import { agent, legacyBridge, legacyDial } from './normalize-legacy.js';
import { base, channelEvent, thin } from './normalize-util.js';
import { parseQueueMember } from './results.js';
import type { AmiPacket } from './runner.js';
import { readBridge, readChannel } from './snapshot.js';

const SNAPSHOT_HEADERS = new Set(
  [
    'Channel',
    'ChannelState',
    'ChannelStateDesc',
    'CallerIDNum',
    'CallerIDName',
    'ConnectedLineNum',
    'ConnectedLineName',
    'Language',
    'AccountCode',
    'Context',
    'Exten',
    'Priority',
    'Uniqueid',
    'Linkedid',
    'Tenantid',
  ].map((s) => s.toLowerCase()),
);

function dial(m: AmiPacket, type: DialEvent['type']): DialEvent {
  return {
    ...base(m, type),
    caller: readChannel(m),
    dest: readChannel(m, 'Dest'),
    dialString: opt(m, 'DialString'),
    dialStatus: opt(m, 'DialStatus'),
    forward: opt(m, 'Forward'),
  };
}

/** 1.6–11 `Dial` with SubEvent, and 1.4 `Dial` (Source/Destination). */
function userEvent(m: AmiPacket): AmiTypedEvent {
  const hasSnapshot = m.has('ChannelState');
  const headers: Array<[string, string]> = [];
  for (const [k, v] of m.headers) {
    const lower = k.toLowerCase();
    if (lower === 'event' || lower === 'privilege' || lower === 'userevent' || lower === 'actionid') continue;
    if (lower === 'action' && v.toLowerCase() === 'userevent') continue; // Asterisk 11 echoes the action
    if (hasSnapshot && SNAPSHOT_HEADERS.has(lower)) continue;
    headers.push([k, v]);
  }
  return {
    ...base(m, 'UserEvent'),
    userEvent: req(m, 'UserEvent'),
    channel: hasSnapshot ? readChannel(m) : undefined,
    actionId: m.get('ActionID'),
    headers,
  };
}

function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of urlDecode(text).split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) env[line.slice(0, i)] = line.slice(i + 1).replace(/^ /, '');
  }
  return env;
}

function extraJson(extra: string | undefined): Record<string, unknown> | undefined {
  if (!extra?.startsWith('{')) return undefined;
  try {
    const v: unknown = JSON.parse(extra);
    return v !== null && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

type Parser = (m: AmiPacket) => AmiTypedEvent;

const plain =
  (
    type: 'Newchannel' | 'Newstate' | 'NewConnectedLine' | 'Unhold' | 'MusicOnHoldStop' | 'AsyncAGIEnd',
  ): Parser =>
  (m) =>
    channelEvent(m, type);

const PARSERS: Record<string, Parser> = {
  newchannel: plain('Newchannel'),
  newstate: plain('Newstate'),
  newconnectedline: plain('NewConnectedLine'),
  unhold: plain('Unhold'),
  musiconholdstop: plain('MusicOnHoldStop'),
  asyncagiend: plain('AsyncAGIEnd'),
  newexten: (m) => ({
    ...channelEvent(m, 'Newexten'),
    extension: opt(m, 'Extension'),
    application: opt(m, 'Application'),
    appData: opt(m, 'AppData'),
  }),
  newcallerid: (m) => ({ ...channelEvent(m, 'NewCallerid'), callingPres: opt(m, 'CID-CallingPres') }),
  newaccountcode: (m) => ({ ...channelEvent(m, 'NewAccountCode'), oldAccountCode: opt(m, 'OldAccountCode') }),
  varset: (m) => ({ ...channelEvent(m, 'VarSet'), variable: req(m, 'Variable'), value: req(m, 'Value') }),
  hangup: (m) => ({
    ...channelEvent(m, 'Hangup'),
    cause: num(m.get('Cause')),
    causeText: opt(m, 'Cause-txt'),
    techCause: num(m.get('TechCause')),
  }),
  hanguprequest: (m) => ({ ...channelEvent(m, 'HangupRequest'), cause: num(m.get('Cause')) }),
  softhanguprequest: (m) => ({ ...channelEvent(m, 'SoftHangupRequest'), cause: num(m.get('Cause')) }),
  dialbegin: (m) => dial(m, 'DialBegin'),
  dialstate: (m) => dial(m, 'DialState'),
  dialend: (m) => dial(m, 'DialEnd'),
  dial: legacyDial,
  bridgecreate: (m) => ({ ...base(m, 'BridgeCreate'), bridge: readBridge(m) ?? { uniqueid: '' } }),
  bridgedestroy: (m) => ({ ...base(m, 'BridgeDestroy'), bridge: readBridge(m) ?? { uniqueid: '' } }),
  bridgeenter: (m) => ({
    ...channelEvent(m, 'BridgeEnter'),
    bridge: readBridge(m) ?? { uniqueid: '' },
    swapUniqueid: opt(m, 'SwapUniqueid'),
  }),
  bridgeleave: (m) => ({ ...channelEvent(m, 'BridgeLeave'), bridge: readBridge(m) ?? { uniqueid: '' } }),
  bridgemerge: (m) => ({
    ...base(m, 'BridgeMerge'),
    to: readBridge(m, 'To') ?? { uniqueid: '' },
    from: readBridge(m, 'From') ?? { uniqueid: '' },
  }),
  bridge: (m) => legacyBridge(m, /unlink/i.test(m.get('Bridgestate') ?? '') ? 'Unlink' : 'Link'),
  link: (m) => legacyBridge(m, 'Link'),
  unlink: (m) => legacyBridge(m, 'Unlink'),
  localbridge: (m) => ({
    ...base(m, 'LocalBridge'),
    localOne: readChannel(m, 'LocalOne') ?? thin(m.get('Channel1'), m.get('Uniqueid1')) ?? { channel: '' },
    localTwo: readChannel(m, 'LocalTwo') ?? thin(m.get('Channel2'), m.get('Uniqueid2')) ?? { channel: '' },
    context: opt(m, 'Context'),
    exten: opt(m, 'Exten'),
    localOptimization: bool(m.get('LocalOptimization')),
  }),
  hold: (m) => {
    const status = m.get('Status'); // chan_sip ≤ 11: Hold with Status On/Off
    if (status !== undefined && !m.has('ChannelState')) {
      return bool(status) === false ? channelEvent(m, 'Unhold', true) : channelEvent(m, 'Hold', true);
    }
    return { ...channelEvent(m, 'Hold'), musicClass: opt(m, 'MusicClass') };
  },
  musiconholdstart: (m) => ({ ...channelEvent(m, 'MusicOnHoldStart'), class: opt(m, 'Class') }),
  musiconhold: (m) =>
    /^stop$/i.test(m.get('State') ?? '')
      ? channelEvent(m, 'MusicOnHoldStop', true)
      : { ...channelEvent(m, 'MusicOnHoldStart', true), class: opt(m, 'Class') },
  dtmfbegin: (m) => dtmf(m, 'DTMFBegin'),
  dtmfend: (m) => dtmf(m, 'DTMFEnd'),
  dtmf: (m) => dtmf(m, bool(m.get('Begin')) ? 'DTMFBegin' : 'DTMFEnd', true),
  blindtransfer: (m) => ({
    ...base(m, 'BlindTransfer'),
    result: opt(m, 'Result'),
    transferer: readChannel(m, 'Transferer'),
    transferee: readChannel(m, 'Transferee'),
    bridge: readBridge(m),
    isExternal: bool(m.get('IsExternal')),
    context: opt(m, 'Context'),
    extension: opt(m, 'Extension'),
  }),
  attendedtransfer: (m) => ({
    ...base(m, 'AttendedTransfer'),
    result: opt(m, 'Result'),
    origTransferer: readChannel(m, 'OrigTransferer'),
    origBridge: readBridge(m, 'Orig'),
    secondTransferer: readChannel(m, 'SecondTransferer'),
    secondBridge: readBridge(m, 'Second'),
    destType: opt(m, 'DestType'),
    destBridgeUniqueid: opt(m, 'DestBridgeUniqueid'),
    destApp: opt(m, 'DestApp'),
    transferee: readChannel(m, 'Transferee'),
    transferTarget: readChannel(m, 'TransferTarget'),
    isExternal: bool(m.get('IsExternal')),
  }),
  queuecallerjoin: (m) => queueCaller(m, 'QueueCallerJoin'),
  queuecallerleave: (m) => queueCaller(m, 'QueueCallerLeave'),
  queuecallerabandon: (m) => queueCaller(m, 'QueueCallerAbandon'),
  join: (m) => queueCaller(m, 'QueueCallerJoin', true),
  leave: (m) => queueCaller(m, 'QueueCallerLeave', true),
  queuememberstatus: (m) => ({ ...base(m, 'QueueMemberStatus'), member: parseQueueMember(m) }),
  queuememberadded: (m) => ({ ...base(m, 'QueueMemberAdded'), member: parseQueueMember(m) }),
  queuememberremoved: (m) => ({ ...base(m, 'QueueMemberRemoved'), member: parseQueueMember(m) }),
  queuememberpause: (m) => ({ ...base(m, 'QueueMemberPause'), member: parseQueueMember(m) }),
  queuememberpaused: (m) => ({ ...base(m, 'QueueMemberPause', true), member: parseQueueMember(m) }),
  queuememberpenalty: (m) => ({ ...base(m, 'QueueMemberPenalty'), member: parseQueueMember(m) }),
  queuememberringinuse: (m) => ({ ...base(m, 'QueueMemberRinginuse'), member: parseQueueMember(m) }),
  agentcalled: (m) => agent(m, 'AgentCalled'),
  agentringnoanswer: (m) => agent(m, 'AgentRingNoAnswer'),
  agentconnect: (m) => agent(m, 'AgentConnect'),
  agentcomplete: (m) => agent(m, 'AgentComplete'),
  agentdump: (m) => agent(m, 'AgentDump'),
  confbridgestart: (m) => ({
    ...base(m, 'ConfbridgeStart'),
    conference: req(m, 'Conference'),
    bridge: readBridge(m),
  }),
  confbridgeend: (m) => ({
    ...base(m, 'ConfbridgeEnd'),
    conference: req(m, 'Conference'),
    bridge: readBridge(m),
  }),
  confbridgejoin: (m) => confChannel(m, 'ConfbridgeJoin'),
  confbridgeleave: (m) => confChannel(m, 'ConfbridgeLeave'),
  confbridgemute: (m) => confChannel(m, 'ConfbridgeMute'),
  confbridgeunmute: (m) => confChannel(m, 'ConfbridgeUnmute'),
  confbridgetalking: (m) => confChannel(m, 'ConfbridgeTalking'),
  devicestatechange: (m) => ({
    ...base(m, 'DeviceStateChange'),
    device: req(m, 'Device'),
    state: req(m, 'State'),
  }),
  peerstatus: (m) => ({
    ...base(m, 'PeerStatus'),
    channelType: opt(m, 'ChannelType'),
    peer: req(m, 'Peer'),
    peerStatus: req(m, 'PeerStatus'),
    cause: opt(m, 'Cause'),
    address: opt(m, 'Address'),
  }),
  contactstatus: (m) => ({
    ...base(m, 'ContactStatus'),
    uri: req(m, 'URI'),
    contactStatus: req(m, 'ContactStatus'),
    aor: opt(m, 'AOR'),
    endpointName: opt(m, 'EndpointName'),
    roundtripUsec: num(m.get('RoundtripUsec')),
  }),
  extensionstatus: (m) => ({
    ...base(m, 'ExtensionStatus'),
    exten: req(m, 'Exten'),
    context: req(m, 'Context'),
    hint: opt(m, 'Hint'),
    status: num(m.get('Status')),
    statusText: opt(m, 'StatusText'),
  }),
  cdr: (m) => ({
    ...base(m, 'Cdr'),
    accountCode: opt(m, 'AccountCode'),
    source: opt(m, 'Source'),
    destination: opt(m, 'Destination'),
    destinationContext: opt(m, 'DestinationContext'),
    callerId: opt(m, 'CallerID'),
    channel: opt(m, 'Channel'),
    destinationChannel: opt(m, 'DestinationChannel'),
    lastApplication: opt(m, 'LastApplication'),
    lastData: opt(m, 'LastData'),
    startTime: opt(m, 'StartTime'),
    answerTime: opt(m, 'AnswerTime'),
    endTime: opt(m, 'EndTime'),
    duration: num(m.get('Duration')),
    billableSeconds: num(m.get('BillableSeconds')),
    disposition: opt(m, 'Disposition'),
    amaFlags: opt(m, 'AMAFlags'),
    uniqueid: opt(m, 'UniqueID'),
    userField: opt(m, 'UserField'),
  }),
  cel: (m) => ({
    ...base(m, 'CEL'),
    eventName: req(m, 'EventName'),
    channel: opt(m, 'Channel'),
    uniqueid: opt(m, 'UniqueID'),
    linkedid: opt(m, 'LinkedID'),
    callerIdNum: cid(m.get('CallerIDnum')),
    callerIdName: cid(m.get('CallerIDname')),
    exten: opt(m, 'Exten'),
    context: opt(m, 'Context'),
    application: opt(m, 'Application'),
    appData: opt(m, 'AppData'),
    eventTime: opt(m, 'EventTime'),
    peer: opt(m, 'Peer'),
    extra: opt(m, 'Extra'),
    extraJson: extraJson(m.get('Extra')),
  }),
  asyncagistart: (m) => ({ ...channelEvent(m, 'AsyncAGIStart'), env: parseEnv(m.get('Env') ?? '') }),
  asyncagiexec: (m) => asyncExec(m),
  asyncagi: (m) => {
    const sub = (m.get('SubEvent') ?? '').toLowerCase();
    if (sub === 'start')
      return { ...channelEvent(m, 'AsyncAGIStart', true), env: parseEnv(m.get('Env') ?? '') };
    if (sub === 'exec') return asyncExec(m, true);
    if (sub === 'end') return channelEvent(m, 'AsyncAGIEnd', true);
    return base(m, 'Untyped');
  },
  agiexecstart: (m) => agiExec(m, 'AGIExecStart'),
  agiexecend: (m) => agiExec(m, 'AGIExecEnd'),
  agiexec: (m) => agiExec(m, /^end$/i.test(m.get('SubEvent') ?? '') ? 'AGIExecEnd' : 'AGIExecStart', true),
  originateresponse: (m) => {
    const uid = opt(m, 'Uniqueid');
    return {
      ...base(m, 'OriginateResponse'),
      actionId: m.get('ActionID'),
      success: /^success$/i.test(m.get('Response') ?? ''),
      channel: opt(m, 'Channel'),
      context: opt(m, 'Context'),
      exten: opt(m, 'Exten'),
      application: opt(m, 'Application'),
      data: opt(m, 'Data'),
      reason: num(m.get('Reason')),
      uniqueid: uid === '<unknown>' ? undefined : uid,
      callerIdNum: cid(m.get('CallerIDNum')),
      callerIdName: cid(m.get('CallerIDName')),
    };
  },
  fullybooted: (m) => ({
    ...base(m, 'FullyBooted'),
    status: opt(m, 'Status'),
    uptime: num(m.get('Uptime')),
    lastReload: num(m.get('LastReload')),
  }),
  shutdown: (m) => ({
    ...base(m, 'Shutdown'),
    shutdown: opt(m, 'Shutdown'),
    restart: bool(m.get('Restart')),
  }),
  reload: (m) => ({ ...base(m, 'Reload'), module: opt(m, 'Module'), status: opt(m, 'Status') }),
  userevent: userEvent,
};

function dtmf(m: AmiPacket, type: 'DTMFBegin' | 'DTMFEnd', legacy = false): AmiTypedEvent {
  return {
    ...channelEvent(m, type, legacy),
    digit: req(m, 'Digit'),
    direction: opt(m, 'Direction'),
    durationMs: num(m.get('DurationMs')),
  };
}

function queueCaller(
  m: AmiPacket,
  type: 'QueueCallerJoin' | 'QueueCallerLeave' | 'QueueCallerAbandon',
  legacy = false,
): AmiTypedEvent {
  return {
    ...channelEvent(m, type, legacy),
    queue: req(m, 'Queue'),
    position: num(m.get('Position')),
    count: num(m.get('Count')),
    originalPosition: num(m.get('OriginalPosition')),
    holdTime: num(m.get('HoldTime')),
  };
}

function confChannel(
  m: AmiPacket,
  type: 'ConfbridgeJoin' | 'ConfbridgeLeave' | 'ConfbridgeMute' | 'ConfbridgeUnmute' | 'ConfbridgeTalking',
): AmiTypedEvent {
  return {
    ...channelEvent(m, type),
    conference: req(m, 'Conference'),
    bridge: readBridge(m),
    admin: bool(m.get('Admin')),
    muted: bool(m.get('Muted')),
    talking: bool(m.get('TalkingStatus')),
  };
}

function asyncExec(m: AmiPacket, legacy = false): AmiTypedEvent {
  return {
    ...channelEvent(m, 'AsyncAGIExec', legacy),
    commandId: opt(m, 'CommandId'), // case-insensitive: also Asterisk 11's CommandID
    result: urlDecode(m.get('Result') ?? '').replace(/\n$/, ''),
  };
}

function agiExec(m: AmiPacket, type: 'AGIExecStart' | 'AGIExecEnd', legacy = false): AmiTypedEvent {
  return {
    ...channelEvent(m, type, legacy),
    commandId: opt(m, 'CommandId'),
    command: opt(m, 'Command'),
    resultCode: num(m.get('ResultCode')),
    result: opt(m, 'Result'),
  };
}

/**
 * Maps an event packet to its typed modern shape (legacy ≤ 11 forms included, `legacy: true`). Events without a
 * typed shape — and packets that are not events — come back as `{ type: 'Untyped', raw }`: nothing is dropped.
 */
export function normalizeEvent(m: AmiPacket): AmiTypedEvent {
  const name = m.event ?? m.get('Event');
  if (name === undefined) return base(m, 'Untyped');
  const parse = PARSERS[name.toLowerCase()];
  return parse ? parse(m) : base(m, 'Untyped');
}

/** Whether `normalizeEvent` has a typed shape for this wire event name (modern or legacy). */
export function isTypedEventName(name: string): boolean {
  return Object.hasOwn(PARSERS, name.toLowerCase());
}
