/**
 * The webhook API over a real server: 401/403/404 on every route, secret never listed, header and SSRF checks at
 * save time, and the README's receiver example (extracted and run as is) verifying a real delivery of a feed event.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { waitUntil } from '../helpers/wait.js';
import { type Harness, startHarness } from '../server/harness.js';

const SECRET = 'readme-receiver-secret-42';

function readmeReceiver(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const m = /<!-- webhook-receiver -->\n```js\n([\s\S]*?)\n```/.exec(readme);
  assert.ok(m, 'the receiver example is in the README');
  return m[1]!;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('webhooks API (private targets allowed for the local receiver)', () => {
  let h: Harness;
  let dir: string;
  let proc: ChildProcess | undefined;
  const out: string[] = [];
  let port = 0;
  before(async () => {
    h = await startHarness({
      config: { webhooks: { allowPrivateTargets: true, pollMs: 20, backoffMs: 10 } },
    });
    await h.user('vasiliy', 'agent', { extensions: ['902'] });
    await h.user('olga', 'agent', { extensions: ['903'] });
    await h.user('root', 'admin');
    await h.server.context.pbx.monitor.ready();
    dir = mkdtempSync(join(tmpdir(), 'sb-receiver-'));
    writeFileSync(join(dir, 'receiver.mjs'), readmeReceiver());
    port = await freePort();
    proc = spawn(process.execPath, [join(dir, 'receiver.mjs')], {
      env: { ...process.env, WEBHOOK_SECRET: SECRET, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    proc.stdout!.on('data', (d: Buffer) => out.push(...String(d).split('\n').filter(Boolean)));
    await waitUntil(() => out.includes('ready'), 'the receiver');
  });
  after(async () => {
    proc?.kill();
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('401 without credentials, 403 for a click-to-dial token, on every route', async () => {
    const routes: Array<[string, string, unknown?]> = [
      ['POST', '/api/v1/feeds/1/webhooks', { url: 'http://127.0.0.1:1/', secret: 'x'.repeat(16) }],
      ['GET', '/api/v1/feeds/1/webhooks'],
      ['GET', '/api/v1/webhooks/1'],
      ['PATCH', '/api/v1/webhooks/1', { paused: true }],
      ['DELETE', '/api/v1/webhooks/1'],
      ['GET', '/api/v1/webhooks/1/deliveries'],
      ['POST', '/api/v1/webhooks/1/deliveries/8c1c1f5e-8e5e-4a43-9d62-2f3b2b0f0b6a/redeliver'],
      ['POST', '/api/v1/webhooks/1/replay', { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' }],
    ];
    const ctd = await h.token('vasiliy', 'click-to-dial');
    for (const [method, path, body] of routes) {
      assert.equal((await h.anonymous().call(method, path, body)).status, 401, `${method} ${path}`);
      assert.equal((await ctd.call(method, path, body)).status, 403, `${method} ${path}`);
    }
  });

  test('a feed event reaches the README receiver, which verifies it; the log, redeliver, replay, 404s', async () => {
    const v = await h.token('vasiliy');
    const o = await h.token('olga');
    const root = await h.token('root');
    const feed = (
      await v.call('POST', '/api/v1/feeds', { name: 'crm', filter: { regex: 'Hangup.{1,}?902' } })
    ).body as { id: number };
    const url = `http://127.0.0.1:${port}/hook`;
    assert.equal(
      (await o.call('POST', `/api/v1/feeds/${feed.id}/webhooks`, { url, secret: SECRET })).status,
      404,
    );
    const badHeader = await v.call('POST', `/api/v1/feeds/${feed.id}/webhooks`, {
      url,
      secret: SECRET,
      headers: { 'Switchboard-Signature': 'forged' },
    });
    assert.equal(badHeader.status, 422);
    assert.equal(badHeader.body.error.field, 'headers.Switchboard-Signature');
    const crlf = await v.call('POST', `/api/v1/feeds/${feed.id}/webhooks`, {
      url,
      secret: SECRET,
      headers: { 'X-A': 'a\r\nX-B: b' },
    });
    assert.equal(crlf.status, 422);
    assert.equal(
      (await v.call('POST', `/api/v1/feeds/${feed.id}/webhooks`, { url: 'ftp://x/', secret: SECRET })).status,
      422,
    );
    const made = await v.call('POST', `/api/v1/feeds/${feed.id}/webhooks`, {
      url,
      secret: SECRET,
      headers: { 'X-Crm': '1c' },
    });
    assert.equal(made.status, 201);
    const hook = made.body as { id: number; secretHint: string; secret?: string };
    assert.equal(hook.secretHint, `…${SECRET.slice(-4)}`);
    assert.equal(hook.secret, undefined, 'a given secret is not echoed');
    const listed = await v.call('GET', `/api/v1/feeds/${feed.id}/webhooks`);
    assert.equal(listed.status, 200);
    assert.equal(listed.text.includes(SECRET), false, 'the secret is never listed');
    assert.equal((await o.call('GET', `/api/v1/feeds/${feed.id}/webhooks`)).status, 404);
    assert.equal((await o.call('GET', `/api/v1/webhooks/${hook.id}`)).status, 404);
    assert.equal((await o.call('GET', `/api/v1/webhooks/${hook.id}/deliveries`)).status, 404);
    assert.equal((await root.call('GET', `/api/v1/webhooks/${hook.id}`)).status, 200);

    h.ami[0]!.emit({ Event: 'Hangup', Privilege: 'call,all', Channel: 'SIP/902-7', Cause: '16' });
    await waitUntil(() => out.some((l) => l.includes('"Hangup"')), 'the receiver accepted the delivery');
    const line = out.find((l) => l.includes('"Hangup"'))!;
    const id = line.split(' ')[0]!;
    const event = JSON.parse(line.slice(id.length + 1)) as {
      id: string;
      feed: number;
      event: { Channel: string };
    };
    assert.equal(event.id, id);
    assert.equal(event.feed, feed.id);
    assert.equal(event.event.Channel, 'SIP/902-7');
    let log = (await v.call('GET', `/api/v1/webhooks/${hook.id}/deliveries`)).body as Array<
      Record<string, unknown>
    >;
    for (let i = 0; i < 100 && log[0]?.status !== 'delivered'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      log = (await v.call('GET', `/api/v1/webhooks/${hook.id}/deliveries`)).body as Array<
        Record<string, unknown>
      >;
    }
    assert.equal(log[0]!.status, 'delivered');
    assert.equal(log[0]!.responseCode, 204, 'the README receiver verified the signature');
    assert.equal(log[0]!.id, id);

    // The receiver refuses a forged signature and a stale timestamp.
    const body = JSON.stringify({ id: 'x' });
    const forged = await fetch(url, {
      method: 'POST',
      body,
      headers: {
        'switchboard-timestamp': String(Math.floor(Date.now() / 1000)),
        'switchboard-signature': `sha256=${'0'.repeat(64)}`,
        'switchboard-delivery': 'x',
      },
    });
    assert.equal(forged.status, 401);
    const old = String(Math.floor(Date.now() / 1000) - 600);
    const stale = await fetch(url, {
      method: 'POST',
      body,
      headers: {
        'switchboard-timestamp': old,
        'switchboard-signature': `sha256=${createHmac('sha256', SECRET).update(`${old}.${body}`).digest('hex')}`,
        'switchboard-delivery': 'x',
      },
    });
    assert.equal(stale.status, 401);

    const re = await v.call('POST', `/api/v1/webhooks/${hook.id}/deliveries/${id}/redeliver`);
    assert.equal(re.status, 202);
    assert.equal(
      (
        await v.call(
          'POST',
          `/api/v1/webhooks/${hook.id}/deliveries/8c1c1f5e-8e5e-4a43-9d62-2f3b2b0f0b6a/redeliver`,
        )
      ).status,
      404,
    );
    const replay = await v.call('POST', `/api/v1/webhooks/${hook.id}/replay`, {
      from: new Date(Date.now() - 60_000).toISOString(),
      to: new Date(Date.now() + 60_000).toISOString(),
    });
    assert.equal(replay.status, 202);
    assert.equal(replay.body.queued, 1);
    let all = (await v.call('GET', `/api/v1/webhooks/${hook.id}/deliveries`)).body as Array<{
      id: string;
      status: string;
    }>;
    for (let i = 0; i < 100 && all.some((d) => d.status !== 'delivered'); i++) {
      await new Promise((r) => setTimeout(r, 20));
      all = (await v.call('GET', `/api/v1/webhooks/${hook.id}/deliveries`)).body as Array<{
        id: string;
        status: string;
      }>;
    }
    assert.deepEqual(
      all.map((d) => [d.id, d.status]),
      [
        [id, 'delivered'],
        [id, 'delivered'],
        [id, 'delivered'],
      ],
    );
    assert.equal(
      out.filter((l) => l.includes('"Hangup"')).length,
      1,
      'the receiver dropped the duplicates by id',
    );

    const paused = await v.call('PATCH', `/api/v1/webhooks/${hook.id}`, { paused: true });
    assert.equal(paused.body.paused, true);
    assert.equal(paused.body.pausedReason, 'manual');
    assert.equal(
      (await v.call('PATCH', `/api/v1/webhooks/${hook.id}`, { paused: false })).body.paused,
      false,
    );
    assert.equal((await o.call('DELETE', `/api/v1/webhooks/${hook.id}`)).status, 404);
    assert.equal((await v.call('DELETE', `/api/v1/webhooks/${hook.id}`)).status, 204);
    assert.equal((await v.call('GET', `/api/v1/webhooks/${hook.id}`)).status, 404);
  });
});

describe('webhooks API (default: private targets refused)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    await h.user('vasiliy', 'agent', { extensions: ['902'] });
  });
  after(() => h.close());

  test('a loopback or private URL is refused with 422 naming url', async () => {
    const v = await h.token('vasiliy');
    const feed = (await v.call('POST', '/api/v1/feeds', { name: 'crm' })).body as { id: number };
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://localhost/hook',
      'http://[::1]/',
      'http://169.254.169.254/',
    ]) {
      const r = await v.call('POST', `/api/v1/feeds/${feed.id}/webhooks`, { url, secret: SECRET });
      assert.equal(r.status, 422, url);
      assert.equal(r.body.error.code, 'WEBHOOK_PRIVATE_TARGET');
      assert.equal(r.body.error.field, 'url');
    }
    const made = await v.call('POST', `/api/v1/feeds/${feed.id}/webhooks`, {
      url: 'https://93.184.215.14/hook',
    });
    assert.equal(made.status, 201);
    assert.equal(typeof made.body.secret, 'string', 'a made secret is shown once');
    const listed = await v.call('GET', `/api/v1/feeds/${feed.id}/webhooks`);
    assert.equal(listed.text.includes(made.body.secret as string), false);
    await v.call('DELETE', `/api/v1/webhooks/${made.body.id}`);
  });
});
