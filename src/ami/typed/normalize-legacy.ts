/** Legacy (Asterisk ≤ 11, and 1.4) event forms mapped onto the modern typed shapes. */
import type { AgentEvent, AmiTypedEvent, DialEvent } from './events.js';
import { cid, num, opt, req } from './fields.js';
import { base, thin } from './normalize-util.js';
import type { AmiPacket } from './runner.js';
import { type ChannelSnapshot, readChannel } from './snapshot.js';

export function legacyDial(m: AmiPacket): DialEvent {
  const sub = (m.get('SubEvent') ?? 'Begin').toLowerCase();
  if (sub === 'end') {
    return {
      ...base(m, 'DialEnd', true),
      caller: thin(m.get('Channel'), m.get('UniqueID')),
      dialStatus: opt(m, 'DialStatus'),
    };
  }
  const caller = thin(m.get('Channel') ?? m.get('Source'), m.get('UniqueID') ?? m.get('SrcUniqueID'));
  if (caller) {
    caller.callerIdNum = cid(m.get('CallerIDNum') ?? m.get('CallerID'));
    caller.callerIdName = cid(m.get('CallerIDName'));
    caller.connectedLineNum = cid(m.get('ConnectedLineNum'));
    caller.connectedLineName = cid(m.get('ConnectedLineName'));
  }
  return {
    ...base(m, 'DialBegin', true),
    caller,
    dest: thin(m.get('Destination'), m.get('DestUniqueID')),
    dialString: opt(m, 'Dialstring'),
  };
}

export function agent(m: AmiPacket, type: AgentEvent['type']): AgentEvent {
  const common = {
    queue: req(m, 'Queue'),
    holdTime: num(m.get('HoldTime')),
    ringTime: num(m.get('RingTime')),
    talkTime: num(m.get('TalkTime')),
    reason: opt(m, 'Reason'),
  };
  if (m.has('Interface') || m.has('DestChannel')) {
    return {
      ...base(m, type),
      ...common,
      caller: readChannel(m),
      dest: readChannel(m, 'Dest'),
      interface: opt(m, 'Interface'),
      memberName: opt(m, 'MemberName'),
    };
  }
  // Asterisk 11: AgentCalled names the caller ChannelCalling and the member DestinationChannel; the others name the
  // member channel `Channel`, the caller only by Uniqueid, and the member channel's uniqueid `BridgedChannel`.
  if (m.has('ChannelCalling') || m.has('AgentCalled')) {
    const caller = thin(m.get('ChannelCalling'), m.get('Uniqueid'));
    if (caller) {
      caller.callerIdNum = cid(m.get('CallerIDNum'));
      caller.callerIdName = cid(m.get('CallerIDName'));
      caller.connectedLineNum = cid(m.get('ConnectedLineNum'));
      caller.connectedLineName = cid(m.get('ConnectedLineName'));
      caller.context = opt(m, 'Context');
      caller.exten = opt(m, 'Extension');
      caller.priority = num(m.get('Priority'));
    }
    return {
      ...base(m, type, true),
      ...common,
      caller,
      dest: thin(m.get('DestinationChannel'), undefined),
      interface: opt(m, 'AgentCalled'),
      memberName: opt(m, 'AgentName'),
    };
  }
  return {
    ...base(m, type, true),
    ...common,
    caller: thin(undefined, m.get('Uniqueid')),
    dest: thin(m.get('Channel'), m.get('BridgedChannel')),
    interface: opt(m, 'Member'),
    memberName: opt(m, 'MemberName'),
  };
}

export function legacyBridge(m: AmiPacket, state: 'Link' | 'Unlink'): AmiTypedEvent {
  const side = (i: 1 | 2): ChannelSnapshot => ({
    channel: req(m, `Channel${i}`),
    uniqueid: opt(m, `Uniqueid${i}`),
    callerIdNum: cid(m.get(`CallerID${i}`)),
  });
  return {
    ...base(m, 'Bridge', true),
    state,
    bridgeType: opt(m, 'Bridgetype'),
    channel1: side(1),
    channel2: side(2),
  };
}
