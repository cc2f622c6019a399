/**
 * The webhook outbox and delivery engine against a local receiver, on SQLite and PostgreSQL: signature checked by
 * an independent HMAC, order per target, retries, Retry-After, no retry on 400, maxAttempts, pause and resume,
 * batches, the SSRF guard at save and connect time.
 */
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  backoffDelay,
  checkExtraHeaders,
  checkTargetUrl,
  isPrivateAddress,
  parseRetryAfter,
  WEBHOOKS_DEFAULTS,
  WebhookDeliveryEngine,
  type WebhooksConfig,
} from '../../src/feeds/index.js';
import {
  FeedRepository,
  type Store,
  WebhookOutboxRepository,
  WebhookTargetRepository,
} from '../../src/store/index.js';
import { waitUntil } from '../helpers/wait.js';
import { backends, withStore } from '../store/backends.js';
import { type Receiver, startReceiver } from './webhooks-receiver.js';

/** HMAC-SHA256 from its definition (RFC 2104) over plain SHA-256 — not the code under test. */
function hmacSha256(key: string, message: string): string {
  let k = Buffer.from(key);
  if (k.length > 64) k = createHash('sha256').update(k).digest();
  const block = Buffer.concat([k, Buffer.alloc(64 - k.length)]);
  const ipad = Buffer.from(block.map((b) => b ^ 0x36));
  const opad = Buffer.from(block.map((b) => b ^ 0x5c));
  const inner = createHash('sha256').update(ipad).update(message).digest();
  return createHash('sha256').update(opad).update(inner).digest('hex');
}

const SECRET = 'test-secret-0123456789';
const fast: WebhooksConfig = {
  ...WEBHOOKS_DEFAULTS,
  allowPrivateTargets: true,
  backoffMs: 5,
  maxBackoffMs: 5000,
  pollMs: 20,
  timeoutMs: 2000,
};

interface Rig {
  store: Store;
  targets: WebhookTargetRepository;
  outbox: WebhookOutboxRepository;
  feedId: number;
  targetId: number;
  receiver: Receiver;
  engine(config?: Partial<WebhooksConfig>): WebhookDeliveryEngine;
  enqueue(n: number): Promise<void>;
}

async function rig(store: Store, receiver: Receiver, body: (r: Rig) => Promise<void>): Promise<void> {
  const feeds = new FeedRepository(store.db, store.dialect);
  const targets = new WebhookTargetRepository(store.db);
  const outbox = new WebhookOutboxRepository(store.db, store.dialect);
  const feed = await feeds.create(1, { name: 'f', pbx: null, kind: 'ami', filter: {} });
  const target = await targets.create(feed.id, {
    url: receiver.url,
    secret: SECRET,
    headers: { 'X-Crm': 'a b' },
  });
  const engines: WebhookDeliveryEngine[] = [];
  let seq = 0;
  const r: Rig = {
    store,
    targets,
    outbox,
    feedId: feed.id,
    targetId: target.id,
    receiver,
    engine(config = {}) {
      const e = new WebhookDeliveryEngine(outbox, targets, { ...fast, ...config });
      engines.push(e);
      e.start();
      return e;
    },
    async enqueue(n) {
      const events = Array.from({ length: n }, () => {
        const s = ++seq;
        return {
          feedId: feed.id,
          eventAt: new Date().toISOString(),
          make: (id: string) =>
            JSON.stringify({ id, feed: feed.id, seq: s, type: 'ami', event: { Event: 'Hangup' } }),
        };
      });
      await outbox.enqueue(events, randomUUID);
    },
  };
  try {
    await body(r);
  } finally {
    for (const e of engines) await e.close();
    await receiver.close();
  }
}

/** The newest row of the rig's target once it is no longer pending. */
async function newestFinished(r: Rig) {
  for (;;) {
    const [row] = await r.outbox.deliveries(r.targetId, { limit: 1 });
    if (row && row.status !== 'pending') return [row];
    await new Promise((res) => setTimeout(res, 10));
  }
}

const seqOf = (body: string) => (JSON.parse(body) as { seq: number }).seq;

