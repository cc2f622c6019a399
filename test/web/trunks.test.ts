/**
 * Lines panel (Home) and Trunks page in Chromium on the recorded trunk transcript
 * (`asterisk/ami/pjsip-trunk-registration`) replayed by the fake Asterisk: the trunk's state in words, an operator's
 * "Re-register" sends `PJSIPRegister` and the row goes through "Registering…" to the recorded rejection, the
 * history shows the outage; a viewer sees no button; Spanish labels.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { AmiTranscriptReplay, FakeAmiServer } from '../../src/testing/index.js';
import { type Harness, startHarness } from '../server/harness.js';
import { ensureWebBuilt, launchBrowser, newPage, signIn } from './support.js';

const fixture = new URL('../fixtures/asterisk/ami/pjsip-trunk-registration.jsonl', import.meta.url).pathname;

describe('web UI: Lines and Trunks', () => {
  let browser: Browser;
  let h: Harness;
  let fake: FakeAmiServer;
  before(async () => {
    await ensureWebBuilt();
    fake = await FakeAmiServer.start({
      replay: AmiTranscriptReplay.fromJsonl(readFileSync(fixture, 'utf8')),
    });
    [browser, h] = await Promise.all([launchBrowser(), startHarness({ pbx: [fake] })]);
    await h.user('oscar', 'operator');
    await h.user('vera', 'viewer');
    await h.server.context.pbx.monitor.ready();
  });
  after(async () => {
    await browser?.close();
    await h?.close();
    await fake?.close();
  });

  it('Home shows the trunk registered; Re-register sends PJSIPRegister; the Trunks page shows the outage', async () => {
    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(page, h.url, 'oscar');
      const lines = page.getByRole('table', { name: 'Lines' });
      const row = lines.getByRole('row').filter({ hasText: 'trunk13-reg' });
      const state = row.locator('.trunk-state');
      await state.getByText('Registered', { exact: true }).waitFor();
      assert.match((await row.textContent()) ?? '', /PJSIP registration/);
      // Colour AND words: the state has a tone class besides its text.
      assert.equal(await row.locator('.trunk-state.trunk-good').count(), 1);

      // Unregister first (through the API, as another operator would) so the recorded re-registration follows.
      const op = await h.login('oscar');
      const id = encodeURIComponent('pbx1/pjsip-registration/trunk13-reg');
      assert.equal((await op.call('POST', `/api/v1/trunks/${id}/unregister`)).status, 200);
      await state.getByText('Unregistered', { exact: true }).waitFor();
      assert.equal(await row.locator('.trunk-down').count(), 1);

      const sent = fake.nextAction('PJSIPRegister');
      await row.getByRole('button', { name: 'Re-register: trunk13-reg' }).click();
      const { action } = await sent;
      assert.equal(action.get('Registration'), 'trunk13-reg');
      await page.getByRole('status').filter({ hasText: 'Registration of trunk13-reg sent.' }).waitFor();
      await state.getByText('Rejected', { exact: true }).waitFor();

      // The recorder writes in batches about every second; flush so the page reads the outage at once.
      await (
        h.server.context.rooms.get('trunks') as { recorder: { flush(): Promise<void> } }
      ).recorder.flush();
      await page.getByRole('link', { name: 'Trunks', exact: true }).click();
      await page.getByRole('heading', { name: 'Trunks and lines' }).waitFor();
      await page.getByRole('button', { name: 'History: trunk13-reg' }).click();
      const history = page.getByRole('region', { name: 'History of trunk13-reg' });
      const outages = history.getByRole('table', { name: 'Outages' });
      await outages.waitFor();
      assert.ok((await outages.getByRole('row').count()) >= 2, 'a header row and at least one outage');
      const changes = history.getByRole('table', { name: 'State changes' });
      await changes.getByRole('row').filter({ hasText: 'Registering…' }).first().waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  it('a viewer sees the lines without buttons; Spanish labels', async () => {
    const { page, close } = await newPage(browser);
    try {
      await signIn(page, h.url, 'vera', '/?lang=es');
      const lines = page.getByRole('table', { name: 'Líneas' });
      await lines.getByRole('row').filter({ hasText: 'trunk13-reg' }).waitFor();
      assert.match((await lines.textContent()) ?? '', /Registro PJSIP/);
      assert.equal(await lines.getByRole('button').count(), 0);
      assert.equal(await page.getByRole('button', { name: /Volver a registrar/ }).count(), 0);
      await page.getByRole('link', { name: 'Troncales', exact: true }).click();
      await page.getByRole('heading', { name: 'Troncales y líneas' }).waitFor();
      assert.equal(await page.getByRole('button', { name: /Volver a registrar/ }).count(), 0);
      // Viewers get no console or software page in the menu.
      assert.equal(await page.getByRole('link', { name: 'Consola de depuración' }).count(), 0);
      assert.equal(await page.getByRole('link', { name: 'Software' }).count(), 0);
    } finally {
      await close();
    }
  });
});
