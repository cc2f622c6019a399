/** The web UI in Chromium: sign in and out, errors in words, Spanish, the strict CSP, the shell per role. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { PASSWORD } from '../server/harness.js';
import { ensureWebBuilt, launchBrowser, newPage, signIn, startWeb } from './support.js';

describe('web UI: sign in, language, shell', () => {
  let browser: Browser;
  let web: Awaited<ReturnType<typeof startWeb>>;
  before(async () => {
    await ensureWebBuilt();
    [browser, web] = await Promise.all([launchBrowser(), startWeb()]);
  });
  after(async () => {
    await browser?.close();
    await web?.close();
  });

  it('signs in with Username/Password/Sign in, shows the shell, and signs out', async () => {
    const { page, problems, close } = await newPage(browser);
    try {
      const res = await page.goto(`${web.h.url}/calls`);
      // Served with the strict policy; an unknown client route falls back to the app, which asks to sign in.
      assert.match(res?.headers()['content-security-policy'] ?? '', /script-src 'self'; style-src 'self'/);
      await page.waitForURL(/\/login$/);
      await page.getByLabel('Username').fill('oscar');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText('Signed in as oscar (operator)').waitFor();
      const nav = page.getByRole('navigation', { name: 'Main' });
      assert.deepEqual(await nav.getByRole('link').allTextContents(), [
        'Home',
        'Live calls',
        'Call centre',
        'Click-to-dial',
        'Last calls',
        'Statistics',
        'Trunks',
        'CRM feeds',
        'Phones',
      ]);
      await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
      await page.getByRole('status', { name: 'Live updates: Live' }).waitFor();
      const cookies = await page.context().cookies();
      assert.ok(
        cookies.every((c) => c.httpOnly),
        'the session cookie is HTTP-only',
      );
      assert.equal(await page.evaluate('localStorage.length + sessionStorage.length'), 0);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      const after = await page.evaluate(() => fetch('/api/v1/session').then((r) => r.status));
      assert.equal(after, 401);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  it('says in words why sign-in failed and never shows the password', async () => {
    const { page, close } = await newPage(browser);
    try {
      await page.goto(`${web.h.url}/login`);
      await page.getByLabel('Username').fill('oscar');
      await page.getByLabel('Password').fill('not-the-password-42');
      await page.getByRole('button', { name: 'Sign in' }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      assert.equal(await alert.textContent(), 'The username or password is wrong.');
      assert.equal(await page.getByLabel('Password').inputValue(), '');
      assert.ok(!(await page.content()).includes('not-the-password-42'));
    } finally {
      await close();
    }
  });

  it('speaks Spanish with ?lang=es (html lang follows) and remembers a switch for the user', async () => {
    const { page, close } = await newPage(browser);
    try {
      await page.goto(`${web.h.url}/login?lang=es`);
      await page.getByRole('button', { name: 'Entrar' }).waitFor();
      assert.equal(await page.getAttribute('html', 'lang'), 'es');
      await page.getByLabel('Usuario').fill('vera');
      await page.getByLabel('Contraseña').fill(PASSWORD);
      await page.getByRole('button', { name: 'Entrar' }).click();
      const nav = page.getByRole('navigation', { name: 'Principal' });
      await nav.waitFor();
      // A viewer has no click-to-dial page.
      assert.deepEqual(await nav.getByRole('link').allTextContents(), [
        'Inicio',
        'Llamadas en curso',
        'Centro de llamadas',
        'Últimas llamadas',
        'Estadísticas',
        'Troncales',
        'Feeds CRM',
        'Teléfonos',
      ]);
      await page.getByRole('button', { name: 'Cerrar sesión' }).waitFor();
      await page.getByRole('heading', { name: 'Conexiones con centralitas' }).waitFor();
      // Switching in the UI is saved for the user: a fresh visit without ?lang comes back in that language.
      await page.getByLabel('Idioma').selectOption('en');
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      const saved = page.waitForResponse(
        (r) => r.url().endsWith('/api/v1/session') && r.request().method() === 'PATCH',
      );
      await page.getByLabel('Language').selectOption('es');
      assert.equal((await saved).status(), 200);
      await page.goto(`${web.h.url}/`);
      await page.getByRole('button', { name: 'Cerrar sesión' }).waitFor();
      assert.equal(await page.getAttribute('html', 'lang'), 'es');
    } finally {
      await close();
    }
  });

  it('works at phone size: the navigation and the sign-out stay reachable', async () => {
    const { page, close } = await newPage(browser, { width: 390, height: 844 });
    try {
      await signIn(page, web.h.url, 'reina');
      await page.getByRole('link', { name: 'Live calls' }).click();
      await page.getByRole('table', { name: 'Live calls' }).waitFor({ state: 'attached' });
      await page.getByText('No calls in progress.').waitFor();
      const width = await page.evaluate<number>('document.documentElement.scrollWidth');
      assert.ok(width <= 390, `no horizontal scrolling (${width}px)`);
    } finally {
      await close();
    }
  });
});
