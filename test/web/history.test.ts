/**
 * Last calls in Chromium: history rows stored in the server's store (and one recorded call replayed through the
 * fake AMI), searched and filtered through the form with the filter in the address, keyset pages, the CSV link of
 * the same filter, a call's details with its log lines for supervisors, Spanish, a viewer reads, anonymous → login.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { parseLogLine } from '../../src/admin/logs/parse.js';
import type { LogRing } from '../../src/admin/logs/ring.js';
import { waitUntil } from '../helpers/wait.js';
import { seedHistory } from './history-seed.js';
import { ensureWebBuilt, launchBrowser, newPage, signIn, startCall, startWeb } from './support.js';

const LOG = readFileSync(new URL('../fixtures/asterisk/logs/messages.log', import.meta.url), 'utf8').split(
  '\n',
);

describe('web UI: Last calls', () => {
  let browser: Browser;
  let web: Awaited<ReturnType<typeof startWeb>>;
  const now = Date.now();
  before(async () => {
    await ensureWebBuilt();
    [browser, web] = await Promise.all([launchBrowser(), startWeb()]);
    await waitUntil(() => web.fake.live.length > 0, 'the server to log in to the fake Asterisk');
    // 60 calls one minute apart: 2001 → 300 (answered) and 2002 → 400 (no answer) in turn; the newest is L0.
    await seedHistory(
      web.h.store,
      Array.from({ length: 60 }, (_, i) => ({
        linkedid: `17000${String(i).padStart(5, '0')}`,
        start: now - (i + 1) * 60_000,
        duration: 30,
        source: i % 2 ? '2002' : '2001',
        destination: i % 2 ? '400' : '300',
        ...(i % 2 ? {} : { answerAfter: 5 }),
        ...(i === 0
          ? {
              visit: {
                queue: 'support',
                outcome: 'answered' as const,
                agent: 'PJSIP/alonso',
                waitSeconds: 4,
              },
            }
          : {}),
      })),
    );
  });
  after(async () => {
    await browser?.close();
    await web?.close();
  });

  it('a viewer pages with Older/Newer, filters through the form (kept in the address) and exports that filter', async () => {
    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(page, web.h.url, 'vera');
      await page.getByRole('link', { name: 'Last calls' }).click();
      const table = page.getByRole('table', { name: 'Call history' });
      const rows = table.locator('tbody tr');
      await page.getByText('50 calls on this page, newest first.').waitFor();
      assert.equal(await rows.count(), 50);
      assert.match((await rows.first().textContent()) ?? '', /2001300Answered/);
      await page.getByRole('button', { name: 'Older' }).click();
      await page.getByText('10 calls on this page, newest first.').waitFor();
      assert.match(page.url(), /cursor=/);
      assert.equal(await page.getByRole('button', { name: 'Older' }).isDisabled(), true);
      await page.getByRole('button', { name: 'Newer' }).click();
      await page.getByText('50 calls on this page, newest first.').waitFor();
      assert.doesNotMatch(page.url(), /cursor=/);

      await page.getByLabel('Destination').fill('400');
      await page.getByLabel('Disposition').selectOption('NO ANSWER');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByText('30 calls on this page, newest first.').waitFor();
      const url = new URL(page.url());
      assert.equal(url.pathname, '/history');
      assert.equal(url.searchParams.get('dst'), '400');
      assert.equal(url.searchParams.get('disposition'), 'NO ANSWER');
      for (const text of await rows.allTextContents()) assert.match(text, /2002400No answer/);

      const link = page.getByRole('link', { name: 'Export CSV' });
      const href = (await link.getAttribute('href')) ?? '';
      const q = new URL(href, web.h.url).searchParams;
      assert.equal(q.get('dst'), '400');
      assert.equal(q.get('disposition'), 'NO ANSWER');
      assert.equal(q.get('format'), 'csv');
      // The session cookie alone authenticates the download.
      const csv = await page.request.get(new URL(href, web.h.url).href);
      assert.equal(csv.status(), 200);
      assert.match(csv.headers()['content-type'] ?? '', /text\/csv/);
      const lines = (await csv.text()).trim().split(/\r?\n/);
      assert.equal(lines.length, 31, 'a header and the 30 calls of the filter');

      // The address is shareable: opened afresh it shows the same filter, in the form and in the table.
      await page.goto(`${web.h.url}/history?src=2001&q=200`);
      await page.getByText('30 calls on this page, newest first.').waitFor();
      assert.equal(await page.getByLabel('Source').inputValue(), '2001');
      await page.getByRole('button', { name: 'Clear filters' }).click();
      await page.getByText('50 calls on this page, newest first.').waitFor();
      assert.equal(new URL(page.url()).search, '');
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  it("shows a call's legs and queue visit; a supervisor also reads its log lines, a viewer does not", async () => {
    const ring = (web.h.server.context.rooms.get('logs') as { ring: LogRing }).ring;
    // The fixture's call C-00000001 (PJSIP/2001-00000000 → alonso); only some of its lines name the 2001 channel.
    for (const raw of LOG.slice(117, 125)) ring.add('pbx1', 'file', parseLogLine(raw));
    await seedHistory(web.h.store, [
      {
        linkedid: '1699990000',
        start: now - 10_000,
        duration: 8,
        answerAfter: 2,
        source: '2001',
        destination: '200',
      },
    ]);
    for (const [user, logs] of [
      ['sara', true],
      ['vera', false],
    ] as const) {
      const { page, close } = await newPage(browser);
      try {
        await signIn(page, web.h.url, user);
        await page.goto(`${web.h.url}/history?dst=200`);
        await page.getByRole('button', { name: /^Details: call from 2001 to 200 at / }).click();
        const dialog = page.getByRole('dialog', { name: /^Call \d+$/ });
        await dialog.getByRole('table', { name: 'Legs' }).getByText('PJSIP/2001-00000000').waitFor();
        await dialog.getByText('No dial attempts.').waitFor();
        await dialog.getByText('Not queued.').waitFor();
        if (logs) {
          await dialog.getByText('Lines of Asterisk call ids C-00000001', { exact: false }).waitFor();
          const text = (await dialog.locator('pre').textContent()) ?? '';
          // A line found by the call id, though it does not name the caller's channel.
          assert.match(text, /app_dial\.c: Called PJSIP\/alonso/);
          assert.match(text, /Dial\("PJSIP\/2001-00000000", "PJSIP\/alonso,20"\)/);
        } else {
          await dialog.getByText('Hangup cause').waitFor();
          assert.equal(await dialog.getByRole('heading', { name: 'Log lines' }).count(), 0);
        }
        await dialog.getByRole('button', { name: 'Close' }).click();
        await dialog.waitFor({ state: 'detached' });
      } finally {
        await close();
      }
    }
    // The queue visit of the newest seeded call.
    const { page, close } = await newPage(browser);
    try {
      await signIn(page, web.h.url, 'vera');
      await page.goto(`${web.h.url}/history?queue=support`);
      await page.getByText('1 calls on this page, newest first.').waitFor();
      await page.getByRole('button', { name: /^Details:/ }).click();
      const visits = page.getByRole('table', { name: 'Queue visits' });
      assert.match(
        (await visits.locator('tbody tr').textContent()) ?? '',
        /support.*answered4 sPJSIP\/alonso/,
      );
    } finally {
      await close();
    }
  });

  it('a recorded call replayed through the fake AMI shows up; Spanish labels with ?lang=es', async () => {
    startCall(web, { from: 'rosa', to: 'alonso', callerName: 'Rosa', idBase: '1795800010' }).hangup();
    const { page, close } = await newPage(browser);
    try {
      await signIn(page, web.h.url, 'vera', '/?lang=es');
      await page.getByRole('link', { name: 'Últimas llamadas' }).waitFor();
      await page.goto(`${web.h.url}/history?lang=es`);
      const table = page.getByRole('table', { name: 'Historial de llamadas' });
      await table.waitFor();
      await page.getByRole('button', { name: 'Más antiguas' }).waitFor();
      await page.getByRole('link', { name: 'Exportar CSV' }).waitFor();
      await page.getByLabel('Destino').fill('200');
      await page.getByLabel('Origen').fill('rosa');
      await page.getByRole('button', { name: 'Buscar', exact: true }).click();
      // The model waits for late Cdrs before it reports the call; reload until the recorder has stored it.
      for (let i = 0; (await table.locator('tbody tr').count()) !== 1; i++) {
        assert.ok(i < 20, 'the replayed call in the history');
        await page.waitForTimeout(500);
        await page.reload();
        await table.waitFor();
        await page.getByText(/llamadas en esta página/).waitFor();
      }
      assert.match((await table.locator('tbody tr').textContent()) ?? '', /rosa200Contestada/);
      assert.equal(new URL(page.url()).searchParams.get('lang'), 'es');
    } finally {
      await close();
    }
  });

  it('sends an anonymous visitor to the sign-in page', async () => {
    const { page, close } = await newPage(browser);
    try {
      await page.goto(`${web.h.url}/history?dst=300`);
      await page.getByLabel('Username').waitFor();
      assert.equal(new URL(page.url()).pathname, '/login');
    } finally {
      await close();
    }
  });
});
