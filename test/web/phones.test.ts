/**
 * Phones in Chromium against a server on the SimulatedPbx (which runs the provisioning wizard flow and registers a
 * provisioned phone after the reload): add a phone → the secret shown once → registered; rotate and delete with
 * confirmation; a viewer reads in Spanish, sees no write button, and a forged write from its session gets 403.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type FakeAmiServer, SimulatedPbx } from '../../src/testing/index.js';
import { type Harness, startHarness } from '../server/harness.js';
import { ensureWebBuilt, launchBrowser, newPage, signIn } from './support.js';

/** A write the page's own session sends by hand (the UI offers no button for it). */
async function forge(page: Page, method: string, path: string, body?: unknown): Promise<number> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const me = (await (await fetch('/api/v1/session')).json()) as { csrfToken: string };
      const r = await fetch(path, {
        method,
        headers: {
          'x-csrf-token': me.csrfToken,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return r.status;
    },
    { method, path, body },
  );
}

describe('web UI: Phones', () => {
  let browser: Browser;
  let sim: SimulatedPbx;
  let h: Harness;
  before(async () => {
    await ensureWebBuilt();
    sim = await SimulatedPbx.start({ traffic: false });
    [browser, h] = await Promise.all([
      launchBrowser(),
      // The simulator answers no ModuleCheck, so the driver is configured (as `serve --demo` does).
      startHarness({ pbx: [sim as unknown as FakeAmiServer], config: { phones: { driver: 'pjsip' } } }),
    ]);
    await h.user('ana', 'admin');
    await h.user('vera', 'viewer');
    await h.server.context.pbx.monitor.ready();
  });
  after(async () => {
    await browser?.close();
    await h?.close();
    await sim?.close();
  });

  it('adds a phone: the secret is shown once with Asterisk’s answer, then the phone registers', async () => {
    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(page, h.url, 'ana');
      await page.getByRole('link', { name: 'Phones', exact: true }).click();
      await page.getByRole('heading', { name: 'Phones', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Add phone' }).click();
      const form = page.getByRole('dialog', { name: 'Add phone' });
      await form.getByLabel('Extension').fill('2001');
      await form.getByLabel('Name').fill('Elio Rojano & Cía');
      await form.getByLabel('Phone type').selectOption('yealink');
      await form.getByLabel('Model').fill('T46S');
      await form.getByLabel('MAC address').fill('00:15:65:AB:CD:EF');
      await form.getByText('Advanced').click();
      await form.getByLabel('Context').fill('oficina2');
      await form.getByLabel('Language').fill('es');
      await form.getByRole('button', { name: 'Save' }).click();

      const shown = page.getByRole('dialog', { name: 'Phone 2001 saved' });
      await shown.getByText('you will not see this again').waitFor();
      const secret = await shown.getByRole('textbox', { name: 'SIP secret', exact: true }).inputValue();
      assert.match(secret, /^[A-Za-z0-9]{20}$/);
      assert.match(
        await shown.getByRole('textbox', { name: 'Provisioning URL', exact: true }).inputValue(),
        /^http:\/\/127\.0\.0\.1:\d+\/provisioning$/,
      );
      assert.match(
        await shown.getByRole('textbox', { name: 'Provisioning user', exact: true }).inputValue(),
        /^ph[a-z0-9]{10}$/,
      );
      assert.ok(await shown.getByRole('button', { name: 'Copy SIP secret' }).isVisible());
      // What Asterisk answered: the wizard file written, read back, reloaded.
      const steps = shown.getByRole('region', { name: 'What Asterisk answered' });
      await steps.getByText('Read back and verified.', { exact: false }).waitFor();
      assert.match((await steps.textContent()) ?? '', /UpdateConfig[\s\S]*GetConfig[\s\S]*Reload/);
      await shown.getByRole('button', { name: 'Done' }).click();

      const row = page.getByRole('table', { name: 'Phones' }).getByRole('row').filter({ hasText: '2001' });
      await row.getByText('Elio Rojano & Cía').waitFor();
      // The simulated phone registers a second after the reload; the endpoint change on the live feed makes the
      // page re-read the list (its own poll is 15 s, longer than this wait).
      await row.getByText('Registered', { exact: true }).waitFor({ timeout: 8_000 });
      assert.match((await row.textContent()) ?? '', /001565abcdef/);
      // Shown once: nowhere on the page any more, nor in the list the API serves.
      assert.ok(!(await page.content()).includes(secret));
      assert.ok(!(await (await h.login('ana')).call('GET', '/api/v1/phones')).text.includes(secret));

      // Edit: the category is rewritten and Asterisk's steps are shown.
      await row.getByRole('button', { name: 'Edit phone 2001' }).click();
      const edit = page.getByRole('dialog', { name: 'Edit phone 2001' });
      assert.equal(await edit.getByLabel('Extension').isDisabled(), true);
      await edit.getByLabel('Name').fill('Elio R.');
      await edit.getByRole('button', { name: 'Save' }).click();
      const report = page.getByRole('dialog', { name: 'Phone 2001 updated.' });
      await report
        .getByRole('region', { name: 'What Asterisk answered' })
        .getByText('UpdateConfig')
        .waitFor();
      await report.getByRole('button', { name: 'Done' }).click();
      await row.getByText('Elio R.', { exact: true }).waitFor();

      // Rotate (confirmed): a new secret, shown once.
      await row.getByRole('button', { name: 'Rotate secret of phone 2001' }).click();
      await page
        .getByRole('dialog', { name: 'Rotate the secret of phone 2001?' })
        .getByRole('button', { name: 'Rotate secret' })
        .click();
      const rotated = page.getByRole('dialog', { name: 'New secret for phone 2001' });
      const second = await rotated.getByRole('textbox', { name: 'SIP secret', exact: true }).inputValue();
      assert.match(second, /^[A-Za-z0-9]{20}$/);
      assert.notEqual(second, secret);
      await rotated.getByRole('button', { name: 'Done' }).click();

      // The provisioning log (nothing fetched yet).
      await row.getByRole('button', { name: 'Provisioning log of 2001' }).click();
      const log = page.getByRole('dialog', { name: 'Provisioning log of 2001' });
      await log.getByText('has not fetched its provisioning file yet').waitFor();
      await log.getByRole('button', { name: 'Close' }).click();

      // Delete asks first; Cancel keeps it.
      await row.getByRole('button', { name: 'Delete phone 2001' }).click();
      const confirm = page.getByRole('dialog', { name: 'Delete phone 2001?' });
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      assert.equal(await row.count(), 1);
      await row.getByRole('button', { name: 'Delete phone 2001' }).click();
      await confirm.getByRole('button', { name: 'Delete' }).click();
      await page.getByRole('status').filter({ hasText: 'Phone 2001 deleted.' }).waitFor();
      await page.getByRole('dialog').getByRole('button', { name: 'Done' }).click();
      await row.waitFor({ state: 'detached' });
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  it('a field the API refuses is named next to the field', async () => {
    const { page, close } = await newPage(browser);
    try {
      await signIn(page, h.url, 'ana');
      await page.getByRole('link', { name: 'Phones', exact: true }).click();
      await page.getByRole('button', { name: 'Add phone' }).click();
      const form = page.getByRole('dialog', { name: 'Add phone' });
      await form.getByLabel('Extension').fill('20 01');
      await form.getByLabel('Name').fill('Bad');
      await form.getByRole('button', { name: 'Save' }).click();
      const ext = form.getByLabel('Extension');
      await page.waitForSelector('[aria-invalid="true"]');
      assert.equal(await ext.getAttribute('aria-invalid'), 'true');
      const describedBy = (await ext.getAttribute('aria-describedby')) ?? '';
      assert.match((await page.locator(`[id="${describedBy}"]`).textContent()) ?? '', /letters, digits/);
    } finally {
      await close();
    }
  });

  it('a viewer reads in Spanish, sees no write button, and a forged write is refused 403', async () => {
    await (await h.login('ana')).call('POST', '/api/v1/phones', {
      extension: '2002',
      name: 'Reina',
      brand: 'snom',
      mac: '000413aabbcc',
    });
    const { page, close } = await newPage(browser);
    try {
      await signIn(page, h.url, 'vera', '/?lang=es');
      await page.getByRole('link', { name: 'Teléfonos', exact: true }).click();
      await page.getByRole('heading', { name: 'Gestión de teléfonos' }).waitFor();
      const row = page.getByRole('table', { name: 'Teléfonos' }).getByRole('row').filter({ hasText: '2002' });
      await row.waitFor();
      await page.getByRole('columnheader', { name: 'Dirección MAC' }).waitFor();
      // Reading the fetch log is all a viewer may do.
      const buttons = await page.locator('main').getByRole('button').allTextContents();
      assert.deepEqual([...new Set(buttons)], ['Registro de descargas']);
      assert.equal(await forge(page, 'POST', '/api/v1/phones/2002/rotate-secret'), 403);
      assert.equal(await forge(page, 'DELETE', '/api/v1/phones/2002'), 403);
    } finally {
      await close();
    }
  });
});
