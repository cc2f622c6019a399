/**
 * kill -9 of a process running the delivery engine in the middle of a delivery, then a restart: every event is
 * delivered, each under the delivery id it got when it was enqueued, in order per target; only what was in
 * flight at the kill is received twice (same id).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  FeedRepository,
  openStore,
  WebhookOutboxRepository,
  WebhookTargetRepository,
} from '../../src/store/index.js';
import { waitUntil } from '../helpers/wait.js';
import { startReceiver } from './webhooks-receiver.js';

const child = new URL('./webhooks-child.ts', import.meta.url).pathname;
const config = JSON.stringify({ allowPrivateTargets: true, timeoutMs: 1000, pollMs: 20, backoffMs: 10 });

function start(file: string): { proc: ChildProcess; exited: Promise<void> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, file, config], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return { proc, exited };
}

test('kill -9 mid-delivery, restart: nothing lost, ids stable, order kept per target', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-webhooks-'));
  const file = join(dir, 'store.sqlite');
  let killed = false;
  let first: ReturnType<typeof start> | undefined;
  const receiver = await startReceiver((_, i) => {
    if (i === 60 && first && !killed) {
      killed = true;
      first.proc.kill('SIGKILL'); // the answer to this request never comes: it is mid-delivery
      return { status: 200, delayMs: 60_000 };
    }
    return { status: 200, delayMs: 1 };
  });
  const store = await openStore({ url: file });
  try {
    const feed = await new FeedRepository(store.db, store.dialect).create(1, {
      name: 'f',
      pbx: null,
      kind: 'ami',
      filter: {},
    });
    const targets = new WebhookTargetRepository(store.db);
    for (let t = 0; t < 2; t++) {
      await targets.create(feed.id, {
        url: `${receiver.url}?t=${t}`,
        secret: 'sixteen-chars-secret',
        headers: {},
      });
    }
    const outbox = new WebhookOutboxRepository(store.db, store.dialect);
    await outbox.enqueue(
      Array.from({ length: 100 }, (_, i) => ({
        feedId: feed.id,
        eventAt: new Date().toISOString(),
        make: (id: string) => JSON.stringify({ id, seq: i + 1 }),
      })),
      randomUUID,
    );
    const enqueued = (await store.db.selectFrom('webhook_outbox').select(['delivery_id']).execute()).map(
      (r) => r.delivery_id,
    );
    assert.equal(enqueued.length, 200);

    first = start(file);
    await first.exited;
    assert.equal(killed, true);
    const before = receiver.received.length;
    assert.ok(before > 60 && before < 200, `killed with ${before} received`);

    const second = start(file);
    const ids = () => new Set(receiver.received.map((r) => String(r.headers['switchboard-delivery'])));
    await waitUntil(() => ids().size === 200, 'every event after the restart', 30_000);
    second.proc.kill('SIGTERM');
    await second.exited;

    assert.deepEqual([...ids()].sort(), [...enqueued].sort(), 'the same delivery ids, none lost');
    const counts = new Map<string, number>();
    for (const r of receiver.received) {
      const id = String(r.headers['switchboard-delivery']);
      counts.set(id, (counts.get(id) ?? 0) + 1);
      assert.equal((JSON.parse(r.body) as { id: string }).id, id);
    }
    const twice = [...counts.values()].filter((n) => n > 1);
    assert.ok(twice.length <= 2 && twice.every((n) => n === 2), 'only the deliveries in flight at the kill');
    for (const t of ['0', '1']) {
      const seqs = receiver.received
        .filter((r) => r.url.endsWith(`?t=${t}`))
        .map((r) => (JSON.parse(r.body) as { seq: number }).seq);
      const firsts = seqs.filter((s, i) => seqs.indexOf(s) === i);
      assert.deepEqual(
        firsts,
        Array.from({ length: 100 }, (_, i) => i + 1),
        `order of target ${t}`,
      );
    }
    const pending = await store.db
      .selectFrom('webhook_outbox')
      .select('id')
      .where('status', '<>', 'delivered')
      .execute();
    assert.equal(pending.length, 0);
  } finally {
    first?.proc.kill('SIGKILL');
    await receiver.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
