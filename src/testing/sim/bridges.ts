/** Bridges of the simulated PBX: `BridgeCreate`/`BridgeEnter`/`BridgeLeave`/`BridgeDestroy` in Asterisk's shape. */

import { poke } from './channels.js';
import type { SimCore } from './core.js';
import { bridgePairs, channelPairs, event } from './headers.js';
import type { SimBridge, SimChannel } from './state.js';

/** Creates a basic two-party bridge. */
export function createBridge(
  core: SimCore,
  type = 'basic',
  technology = 'simple_bridge',
  name = '',
): SimBridge {
  const b: SimBridge = { id: core.state.bridgeId(), type, technology, creator: '', name, channels: [] };
  core.state.bridges.set(b.id, b);
  core.emit(event('BridgeCreate', 'call,all', bridgePairs(b)));
  return b;
}

/** Puts a channel in a live bridge (`BridgeEnter`); false when the bridge or the channel is gone. */
export function enterBridge(core: SimCore, b: SimBridge, ch: SimChannel): boolean {
  if (ch.gone.aborted || !core.state.bridges.has(b.id) || !core.state.channels.has(ch.name)) return false;
  b.channels.push(ch.name);
  ch.bridge = b.id;
  core.emit(event('BridgeEnter', 'call,all', bridgePairs(b), channelPairs(ch)));
  poke(ch);
  core.log.verbose(
    ch,
    'bridge_channel.c',
    `Channel ${ch.name} joined '${b.technology}' ${b.type}-bridge <${b.id}>`,
  );
  return true;
}

/** Takes a channel out of its bridge (`BridgeLeave`). */
export function leaveBridge(core: SimCore, ch: SimChannel): SimBridge | undefined {
  const b = ch.bridge ? core.state.bridges.get(ch.bridge) : undefined;
  if (!b) {
    ch.bridge = undefined;
    return undefined;
  }
  b.channels = b.channels.filter((n) => n !== ch.name);
  ch.bridge = undefined;
  core.emit(event('BridgeLeave', 'call,all', bridgePairs(b), channelPairs(ch)));
  core.log.verbose(
    ch,
    'bridge_channel.c',
    `Channel ${ch.name} left '${b.technology}' ${b.type}-bridge <${b.id}>`,
  );
  poke(ch);
  return b;
}

/** Destroys a bridge (`BridgeDestroy`), taking out whoever is left. */
export function destroyBridge(core: SimCore, b: SimBridge): void {
  if (!core.state.bridges.has(b.id)) return;
  for (const n of [...b.channels]) {
    const ch = core.state.channel(n);
    if (ch) leaveBridge(core, ch);
  }
  core.state.bridges.delete(b.id);
  core.emit(event('BridgeDestroy', 'call,all', bridgePairs(b)));
}
