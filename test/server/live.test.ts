/** `/api/v1/live`: snapshot, changes, resume by sequence number, a slow client dropped, auth on the upgrade. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { type AmiMessage, AmiParser } from '../../src/ami/index.js';
import { waitUntil } from '../helpers/wait.js';
import { type Harness, startHarness } from './harness.js';

function events(name: string): AmiMessage[] {
  const out: AmiMessage[] = [];
  const p = new AmiParser({ onMessage: (m) => m.kind === 'event' && out.push(m) });
  p.push(readFileSync(new URL(`../fixtures/asterisk/ami/${name}.raw`, import.meta.url)));
  return out.filter((m) => !['FullyBooted', 'SuccessfulAuth'].includes(m.get('Event') ?? ''));
}

interface Msg {
  type: string;
  seq: number;
  epoch?: string;
  change?: { type: string; op: string; id: string };
  data?: { servers: { calls: unknown[] }[] };
}

function connect(
  url: string,
  headers: Record<string, string>,
): Promise<{ ws: WebSocket; msgs: Msg[]; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const msgs: Msg[] = [];
    const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
    ws.on('message', (d) => msgs.push(JSON.parse(String(d)) as Msg));
    ws.on('open', () => resolve({ ws, msgs, closed }));
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on('error', reject);
  });
}

describe('live WebSocket', () => {
  let h: Harness;
  let headers: Record<string, string>;
  const call = events('sip-call');
  before(async () => {
    h = await startHarness({ config: { live: { maxBufferedBytes: 256 * 1024 } } });
    await h.user('vic', 'viewer');
    headers = (await h.token('vic')).headers;
    await h.server.context.pbx.monitor.ready();
  });
  after(() => h.close());
  const wsUrl = () => `${h.url.replace('http', 'ws')}/api/v1/live`;

  it('refuses an upgrade without credentials (401)', async () => {
    await assert.rejects(connect(wsUrl(), {}), /HTTP 401/);
  });

  it('sends the snapshot first, then every change in order', async () => {
    const c = await connect(wsUrl(), headers);
    await waitUntil(() => c.msgs.length >= 1, 'the snapshot');
    assert.equal(c.msgs[0]!.type, 'snapshot');
    const start = c.msgs[0]!.seq;
    for (const m of call) h.ami[0]!.emit(m.headers);
    await waitUntil(
      () =>
        c.msgs.some(
          (m) => m.change?.type === 'record' || (m.change?.type === 'call' && m.change.op === 'remove'),
        ),
      'the call to end',
      15_000,
    );
    const seqs = c.msgs.slice(1).map((m) => m.seq);
    assert.deepEqual(
      seqs,
      seqs.map((_, i) => start + 1 + i),
      'consecutive sequence numbers',
    );
    assert.ok(c.msgs.some((m) => m.change?.type === 'call' && m.change.op === 'add'));
    c.ws.close();
  });

  it('resumes with ?since= without a gap, or sends a fresh snapshot for an unknown epoch', async () => {
    const first = await connect(wsUrl(), headers);
    await waitUntil(() => first.msgs.length >= 1, 'snapshot');
    const { seq, epoch } = first.msgs[0]!;
    first.ws.close();
    await first.closed;
    for (const m of call.slice(0, 20)) h.ami[0]!.emit(m.headers);
    await waitUntil(() => h.server.context.live.lastSeq > seq, 'changes while away');
    const missed = h.server.context.live.lastSeq - seq;
    const again = await connect(`${wsUrl()}?since=${seq}&epoch=${epoch}`, headers);
    await waitUntil(() => again.msgs.length >= missed + 1, 'the missed changes');
    assert.equal(again.msgs[0]!.type, 'resume');
    assert.deepEqual(
      again.msgs.slice(1, missed + 1).map((m) => m.seq),
      Array.from({ length: missed }, (_, i) => seq + 1 + i),
    );
    again.ws.close();
    const other = await connect(`${wsUrl()}?since=${seq}&epoch=not-this-one`, headers);
    await waitUntil(() => other.msgs.length >= 1, 'a snapshot');
    assert.equal(other.msgs[0]!.type, 'snapshot');
    other.ws.close();
    for (const m of call.slice(20)) h.ami[0]!.emit(m.headers);
  });

  it('drops a client that stops reading with close code 4008, and the others go on', async () => {
    const slow = await connect(wsUrl(), headers);
    const fast = await connect(wsUrl(), headers);
    await waitUntil(() => slow.msgs.length >= 1 && fast.msgs.length >= 1, 'snapshots');
    // Stop reading: the TCP window fills and the server's queue for this client grows.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const before = fast.msgs.length;
    for (let round = 0; round < 60 && slow.ws.readyState === WebSocket.OPEN; round++) {
      for (const m of call) h.ami[0]!.emit(m.headers);
      await new Promise((r) => setTimeout(r, 20));
    }
    await waitUntil(() => fast.msgs.length > before + 100, 'changes for the fast client', 20_000);
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    assert.equal(await slow.closed, 4008);
    assert.equal(fast.ws.readyState, WebSocket.OPEN);
    fast.ws.close();
  });
});
