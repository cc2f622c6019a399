/** Builders of realistic ARI models and events (shaped like the recorded frames) for scripted tests. */
import type { Bridge, Channel, Playback } from '../ari/index.js';

/** Asterisk's timestamp format: `YYYY-MM-DDTHH:MM:SS.mmm+0000`. */
export function ariTimestamp(date = new Date()): string {
  return date.toISOString().replace('Z', '+0000');
}

/** A channel snapshot like Asterisk's (override any field). */
export function fakeChannel(id: string, overrides: Partial<Channel> = {}): Channel {
  return {
    id,
    name: `PJSIP/fake-${id}`,
    state: 'Up',
    protocol_id: '',
    caller: { name: 'Fake Caller', number: '5550100' },
    connected: { name: '', number: '' },
    accountcode: '',
    dialplan: { context: 'default', exten: 's', priority: 1, app_name: 'Stasis', app_data: '' },
    creationtime: ariTimestamp(),
    language: 'en',
    ...overrides,
  };
}

/** A bridge snapshot. */
export function fakeBridge(id: string, overrides: Partial<Bridge> = {}): Bridge {
  return {
    id,
    technology: 'simple_bridge',
    bridge_type: 'mixing',
    bridge_class: 'stasis',
    creator: 'Stasis',
    name: '',
    channels: [],
    creationtime: ariTimestamp(),
    video_mode: 'talker',
    ...overrides,
  };
}

/** A playback snapshot. */
export function fakePlayback(id: string, overrides: Partial<Playback> = {}): Playback {
  return {
    id,
    media_uri: 'sound:beep',
    target_uri: 'channel:x',
    language: 'en',
    state: 'playing',
    ...overrides,
  };
}

/** An event object with `type`, `timestamp`, `application` and `asterisk_id` filled in. */
export function fakeEvent(
  type: string,
  application: string,
  fields: Record<string, unknown> = {},
): Record<string, unknown> & { type: string; application: string } {
  return { type, timestamp: ariTimestamp(), ...fields, asterisk_id: '02:fc:00:00:00:01', application };
}
