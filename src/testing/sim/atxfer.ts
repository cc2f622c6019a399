/**
 * `Atxfer` on the simulated PBX — also an example of a module plugged into the action table. As recorded in
 * `sip-attended-transfer` (features.conf `atxfer => *2`): the action answers `Atxfer successfully queued`, the
 * transferer's channel receives DTMF `*2` and the extension, is put on hold (`Hold`, `MusicOnHoldStart` for the
 * transferee), a `Local/<exten>@<context>` pair dials the target; once the target answered and the transferer
 * talked to it for `consultMs`, the transferer hangs up: the target's `;1` takes its place next to the transferee
 * (`MusicOnHoldStop`, `AttendedTransfer` with `DestType: Bridge`). Simplification: during the consultation the
 * transferer stays in the first bridge (Asterisk moves it to a second one, then merges).
 */
import { error, header, reply, type SimModule } from './action-table.js';
import { createBridge, destroyBridge, enterBridge, leaveBridge } from './bridges.js';
import { destroyChannel, requestHangup, waitFor } from './channels.js';
import type { SimCore } from './core.js';
import { createDialled, localRunner } from './dial.js';
import { bridgePairs, channelPairs, event } from './headers.js';
import { sleepUnless } from './phone.js';
import type { SimBridge, SimChannel } from './state.js';

/** How long the transferer talks to the target before completing, simulated ms. */
const CONSULT_MS = 2000;

function dtmfEnd(core: SimCore, ch: SimChannel, digit: string): void {
  core.emit(
    event('DTMFEnd', 'dtmf,all', channelPairs(ch), [
      ['Digit', digit],
      ['DurationMs', '0'],
      ['Direction', 'Received'],
    ]),
  );
}

/** Tears a bridge down when either of its two remaining members hangs up (nobody else owns it any more). */
async function watch(core: SimCore, b: SimBridge, a: SimChannel, z: SimChannel): Promise<void> {
  await Promise.race([
    waitFor(a, () => false),
    waitFor(z, () => false),
    waitFor(a, (c) => c.bridge !== b.id),
    waitFor(z, (c) => c.bridge !== b.id),
  ]);
  if (!core.state.bridges.has(b.id)) return;
  for (const c of [a, z]) if (c.bridge === b.id) leaveBridge(core, c);
  destroyBridge(core, b);
  for (const c of [a, z]) {
    if (!core.state.channels.has(c.name)) continue;
    requestHangup(core, c, a.hangupCause ?? z.hangupCause ?? 16);
    destroyChannel(core, c);
  }
}

async function transfer(
  core: SimCore,
  x: SimChannel,
  y: SimChannel,
  b1: SimBridge,
  exten: string,
  context: string,
): Promise<void> {
  for (const d of '*2') dtmfEnd(core, x, d);
  core.emit(event('Hold', 'call,all', channelPairs(x)));
  core.emit(event('MusicOnHoldStart', 'call,all', channelPairs(y), [['Class', 'default']]));
  for (const d of exten) {
    if (!(await sleepUnless(core, 150, x))) return;
    dtmfEnd(core, x, d);
  }
  const one = createDialled(core, x, `Local/${exten}@${context}`, x.linkedid);
  const unhold = () => {
    if (core.state.channels.has(y.name)) core.emit(event('MusicOnHoldStop', 'call,all', channelPairs(y)));
    if (core.state.channels.has(x.name)) core.emit(event('Unhold', 'call,all', channelPairs(x)));
  };
  if (!one) {
    unhold();
    return;
  }
  const b2 = createBridge(core);
  enterBridge(core, b2, one);
  core.emit(
    event('DialBegin', 'call,all', channelPairs(one, 'Dest'), [['DialString', `${exten}@${context}`]]),
  );
  const two = one.peer ? core.state.channel(one.peer) : undefined;
  if (two && localRunner.run) core.spawn(localRunner.run(core, two));
  await waitFor(one, (c) => c.state >= 5 || x.gone.aborted);
  if (!one.gone.aborted)
    core.emit(event('DialState', 'call,all', channelPairs(one, 'Dest'), [['DialStatus', 'RINGING']]));
  await waitFor(one, (c) => c.state === 6 || x.gone.aborted);
  const answered = one.state === 6 && !one.gone.aborted;
  core.emit(
    event('DialEnd', 'call,all', channelPairs(one, 'Dest'), [['DialStatus', answered ? 'ANSWER' : 'CANCEL']]),
  );
  if (!answered || !(await sleepUnless(core, CONSULT_MS, x, y, one))) {
    leaveBridge(core, one);
    destroyBridge(core, b2);
    if (core.state.channels.has(one.name)) {
      requestHangup(core, one, 16);
      destroyChannel(core, one, 16);
    }
    unhold();
    return;
  }
  // The transferer hangs up: the target takes its place in the first bridge.
  leaveBridge(core, one);
  destroyBridge(core, b2);
  core.emit(event('MusicOnHoldStop', 'call,all', channelPairs(y)));
  enterBridge(core, b1, one);
  core.emit(
    event(
      'AttendedTransfer',
      'call,all',
      [['Result', 'Success']],
      channelPairs(x, 'OrigTransferer'),
      bridgePairs(b1, 'Orig'),
      channelPairs(x, 'SecondTransferer'),
      bridgePairs(b2, 'Second'),
      channelPairs(y, 'Transferee'),
      channelPairs(one, 'TransferTarget'),
      [
        ['IsExternal', 'No'],
        ['DestType', 'Bridge'],
        ['DestBridgeUniqueid', b1.id],
      ],
    ),
  );
  const xWasCaller = x.role === 'caller';
  requestHangup(core, x, 16);
  leaveBridge(core, x);
  // A dialled transferer has no thread of its own to end it; a dialplan-running one ends in its Dial.
  if (!xWasCaller) destroyChannel(core, x, 16);
  else core.spawn(watch(core, b1, y, one));
}

/** The Atxfer action. */
export const atxferModule: SimModule = {
  name: 'atxfer',
  actions: {
    Atxfer: (core, a) => {
      const exten = header(a, 'Exten');
      if (!exten) return error(a, 'No extension specified');
      const name = header(a, 'Channel');
      const x = name ? core.state.channel(name) : undefined;
      if (!x) return error(a, 'Channel specified does not exist');
      const b1 = x.bridge ? core.state.bridges.get(x.bridge) : undefined;
      const y = b1?.channels.map((n) => core.state.channel(n)).find((c) => c !== undefined && c !== x);
      if (!b1 || !y) return error(a, 'Atxfer failed');
      const context = a.get('Context') || x.context;
      core.clock.after(0, () => core.spawn(transfer(core, x, y, b1, exten, context)));
      return reply(a, [['Message', 'Atxfer successfully queued']]);
    },
  },
};
