/** `/api/v1/logs` and `/api/v1/logs/live` over a real server: a followed file and a syslog receiver per PBX, filters, WebSocket lines, 401/403. */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { FakeAmiServer } from '../../src/testing/index.js';
import { waitUntil } from '../helpers/wait.js';
import { type Harness, startHarness } from '../server/harness.js';

const LOG = readFileSync('test/fixtures/asterisk/logs/messages.log', 'utf8').split('\n').filter(Boolean);

describe('logs API', () => {
  let h: Harness;
  let fake: FakeAmiServer;
  let dir: string;
  let path: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-logs-api-'));
    path = join(dir, 'messages');
    writeFileSync(path, `${LOG.slice(0, 60).join('\n')}\n`);
    fake = await FakeAmiServer.start();
    h = await startHarness({
      pbx: [fake],
      config: {
        logs: { pollInterval: 50 },
        pbx: [
          {
            id: 'pbx1',
            ami: fake.url(),
            logs: { file: path, fromStart: true, syslog: { host: '127.0.0.1', udp: 0 } },
          },
        ],
      },
    });
    await h.user('ana', 'admin');
    await h.user('sue', 'supervisor');
    await h.user('op', 'operator');
    const room = h.server.context.rooms.get('logs') as { ring: { query(f: object, n: number): unknown[] } };
    await waitUntil(() => room.ring.query({}, 1000).length >= 60, 'the file read');
  });
  after(async () => {
    await h.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers lines from the file with filters: level, text, call id, limit', async () => {
    const sue = await h.login('sue');
    const all = await sue.call('GET', '/api/v1/logs?limit=1000');
    assert.equal(all.status, 200);
    assert.equal(all.body.length, 60);
    assert.equal(all.body[0].raw, LOG[0]);
    assert.equal(all.body[0].source, 'file');
    const errors = await sue.call('GET', '/api/v1/logs?level=error&limit=1000');
    assert.ok(errors.body.length > 0 && errors.body.every((l: { level: string }) => l.level === 'ERROR'));
    const q = await sue.call('GET', '/api/v1/logs?q=udptl.conf');
    assert.ok(q.body.length >= 1 && q.body.every((l: { raw: string }) => l.raw.includes('udptl.conf')));
    const two = await sue.call('GET', '/api/v1/logs?limit=2');
    assert.deepEqual(
      two.body.map((l: { raw: string }) => l.raw),
      LOG.slice(58, 60),
    );
    assert.equal((await sue.call('GET', '/api/v1/logs?callid=nope')).status, 400);
    assert.equal((await sue.call('GET', '/api/v1/logs?pbx=zz')).status, 404);
  });

  it('receives syslog (UDP) from a remote PBX into the same ring', async () => {
    const room = h.server.context.rooms.get('logs') as { syslogPorts: Record<string, { udp: number }> };
    const port = room.syslogPorts.pbx1!.udp;
    const u = dgram.createSocket('udp4');
    const msg =
      '<134>Dec  4 02:40:00 pbx1 asterisk[11981]: WARNING[12014][C-00000042]: chan_pjsip.c:10 in f: remote line';
    await new Promise<void>((r) => u.send(msg, port, '127.0.0.1', () => r()));
    u.close();
    const sue = await h.login('sue');
    let body: Array<{ message: string; source: string; callId: string }> = [];
    await waitUntil(() => {
      void sue.call('GET', '/api/v1/logs?callid=C-00000042').then((r) => {
        body = r.body;
      });
      return body.length === 1;
    }, 'the syslog line');
    assert.deepEqual([body[0]!.message, body[0]!.source], ['remote line', 'syslog']);
  });

  it('streams new lines over the WebSocket with the filters applied server side', async () => {
    const headers = (await h.token('sue')).headers;
    const ws = new WebSocket(`${h.url.replace('http', 'ws')}/api/v1/logs/live?level=warning&limit=3`, {
      headers,
    });
    const msgs: Array<{ type: string; lines?: unknown[]; line?: { message: string; level: string } }> = [];
    ws.on('message', (d) => msgs.push(JSON.parse(String(d))));
    await new Promise((r, j) => {
      ws.on('open', r);
      ws.on('error', j);
    });
    await waitUntil(() => msgs.length >= 1, 'snapshot');
    assert.equal(msgs[0]!.type, 'snapshot');
    assert.equal(msgs[0]!.lines!.length, 3);
    appendFileSync(
      path,
      '[Dec  4 02:41:00] NOTICE[1] a.c: filtered out\n[Dec  4 02:41:01] ERROR[1] b.c: shown live\n',
    );
    await waitUntil(() => msgs.length >= 2, 'a live line');
    assert.deepEqual(
      msgs.slice(1).map((m) => m.line!.message),
      ['shown live'],
    );
    ws.close();
  });

  it('admins and supervisors only: 401 without credentials, 403 for an operator (REST and upgrade)', async () => {
    assert.equal((await h.anonymous().call('GET', '/api/v1/logs')).status, 401);
    const op = await h.login('op');
    assert.equal((await op.call('GET', '/api/v1/logs')).status, 403);
    const ana = await h.login('ana');
    assert.equal((await ana.call('GET', '/api/v1/logs')).status, 200);
    const status = (headers: Record<string, string>) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`${h.url.replace('http', 'ws')}/api/v1/logs/live`, { headers });
        ws.on('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('error', () => {});
      });
    assert.equal(await status({}), 401);
    assert.equal(await status((await h.token('op')).headers), 403);
  });
});
