/**
 * Debug console in Chromium: lines come from a real followed log file (`pbx[].logs.file`) through the server's log
 * ring and `/api/v1/logs/live`; a new line shows, markup in a line shows as text, level/text filters and
 * following a call id go to the server, pause holds lines (counted) until resume, and a flood of 20,000 lines
 * leaves the page responsive with a bounded DOM and buffer.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { FakeAmiServer } from '../../src/testing/index.js';
import { waitUntil } from '../helpers/wait.js';
import { type Harness, startHarness } from '../server/harness.js';
import { ensureWebBuilt, launchBrowser, newPage, signIn } from './support.js';

const LOG = readFileSync(new URL('../fixtures/asterisk/logs/messages.log', import.meta.url), 'utf8')
  .split('\n')
  .filter(Boolean);

/** A line in Asterisk's own format (`logger.c`: `[date] LEVEL[thread][callid]: file:line func: message`). */
const line = (level: string, message: string, callId?: string) =>
  `[Dec  4 02:40:00] ${level}[12014]${callId ? `[${callId}]` : ''}: chan_pjsip.c:10 in handle: ${message}`;

/** Polls an asynchronous condition (Playwright queries) until it holds. */
async function until(cond: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('web UI: Debug console', () => {
  let browser: Browser;
  let h: Harness;
  let fake: FakeAmiServer;
  let dir: string;
  let path: string;
  const append = (...lines: string[]) => appendFileSync(path, `${lines.join('\n')}\n`);
  const open = async (page: Page, lang = '') => {
    await signIn(page, h.url, 'sara', lang ? `/?lang=${lang}` : '/');
    await page.getByRole('link', { name: lang === 'es' ? 'Consola de depuración' : 'Debug console' }).click();
    return page.getByRole('region', { name: lang === 'es' ? 'Registro de Asterisk' : 'Asterisk log' });
  };

  before(async () => {
    await ensureWebBuilt();
    dir = mkdtempSync(join(tmpdir(), 'sb-web-console-'));
    path = join(dir, 'messages');
    writeFileSync(path, `${LOG.join('\n')}\n`);
    fake = await FakeAmiServer.start();
    [browser, h] = await Promise.all([
      launchBrowser(),
      startHarness({
        pbx: [fake],
        config: {
          logs: { pollInterval: 50 },
          pbx: [{ id: 'pbx1', ami: fake.url(), logs: { file: path, fromStart: true } }],
        },
      }),
    ]);
    await h.user('sara', 'supervisor');
    await h.user('vera', 'viewer');
    const room = h.server.context.rooms.get('logs') as { ring: { query(f: object, n: number): unknown[] } };
    await waitUntil(() => room.ring.query({}, 1000).length >= LOG.length, 'the file read');
  });
  after(async () => {
    await browser?.close();
    await h?.close();
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the log and a new line as it is written; markup in a line stays text', async () => {
    const { page, dialogs, problems, close } = await newPage(browser);
    try {
      const log = await open(page);
      await log.getByText('Remote UNIX connection disconnected', { exact: true }).waitFor();
      append(line('WARNING', '<img src=x onerror=alert(1)> knock knock', 'C-00000042'));
      await log.getByText('<img src=x onerror=alert(1)> knock knock', { exact: true }).waitFor();
      assert.equal(await log.locator('img').count(), 0);
      assert.deepEqual(dialogs, []);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  it('filters by level and text on the server, and follows a clicked call id', async () => {
    const { page, close } = await newPage(browser);
    try {
      const log = await open(page);
      await page.getByLabel('Minimum level').selectOption('ERROR');
      await log.getByText('res_prometheus declined to load.', { exact: true }).waitFor();
      await until(async () => (await log.locator('.lvl-verbose, .lvl-notice').count()) === 0, 'only errors');
      append(line('NOTICE', 'a notice to hide'), line('ERROR', 'an error to show'));
      await log.getByText('an error to show').waitFor();
      assert.equal(await log.getByText('a notice to hide').count(), 0);

      await page.getByLabel('Minimum level').selectOption('');
      await page.getByLabel('Text filter').fill('udptl.conf');
      await until(async () => {
        const rows = await log.getByRole('listitem').allTextContents();
        return rows.length > 0 && rows.every((r) => r.includes('udptl.conf'));
      }, 'only lines with the text');
      await page.getByLabel('Text filter').fill('');

      append(
        line('VERBOSE', 'Called PJSIP/alonso', 'C-00000077'),
        line('VERBOSE', 'some other call', 'C-00000078'),
      );
      await log.getByText('some other call').waitFor();
      await log.getByRole('button', { name: 'Follow call C-00000077' }).click();
      await page.getByText('Following call C-00000077').waitFor();
      await until(async () => (await log.getByText('some other call').count()) === 0, 'the other call gone');
      append(
        line('VERBOSE', 'not this one', 'C-00000078'),
        line('VERBOSE', 'Hangup on the followed call', 'C-00000077'),
      );
      await log.getByText('Hangup on the followed call').waitFor();
      assert.equal(await log.getByText('not this one').count(), 0);
      await page.getByRole('button', { name: 'Stop following' }).click();
      await log.getByText('not this one').waitFor();
    } finally {
      await close();
    }
  });

  it('pause holds new lines and counts them; resume shows them', async () => {
    const { page, close } = await newPage(browser);
    try {
      const log = await open(page);
      await log.getByRole('listitem').first().waitFor();
      await page.getByRole('button', { name: 'Pause' }).click();
      append(line('NOTICE', 'held line 1'), line('NOTICE', 'held line 2'), line('NOTICE', 'held line 3'));
      await page.getByText('3 new lines waiting').waitFor();
      assert.equal(await log.getByText('held line 1').count(), 0);
      await page.getByRole('button', { name: 'Resume' }).click();
      await log.getByText('held line 3').waitFor();
      assert.equal(await page.getByText(/new lines waiting/).count(), 0);
    } finally {
      await close();
    }
  });

  it('a flood of 20,000 lines: a click still works within a second, the DOM and the buffer stay bounded', async (t) => {
    const { page, problems, close } = await newPage(browser);
    try {
      const log = await open(page);
      await log.getByRole('listitem').first().waitFor();
      const flood = Array.from({ length: 20_000 }, (_, i) =>
        line(
          i % 7 === 0 ? 'WARNING' : 'VERBOSE',
          `flood line ${i + 1}`,
          `C-${(i % 50).toString(16).padStart(8, '0')}`,
        ),
      );
      append(...flood);
      await log
        .getByText(/^flood line \d+$/)
        .first()
        .waitFor();
      // While the flood pours in, a click is answered at once: measured in the page, from the click event's
      // creation (so time it waited behind the flood counts) to the button's new state in the DOM. (The Node side
      // is busy serving the flood, so a round trip through Playwright would measure the server, not the page.)
      // (A string: the test project has no DOM types.)
      await page.evaluate(`(() => {
        const b = [...document.querySelectorAll('button')].find((x) => x.textContent === 'Pause');
        b.addEventListener('click', (e) => {
          const mo = new MutationObserver(() => {
            if (b.getAttribute('aria-pressed') !== 'true') return;
            mo.disconnect();
            window.clickLatency = performance.now() - e.timeStamp;
          });
          mo.observe(b, { attributes: true, attributeFilter: ['aria-pressed'] });
        }, { once: true });
      })()`);
      await page.getByRole('button', { name: 'Pause' }).click();
      const took = (await (await page.waitForFunction('window.clickLatency')).jsonValue()) as number;
      t.diagnostic(`click to new button state during the flood: ${took.toFixed(1)} ms`);
      assert.ok(typeof took === 'number' && took < 1000, `the click took ${took} ms`);
      assert.ok(
        (await page.getByTestId('log-waiting').textContent())?.match(/^\d+ new lines waiting$/),
        'paused during the flood',
      );
      await page.getByRole('button', { name: 'Resume' }).click();
      await log.getByText('flood line 20000', { exact: true }).waitFor({ timeout: 60_000 });
      assert.equal(
        await page.getByTestId('log-count').textContent(),
        '5000 lines shown (the newest 5000 are kept)',
      );
      const rows = await log.getByRole('listitem').count();
      assert.ok(rows > 0 && rows < 120, `${rows} rows in the DOM`);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  it('Spanish labels; a viewer has no console (menu or stream)', async () => {
    const es = await newPage(browser);
    try {
      const log = await open(es.page, 'es');
      await log.getByRole('listitem').first().waitFor();
      await es.page.getByLabel('Nivel mínimo').waitFor();
      await es.page.getByRole('button', { name: 'Pausar' }).waitFor();
    } finally {
      await es.close();
    }
    const v = await newPage(browser);
    try {
      await signIn(v.page, h.url, 'vera');
      assert.equal(await v.page.getByRole('link', { name: 'Debug console' }).count(), 0);
      await v.page.goto(`${h.url}/console`);
      await v.page.getByRole('heading', { name: '404' }).waitFor();
    } finally {
      await v.close();
    }
  });
});
