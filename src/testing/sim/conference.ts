/** ConfBridge conferences of the simulated PBX: the `ConfBridge()` application and its events (app_confbridge). */

import { waitFor } from './channels.js';
import type { SimCore } from './core.js';
import { dialplanApps } from './dialplan.js';
import { bridgePairs, channelPairs, event } from './headers.js';
import type { SimBridge, SimConference } from './state.js';

/** The bridge record of a conference. */
export function conferenceBridge(core: SimCore, conf: SimConference): SimBridge | undefined {
  return core.state.bridges.get(conf.bridge);
}

dialplanApps.set('confbridge', async (core, ch, args) => {
  const name = args[0] ?? '';
  let conf = core.state.conferences.get(name);
  let b: SimBridge;
  if (!conf) {
    b = {
      id: core.state.bridgeId(),
      type: 'base',
      technology: 'softmix',
      creator: 'ConfBridge',
      name,
      channels: [],
    };
    core.state.bridges.set(b.id, b);
    conf = { name, bridge: b.id, members: [] };
    core.state.conferences.set(name, conf);
    b.channels.push(ch.name);
    core.emit(event('ConfbridgeStart', 'call,all', [['Conference', name]], bridgePairs(b)));
  } else {
    b = conferenceBridge(core, conf) as SimBridge;
    b.channels.push(ch.name);
  }
  ch.bridge = b.id;
  conf.members.push({ channel: ch.name, admin: false, muted: false, joinedAt: core.clock.now() });
  core.emit(event('BridgeEnter', 'call,all', bridgePairs(b), channelPairs(ch)));
  core.emit(
    event('ConfbridgeJoin', 'call,all', [['Conference', name]], bridgePairs(b), channelPairs(ch), [
      ['Admin', 'No'],
      ['Muted', 'No'],
    ]),
  );
  await waitFor(ch, (c) => c.bridge !== b.id);
  const c = conf;
  const wasIn = b.channels.includes(ch.name);
  c.members = c.members.filter((m) => m.channel !== ch.name);
  b.channels = b.channels.filter((n) => n !== ch.name);
  if (ch.bridge === b.id) ch.bridge = undefined;
  core.emit(
    event('ConfbridgeLeave', 'call,all', [['Conference', name]], bridgePairs(b), channelPairs(ch), [
      ['Admin', 'No'],
    ]),
  );
  if (wasIn) core.emit(event('BridgeLeave', 'call,all', bridgePairs(b), channelPairs(ch)));
  if (c.members.length === 0) {
    core.state.conferences.delete(name);
    core.state.bridges.delete(b.id);
    core.emit(event('ConfbridgeEnd', 'call,all', [['Conference', name]], bridgePairs(b)));
    core.emit(event('BridgeDestroy', 'call,all', bridgePairs(b)));
  }
  return undefined;
});
