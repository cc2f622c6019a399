/** `switchboard pbx snapshot` and `switchboard pbx watch` run through the real entry point against FakeAmiServer. */
import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { serverIds } from '../../src/cli/pbx.js';
import { FakeAmiServer } from '../../src/testing/index.js';

const root = new URL('../../', import.meta.url).pathname;

function start(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'pbx', ...args], {
    cwd: root,
    env: { ...process.env, SWITCHBOARD_AMI_URL: undefined },
  });
}

function done(
  child: ChildProcessWithoutNullStreams,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Resolves with the first stdout line that satisfies `pred`. */
function lineWhere(child: ChildProcessWithoutNullStreams, pred: (l: string) => boolean): Promise<string> {
  return new Promise((resolve) => {
    let buf = '';
    const on = (d: Buffer) => {
      buf += d;
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      const hit = lines.find(pred);
      if (hit !== undefined) {
        child.stdout.off('data', on);
        resolve(hit);
      }
    };
    child.stdout.on('data', on);
  });
}

const channel = (uid: string, name: string, bridge = '') => ({
  Event: 'CoreShowChannel',
  Channel: name,
  ChannelState: '6',
  ChannelStateDesc: 'Up',
  CallerIDNum: '201',
  Uniqueid: uid,
  Linkedid: '1795340000.1',
  BridgeId: bridge,
  Application: 'Dial',
  Duration: '00:00:07',
});

describe('switchboard pbx (against FakeAmiServer)', () => {
  let server: FakeAmiServer;
  before(async () => {
    server = await FakeAmiServer.start({
      users: { admin: 's3cr3t-value' },
      handlers: {
        CoreShowChannels: () => ({
          list: {
            items: [
              channel('1795340000.1', 'PJSIP/reina-00000001', 'br-1'),
              channel('1795340000.2', 'PJSIP/alonso-00000002', 'br-1'),
            ],
            complete: 'CoreShowChannelsComplete',
          },
        }),
        QueueStatus: () => ({
          list: {
            items: [
              { Event: 'QueueParams', Queue: 'ventas', Strategy: 'ringall', Completed: '3', Abandoned: '1' },
              {
                Event: 'QueueMember',
                Queue: 'ventas',
                Location: 'PJSIP/alonso',
                Status: '2',
                Paused: '0',
                InCall: '1',
                CallsTaken: '3',
              },
            ],
            complete: 'QueueStatusComplete',
          },
        }),
      },
    });
  });
  after(async () => {
    await server.close();
  });

  test('server ids come from host:port, never from credentials, and repeats are numbered', () => {
    assert.deepEqual(serverIds(['ami://a:b@pbx1:5038', 'ami://c:d@pbx1:5038', 'amis://x:y@pbx2']), [
      'pbx1:5038',
      'pbx1:5038#2',
      'pbx2:5039',
    ]);
  });

  test('snapshot prints the model (channels, bridge, call, queue, agent) as JSON and exits 0', async () => {
    const { code, stdout, stderr } = await done(start(['snapshot', '--url', server.url()]));
    assert.equal(stderr, '');
    assert.equal(code, 0);
    const out = JSON.parse(stdout) as {
      servers: {
        server: string;
        channels: unknown[];
        bridges: { members: string[] }[];
        calls: { channels: string[] }[];
        queues: { name: string }[];
        agents: { interface: string; inCall: boolean }[];
      }[];
    };
    const s = out.servers[0]!;
    assert.equal(s.server, `127.0.0.1:${server.port}`);
    assert.equal(s.channels.length, 2);
    assert.deepEqual(s.bridges[0]!.members.sort(), ['1795340000.1', '1795340000.2']);
    assert.equal(s.calls.length, 1);
    assert.equal(s.calls[0]!.channels.length, 2);
    assert.deepEqual(
      s.queues.map((q) => q.name),
      ['ventas'],
    );
    assert.deepEqual(
      s.agents.map((a) => [a.interface, a.inCall]),
      [['PJSIP/alonso', true]],
    );
  });

  test('snapshot with --url twice shows two servers whose channel ids never collide', async () => {
    const { code, stdout } = await done(start(['snapshot', '--url', server.url(), '--url', server.url()]));
    assert.equal(code, 0);
    const out = JSON.parse(stdout) as { servers: { server: string; channels: { id: string }[] }[] };
    const id = `127.0.0.1:${server.port}`;
    assert.deepEqual(
      out.servers.map((s) => [s.server, s.channels.length]),
      [
        [id, 2],
        [`${id}#2`, 2],
      ],
    );
    const ids = out.servers.flatMap((s) => s.channels.map((c) => c.id));
    assert.equal(new Set(ids).size, 4);
    assert.ok(ids.every((c) => c.startsWith(`${id}/`) || c.startsWith(`${id}#2/`)));
  });

  test('watch --snapshot prints the snapshot, then change events as JSON lines; SIGTERM exits 0', async () => {
    const child = start(['watch', '--snapshot', '--url', server.url()]);
    const result = done(child);
    const snap = JSON.parse(await lineWhere(child, (l) => l.includes('"snapshot"'))) as {
      type: string;
      servers: { seq: number }[];
    };
    assert.equal(snap.type, 'snapshot');
    const next = lineWhere(child, (l) => l.includes('"channel"'));
    server.emit({
      Event: 'Newchannel',
      Channel: 'PJSIP/manuel-00000003',
      ChannelState: '4',
      ChannelStateDesc: 'Ring',
      Uniqueid: '1795340000.3',
      Linkedid: '1795340000.3',
    });
    const change = JSON.parse(await next) as {
      type: string;
      op: string;
      seq: number;
      data: { name: string };
    };
    assert.deepEqual([change.type, change.op, change.data.name], ['channel', 'add', 'PJSIP/manuel-00000003']);
    assert.equal(change.seq, snap.servers[0]!.seq + 1, 'changes continue right after the snapshot');
    child.kill('SIGTERM');
    const { code } = await result;
    assert.equal(code, 0);
  });

  test('a bad secret exits 2 with one line that does not contain the secret', async () => {
    const url = server.url('admin', 'wrong-s3cr3t');
    const { code, stdout, stderr } = await done(start(['snapshot', '--url', url]));
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /^switchboard pbx: .+\n$/);
    assert.ok(!stderr.includes('wrong-s3cr3t'));
  });
});
