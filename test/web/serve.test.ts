/** `switchboard serve` serving the built UI: caching, the CSP, the SPA fallback, and the API left alone. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { WEB_CSP, webRoot } from '../../src/server/web.js';
import { type Harness, startHarness } from '../server/harness.js';
import { ensureWebBuilt } from './support.js';

const html = { accept: 'text/html,application/xhtml+xml' };

describe('web UI served by the server', () => {
  let h: Harness;
  before(async () => {
    await ensureWebBuilt();
    h = await startHarness();
  });
  after(() => h.close());

  it('serves index.html uncached with the strict CSP, and hashed assets cached for a year', async () => {
    const r = await fetch(`${h.url}/`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('cache-control'), 'no-cache');
    assert.equal(r.headers.get('content-security-policy'), WEB_CSP);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(r.headers.get('referrer-policy'), 'same-origin');
    const page = await r.text();
    assert.ok(!/<script(?![^>]*\ssrc=)/.test(page), 'no inline script');
    assert.ok(!/\sstyle=/.test(page), 'no inline style');
    const assets = [...page.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    assert.ok(assets.length >= 2);
    for (const a of assets) {
      const ar = await fetch(h.url + a);
      assert.equal(ar.status, 200, a);
      assert.equal(ar.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.equal(ar.headers.get('content-security-policy'), WEB_CSP);
      assert.match(
        ar.headers.get('content-type') ?? '',
        a.endsWith('.js') ? /^text\/javascript/ : /^text\/css/,
      );
    }
  });

  it('falls back to the app for client routes, but not for the API, /metrics, /provisioning or missing assets', async () => {
    for (const path of ['/calls', '/dial', '/login?lang=es', '/some/deep/route']) {
      const r = await fetch(h.url + path, { headers: html });
      assert.equal(r.status, 200, path);
      assert.match(await r.text(), /<div id="root">/);
    }
    for (const path of ['/api/v1/nope', '/api', '/metrics/x', '/provisioning/nope.cfg', '/assets/nope.js']) {
      const r = await fetch(h.url + path, { headers: html });
      // Their own answer (404, or the provisioning room's 401), never the app's page.
      assert.ok(r.status === 404 || r.status === 401, `${path}: ${r.status}`);
      assert.doesNotMatch(await r.text(), /<div id="root">/, path);
    }
    // A GET that does not accept HTML is not the app either.
    assert.equal((await fetch(`${h.url}/calls`, { headers: { accept: 'application/json' } })).status, 404);
    // The API still answers as before.
    assert.equal((await fetch(`${h.url}/api/v1/health`)).status, 200);
    assert.equal((await fetch(`${h.url}/api/v1/calls`)).status, 401);
  });

  it('never serves a file outside the build', async () => {
    for (const path of [
      '/%2e%2e/package.json',
      '/..%2f..%2fpackage.json',
      '/assets/..%2f..%2f..%2fpackage.json',
    ]) {
      const r = await fetch(h.url + path, { headers: html });
      const text = await r.text();
      assert.ok(!text.includes('"devDependencies"'), path);
    }
  });

  it('keeps the initial JavaScript under 300 KB gzipped', () => {
    const root = webRoot();
    const page = readFileSync(join(root, 'index.html'), 'utf8');
    const scripts = [...page.matchAll(/src="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    const gz = scripts.reduce((n, s) => n + gzipSync(readFileSync(join(root, s))).length, 0);
    assert.ok(gz > 0 && gz < 300 * 1024, `initial JS is ${(gz / 1024).toFixed(1)} KB gzipped`);
  });
});
