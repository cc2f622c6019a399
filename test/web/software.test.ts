/** Software page in Chromium against the SimulatedPbx: Asterisk and AMI versions, uptime, drivers; admins only; Spanish. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { type FakeAmiServer, SimulatedPbx } from '../../src/testing/index.js';
import { type Harness, startHarness } from '../server/harness.js';
import { ensureWebBuilt, launchBrowser, newPage, signIn } from './support.js';

describe('web UI: Software', () => {
  let browser: Browser;
  let sim: SimulatedPbx;
  let h: Harness;
  before(async () => {
    await ensureWebBuilt();
    sim = await SimulatedPbx.start({ traffic: false });
    [browser, h] = await Promise.all([
      launchBrowser(),
      startHarness({ pbx: [sim as unknown as FakeAmiServer] }),
    ]);
    await h.user('ana', 'admin');
    await h.user('sara', 'supervisor');
    await h.server.context.pbx.monitor.ready();
  });
  after(async () => {
    await browser?.close();
    await h?.close();
    await sim?.close();
  });

  it("an admin sees each PBX's versions, uptime, last reload and drivers, and Switchboard's version", async () => {
    const facts = (await (await h.login('ana')).call('GET', '/api/v1/software')).body;
    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(page, h.url, 'ana');
      await page.getByRole('link', { name: 'Software' }).click();
      const pbx = page.getByRole('region', { name: /^PBX / });
      await pbx.getByText('Asterisk version').waitFor();
      const text = (await pbx.textContent()) ?? '';
      assert.ok(text.includes(facts.pbx[0].asteriskVersion), text);
      assert.ok(text.includes(facts.pbx[0].amiVersion), text);
      assert.ok(text.includes(facts.pbx[0].reloadedAt), text);
      assert.match(text, /Uptime\d+:\d\d/);
      await pbx
        .getByRole('listitem')
        .filter({ hasText: /^chan_pjsip$/ })
        .waitFor();
      const sb = page.getByRole('region', { name: 'Switchboard' });
      assert.ok(((await sb.textContent()) ?? '').includes(facts.switchboard.version));
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  it('Spanish labels; a supervisor has no Software page', async () => {
    const es = await newPage(browser);
    try {
      await signIn(es.page, h.url, 'ana', '/?lang=es');
      await es.page.getByRole('link', { name: 'Software' }).click();
      await es.page.getByText('Versión de Asterisk').waitFor();
      await es.page.getByText('Controladores de canal').waitFor();
    } finally {
      await es.close();
    }
    const sup = await newPage(browser);
    try {
      await signIn(sup.page, h.url, 'sara');
      assert.equal(await sup.page.getByRole('link', { name: 'Software' }).count(), 0);
      await sup.page.goto(`${h.url}/software`);
      await sup.page.getByRole('heading', { name: '404' }).waitFor();
    } finally {
      await sup.close();
    }
  });
});
