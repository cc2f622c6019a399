/**
 * PbxMonitor trunks over real sockets: the recorded trunk transcript replayed by the FakeAmiServer to the real
 * AmiClient (register / unregister helpers, snapshots), and refusals of every kind.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { AmiClient } from '../../src/ami/index.js';
import { type PbxChange, PbxMonitor, type PbxTrunk, type PbxTrunkError } from '../../src/pbx/index.js';
import { AmiTranscriptReplay, FakeAmiServer } from '../../src/testing/index.js';
import { waitUntil } from '../helpers/wait.js';

const fixture = new URL('../fixtures/asterisk/ami/pjsip-trunk-registration.jsonl', import.meta.url).pathname;
const REG = 'pbx1/pjsip-registration/trunk13-reg';

async function withMonitor(
  server: FakeAmiServer,
  fn: (m: PbxMonitor, changes: PbxChange[]) => Promise<void>,
): Promise<void> {
  const client = new AmiClient({ url: server.url(), keepalive: false, reconnect: false });
  const monitor = new PbxMonitor([{ id: 'pbx1', client }], { tickMs: 60_000, kpiEveryMs: 0 });
  const changes: PbxChange[] = [];
  monitor.on('change', (c) => {
    if (c.type === 'trunk') changes.push(c);
  });
  try {
    await client.connect();
    monitor.start();
    await monitor.ready();
    await fn(monitor, changes);
  } finally {
    await monitor.close();
    await client.close();
    await server.close();
  }
}

const trunkStates = (cs: PbxChange[]) => cs.map((c) => (c.data as PbxTrunk).state);

describe('PbxMonitor trunks over the recorded transcript', () => {
  test('snapshot, unregister, register → registering → rejected, re-snapshot, register → registered', async () => {
    const server = await FakeAmiServer.start({
      replay: AmiTranscriptReplay.fromJsonl(readFileSync(fixture, 'utf8')),
    });
    await withMonitor(server, async (monitor, changes) => {
      // The other snapshot actions are unknown to the replay (Response: Error): tolerated, only the trunk is there.
      const snap = monitor.snapshot()[0]!;
      assert.deepEqual(
        snap.trunks.map((t) => [t.id, t.kind, t.state]),
        [[REG, 'pjsip-registration', 'registered']],
      );
      assert.doesNotMatch(JSON.stringify(snap), /trunk-secret/);

      const after = await monitor.unregister(REG);
      assert.equal(after.id, REG);
      await waitUntil(() => monitor.model('pbx1')!.trunk(REG)?.state === 'unregistered', 'Unregistered');

      // The replay sends the 32 s later Rejected at once; the registering change still comes first.
      const reg = await monitor.register(REG);
      assert.ok(['registering', 'rejected'].includes(reg.state));
      await waitUntil(() => monitor.model('pbx1')!.trunk(REG)?.state === 'rejected', 'Rejected');

      await monitor.resync('pbx1');
      assert.equal(monitor.model('pbx1')!.trunk(REG)!.state, 'rejected');

      await monitor.register(REG);
      await waitUntil(() => monitor.model('pbx1')!.trunk(REG)?.state === 'registered', 'Registered');
      await monitor.resync('pbx1');
      assert.deepEqual(trunkStates(changes), [
        'registered',
        'unregistered',
        'registering',
        'rejected',
        'registering',
        'registering',
        'registered',
      ]);
      // Per-server seq: strictly increasing across the trunk changes (other changes may sit in between).
      const seqs = changes.map((c) => c.seq);
      assert.deepEqual(
        seqs,
        [...seqs].sort((a, b) => a - b),
      );
    });
  });
});

describe('PbxMonitor trunk requests refused', () => {
  const listing = {
    list: {
      items: [
        {
          Event: 'OutboundRegistrationDetail',
          ObjectName: 'trunk13-reg',
          ClientUri: 'sip:trunk-master@127.0.0.1:5262',
          ServerUri: 'sip:127.0.0.1:5262',
          Status: 'Rejected',
        },
      ],
      complete: 'OutboundRegistrationDetailComplete',
    },
  };

  test('Asterisk refuses PJSIPRegister: PBX_TRUNK_ACTION_FAILED with its message, the last state comes back', async () => {
    const server = await FakeAmiServer.start({
      handlers: {
        pjsipshowregistrationsoutbound: () => listing,
        pjsipregister: () => ({
          Response: 'Error',
          Message: 'Unable to retrieve registration entry trunk13-reg',
        }),
      },
    });
    await withMonitor(server, async (monitor, changes) => {
      await assert.rejects(monitor.register(REG), (e: PbxTrunkError) => {
        assert.equal(e.code, 'PBX_TRUNK_ACTION_FAILED');
        assert.match(e.message, /Unable to retrieve registration entry/);
        return true;
      });
      const t = monitor.model('pbx1')!.trunk(REG)!;
      assert.deepEqual(
        [t.state, t.reason],
        ['rejected', 'Unable to retrieve registration entry trunk13-reg'],
      );
      assert.deepEqual(trunkStates(changes), ['rejected', 'registering', 'rejected']);
    });
  });

  test('unknown trunk, a span cannot register, chan_sip cannot unregister one registration', async () => {
    const server = await FakeAmiServer.start({
      handlers: {
        sipshowregistry: () => ({
          list: {
            items: [{ Event: 'RegistryEntry', Host: 'sip.example.net', Username: '44', State: 'Registered' }],
            complete: 'RegistrationsComplete',
          },
        }),
        prishowspans: () => ({
          list: {
            items: [
              { Event: 'PRIShowSpans', Span: '1', DChannel: '16', Active: 'Yes', Alarm: 'No', Up: 'Yes' },
            ],
            complete: 'PRIShowSpansComplete',
          },
        }),
      },
    });
    await withMonitor(server, async (monitor) => {
      const code = (p: Promise<unknown>) =>
        p.then(
          () => 'resolved',
          (e: PbxTrunkError) => e.code,
        );
      assert.equal(await code(monitor.register('pbx1/pjsip-registration/nope')), 'PBX_TRUNK_NOT_FOUND');
      assert.equal(await code(monitor.register('pbx1/dahdi-span/1')), 'PBX_TRUNK_UNSUPPORTED');
      assert.equal(
        await code(monitor.unregister('pbx1/sip-registration/44@sip.example.net')),
        'PBX_TRUNK_UNSUPPORTED',
      );
      await assert.rejects(monitor.register('nowhere/pjsip-registration/x'), TypeError);
      // chan_sip re-registers through a reload (the FakeAmiServer has no Command handler: refused, state restored).
      assert.equal(
        await code(monitor.register('pbx1/sip-registration/44@sip.example.net')),
        'PBX_TRUNK_ACTION_FAILED',
      );
      assert.equal(
        monitor.model('pbx1')!.trunk('pbx1/sip-registration/44@sip.example.net')!.state,
        'registered',
      );
    });
  });
});
