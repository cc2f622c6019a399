/**
 * Consistency checks between the simulator's truth, what a `PbxMonitor` built from the events it sent, and what
 * its list actions answer. A `UserEvent` marker sent at the instant the truth is read tells when the monitor has
 * applied exactly the events sent before it.
 */
import assert from 'node:assert/strict';
import { AmiClient } from '../../../src/ami/index.js';
import { PbxMonitor } from '../../../src/pbx/index.js';
import type { SimulatedPbx } from '../../../src/testing/index.js';

/** A monitor over a real AMI client. */
export async function watch(
  pbx: SimulatedPbx,
): Promise<{ client: AmiClient; monitor: PbxMonitor; close: () => Promise<void> }> {
  const client = new AmiClient({ url: pbx.url(), keepalive: false, reconnect: false });
  await client.connect();
  const monitor = new PbxMonitor([{ id: 'sim', client }], { tickMs: 60_000, kpiEveryMs: 0 });
  monitor.start();
  await monitor.ready();
  return {
    client,
    monitor,
    close: async () => {
      await monitor.close();
      await client.close();
    },
  };
}

/** The simulator's truth in the monitor's terms. */
export function truth(pbx: SimulatedPbx) {
  return {
    channels: pbx
      .channels()
      .map(
        (c) =>
          `${c.uniqueid} ${c.name} ${c.state} ${c.callerNum || '-'} ${c.connNum || '-'} ${c.bridge ?? '-'}`,
      )
      .sort(),
    registered: pbx
      .endpoints()
      .filter((e) => e.registered)
      .map((e) => e.name)
      .sort(),
    members: pbx
      .queues()
      .flatMap((q) => q.members.map((m) => `${q.name} ${m.interface} ${m.paused ? 1 : 0} ${m.reason}`))
      .sort(),
    callers: pbx
      .queues()
      .flatMap((q) => q.callers.map((c) => `${q.name} ${c}`))
      .sort(),
  };
}

/** The monitor's model in the same terms. */
export function modelled(monitor: PbxMonitor) {
  const s = monitor.snapshot()[0];
  assert.ok(s);
  return {
    channels: s.channels
      .map(
        (c) =>
          `${c.uniqueid} ${c.name} ${c.state} ${c.callerIdNum ?? '-'} ${c.connectedLineNum ?? '-'} ${c.bridgeId ?? '-'}`,
      )
      .sort(),
    registered: s.endpoints
      .filter((e) => e.contacts.length > 0)
      .map((e) => e.device.replace(/^PJSIP\//, ''))
      .sort(),
    members: s.queues
      .flatMap((q) =>
        q.members.map((m) => `${q.name} ${m.interface} ${m.paused ? 1 : 0} ${m.pausedReason ?? ''}`),
      )
      .sort(),
    callers: s.queues.flatMap((q) => q.entries.map((e) => `${q.name} ${e.channel}`)).sort(),
  };
}

let marks = 0;

/**
 * Reads the truth, sends a marker in the same instant; `seen` resolves with the monitor's model read the moment
 * the marker is delivered (synchronously: events after it in the same TCP chunk are not applied yet).
 */
export async function marked(
  pbx: SimulatedPbx,
  client: AmiClient,
  monitor?: PbxMonitor,
): Promise<{ truth: ReturnType<typeof truth>; seen: Promise<ReturnType<typeof modelled> | undefined> }> {
  const mark = `m${++marks}`;
  const seen = new Promise<ReturnType<typeof modelled> | undefined>((resolve) => {
    const on = (m: { event?: string; get(k: string): string | undefined }) => {
      if (m.event === 'UserEvent' && m.get('Mark') === mark) {
        client.off('event', on);
        resolve(monitor ? modelled(monitor) : undefined);
      }
    };
    client.on('event', on);
  });
  const t = truth(pbx);
  pbx.core.emit([
    ['Event', 'UserEvent'],
    ['Privilege', 'user,all'],
    ['UserEvent', 'SimMark'],
    ['Mark', mark],
  ]);
  return { truth: t, seen };
}
