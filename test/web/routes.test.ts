/**
 * Outbound routes in Chromium: an admin adds routes (shown in Asterisk's precedence order), sees the API's words
 * next to the field it refused, the `check` finding next to the route it names, edits who may use a route and
 * asks the live "explain" box; a supervisor reads in Spanish without edit buttons and a forged edit gets 403.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { verifyPin } from '../../src/router/index.js';
import { type Harness, startHarness } from '../server/harness.js';
import { ensureWebBuilt, launchBrowser, newPage, signIn } from './support.js';

async function forge(page: Page, method: string, path: string, body: unknown): Promise<number> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const me = (await (await fetch('/api/v1/session')).json()) as { csrfToken: string };
      const r = await fetch(path, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: JSON.stringify(body),
      });
      return r.status;
    },
    { method, path, body },
  );
}

const N = '$' + '{number}';

describe('web UI: Outbound routes', () => {
  let browser: Browser;
  let h: Harness;
  before(async () => {
    await ensureWebBuilt();
    [browser, h] = await Promise.all([launchBrowser(), startHarness({ pbx: 0 })]);
    await h.user('ana', 'admin');
    await h.user('sara', 'supervisor');
    const ana = await h.login('ana');
    // A route made over the API first: the page must list the new, more specific one before it.
    const r = await ana.call('POST', '/api/v1/routes', {
      name: 'pstn',
      pattern: '_0X.',
      app: 'dial',
      rewrite: { strip: 1 },
      targets: [{ template: `PJSIP/${N}@trunk13` }],
    });
    assert.equal(r.status, 201, r.text);
    assert.equal(
      (await ana.call('POST', '/api/v1/router/extensions', { number: '34', routes: [] })).status,
      201,
    );
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  it('adds and edits a route; refusals next to the field; check findings on the route; explain', async () => {
    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(page, h.url, 'ana');
      await page.getByRole('link', { name: 'Outbound routes' }).click();
      const pstn = page.getByRole('article', { name: 'Route pstn' });
      // Nobody holds it yet: the check says so, on that route.
      await pstn.getByText('no extension and no user holds it', { exact: false }).waitFor();

      await page.getByRole('button', { name: 'Add route' }).click();
      const form = page.getByRole('dialog', { name: 'Add route' });
      await form.getByLabel('Name').fill('intl');
      await form.getByLabel('Pattern', { exact: true }).fill('_00Q.');
      await form.getByLabel('Targets').fill(`PJSIP/${N}@trunk13 | tT | 30\nIAX2/backup/${N}`);
      await form.getByLabel('Time windows').fill('mon-sun 00:00-24:00 Europe/Madrid');
      await form.getByLabel('Extensions (no PIN)').fill('33');
      await form.getByRole('button', { name: 'Save' }).click();
      // The CLI's words, next to the pattern field.
      const pattern = form.getByLabel('Pattern', { exact: true });
      await page.waitForSelector('[aria-invalid="true"]');
      assert.equal(await pattern.getAttribute('aria-invalid'), 'true');
      const ids = ((await pattern.getAttribute('aria-describedby')) ?? '').split(' ');
      const words = await page.locator(`[id="${ids.at(-1)}"]`).textContent();
      assert.match(words ?? '', /pattern: invalid dial pattern "_00Q\."/);
      await pattern.fill('_00X.');
      await form.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('status').filter({ hasText: 'Route intl saved.' }).waitFor();

      // Precedence: _00X. is more specific than _0X., so it comes first.
      const intl = page.getByRole('article', { name: 'Route intl' });
      await intl.waitFor();
      const order = await page
        .getByRole('article')
        .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
      assert.deepEqual(order, ['Route intl', 'Route pstn']);
      assert.match((await intl.textContent()) ?? '', /IAX2\/backup/);
      assert.match((await intl.textContent()) ?? '', /Europe\/Madrid/);
      assert.match((await intl.textContent()) ?? '', /Extensions \(no PIN\)33/);

      // Explain: extension 33 dialing 0034911234567 now.
      const box = page.getByRole('region', { name: 'Explain a call' });
      await box.getByLabel('Caller extension').fill('33');
      await box.getByLabel('Dialed number').fill('0034911234567');
      const answer = box.getByRole('status', { name: 'What would happen' });
      await answer.getByText('Route intl wins: dial, number 0034911234567.').waitFor();
      await answer.getByText('No PIN needed: extension 33 holds intl.').waitFor();
      assert.match((await answer.textContent()) ?? '', /pstn: lower precedence/);
      // Another caller needs a PIN nobody has.
      await box.getByLabel('Caller extension').fill('34');
      await answer.getByText('PIN required, but no user holds this route', { exact: false }).waitFor();

      // Edit pstn: a PIN user and an extension may now use it; its finding goes away.
      await page
        .getByRole('region', { name: 'Users with a PIN' })
        .getByLabel('User', { exact: true })
        .fill('moises');
      await page
        .getByRole('region', { name: 'Users with a PIN' })
        .getByLabel('PIN', { exact: true })
        .fill('123456');
      await page.getByRole('button', { name: 'Add user with PIN' }).click();
      await page.getByRole('table', { name: 'Users with a PIN' }).getByText('moises').waitFor();
      await pstn.getByRole('button', { name: 'Edit route pstn' }).click();
      const edit = page.getByRole('dialog', { name: 'Edit route pstn' });
      await edit.getByLabel('PIN holders').fill('moises');
      await edit.getByLabel('Extensions (no PIN)').fill('34');
      await edit.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('status').filter({ hasText: 'Route pstn saved.' }).waitFor();
      await pstn
        .getByText('no extension and no user holds it', { exact: false })
        .waitFor({ state: 'detached' });
      assert.match((await pstn.textContent()) ?? '', /PIN holdersmoises/);
      // The explain box asks again after the change: 34 dials 0911234567 via pstn without a PIN.
      await box.getByLabel('Dialed number').fill('0911234567');
      await answer.getByText('Route pstn wins: dial, number 911234567.').waitFor();
      await answer.getByText('No PIN needed: extension 34 holds pstn.').waitFor();
      const rules = await (await h.login('ana')).call('GET', '/api/v1/router/users');
      assert.deepEqual(rules.body, [{ name: 'moises', routes: ['pstn'] }]);

      // Change a PIN: the new one unlocks, the old one no longer does; neither is ever shown.
      const pinOf = async () =>
        (await h.server.context.store.users.list()).find((u) => u.name === 'moises')!.pinHash;
      const oldHash = await pinOf();
      await page.getByRole('button', { name: 'Change the PIN of moises' }).click();
      const change = page.getByRole('dialog', { name: 'Change the PIN of moises' });
      await change.getByLabel('New PIN').fill('12a');
      await change.getByRole('button', { name: 'Change PIN' }).click();
      await change.getByRole('alert').waitFor();
      await change.getByLabel('New PIN').fill('864209');
      await change.getByRole('button', { name: 'Change PIN' }).click();
      await change.waitFor({ state: 'detached' });
      const newHash = await pinOf();
      assert.notEqual(newHash, oldHash);
      assert.equal(await verifyPin('864209', newHash), true);
      assert.equal(await verifyPin('864209', oldHash), false);
      assert.ok(!(await page.content()).includes('864209'), 'the PIN is not in the page');

      // Delete asks first.
      await intl.getByRole('button', { name: 'Delete route intl' }).click();
      await page
        .getByRole('dialog', { name: 'Delete route intl?' })
        .getByRole('button', { name: 'Delete' })
        .click();
      await intl.waitFor({ state: 'detached' });
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  it('a supervisor reads in Spanish and explains, sees no edit button; a forged edit is refused 403', async () => {
    const { page, close } = await newPage(browser);
    try {
      await signIn(page, h.url, 'sara', '/?lang=es');
      await page.getByRole('link', { name: 'Rutas de salida' }).click();
      await page.getByRole('article', { name: 'Ruta pstn' }).waitFor();
      const box = page.getByRole('region', { name: 'Explicar una llamada' });
      await box.getByLabel('Extensión que llama').fill('34');
      await box.getByLabel('Número marcado').fill('0911234567');
      await box.getByText('Gana la ruta pstn', { exact: false }).waitFor();
      assert.equal(await page.locator('main').getByRole('button').count(), 0);
      assert.equal(await page.getByRole('form', { name: 'Añadir usuario con PIN' }).count(), 0);
      assert.equal(await forge(page, 'PATCH', '/api/v1/routes/pstn', { enabled: false }), 403);
      assert.equal((await (await h.login('ana')).call('GET', '/api/v1/routes/pstn')).body.enabled, true);
    } finally {
      await close();
    }
  });
});
