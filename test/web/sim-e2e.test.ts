/**
 * The UI end to end on the SimulatedPbx (what `npm start` runs), not on recorded replays: sign in and out; a call
 * placed by a simulated phone appears in "Live calls" within a second with its hostile caller ID name as text;
 * "Hang up" (confirmed) ends it on the PBX; click-to-dial rings the operator's phone, then the far end, and shows the
 * progress to the end; the finished calls are found in "Last calls"; the debug console shows the simulator's new
 * Asterisk log lines; a viewer sees no call actions; Spanish labels.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { type FakeAmiServer, SimulatedPbx } from '../../src/testing/index.js';
import { waitUntil } from '../helpers/wait.js';
import { type Harness, startHarness } from '../server/harness.js';
import { ensureWebBuilt, launchBrowser, newPage, signIn } from './support.js';

const XSS = '<img src=x onerror=alert(1)>';

/** Hangs up a simulated phone's channels, as its user putting the handset down. */
function putDown(sim: SimulatedPbx, endpoint: string): void {
  for (const c of sim.channels()) if (c.name.startsWith(`PJSIP/${endpoint}-`)) sim.hangup(c.name);
}

describe('web UI end to end on the simulated PBX', () => {
  let browser: Browser;
  let sim: SimulatedPbx;
  let h: Harness;
  let dir: string;
  before(async () => {
    await ensureWebBuilt();
    dir = await mkdtemp(join(tmpdir(), 'sb-sim-e2e-'));
    const logFile = join(dir, 'asterisk.log');
    sim = await SimulatedPbx.start({ traffic: false, logFile });
    [browser, h] = await Promise.all([
      launchBrowser(),
      startHarness({
        pbx: [sim as unknown as FakeAmiServer],
        config: {
          pbx: [
            {
              id: 'sim',
              name: 'Demo office',
              ami: sim.url(),
              simulated: true,
              clickToDial: { channel: 'PJSIP/$' + '{from}', context: 'oficina2', timeout: 30 },
              logs: { file: logFile, fromStart: true },
            },
          ],
        },
      }),
    ]);
    await h.user('oscar', 'operator', { extensions: ['manuel'] });
    await h.user('sara', 'supervisor');
    await h.user('vera', 'viewer');
    await h.server.context.pbx.monitor.ready();
  });
  after(async () => {
    await browser?.close();
    await h?.close();
    await sim?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a simulated call shows within a second, its caller ID as text; Hang up ends it on the PBX', async () => {
    const { page, dialogs, problems, close } = await newPage(browser);
    try {
      await signIn(page, h.url, 'oscar', '/calls');
      const table = page.getByRole('table', { name: 'Live calls' });
      await page.getByText('No calls in progress.').waitFor();
      sim.placeCall({ from: 'reina', to: '200', callerIdName: XSS, talkMs: 120_000 });
      const row = table.getByRole('row').filter({ hasText: XSS });
      await row.waitFor({ timeout: 1000 });
      await row.getByText('Connected').waitFor();
      assert.equal(await page.locator('img[src="x"]').count(), 0, 'the name is text, not markup');
      assert.equal(sim.channels().length, 2);

      // Not one of oscar's extensions: asked first.
      await row.getByRole('button', { name: /^Hang up/ }).click();
      const confirm = page.getByRole('dialog', { name: 'Hang up this call?' });
      await confirm.getByRole('button', { name: 'Hang up' }).click();
      await row.waitFor({ state: 'detached', timeout: 2000 });
      await waitUntil(() => sim.channels().length === 0, 'the PBX hung both legs up');
      await page.getByText('No calls in progress.').waitFor();
      assert.deepEqual(dialogs, [], 'no alert() ran');
      assert.deepEqual(problems, []);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
    } finally {
      await close();
    }
  });

  it("click-to-dial rings the operator's phone, then the far end, to the end; the calls are in Last calls", async () => {
    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(page, h.url, 'oscar', '/dial');
      assert.equal(await page.getByLabel('From').inputValue(), 'manuel');
      await page.getByLabel('To', { exact: true }).fill('200');
      await page.getByRole('button', { name: 'Call' }).click();
      const progress = page.getByRole('region', { name: 'Call progress' });
      await progress.getByText('manuel → 200').waitFor();
      await progress.locator('[aria-current="step"]', { hasText: 'Connected' }).waitFor({ timeout: 15_000 });
      // Both simulated phones are in the call; one of them hangs up.
      await waitUntil(() => sim.channels().some((c) => c.name.startsWith('PJSIP/alonso-')), 'alonso rings');
      putDown(sim, 'alonso');
      await progress.locator('[aria-current="step"]', { hasText: 'Ended' }).waitFor({ timeout: 10_000 });

      // Last calls: the click-to-dial call and the first test's call, found by number, once the history has them.
      const sara = await h.login('sara');
      const stored = async () => ((await sara.call('GET', '/api/v1/history')).body.items as unknown[]).length;
      for (let i = 0; i < 100 && (await stored()) < 2; i++) await new Promise((r) => setTimeout(r, 100));
      await page.getByRole('link', { name: 'Last calls' }).click();
      const history = page.getByRole('table', { name: 'Call history' });
      await history.getByRole('row').nth(1).waitFor();
      await page.getByLabel('Source').fill('reina');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByText('1 calls on this page, newest first.').waitFor();
      assert.equal(new URL(page.url()).searchParams.get('src'), 'reina');
      const found = history.locator('tbody tr');
      assert.match((await found.first().textContent()) ?? '', /reina/);
      assert.equal(await page.locator('img[src="x"]').count(), 0);
      await page.getByLabel('Source').fill('manuel');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByText('1 calls on this page, newest first.').waitFor();
      assert.match((await found.first().textContent()) ?? '', /manuel.*200/);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  it('the debug console shows the simulator’s new log lines; a viewer has no call actions; Spanish', async () => {
    const sup = await newPage(browser);
    try {
      await signIn(sup.page, h.url, 'sara');
      await sup.page.getByRole('link', { name: 'Debug console' }).click();
      const log = sup.page.getByRole('region', { name: 'Asterisk log' });
      await log
        .getByText(/Executing \[200@oficina2:1\]/)
        .first()
        .waitFor();
      const before = await log.getByText(/Executing \[288@oficina2:1\]/).count();
      sim.placeCall({ from: 'alonso', to: '288', talkMs: 200 });
      await log
        .getByText(/Executing \[288@oficina2:1\]/)
        .nth(before)
        .waitFor({ timeout: 5000 });
    } finally {
      await sup.close();
    }
    const viewer = await newPage(browser);
    try {
      await signIn(viewer.page, h.url, 'vera', '/calls?lang=es');
      sim.placeCall({ from: 'reina', to: '200', callerIdName: 'Reina', talkMs: 60_000 });
      const table = viewer.page.getByRole('table', { name: 'Llamadas en curso' });
      await table.getByRole('row').filter({ hasText: 'Reina' }).waitFor();
      assert.equal(await table.getByRole('button').count(), 0, 'a viewer gets no action buttons');
      putDown(sim, 'reina');
    } finally {
      await viewer.close();
    }
  });
});
