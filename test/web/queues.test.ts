/** Call centre in Chromium on the recorded `queue` transcript: agents and their state, pause with a reason. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { waitUntil } from '../helpers/wait.js';
import { ensureWebBuilt, launchBrowser, newPage, signIn, startWeb } from './support.js';

describe('web UI: Call centre', () => {
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

  it('a supervisor pauses an agent with a reason: AMI QueuePause, then the state from the event', async () => {
    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(page, web.h.url, 'sara');
      await page.getByRole('link', { name: 'Call centre' }).click();
      await page.getByRole('heading', { name: 'Queue support (pbx1)' }).waitFor();
      const agents = page.getByRole('table', { name: 'Agents in support' });
      const alonso = agents.getByRole('row').filter({ hasText: 'Agent Alonso' });
      await alonso.getByText('Free').waitFor();
      assert.match((await alonso.textContent()) ?? '', /Local\/201@sb-agents\/n/);
      await alonso.getByRole('button', { name: 'Pause: Agent Alonso' }).click();
      const dialog = page.getByRole('dialog', { name: 'Pause Agent Alonso' });
      await dialog.getByLabel('Reason (optional)').fill('lunch break');
      const sent = web.fake.nextAction('QueuePause');
      await dialog.getByRole('button', { name: 'Pause' }).click();
      const { action } = await sent;
      assert.equal(action.get('Queue'), 'support');
      assert.equal(action.get('Interface'), 'Local/201@sb-agents/n');
      assert.equal(action.get('Paused'), 'true');
      assert.equal(action.get('Reason'), 'lunch break');
      await alonso.getByText('Paused: lunch break').waitFor();
      await page.getByRole('status').filter({ hasText: 'Agent Alonso paused.' }).waitFor();
      // And back.
      const resume = web.fake.nextAction('QueuePause');
      await alonso.getByRole('button', { name: 'Resume: Agent Alonso' }).click();
      assert.equal((await resume).action.get('Paused'), 'false');
      await alonso.getByText('Free').waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  it('a viewer sees the queue but no action; Spanish labels', async () => {
    const { page, close } = await newPage(browser);
    try {
      await signIn(page, web.h.url, 'vera', '/?lang=es');
      await page.getByRole('link', { name: 'Centro de llamadas' }).click();
      const agents = page.getByRole('table', { name: 'Agentes en support' });
      await agents.getByRole('row').filter({ hasText: 'Agent Reina' }).getByText('Libre').waitFor();
      assert.equal(await page.locator('main').getByRole('button').count(), 0);
      assert.equal(await page.getByRole('form').count(), 0);
    } finally {
      await close();
    }
  });
});
