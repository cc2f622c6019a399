/** Click-to-dial in Chromium, keyboard only, on the recorded `sip-click-to-dial`: the AMI Originate and the progress. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { waitUntil } from '../helpers/wait.js';
import { ensureWebBuilt, launchBrowser, newPage, signIn, startWeb } from './support.js';

/** Presses Tab until `target` has the focus (a keyboard user's way there). */
async function tabTo(page: Page, target: Locator, max = 25): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === el.ownerDocument.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('could not reach the control with Tab');
}

describe('web UI: Click-to-dial', () => {
  let browser: Browser;
  let web: Awaited<ReturnType<typeof startWeb>>;
  before(async () => {
    await ensureWebBuilt();
    [browser, web] = await Promise.all([launchBrowser(), startWeb()]);
    await waitUntil(() => web.fake.live.length > 0, 'the server to log in to the fake Asterisk');
  });
  after(async () => {
    await browser?.close();
    await web?.close();
  });

  it('keyboard only: From pre-filled with the agent’s extension, To, Enter → Originate and the progress', async () => {
    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(page, web.h.url, 'reina');
      // Reach the page through the navigation with the keyboard.
      const link = page.getByRole('link', { name: 'Click-to-dial' });
      await tabTo(page, link);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Click-to-dial', level: 1 }).waitFor();
      const from = page.getByLabel('From');
      assert.equal(await from.inputValue(), 'reina');
      const to = page.getByLabel('To', { exact: true });
      await tabTo(page, to);
      await page.keyboard.type('200');
      const originate = web.fake.nextAction('Originate');
      await page.keyboard.press('Enter');
      const { action } = await originate;
      assert.equal(action.get('Channel'), 'PJSIP/reina');
      assert.equal(action.get('Application'), 'AGI');
      assert.match(action.get('Data') ?? '', /^agi:async,switchboard-c2d,c2d-/);
      const progress = page.getByRole('region', { name: 'Call progress' });
      await progress.getByText('reina → 200').waitFor();
      // The recorded call: the phone rings, answers, the far end is dialled and answers.
      await progress.locator('[aria-current="step"]', { hasText: 'Ringing your phone' }).waitFor();
      await progress.locator('[aria-current="step"]', { hasText: /Connected|Ended/ }).waitFor();
      const dials = web.fake.actions.filter((m) => m.get('Action') === 'AGI').map((m) => m.get('Command'));
      assert.ok(dials.includes('EXEC Dial Local/200@oficina2/n,30'), dials.join(' | '));
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  it('an operator may type any From; refusals from the server are shown in words', async () => {
    const { page, close } = await newPage(browser);
    try {
      await signIn(page, web.h.url, 'oscar', '/dial');
      const from = page.getByLabel('From');
      assert.equal(await from.inputValue(), '3001');
      await from.fill('alonso');
      await page.getByLabel('To', { exact: true }).fill('200\u0007');
      const before = web.fake.actions.length;
      await page.getByRole('button', { name: 'Call' }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      assert.match((await alert.textContent()) ?? '', /^The call could not be made: .*control characters/);
      assert.equal(web.fake.actions.length, before, 'nothing reached Asterisk');
    } finally {
      await close();
    }
  });
});
