/**
 * Webhook delivery throughput on SQLite (a WAL file) with a local receiver in the same process: events go
 * through the real path (OutboxWriter → outbox → WebhookDeliveryEngine → HTTP POST, signed), 20 targets, and the
 * delivery engine is restarted (closed and a new one started on the same store) half-way. Reports sustained
 * deliveries/s and checks 0 lost and 0 duplicated delivery ids. (The kill -9 case is `test/feeds/webhooks-crash`.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutboxWriter, WEBHOOKS_DEFAULTS, WebhookDeliveryEngine } from '../src/feeds/index.js';
import {
  FeedRepository,
  openStore,
  WebhookOutboxRepository,
  WebhookTargetRepository,
} from '../src/store/index.js';

const TARGETS = Number(process.env.WEBHOOK_BENCH_TARGETS ?? 20);
const EVENTS = Number(process.env.WEBHOOK_BENCH_EVENTS ?? 1000);

interface Row {
  variant: string;
  deliveries: number;
  requests: number;
  enqueuePerS: number;
  perS: number;
  lost: number;
  duplicated: number;
}

async function once(batch: number): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-webhooks-'));
  const store = await openStore({ url: join(dir, 'bench.sqlite') });
  const seen = new Map<string, number>();
  let requests = 0;
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests++;
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { id: string } | Array<{ id: string }>;
      for (const e of Array.isArray(body) ? body : [body]) seen.set(e.id, (seen.get(e.id) ?? 0) + 1);
      res.writeHead(204).end();
    });
  });
  receiver.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  try {
    const feed = await new FeedRepository(store.db, store.dialect).create(1, {
      name: 'bench',
      pbx: null,
      kind: 'ami',
      filter: {},
    });
    const targets = new WebhookTargetRepository(store.db);
    for (let t = 0; t < TARGETS; t++) {
      await targets.create(feed.id, { url: `${url}?t=${t}`, secret: 'bench-secret-0123456789', headers: {} });
    }
    const outbox = new WebhookOutboxRepository(store.db, store.dialect);
    const writer = new OutboxWriter(outbox, () => {});
    const t0 = performance.now();
    for (let i = 0; i < EVENTS; i++) {
      writer.add(feed.id, {
        seq: i + 1,
        pbx: 'pbx1',
        at: Date.now(),
        type: 'ami',
        event: { Event: 'Hangup', Channel: `PJSIP/902-${i}`, Cause: '16', Uniqueid: `1700000000.${i}` },
      });
      if (i % 100 === 99) await writer.flush();
    }
    await writer.flush();
    const enqueueMs = performance.now() - t0;
    const total = EVENTS * TARGETS;
    const config = { ...WEBHOOKS_DEFAULTS, allowPrivateTargets: true, batch, pollMs: 50 };
    const start = performance.now();
    let engine = new WebhookDeliveryEngine(outbox, targets, config);
    engine.start();
    while (seen.size < total / 2) await new Promise((r) => setTimeout(r, 5));
    await engine.close(); // the restart
    engine = new WebhookDeliveryEngine(outbox, targets, config);
    engine.start();
    while (seen.size < total) await new Promise((r) => setTimeout(r, 5));
    const ms = performance.now() - start;
    await engine.close();
    const ids = (await store.db.selectFrom('webhook_outbox').select('delivery_id').execute()).map(
      (r) => r.delivery_id,
    );
    return {
      variant: `batch ${batch}`,
      deliveries: total,
      requests,
      enqueuePerS: Math.round((total / enqueueMs) * 1000),
      perS: Math.round((total / ms) * 1000),
      lost: ids.filter((id) => !seen.has(id)).length,
      duplicated: [...seen.values()].filter((n) => n > 1).length,
    };
  } finally {
    receiver.closeAllConnections();
    await new Promise<void>((r) => receiver.close(() => r()));
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the benchmark; returns a Markdown table. */
export async function run(): Promise<string> {
  const rows = [await once(1), await once(10)];
  return [
    `${EVENTS} events × ${TARGETS} targets on SQLite (WAL file), local receiver in-process, engine restarted half-way; goal ≥ 2,000 deliveries/s with batch 1.`,
    '',
    '| variant | deliveries | requests | enqueued/s | delivered/s (sustained, incl. restart) | lost | duplicated ids |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.variant} | ${r.deliveries} | ${r.requests} | ${r.enqueuePerS} | ${r.perS} | ${r.lost} | ${r.duplicated} |`,
    ),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(`${await run()}\n`);