for (const backend of backends) {
  describe(`webhook delivery (${backend.name})`, () => {
    test('signed POSTs in order; the signature verifies with an independent HMAC', () =>
      withStore(backend.open, async (store) =>
        rig(store, await startReceiver(), async (r) => {
          await r.enqueue(5);
          r.engine();
          await waitUntil(() => r.receiver.received.length === 5, 'five deliveries');
          const ids = new Set<string>();
          for (const [i, got] of r.receiver.received.entries()) {
            assert.equal(got.headers['content-type'], 'application/json');
            assert.equal(got.headers['x-crm'], 'a b');
            const ts = Number(got.headers['switchboard-timestamp']);
            assert.ok(Math.abs(Date.now() / 1000 - ts) < 300, 'timestamp within tolerance');
            const expected = `sha256=${hmacSha256(SECRET, `${ts}.${got.body}`)}`;
            assert.equal(got.headers['switchboard-signature'], expected);
            const id = String(got.headers['switchboard-delivery']);
            assert.match(id, /^[0-9a-f-]{36}$/);
            assert.equal((JSON.parse(got.body) as { id: string }).id, id);
            ids.add(id);
            assert.equal(seqOf(got.body), i + 1);
          }
          assert.equal(ids.size, 5);
        }),
      ));

    test('5xx then success: retried with the same delivery id, later events wait their turn', () =>
      withStore(backend.open, async (store) =>
        rig(
          store,
          await startReceiver((_, i) =>
            i < 2 ? { status: 503, body: 'busy' } : { status: 200, body: 'thanks' },
          ),
          async (r) => {
            await r.enqueue(3);
            r.engine();
            await waitUntil(() => r.receiver.received.length === 5, 'three deliveries after two failures');
            const got = r.receiver.received;
            assert.deepEqual(
              got.map((g) => seqOf(g.body)),
              [1, 1, 1, 2, 3],
            );
            assert.equal(new Set(got.slice(0, 3).map((g) => g.headers['switchboard-delivery'])).size, 1);
            let log = await r.outbox.deliveries(r.targetId, { limit: 10 });
            for (let i = 0; i < 50 && log.some((d) => d.status !== 'delivered'); i++) {
              await new Promise((res) => setTimeout(res, 20));
              log = await r.outbox.deliveries(r.targetId, { limit: 10 });
            }
            const first = log.find((d) => seqOf(d.body) === 1)!;
            assert.equal(first.status, 'delivered');
            assert.equal(first.attempts, 3);
            assert.equal(first.lastCode, 200);
            assert.equal(first.lastBody, 'thanks');
            assert.equal(typeof first.lastLatencyMs, 'number');
            assert.equal((await r.targets.get(r.targetId))!.failures, 0);
          },
        ),
      ));

    test('429 with Retry-After: 1 waits at least a second (backoff alone would be 5 ms)', () =>
      withStore(backend.open, async (store) =>
        rig(
          store,
          await startReceiver((_, i) =>
            i === 0 ? { status: 429, headers: { 'Retry-After': '1' } } : { status: 200 },
          ),
          async (r) => {
            await r.enqueue(1);
            r.engine();
            await waitUntil(() => r.receiver.received.length === 2, 'the retry');
            const [a, b] = r.receiver.received;
            assert.ok(b!.at - a!.at >= 990, `retried after ${b!.at - a!.at} ms`);
          },
        ),
      ));

    test('400 is final: failed after one attempt, the next event goes out; maxAttempts fails a 500', () =>
      withStore(backend.open, async (store) =>
        rig(
          store,
          await startReceiver((g) =>
            seqOf(g.body) === 1
              ? { status: 400, body: 'bad' }
              : seqOf(g.body) === 2
                ? { status: 500 }
                : { status: 200 },
          ),
          async (r) => {
            await r.enqueue(3);
            r.engine({ maxAttempts: 3 });
            await waitUntil(() => r.receiver.received.some((g) => seqOf(g.body) === 3), 'event 3');
            assert.deepEqual(
              r.receiver.received.map((g) => seqOf(g.body)),
              [1, 2, 2, 2, 3],
            );
            const log = await r.outbox.deliveries(r.targetId, { limit: 10 });
            const by = (s: number) => log.find((d) => seqOf(d.body) === s)!;
            assert.equal(by(1).status, 'failed');
            assert.equal(by(1).attempts, 1);
            assert.equal(by(1).lastCode, 400);
            assert.equal(by(2).status, 'failed');
            assert.equal(by(2).attempts, 3);
          },
        ),
      ));

    test('paused after repeated failures, nothing sent while paused, resume delivers the rest', () =>
      withStore(backend.open, async (store) => {
        let healthy = false;
        await rig(store, await startReceiver(() => ({ status: healthy ? 200 : 502 })), async (r) => {
          await r.enqueue(2);
          const engine = r.engine({ pauseAfterFailures: 3, maxAttempts: 100 });
          let t = await r.targets.get(r.targetId);
          while (!t!.paused) {
            await new Promise((res) => setTimeout(res, 10));
            t = await r.targets.get(r.targetId);
          }
          assert.equal(t!.pausedReason, 'failures');
          assert.equal(r.receiver.received.length, 3);
          healthy = true;
          engine.wake();
          await new Promise((res) => setTimeout(res, 100));
          assert.equal(r.receiver.received.length, 3, 'paused: nothing sent');
          await r.targets.update(r.targetId, { paused: false });
          engine.wake();
          await waitUntil(() => r.receiver.received.length === 5, 'both after resume');
          assert.deepEqual(
            r.receiver.received.map((g) => seqOf(g.body)),
            [1, 1, 1, 1, 2],
          );
        });
      }));

    test('batch: JSON arrays of up to `batch` events, in order', () =>
      withStore(backend.open, async (store) =>
        rig(store, await startReceiver(), async (r) => {
          await r.enqueue(7);
          r.engine({ batch: 3 });
          await waitUntil(
            () => r.receiver.received.flatMap((g) => JSON.parse(g.body) as unknown[]).length === 7,
            'seven events',
          );
          const batches = r.receiver.received.map(
            (g) => JSON.parse(g.body) as Array<{ seq: number; id: string }>,
          );
          assert.deepEqual(
            batches.flat().map((e) => e.seq),
            [1, 2, 3, 4, 5, 6, 7],
          );
          assert.ok(batches.every((b) => b.length <= 3));
          for (const [i, b] of batches.entries()) {
            assert.equal(r.receiver.received[i]!.headers['switchboard-delivery'], b[0]!.id);
          }
        }),
      ));

    test('connect-time SSRF guard: a loopback target stored anyway is refused without a request', () =>
      withStore(backend.open, async (store) =>
        rig(store, await startReceiver(), async (r) => {
          await r.enqueue(1);
          r.engine({ allowPrivateTargets: false });
          let log = await newestFinished(r);
          assert.equal(log[0]!.status, 'failed');
          assert.match(log[0]!.lastError ?? '', /refused.*private/);
          // A name is checked on the address it resolves to, when connecting (DNS rebinding).
          await r.targets.update(r.targetId, { url: r.receiver.url.replace('127.0.0.1', 'localhost') });
          await r.enqueue(1);
          log = await newestFinished(r);
          assert.equal(log[0]!.status, 'failed');
          assert.match(log[0]!.lastError ?? '', /refused: localhost resolves to .* \(private\)/);
          assert.equal(r.receiver.received.length, 0);
        }),
      ));

    test('redeliver and replay queue the same delivery ids again, in order', () =>
      withStore(backend.open, async (store) =>
        rig(store, await startReceiver(), async (r) => {
          const from = new Date(Date.now() - 1000).toISOString();
          await r.enqueue(3);
          r.engine();
          await waitUntil(() => r.receiver.received.length === 3, 'three');
          const ids = r.receiver.received.map((g) => String(g.headers['switchboard-delivery']));
          assert.equal(await r.outbox.redeliver(r.targetId, ids[1]!), true);
          assert.equal(await r.outbox.redeliver(r.targetId, randomUUID()), false);
          await waitUntil(() => r.receiver.received.length === 4, 'redelivery');
          assert.equal(r.receiver.received[3]!.headers['switchboard-delivery'], ids[1]);
          const n = await r.outbox.replay(r.targetId, from, new Date(Date.now() + 1000).toISOString(), 100);
          assert.equal(n, 3);
          await waitUntil(() => r.receiver.received.length === 7, 'replay');
          assert.deepEqual(
            r.receiver.received.slice(4).map((g) => g.headers['switchboard-delivery']),
            ids,
          );
        }),
      ));
  });
}

