/**
 * Users and tokens in Chromium: an admin creates a user, changes its role and extensions, resets its password and
 * removes it (confirmed); creates a click-to-dial token shown once (and usable), revokes it; the audit log pages.
 * Spanish labels; a supervisor has no such page and a forged write from its session gets 403.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { type Harness, PASSWORD, startHarness } from '../server/harness.js';
import { ensureWebBuilt, launchBrowser, newPage, signIn } from './support.js';

describe('web UI: Users and tokens', () => {
  let browser: Browser;
  let h: Harness;
  before(async () => {
    await ensureWebBuilt();
    [browser, h] = await Promise.all([launchBrowser(), startHarness({ pbx: 0 })]);
    await h.user('ana', 'admin');
    await h.user('sara', 'supervisor');
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  it('creates, changes and removes a user; a token is shown once, works, and is revoked', async () => {
    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(page, h.url, 'ana');
      await page.getByRole('link', { name: 'Users and tokens' }).click();
      await page.getByRole('button', { name: 'Add user' }).click();
      const create = page.getByRole('dialog', { name: 'Add user' });
      await create.getByLabel('Username').fill('lucia');
      await create.getByLabel('Role').selectOption('agent');
      await create.getByLabel('Extensions').fill('201, 202');
      await create.getByLabel('Password').fill('short');
      await create.getByRole('button', { name: 'Create' }).click();
      // The API's words next to the field.
      await create.getByText('at least 8 characters', { exact: false }).waitFor();
      assert.equal(await create.getByLabel('Password').getAttribute('aria-invalid'), 'true');
      await create.getByLabel('Password').fill('lucia-secret-1');
      await create.getByRole('button', { name: 'Create' }).click();
      await page.getByRole('status').filter({ hasText: 'User lucia created.' }).waitFor();
      const users = page.getByRole('table', { name: 'Users' });
      const lucia = users.getByRole('row').filter({ hasText: 'lucia' });
      assert.match((await lucia.textContent()) ?? '', /agent201, 202/);

      await lucia.getByRole('button', { name: 'Change user lucia' }).click();
      const edit = page.getByRole('dialog', { name: 'Change user lucia' });
      await edit.getByLabel('Role').selectOption('operator');
      await edit.getByLabel('Extensions').fill('203');
      await edit.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('status').filter({ hasText: 'User lucia changed.' }).waitFor();
      assert.match((await lucia.textContent()) ?? '', /operator203/);

      await lucia.getByRole('button', { name: 'Reset the password of lucia' }).click();
      const pw = page.getByRole('dialog', { name: 'Reset the password of lucia' });
      await pw.getByLabel('New password').fill('lucia-secret-2');
      await pw.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('status').filter({ hasText: 'The password of lucia was reset.' }).waitFor();
      assert.equal((await h.login('lucia', 'lucia-secret-2').catch(() => undefined)) !== undefined, true);

      // A click-to-dial token for lucia, shown once.
      const tokens = page.getByRole('region', { name: 'API tokens' });
      await tokens.getByLabel('Token name').fill('CRM widget');
      await tokens.getByLabel('For user').selectOption('lucia');
      await tokens.getByLabel('Scope').selectOption('click-to-dial');
      await tokens.getByLabel('Expires in days (empty: never)').fill('30');
      await tokens.getByRole('button', { name: 'Create token' }).click();
      const shown = page.getByRole('dialog', { name: 'Token CRM widget created' });
      await shown.getByText('you will not see this again').waitFor();
      const token = await shown.getByRole('textbox', { name: 'Token', exact: true }).inputValue();
      assert.ok(token.length >= 20, token);
      await shown.getByRole('button', { name: 'Done' }).click();
      const row = page
        .getByRole('table', { name: 'API tokens' })
        .getByRole('row')
        .filter({ hasText: 'CRM widget' });
      assert.match((await row.textContent()) ?? '', /lucia/);
      assert.match((await row.textContent()) ?? '', /click-to-dial/);
      assert.ok(!(await page.content()).includes(token));
      // It works, with its scope.
      const me = await fetch(`${h.url}/api/v1/session`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(me.status, 200);
      assert.equal(((await me.json()) as { scope: string }).scope, 'click-to-dial');
      await row.getByRole('button', { name: 'Revoke token CRM widget' }).click();
      await page
        .getByRole('dialog', { name: 'Revoke token CRM widget' })
        .getByRole('button', { name: 'Revoke' })
        .click();
      await row.getByText('revoked', { exact: false }).waitFor();
      const after = await fetch(`${h.url}/api/v1/session`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(after.status, 401);

      // Remove, confirmed.
      await lucia.getByRole('button', { name: 'Remove user lucia' }).click();
      await page
        .getByRole('dialog', { name: 'Remove user lucia' })
        .getByRole('button', { name: 'Remove' })
        .click();
      await page.getByRole('status').filter({ hasText: 'User lucia removed.' }).waitFor();
      await lucia.waitFor({ state: 'detached' });
      // One cannot remove oneself: no button for it.
      const own = users.getByRole('row').filter({ hasText: 'ana' });
      assert.equal(await own.getByRole('button', { name: 'Remove user ana' }).count(), 0);

      // The audit log has the writes, newest first, and pages.
      const audit = page.getByRole('table', { name: 'Audit log' });
      await audit.getByRole('row').filter({ hasText: 'DELETE /api/v1/users/:name' }).first().waitFor();
      assert.ok(!(await audit.textContent())?.includes('lucia-secret'));
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  it('the audit log pages with Older / Newest', async () => {
    const ana = await h.login('ana');
    for (let i = 0; i < 55; i++)
      await ana.call('PATCH', '/api/v1/users/sara', { extensions: [String(300 + i)] });
    const { page, close } = await newPage(browser);
    try {
      await signIn(page, h.url, 'ana');
      await page.getByRole('link', { name: 'Users and tokens' }).click();
      const audit = page.getByRole('table', { name: 'Audit log' });
      await audit.getByRole('row').nth(50).waitFor();
      assert.equal(await audit.getByRole('row').count(), 51);
      const newest = page.getByRole('button', { name: 'Newest' });
      assert.equal(await newest.isDisabled(), true);
      await page.getByRole('button', { name: 'Older' }).click();
      // The second page: older entries, and the way back.
      await page.locator('main button:not([disabled])', { hasText: 'Newest' }).waitFor();
      assert.ok((await audit.getByRole('row').count()) > 1);
      await newest.click();
      await page.locator('main button[disabled]', { hasText: 'Newest' }).waitFor();
      assert.equal(await audit.getByRole('row').count(), 51);
    } finally {
      await close();
    }
  });

  it('Spanish labels; a supervisor has no Users page and a forged write is refused 403', async () => {
    const { page, close } = await newPage(browser);
    try {
      await signIn(page, h.url, 'ana', '/?lang=es');
      await page.getByRole('link', { name: 'Usuarios y tokens' }).click();
      await page.getByRole('button', { name: 'Añadir usuario' }).waitFor();
      await page.getByRole('region', { name: 'Tokens de la API' }).getByLabel('Alcance').waitFor();
      await page.getByRole('table', { name: 'Registro de auditoría' }).waitFor();
    } finally {
      await close();
    }
    const sup = await newPage(browser);
    try {
      await signIn(sup.page, h.url, 'sara');
      assert.equal(await sup.page.getByRole('link', { name: 'Users and tokens' }).count(), 0);
      await sup.page.goto(`${h.url}/users`);
      await sup.page.getByRole('heading', { name: '404' }).waitFor();
      const status = await sup.page.evaluate(async (password) => {
        const me = (await (await fetch('/api/v1/session')).json()) as { csrfToken: string };
        const r = await fetch('/api/v1/users', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
          body: JSON.stringify({ name: 'mallory', role: 'admin', password }),
        });
        return r.status;
      }, PASSWORD);
      assert.equal(status, 403);
    } finally {
      await sup.close();
    }
  });
});
