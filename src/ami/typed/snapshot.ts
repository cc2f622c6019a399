/** Channel and bridge snapshot blocks (Asterisk 12+), also read from the thinner Asterisk 11 headers. */
import { cid, num, opt } from './fields.js';
import type { AmiPacket } from './runner.js';

/** A channel as described by an event or list item; fields an Asterisk version does not send are undefined. */
export interface ChannelSnapshot {
  /** Channel name, e.g. `PJSIP/alonso-00000004`. */
  channel: string;
  /** Numeric state (0 Down … 6 Up … 9 Pre-ring). */
  state?: number | undefined;
  /** State text, e.g. `Up`. */
  stateDesc?: string | undefined;
  /** Caller number (`<unknown>` → undefined). */
  callerIdNum?: string | undefined;
  /** Caller name (`<unknown>` → undefined). */
  callerIdName?: string | undefined;
  /** Connected line number (`<unknown>` → undefined). */
  connectedLineNum?: string | undefined;
  /** Connected line name (`<unknown>` → undefined). */
  connectedLineName?: string | undefined;
  /** Channel language (13.2+). */
  language?: string | undefined;
  /** Account code. */
  accountCode?: string | undefined;
  /** Dialplan context. */
  context?: string | undefined;
  /** Dialplan extension. */
  exten?: string | undefined;
  /** Dialplan priority. */
  priority?: number | undefined;
  /** Unique id of the channel. */
  uniqueid?: string | undefined;
  /** Linked id (13.5+; Asterisk 11 has none). */
  linkedid?: string | undefined;
}

/** A bridge as described by Bridge* and transfer events. */
export interface BridgeSnapshot {
  /** Bridge unique id. */
  uniqueid: string;
  /** `basic`, … */
  type?: string | undefined;
  /** `simple_bridge`, `native_rtp`, … */
  technology?: string | undefined;
  /** Creator, e.g. `Dial`. */
  creator?: string | undefined;
  /** Bridge name (`<unknown>` → undefined). */
  name?: string | undefined;
  /** Channels in the bridge. */
  numChannels?: number | undefined;
  /** Video source mode. */
  videoSourceMode?: string | undefined;
}

/** Reads the channel snapshot whose headers start with `prefix` (`''`, `Dest`, `Transferer`, `LocalOne`…). */
export function readChannel(m: AmiPacket, prefix = ''): ChannelSnapshot | undefined {
  const channel = m.get(`${prefix}Channel`);
  if (channel === undefined) return undefined;
  return {
    channel,
    state: num(m.get(`${prefix}ChannelState`)),
    stateDesc: opt(m, `${prefix}ChannelStateDesc`),
    callerIdNum: cid(m.get(`${prefix}CallerIDNum`)),
    callerIdName: cid(m.get(`${prefix}CallerIDName`)),
    connectedLineNum: cid(m.get(`${prefix}ConnectedLineNum`)),
    connectedLineName: cid(m.get(`${prefix}ConnectedLineName`)),
    language: opt(m, `${prefix}Language`),
    accountCode: opt(m, `${prefix}AccountCode`),
    context: opt(m, `${prefix}Context`),
    exten: opt(m, `${prefix}Exten`),
    priority: num(m.get(`${prefix}Priority`)),
    uniqueid: opt(m, `${prefix}Uniqueid`),
    linkedid: opt(m, `${prefix}Linkedid`),
  };
}

/** Reads the bridge block whose headers start with `prefix` + `Bridge` (`''`, `Orig`, `Second`, `To`, `From`). */
export function readBridge(m: AmiPacket, prefix = ''): BridgeSnapshot | undefined {
  const uniqueid = m.get(`${prefix}BridgeUniqueid`);
  if (uniqueid === undefined) return undefined;
  return {
    uniqueid,
    type: opt(m, `${prefix}BridgeType`),
    technology: opt(m, `${prefix}BridgeTechnology`),
    creator: opt(m, `${prefix}BridgeCreator`),
    name: cid(m.get(`${prefix}BridgeName`)),
    numChannels: num(m.get(`${prefix}BridgeNumChannels`)),
    videoSourceMode: opt(m, `${prefix}BridgeVideoSourceMode`),
  };
}
