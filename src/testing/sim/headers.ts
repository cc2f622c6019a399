/**
 * Header builders of the simulated PBX: the channel and bridge snapshots Asterisk puts in every call event, in
 * Asterisk's own field order (`main/manager_channels.c`, `main/manager_bridges.c`), plus hangup causes.
 */

/** Ordered AMI headers. */
export type Pairs = Array<[string, string]>;

/** `ChannelStateDesc` of each `ChannelState` (ast_state2str). */
export const STATE_DESC = ['Down', 'Rsrvd', 'OffHook', 'Dialing', 'Ring', 'Ringing', 'Up', 'Busy'] as const;

/** Q.850 hangup causes used by the simulator, with Asterisk's `Cause-txt` (main/causes.c). */
export const CAUSES: Readonly<Record<number, string>> = {
  0: 'Unknown',
  1: 'Unallocated (unassigned) number',
  16: 'Normal Clearing',
  17: 'User busy',
  18: 'No user responding',
  19: 'User alerting, no answer',
  20: 'Subscriber absent',
  21: 'Call Rejected',
  26: 'Answered elsewhere',
  34: 'Circuit/channel congestion',
};

/** What a channel snapshot needs. */
export interface ChannelSnapshot {
  name: string;
  state: number;
  callerNum: string;
  callerName: string;
  connNum: string;
  connName: string;
  language: string;
  accountCode: string;
  context: string;
  exten: string;
  priority: number;
  uniqueid: string;
  linkedid: string;
}

/** What a bridge snapshot needs. */
export interface BridgeSnapshot {
  id: string;
  type: string;
  technology: string;
  creator: string;
  name: string;
  channels: ReadonlyArray<unknown>;
}

const unk = (s: string): string => (s === '' ? '<unknown>' : s);

/** The 14 channel headers, optionally prefixed (`Dest`, `LocalOne`, `Transferer`…). */
export function channelPairs(c: ChannelSnapshot, prefix = ''): Pairs {
  return [
    [`${prefix}Channel`, c.name],
    [`${prefix}ChannelState`, String(c.state)],
    [`${prefix}ChannelStateDesc`, STATE_DESC[c.state] ?? 'Unknown'],
    [`${prefix}CallerIDNum`, unk(c.callerNum)],
    [`${prefix}CallerIDName`, unk(c.callerName)],
    [`${prefix}ConnectedLineNum`, unk(c.connNum)],
    [`${prefix}ConnectedLineName`, unk(c.connName)],
    [`${prefix}Language`, c.language],
    [`${prefix}AccountCode`, c.accountCode],
    [`${prefix}Context`, c.context],
    [`${prefix}Exten`, c.exten],
    [`${prefix}Priority`, String(c.priority)],
    [`${prefix}Uniqueid`, c.uniqueid],
    [`${prefix}Linkedid`, c.linkedid],
  ];
}

/** The 7 bridge headers, optionally prefixed (`To`, `From`, `Orig`…). */
export function bridgePairs(b: BridgeSnapshot, prefix = ''): Pairs {
  return [
    [`${prefix}BridgeUniqueid`, b.id],
    [`${prefix}BridgeType`, b.type],
    [`${prefix}BridgeTechnology`, b.technology],
    [`${prefix}BridgeCreator`, unk(b.creator)],
    [`${prefix}BridgeName`, unk(b.name)],
    [`${prefix}BridgeNumChannels`, String(b.channels.length)],
    [`${prefix}BridgeVideoSourceMode`, 'none'],
  ];
}

/** An event: `Event`, `Privilege`, then the rest. */
export function event(name: string, privilege: string, ...parts: Pairs[]): Pairs {
  return [['Event', name], ['Privilege', privilege], ...parts.flat()];
}

/** `HH:MM:SS` of a duration in seconds (CoreShowChannel `Duration`). */
export function hms(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(Math.floor(s / 3600))}:${p(Math.floor(s / 60) % 60)}:${p(s % 60)}`;
}

/** Local `YYYY-MM-DD HH:MM:SS` (the `Cdr` times carry no time zone). */
export function cdrTime(ms: number | undefined): string {
  if (ms === undefined) return '';
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** `2026-11-22T10:21:28.328+0000` (security events' `EventTV`). */
export function eventTv(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}
