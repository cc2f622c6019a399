/**
 * Screenshots of Last calls and Statistics on the main screenshot server, after a
 * week of synthetic finished calls is stored in its history. Called by `scripts/screenshots.ts`.
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { Harness } from '../test/server/harness.js';
import { seedHistory } from '../test/web/history-seed.js';
import { newPage, signIn } from '../test/web/support.js';

const EXTENSIONS = ['2001', '2002', '2003', '2004', '2010', '2020'];
const TARGETS = ['200', '300', '0034911234567', '0034600111222', '400'];
const ROUTES = ['national', 'mobile', undefined, undefined];

/** A week of calls (deterministic), busier in office hours, some through the `support` queue. */
async function seedWeek(h: Harness): Promise<void> {
  const now = Date.now();
  const calls = [];
  let seed = 7;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let i = 0; i < 900; i++) {
    const start = now - Math.floor(rnd() ** 1.6 * 7 * 86_400_000) - 60_000;
    const hour = new Date(start).getHours();
    if ((hour < 8 || hour > 19) && rnd() < 0.8) continue;
    const answered = rnd() < 0.78;
    const queued = rnd() < 0.3;
    const wait = Math.floor(rnd() * 45);
    calls.push({
      linkedid: `1794${String(i).padStart(6, '0')}`,
      start,
      duration: answered ? 20 + Math.floor(rnd() * 400) : 15 + Math.floor(rnd() * 20),
      source: EXTENSIONS[Math.floor(rnd() * EXTENSIONS.length)]!,
      destination: TARGETS[Math.floor(rnd() * TARGETS.length)]!,
      ...(answered ? { answerAfter: 3 + Math.floor(rnd() * 10) } : {}),
      ...(!answered && rnd() < 0.3 ? { disposition: 'BUSY' as const } : {}),
      ...(ROUTES[i % ROUTES.length] ? { route: ROUTES[i % ROUTES.length] as string } : {}),
      ...(queued
        ? {
            visit: {
              queue: i % 3 ? 'support' : 'sales',
              outcome: answered ? ('answered' as const) : ('abandoned' as const),
              waitSeconds: wait,
              ...(answered ? { agent: 'PJSIP/alonso', talkSeconds: 60 } : {}),
            },
          }
        : {}),
    });
  }
  await seedHistory(h.store, calls);
}

/** Takes `history` and `stats` into `outDir`; returns the files written. */
export async function takeHistoryScreenshots(
  browser: Browser,
  h: Harness,
  outDir: string,
): Promise<string[]> {
  await seedWeek(h);
  const files: string[] = [];
  const shot = async (
    name: string,
    path: string,
    act: (p: import('playwright-core').Page) => Promise<void>,
    fullPage = true,
  ) => {
    const p = await newPage(browser);
    try {
      await signIn(p.page, h.url, 'sara');
      await p.page.goto(h.url + path);
      await act(p.page);
      // The chart lays out after its lazy chunk arrives.
      await p.page.waitForTimeout(600);
      const file = join(outDir, `${name}.png`);
      await p.page.screenshot({ path: file, fullPage });
      files.push(file);
    } finally {
      await p.close();
    }
  };
  await shot(
    'history',
    '/history',
    async (page) => {
      await page.getByText(/calls on this page/).waitFor();
      // The filters, the export link and the first rows: the window, not the 50 rows' full length.
    },
    false,
  );
  await shot('stats', '/stats?range=7d', async (page) => {
    await page.getByRole('img', { name: /^Chart of answered and missed calls/ }).waitFor();
    await page.getByRole('table', { name: 'Queues: service level' }).waitFor();
  });
  return files;
}
