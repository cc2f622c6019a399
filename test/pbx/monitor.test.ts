/**
 * PbxMonitor over the real AmiClient and the FakeAmiServer on 127.0.0.1: the snapshot on connect, events, a
 * dropped link in the middle of calls and the re-snapshot after the reconnect, checked against the simulator's
 * truth.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { AmiClient } from '../../src/ami/index.js';
import { type PbxCallRecord, type PbxChange, PbxClosedError, PbxMonitor } from '../../src/pbx/index.js';
import { FakeAmiServer } from '../../src/testing/index.js';
import { compare } from './compare.js';
import { OP_KINDS, type SimOp, SimPbx } from './sim.js';

async function withPbx(
  fn: (ctx: {
    sim: SimPbx;
    server: FakeAmiServer;
    client: AmiClient;
    monitor: PbxMonitor;
    sync: () => Promise<void>;
  }) => Promise<void>,
) {
  const sim = new SimPbx();
  const server = await FakeAmiServer.start({
    handlers: {
      CoreShowChannels: () => {
        const items = sim.coreShowChannels().map((m) => m.headers);
        sim.seenBySnapshot(sim.coreShowChannels().map((m) => m.get('Uniqueid')!));
        return { list: { items, complete: 'CoreShowChannelsComplete' } };
      },
      QueueStatus: () => ({
        list: { items: sim.queueStatus().map((m) => m.headers), complete: 'QueueStatusComplete' },
      }),
      ConfbridgeListRooms: () => ({ Response: 'Error', Message: 'No active conferences.' }),
      PJSIPShowEndpoints: () => ({
        list: {
          items: [
            {
              Event: 'EndpointList',
              ObjectName: 'alice',
              DeviceState: 'Not in use',
              Contacts: 'alice/sip:alice@127.0.0.1:5070,',
            },
          ],
          complete: 'EndpointListComplete',
        },
      }),
    },
  });
  const client = new AmiClient({
    url: server.url(),
    keepalive: false,
    reconnect: { initialDelay: 5, maxDelay: 20 },
  });
  const monitor = new PbxMonitor([{ id: 'pbx1', client }], { tickMs: 60_000, kpiEveryMs: 0 });
  let n = 0;
  // Events reach the model in order; a marker UserEvent tells when everything sent so far has been applied.
  const sync = async () => {
    const mark = String(++n);
    const seen = new Promise<void>((resolve) => {
      const on = (m: { event?: string; get(k: string): string | undefined }) => {
        if (m.event === 'UserEvent' && m.get('Mark') === mark) {
          client.off('event', on);
          resolve();
        }
      };
      client.on('event', on);
    });
    server.emit({ Event: 'UserEvent', UserEvent: 'Sync', Mark: mark });
    await seen;
  };
  sim.deliver = (m) => server.emit(m.headers);
  try {
    await client.connect();
    monitor.start();
    await monitor.ready();
    await fn({ sim, server, client, monitor, sync });
  } finally {
    await monitor.close();
    await client.close();
    await server.close();
  }
}

async function drop(sim: SimPbx, server: FakeAmiServer, client: AmiClient): Promise<void> {
  sim.disconnect();
  const down = once(client, 'state');
  server.dropAll();
  await down;
}

async function back(sim: SimPbx, monitor: PbxMonitor): Promise<void> {
  sim.reconnect();
  await once(monitor, 'synced');
}

describe('PbxMonitor with AmiClient and FakeAmiServer', () => {
  test('snapshot on connect, events, a link drop mid-call, re-snapshot, records', async () => {
    await withPbx(async ({ sim, server, client, monitor, sync }) => {
      const model = monitor.model('pbx1')!;
      const records: PbxCallRecord[] = [];
      const changes: PbxChange[] = [];
      model.onRecord((r) => records.push(r));
      monitor.on('change', (c) => changes.push(c));
      assert.equal(monitor.snapshot()[0]!.endpoints[0]!.deviceState, 'NOT_INUSE');
      const run = (ops: SimOp[]) => {
        for (const op of ops) sim.step(op);
      };
      run([
        { kind: 0, pick: 0 },
        { kind: 1, pick: 0 },
        { kind: 2, pick: 0 },
        { kind: 3, pick: 0 },
      ]);
      await sync();
      compare(model, sim, 'before the drop');
      assert.equal(model.snapshot().calls.length, 2);
      await drop(sim, server, client);
      run([
        { kind: 4, pick: 0 },
        { kind: 0, pick: 0 },
      ]); // alice hangs up, a new call starts: nobody sees it
      await back(sim, monitor);
      await sync();
      compare(model, sim, 'after the re-snapshot');
      const gone = changes.filter(
        (c) => c.type === 'channel' && c.op === 'remove' && c.endedWhileDisconnected,
      );
      assert.equal(gone.length, 1, 'alice removed with the explicit marker');
      for (const c of [...sim.chans.values()])
        sim.step({ kind: 4, pick: [...sim.chans.keys()].indexOf(c.uid) });
      await sync();
      compare(model, sim, 'after the final hangups');
      model.flush();
      assert.deepEqual(
        records.map((r) => [r.linkedid, r.endedWhileDisconnected]).sort(),
        [...sim.calls.values()]
          .filter((c) => c.seen)
          .map((c) => [c.linkedid, c.endedInGap])
          .sort(),
      );
      assert.ok(records.some((r) => r.endedWhileDisconnected));
      let seq = changes[0]!.seq - 1; // the listener came after the first snapshot
      for (const c of changes) assert.equal(c.seq, ++seq, 'no change lost or reordered');
    });
  });

  test('random steps with link drops over real sockets', async () => {
    const opArb = fc.record({ kind: fc.integer({ min: 0, max: OP_KINDS }), pick: fc.nat(100) });
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 40 }), async (ops) => {
        await withPbx(async ({ sim, server, client, monitor, sync }) => {
          const model = monitor.model('pbx1')!;
          for (const op of ops) {
            if (op.kind === OP_KINDS) {
              if (sim.connected) await drop(sim, server, client);
              else await back(sim, monitor);
            } else sim.step(op);
            if (sim.connected) {
              await sync();
              compare(model, sim, JSON.stringify(op));
            }
          }
          if (!sim.connected) await back(sim, monitor);
          await sync();
          compare(model, sim, 'end');
        });
      }),
      { numRuns: 15 },
    );
  });

  test('two servers with the same uniqueids: ids never collide, each has its own sequence', async () => {
    const item = {
      Event: 'CoreShowChannel',
      Channel: 'PJSIP/a-00000001',
      ChannelState: '6',
      ChannelStateDesc: 'Up',
      Uniqueid: '1.1',
      Linkedid: '1.1',
      BridgeId: '',
    };
    const handlers = {
      CoreShowChannels: () => ({ list: { items: [item], complete: 'CoreShowChannelsComplete' } }),
    };
    const servers = [await FakeAmiServer.start({ handlers }), await FakeAmiServer.start({ handlers })];
    const clients = servers.map((s) => new AmiClient({ url: s.url(), keepalive: false, reconnect: false }));
    const monitor = new PbxMonitor([
      { id: 'east', client: clients[0]! },
      { id: 'west', client: clients[1]! },
    ]);
    const changes: PbxChange[] = [];
    monitor.on('change', (c) => changes.push(c));
    try {
      await Promise.all(clients.map((c) => c.connect()));
      monitor.start();
      await monitor.ready();
      const snap = monitor.snapshot();
      assert.deepEqual(
        snap.map((s) => s.channels.map((c) => c.id)),
        [['east/1.1'], ['west/1.1']],
      );
      assert.deepEqual(
        snap.map((s) => s.calls.map((c) => c.id)),
        [['east/1.1'], ['west/1.1']],
      );
      for (const id of ['east', 'west']) {
        const seqs = changes.filter((c) => c.server === id).map((c) => c.seq);
        assert.deepEqual(
          seqs,
          seqs.map((_, i) => i + 1),
          `${id} numbers its own changes`,
        );
      }
      assert.throws(
        () =>
          new PbxMonitor([
            { id: 'x', client: clients[0]! },
            { id: 'x', client: clients[1]! },
          ]),
        TypeError,
      );
    } finally {
      await monitor.close();
      for (const c of clients) await c.close();
      for (const s of servers) await s.close();
    }
  });

  test('a snapshot that times out rejects ready() with PbxSyncError, nothing throws, and it is retried', async () => {
    let answer = false;
    const item = {
      Event: 'CoreShowChannel',
      Channel: 'PJSIP/a-00000001',
      ChannelState: '6',
      Uniqueid: '1.1',
      Linkedid: '1.1',
    };
    const server = await FakeAmiServer.start({
      handlers: {
        CoreShowChannels: () =>
          answer ? { list: { items: [item], complete: 'CoreShowChannelsComplete' } } : null,
      },
    });
    const client = new AmiClient({
      url: server.url(),
      keepalive: false,
      reconnect: false,
      actionTimeout: 100,
    });
    const monitor = new PbxMonitor([{ id: 'slow', client }], { retryMs: 20 });
    try {
      await client.connect();
      monitor.start();
      await assert.rejects(monitor.ready(), (e: Error & { code?: string; causeCode?: string }) => {
        assert.equal(e.code, 'PBX_SYNC_FAILED');
        assert.equal(e.causeCode, 'AMI_TIMEOUT');
        return true;
      });
      answer = true; // the server recovers: the monitor tries again on its own
      await once(monitor, 'synced');
      assert.equal(monitor.snapshot()[0]!.channels.length, 1);
    } finally {
      await monitor.close();
      await client.close();
      await server.close();
    }
  });

  test('close() rejects a pending ready() and is idempotent', async () => {
    const server = await FakeAmiServer.start();
    server.stallNewSessions(true);
    const client = new AmiClient({
      url: server.url(),
      keepalive: false,
      reconnect: false,
      connectTimeout: 200,
    });
    const monitor = new PbxMonitor([{ id: 'x', client }]).start();
    const pending = monitor.ready();
    await monitor.close();
    await monitor.close();
    await assert.rejects(pending, PbxClosedError);
    await client.close();
    await server.close();
  });
});
