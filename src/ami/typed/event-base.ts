/** Fields shared by every typed AMI event. */
import type { AmiPacket } from './runner.js';
import type { ChannelSnapshot } from './snapshot.js';

/** Fields every typed event has. */
export interface AmiEventBase<T extends string> {
  /** Modern event name, the discriminant (`DialBegin` also for a legacy `Dial` / `SubEvent: Begin`). */
  type: T;
  /** The `Event:` name as sent on the wire. */
  name: string;
  /** Whether the packet was in a legacy (≤ 11) form and was mapped. */
  legacy: boolean;
  /** `Privilege:` classes, e.g. `call,all` (list items have none). */
  privilege?: string | undefined;
  /** The original packet (nothing is lost). */
  raw: AmiPacket;
}

/** An event about one channel. */
export interface ChannelEvent<T extends string> extends AmiEventBase<T> {
  /** The channel (a thinner snapshot on Asterisk 11). */
  channel: ChannelSnapshot;
}
