/**
 * Statistics and Home's history-backed figures in Chromium, on calls stored in the server's history: the numbers
 * on the page are the API's, ranges and presets are in the address, the chart loads lazily, Spanish, a viewer
 * reads, anonymous → login.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { waitUntil } from '../helpers/wait.js';
import { seedHistory, todayMidnight } from './history-seed.js';
import { ensureWebBuilt, launchBrowser, newPage, signIn, startWeb } from './support.js';

interface Figures {
  total: number;
  answered: number;
  missed: number;
  busy: number;
  answerRatio: number;
  queue: { offered: number; serviceLevel: number };
}

/** `YYYY-MM-DD` of a local date. */
function dayOf(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

describe('web UI: Statistics', () => {
  let browser: Browser;
  let web: Awaited<ReturnType<typeof startWeb>>;
  const now = Date.now();
  const midnight = todayMidnight(now);
  // Spread over today so far (never before midnight), newest a minute ago.
  const at = (i: number) => Math.max(midnight + i * 1000, now - 60_000 - i * 97_000);
  before(async () => {
    await ensureWebBuilt();
    [browser, web] = await Promise.all([launchBrowser(), startWeb()]);
    await waitUntil(() => web.fake.live.length > 0, 'the server to log in to the fake Asterisk');
    await seedHistory(web.h.store, [
      // 2001 calls 300 seven times (five answered), 2002 calls 400 twice (busy once); three went through `sales`.
      ...Array.from({ length: 7 }, (_, i) => ({
        linkedid: `1710000${i}`,
        start: at(i),
        duration: 40,
        source: '2001',
        destination: '300',
        route: 'national',
        ...(i < 5 ? { answerAfter: 4 } : {}),
        ...(i < 3
          ? {
              visit: {
                queue: 'sales',
                outcome: i < 2 ? ('answered' as const) : ('abandoned' as const),
                waitSeconds: i === 0 ? 5 : 30,
                ...(i < 2 ? { agent: 'PJSIP/alonso', talkSeconds: 30 } : {}),
              },
            }
          : {}),
      })),
      {
        linkedid: '17100100',
        start: at(8),
        duration: 20,
        answerAfter: 2,
        source: '2002',
        destination: '400',
      },
      {
        linkedid: '17100101',
        start: at(9),
        duration: 3,
        source: '2002',
        destination: '400',
        disposition: 'BUSY' as const,
      },
      // Yesterday: outside "today", inside "7 days".
      {
        linkedid: '17100200',
        start: midnight - 3_600_000,
        duration: 10,
        answerAfter: 1,
        source: '2003',
        destination: '300',
      },
    ]);
  });
  after(async () => {
    await browser?.close();
    await web?.close();
  });

  const api = async (user: string, path: string) => {
    const c = await web.h.token(user);
    const r = await c.call('GET', path);
    assert.equal(r.status, 200);
    return r.body as { totals: Figures; groups: (Figures & { key: string | null })[] };
  };
  const shown = (page: import('playwright-core').Page, key: string) =>
    page.getByTestId(key).first().textContent();

  it("a viewer sees today's figures exactly as the API counts them; presets and custom days go in the address", async () => {
    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(page, web.h.url, 'vera');
      await page.getByRole('link', { name: 'Statistics', exact: true }).click();
      await page.getByRole('heading', { name: 'Calls per hour (UTC hours)' }).waitFor();
      const today = await api('vera', `/api/v1/stats?from=${midnight}&groupBy=hour`);
      assert.equal(today.totals.total, 9);
      await page.getByTestId('stats.total').waitFor();
      assert.equal(await shown(page, 'stats.total'), String(today.totals.total));
      assert.equal(await shown(page, 'stats.answered'), String(today.totals.answered));
      assert.equal(await shown(page, 'stats.missed'), String(today.totals.missed));
      assert.equal(await shown(page, 'stats.busy'), String(today.totals.busy));
      assert.equal(await shown(page, 'stats.answerRatio'), `${Math.round(today.totals.answerRatio * 100)}%`);
      // The lazily loaded chart and its text alternative.
      await page.getByRole('img', { name: 'Chart of answered and missed calls per hour' }).waitFor();
      await page
        .getByText(`9 calls: ${today.totals.answered} answered, ${today.totals.missed} missed`, {
          exact: false,
        })
        .waitFor();

      const ext = page.getByRole('table', { name: 'Busiest extensions' });
      assert.match((await ext.locator('tbody tr').first().textContent()) ?? '', /^2001752/);
      const routes = page.getByRole('table', { name: 'Busiest routes' });
      assert.match((await routes.locator('tbody tr').first().textContent()) ?? '', /^national752/);
      const sales = (await api('vera', `/api/v1/stats?from=${midnight}&groupBy=queue`)).groups.find(
        (g) => g.key === 'sales',
      );
      assert.ok(sales);
      const queues = page.getByRole('table', { name: 'Queues: service level' });
      const row = (await queues.locator('tbody tr').filter({ hasText: 'sales' }).textContent()) ?? '';
      assert.match(row, new RegExp(`^sales${sales.queue.offered}21`));
      assert.ok(row.endsWith(`${Math.round(sales.queue.serviceLevel * 100)}%`), row);

      await page.getByRole('button', { name: 'Last 7 days' }).click();
      await page.getByRole('heading', { name: 'Calls per day (UTC days)' }).waitFor();
      assert.equal(new URL(page.url()).searchParams.get('range'), '7d');
      await page.getByTestId('stats.total').filter({ hasText: '10' }).waitFor();
      // The custom fields follow the preset: seven days, today included.
      assert.equal(
        await page.getByLabel('From date').inputValue(),
        dayOf(new Date(midnight).setDate(new Date(midnight).getDate() - 6)),
      );
      assert.equal(await page.getByLabel('To date').inputValue(), dayOf(now));

      const y = dayOf(midnight - 3_600_000);
      await page.getByLabel('From date').fill(y);
      await page.getByLabel('To date').fill(y);
      await page.getByRole('button', { name: 'Show' }).click();
      await page.getByTestId('stats.total').filter({ hasText: /^1$/ }).waitFor();
      const url = new URL(page.url()).searchParams;
      assert.deepEqual([url.get('range'), url.get('from'), url.get('to')], ['custom', y, y]);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  it("Home shows today's totals from the statistics and the last hour's calls per minute from the history", async () => {
    const { page, close } = await newPage(browser);
    try {
      await signIn(page, web.h.url, 'vera');
      const today = page.getByRole('region', { name: 'Today’s totals' });
      await today.getByTestId('stats.total').filter({ hasText: '9' }).waitFor();
      // Calls of the seed that ended within the last hour (each lasted at most 40 s).
      const { items } = (
        await (await web.h.token('vera')).call('GET', `/api/v1/history?from=${now - 3_700_000}&limit=500`)
      ).body as { items: { end: string }[] };
      const inHour = items.filter((c) => Date.parse(c.end) >= now - 3_540_000).length;
      assert.ok(inHour > 0);
      await page.getByText(new RegExp(`^${inHour} calls finished in the last hour`)).waitFor();
    } finally {
      await close();
    }
  });

  it('speaks Spanish with ?lang=es and sends an anonymous visitor to sign in', async () => {
    const { page, close } = await newPage(browser);
    try {
      await signIn(page, web.h.url, 'vera', '/?lang=es');
      await page.getByRole('region', { name: 'Totales de hoy' }).waitFor();
      await page.goto(`${web.h.url}/stats?lang=es&range=30d`);
      await page.getByRole('heading', { name: 'Estadísticas de llamadas' }).waitFor();
      await page.getByRole('button', { name: 'Últimos 30 días' }).waitFor();
      await page.getByRole('heading', { name: 'Llamadas por día (días UTC)' }).waitFor();
      await page.getByRole('table', { name: 'Extensiones con más llamadas' }).waitFor();
      await page.getByText('Tasa de respuesta').waitFor();
    } finally {
      await close();
    }
    const anon = await newPage(browser);
    try {
      await anon.page.goto(`${web.h.url}/stats`);
      await anon.page.getByLabel('Username').waitFor();
      assert.equal(new URL(anon.page.url()).pathname, '/login');
    } finally {
      await anon.close();
    }
  });
});