describe('webhook guards', () => {
  test('private, loopback, link-local, ULA, multicast and this-network addresses are refused', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00::1',
      'fc00::1',
      '224.0.0.1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::',
    ]) {
      assert.equal(isPrivateAddress(a), true, a);
    }
    for (const a of ['8.8.8.8', '172.32.0.1', '2001:4860:4860::8888', '1.1.1.1']) {
      assert.equal(isPrivateAddress(a), false, a);
    }
  });

  test('save-time URL checks: scheme, credentials, loopback without the allowance', async () => {
    await assert.rejects(checkTargetUrl('ftp://example.com/x', false), { code: 'WEBHOOK_BAD_URL' });
    await assert.rejects(checkTargetUrl('http://u:p@example.com/', false), { code: 'WEBHOOK_BAD_URL' });
    await assert.rejects(checkTargetUrl('http://127.0.0.1:9/x', false), { code: 'WEBHOOK_PRIVATE_TARGET' });
    await assert.rejects(checkTargetUrl('http://[::1]:9/x', false), { code: 'WEBHOOK_PRIVATE_TARGET' });
    await assert.rejects(checkTargetUrl('http://localhost:9/x', false), { code: 'WEBHOOK_PRIVATE_TARGET' });
    assert.equal((await checkTargetUrl('http://127.0.0.1:9/x', true)).port, '9');
  });

  test('extra headers: no CR/LF, no Switchboard-*, Content-Type or Host', () => {
    assert.deepEqual(checkExtraHeaders({ Authorization: 'Bearer x' }), { Authorization: 'Bearer x' });
    for (const [h, v] of [
      ['X-A', 'a\r\nInjected: 1'],
      ['X-A', 'a\nb'],
      ['Switchboard-Signature', 'x'],
      ['content-type', 'text/plain'],
      ['Host', 'evil'],
      ['Bad Name', 'x'],
    ] as const) {
      assert.throws(() => checkExtraHeaders({ [h]: v }), {
        code: 'WEBHOOK_BAD_HEADER',
        field: `headers.${h}`,
      });
    }
  });

  test('Retry-After as seconds or an HTTP date; backoff doubles with jitter and a cap', () => {
    assert.equal(parseRetryAfter('120'), 120_000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(
      backoffDelay(1, 1000, 60_000, () => 1),
      1000,
    );
    assert.equal(
      backoffDelay(3, 1000, 60_000, () => 1),
      4000,
    );
    assert.equal(
      backoffDelay(3, 1000, 60_000, () => 0),
      2000,
    );
    assert.equal(
      backoffDelay(20, 1000, 60_000, () => 1),
      60_000,
    );
  });
});
