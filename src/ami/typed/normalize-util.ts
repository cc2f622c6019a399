/** Building blocks shared by the event normalisers. */
import type { AmiEventBase, ChannelEvent } from './events.js';
import { opt } from './fields.js';
import type { AmiPacket } from './runner.js';
import { type ChannelSnapshot, readChannel } from './snapshot.js';

/** Shorthand. */
export type Base<T extends string> = AmiEventBase<T>;

/** The base fields of a typed event. */
export function base<T extends string>(m: AmiPacket, type: T, legacy = false): Base<T> {
  return { type, name: m.event ?? m.get('Event') ?? '', legacy, privilege: m.get('Privilege'), raw: m };
}

/** The channel of an event, filling Asterisk 11's `Extension` into `exten`. */
export function chan(m: AmiPacket): ChannelSnapshot {
  const c = readChannel(m) ?? { channel: '' };
  c.exten ??= opt(m, 'Extension');
  return c;
}

/** A typed event about one channel. */
export function channelEvent<T extends string>(m: AmiPacket, type: T, legacy = false): ChannelEvent<T> {
  return { ...base(m, type, legacy), channel: chan(m) };
}

/** A minimal snapshot from a name and a uniqueid (legacy events). */
export function thin(channel: string | undefined, uniqueid: string | undefined): ChannelSnapshot | undefined {
  if (channel === undefined && uniqueid === undefined) return undefined;
  return { channel: channel ?? '', uniqueid: uniqueid === '' ? undefined : uniqueid };
}
