/**
 * The embeddable click-to-dial widget on a page of another origin (a CRM): numbers and `tel:` links become
 * click-to-dial links, a click sends the Originate with a click-to-dial-scoped token, and nothing else is allowed.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { FakeAmiServer } from '../../src/testing/index.js';
import { waitUntil } from '../helpers/wait.js';
import { type Harness, startHarness } from '../server/harness.js';
import { ensureWebBuilt, launchBrowser, newPage } from './support.js';

describe('click-to-dial widget on another origin', () => {
  let browser: Browser;
  let crm: Server;
  let h: Harness;
  let fake: FakeAmiServer;
  let token = '';
  let crmUrl = '';
  before(async () => {
    await ensureWebBuilt();
    // The CRM page is served from its own origin and includes the widget from Switchboard's.
    crm = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><html><body>
        <h1>Customer: Ana &lt;img src=x onerror=alert(1)&gt;</h1>
        <p>Mobile: +34 911 234 567, office <a href="tel:200">extension 200</a>.</p>
        <script src="${h.url}/widget/click-to-dial.js" data-token="${token}" data-from="reina"></script>
      </body></html>`);
    });
    await new Promise<void>((r) => crm.listen(0, '127.0.0.1', () => r()));
    crmUrl = `http://127.0.0.1:${(crm.address() as AddressInfo).port}`;
    fake = await FakeAmiServer.start({
      handlers: { Originate: () => ({ Message: 'Originate successfully queued' }) },
    });
    h = await startHarness({
      pbx: [fake],
      config: { http: { host: '127.0.0.1', port: 0, origins: [crmUrl] } },
    });
    await h.user('reina', 'agent', { extensions: ['reina'] });
    token = (
      await h.server.context.auth.createToken({ name: 'crm', account: 'reina', scope: 'click-to-dial' })
    ).token;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await h?.close();
    await fake?.close();
    await new Promise((r) => crm.close(r));
  });

  it('turns numbers into links; a click rings the agent’s phone first, then the number', async () => {
    const { page, dialogs, close } = await newPage(browser);
    try {
      await page.goto(`${crmUrl}/`);
      const mobile = page.getByRole('button', { name: '+34 911 234 567' });
      await mobile.waitFor();
      await mobile.click();
      await waitUntil(() => fake.actions.some((a) => a.get('Action') === 'Originate'), 'the Originate');
      const o = fake.actions.find((a) => a.get('Action') === 'Originate')!;
      assert.equal(o.get('Channel'), 'PJSIP/reina');
      assert.equal(o.get('CallerID'), '"+34911234567" <+34911234567>');
      await page.getByRole('status').filter({ hasText: 'Ringing your phone' }).waitFor();
      await page.getByRole('link', { name: 'extension 200' }).click();
      await waitUntil(
        () => fake.actions.filter((a) => a.get('Action') === 'Originate').length === 2,
        'the second Originate',
      );
      // The page's markup-looking text stayed text.
      assert.deepEqual(dialogs, []);
    } finally {
      await close();
    }
  });

  it('the scoped token can do nothing else, and other origins get no CORS grant', async () => {
    const r = await fetch(`${h.url}/api/v1/users`, {
      headers: { authorization: `Bearer ${token}`, origin: crmUrl },
    });
    assert.equal(r.status, 403);
    const pre = await fetch(`${h.url}/api/v1/calls`, {
      method: 'OPTIONS',
      headers: { origin: crmUrl, 'access-control-request-method': 'POST' },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), crmUrl);
    const other = await fetch(`${h.url}/api/v1/calls`, {
      headers: { authorization: `Bearer ${token}`, origin: 'http://evil.example' },
    });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });
});
