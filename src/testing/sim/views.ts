/** Read-only views of the simulated PBX's state, for tests and demos (plain copies, safe to keep). */
import type { SimCore } from './core.js';

/** Endpoints and their registration. */
export function viewEndpoints(core: SimCore): Array<{
  name: string;
  context: string;
  registered: boolean;
  contact?: string;
  source: string;
}> {
  return [...core.state.endpoints.values()].map((e) => ({
    name: e.name,
    context: e.context,
    registered: e.contact !== undefined,
    ...(e.contact ? { contact: e.contact.uri } : {}),
    source: e.source,
  }));
}

/** Live channels. */
export function viewChannels(core: SimCore): Array<{
  name: string;
  uniqueid: string;
  linkedid: string;
  state: number;
  callerNum: string;
  callerName: string;
  connNum: string;
  connName: string;
  context: string;
  exten: string;
  bridge?: string;
  application: string;
}> {
  return [...core.state.channels.values()].map((c) => ({
    name: c.name,
    uniqueid: c.uniqueid,
    linkedid: c.linkedid,
    state: c.state,
    callerNum: c.callerNum,
    callerName: c.callerName,
    connNum: c.connNum,
    connName: c.connName,
    context: c.context,
    exten: c.exten,
    ...(c.bridge ? { bridge: c.bridge } : {}),
    application: c.app,
  }));
}

/** Live bridges. */
export function viewBridges(core: SimCore): Array<{ id: string; type: string; channels: string[] }> {
  return [...core.state.bridges.values()].map((b) => ({
    id: b.id,
    type: b.type,
    channels: [...b.channels],
  }));
}

/** Queues with members and waiting callers. */
export function viewQueues(core: SimCore): Array<{
  name: string;
  members: Array<{ interface: string; paused: boolean; reason: string; inCall: boolean }>;
  callers: string[];
}> {
  return [...core.state.queues.values()].map((q) => ({
    name: q.name,
    members: q.members.map((m) => ({
      interface: m.iface,
      paused: m.paused,
      reason: m.pausedReason,
      inCall: m.inCall,
    })),
    callers: q.entries.map((e) => e.channel),
  }));
}
