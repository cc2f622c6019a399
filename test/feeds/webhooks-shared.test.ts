/**
 * Two delivery engines (two stores = two servers) sharing one outbox — on one SQLite file and on one PostgreSQL
 * schema: every event is delivered exactly once (no crash here), never twice at the same time, in order per target.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { WEBHOOKS_DEFAULTS, WebhookDeliveryEngine } from '../../src/feeds/index.js';
import {
  FeedRepository,
  openStore,
  type Store,
  WebhookOutboxRepository,
  WebhookTargetRepository,
} from '../../src/store/index.js';
import { waitUntil } from '../helpers/wait.js';
import { backends } from '../store/backends.js';
import { startReceiver } from './webhooks-receiver.js';

const TARGETS = 5;
const EVENTS = 60;

for (const backend of backends) {
  test(`two engines on one ${backend.name} outbox: no event delivered twice, order per target`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-webhooks-'));
    const stores: Store[] =
      backend.name === 'sqlite'
        ? [await openStore({ url: join(dir, 's.sqlite') }), await openStore({ url: join(dir, 's.sqlite') })]
        : [await backend.open(), await backend.open()];
    const inFlight = new Set<string>();
    let overlapping = 0;
    const receiver = await startReceiver((r) => {
      const id = String(r.headers['switchboard-delivery']);
      if (inFlight.has(id)) overlapping++;
      inFlight.add(id);
      setTimeout(() => inFlight.delete(id), 3);
      return { status: 200, delayMs: 2 };
    });
    const engines: WebhookDeliveryEngine[] = [];
    try {
      const [a, b] = stores as [Store, Store];
      const feed = await new FeedRepository(a.db, a.dialect).create(1, {
        name: 'f',
        pbx: null,
        kind: 'ami',
        filter: {},
      });
      const targets = new WebhookTargetRepository(a.db);
      for (let t = 0; t < TARGETS; t++) {
        await targets.create(feed.id, {
          url: `${receiver.url}?t=${t}`,
          secret: 'sixteen-chars-secret',
          headers: {},
        });
      }
      await new WebhookOutboxRepository(a.db, a.dialect).enqueue(
        Array.from({ length: EVENTS }, (_, i) => ({
          feedId: feed.id,
          eventAt: new Date().toISOString(),
          make: (id: string) => JSON.stringify({ id, seq: i + 1 }),
        })),
        randomUUID,
      );
      for (const s of [a, b]) {
        const e = new WebhookDeliveryEngine(
          new WebhookOutboxRepository(s.db, s.dialect),
          new WebhookTargetRepository(s.db),
          { ...WEBHOOKS_DEFAULTS, allowPrivateTargets: true, pollMs: 10, concurrency: 3 },
        );
        engines.push(e);
        e.start();
      }
      await waitUntil(() => receiver.received.length >= TARGETS * EVENTS, 'every event', 30_000);
      await Promise.all(engines.map((e) => e.close()));
      const ids = receiver.received.map((r) => String(r.headers['switchboard-delivery']));
      assert.equal(ids.length, TARGETS * EVENTS);
      assert.equal(new Set(ids).size, TARGETS * EVENTS, 'no event delivered twice');
      assert.equal(overlapping, 0);
      assert.equal(engines[0]!.stats.delivered + engines[1]!.stats.delivered, TARGETS * EVENTS);
      for (let t = 0; t < TARGETS; t++) {
        const seqs = receiver.received
          .filter((r) => r.url.endsWith(`?t=${t}`))
          .map((r) => (JSON.parse(r.body) as { seq: number }).seq);
        assert.deepEqual(
          seqs,
          Array.from({ length: EVENTS }, (_, i) => i + 1),
          `order of target ${t}`,
        );
      }
      process.stderr.write(
        `shared outbox (${backend.name}): engine A ${engines[0]!.stats.delivered}, engine B ${engines[1]!.stats.delivered}\n`,
      );
    } finally {
      for (const e of engines) await e.close();
      await receiver.close();
      for (const s of stores) await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
