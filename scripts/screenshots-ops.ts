/**
 * Screenshots of the operations pages (Trunks, Debug console, CRM feeds, Software) on a server with the
 * SimulatedPbx (background traffic, its log file followed by the console, its outbound registration as the
 * trunk). Called by `scripts/screenshots.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { type FakeAmiServer, SimulatedPbx } from '../src/testing/index.js';
import { startHarness } from '../test/server/harness.js';
import { newPage, signIn } from '../test/web/support.js';

/** Takes `trunks`, `console`, `feeds` and `software` into `outDir`; returns the files written. */
export async function takeOpsScreenshots(browser: Browser, outDir: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-shots-ops-'));
  const logFile = join(dir, 'messages');
  const sim = await SimulatedPbx.start({ traffic: { callsPerMinute: 30 }, logFile });
  const h = await startHarness({
    pbx: [sim as unknown as FakeAmiServer],
    config: {
      logs: { pollInterval: 100 },
      pbx: [{ id: 'pbx1', name: 'Oficina', ami: sim.url(), logs: { file: logFile, fromStart: true } }],
    },
  });
  const files: string[] = [];
  try {
    await h.user('ana', 'admin');
    await h.server.context.pbx.monitor.ready();
    const ana = await h.login('ana');
    await ana.call('POST', '/api/v1/feeds', {
      name: 'Hangups to the CRM',
      kind: 'ami',
      filter: { events: ['Hangup'], headers: { Channel: '^PJSIP/' } },
    });
    await ana.call('POST', '/api/v1/feeds', { name: 'My calls', kind: 'call', filter: { mine: true } });
    const shot = async (
      name: string,
      link: string,
      ready: string,
      before?: (p: import('playwright-core').Page) => Promise<void>,
    ) => {
      const p = await newPage(browser);
      try {
        await signIn(p.page, h.url, 'ana');
        await p.page.getByRole('link', { name: link, exact: true }).click();
        await p.page.getByText(ready, { exact: false }).first().waitFor();
        await before?.(p.page);
        await p.page.waitForTimeout(1000);
        const file = join(outDir, `${name}.png`);
        await p.page.screenshot({ path: file, fullPage: true });
        files.push(file);
      } finally {
        await p.close();
      }
    };
    await shot('trunks', 'Trunks', 'trunk13-reg', async (page) => {
      await page.getByRole('button', { name: 'History: trunk13-reg' }).click();
      await page.getByText('State changes').waitFor();
    });
    await shot('console', 'Debug console', 'lines shown');
    await shot('feeds', 'CRM feeds', 'Hangups to the CRM');
    await shot('software', 'Software', 'Asterisk version');
  } finally {
    await h.close();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return files;
}
