/**
 * Browser bench (`npm run bench -- web`): a real server on a fake Asterisk holding 1,000 live calls (each the
 * recorded `sip-call` up to the bridge, renamed), `/calls` open in headless Chromium. Reported: the initial load of
 * `/calls` (navigation → table rendered with 1,000 rows), and, at 200 changes/s for 10 s, the time from the fake's
 * AMI write of a change (a `NewCallerid` on a caller's channel, its CallerIDName = the write time) to the row's text
 * changing in the DOM (a MutationObserver in the page). The span includes the server's parse, model, push and the
 * page's WebSocket, store flush (50 ms batching) and React render. Timings are reported, never asserted.
 */
import type { Page } from 'playwright-core';
import { waitUntil } from '../test/helpers/wait.js';
import {
  ensureWebBuilt,
  type Headers,
  launchBrowser,
  newPage,
  play,
  recordedCall,
  signIn,
  startWeb,
} from '../test/web/support.js';

const CALLS = Number(process.env.BENCH_WEB_CALLS ?? 1000);
const RATE = Number(process.env.BENCH_WEB_RATE ?? 200);
const SECONDS = 10;
const LOADS = 3;

/** Records in `window.__lat` how long after its stamp each `t=<ms>` first shows up in the live calls table. */
const OBSERVER = `(() => {
  const lat = (window.__lat = []);
  const seen = new Set();
  const scan = (text) => {
    if (!text) return;
    for (const m of text.matchAll(/t=(\\d{13})/g)) {
      if (seen.has(m[1])) continue;
      seen.add(m[1]);
      lat.push(Date.now() - Number(m[1]));
    }
  };
  // How the page kept up: reconnects (the server drops a client that does not read, code 4008) and long tasks.
  window.__drops = 0;
  window.__longMs = 0;
  let state = '';
  setInterval(() => {
    const now = document.querySelector('.conn')?.className ?? '';
    if (now !== state && now.includes('reconnecting')) window.__drops++;
    state = now;
  }, 20);
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) window.__longMs += e.duration;
  }).observe({ entryTypes: ['longtask'] });
  const body = document.querySelector('table[aria-labelledby="calls-title"] tbody');
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'characterData') scan(r.target.textContent);
      for (const n of r.addedNodes) scan(n.textContent);
    }
  }).observe(body, { subtree: true, childList: true, characterData: true });
})()`;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : '—');

/** The caller channel's NewCallerid, in the recording's shape, with a new CallerIDName. */
function callerIdChange(ring: Headers[], channel: string, name: string): Headers {
  const template = ring.find((h) => h.some(([k, v]) => k === 'Event' && v === 'NewCallerid'));
  const last = [...ring].reverse().find((h) => h.some(([k, v]) => k === 'Channel' && v === channel));
  if (!template || !last) throw new Error('the recording has no NewCallerid / caller channel');
  const from = new Map(last);
  return template.map(([k, v]): readonly [string, string] => {
    if (k === 'CallerIDName') return [k, name];
    if (k === 'Event' || k === 'Privilege') return [k, v];
    return [k, from.get(k) ?? v];
  });
}

async function rowsShown(page: Page): Promise<number> {
  return page.locator('table[aria-labelledby="calls-title"] tbody tr').count();
}

/** Runs the benchmark; returns its Markdown table. */
export async function run(): Promise<string> {
  await ensureWebBuilt();
  const [browser, web] = await Promise.all([launchBrowser(), startWeb()]);
  try {
    await waitUntil(() => web.fake.live.length > 0, 'the server to log in to the fake Asterisk');
    const callers: { channel: string; ring: Headers[] }[] = [];
    const setup = performance.now();
    for (let i = 0; i < CALLS; i++) {
      const call = recordedCall({
        from: `c${i}`,
        to: `a${i}`,
        callerName: `Caller ${i}`,
        idBase: String(1796000000 + i * 10),
      });
      play(web.fake, call.ring);
      callers.push({ channel: call.callerChannel, ring: call.ring });
      // Let the server read as we write (the fake's socket buffer is not a queue of 100,000 events).
      if (i % 50 === 49) await new Promise((r) => setTimeout(r, 5));
    }

    // Initial load: from navigation to 1,000 rows in the table (a signed-in session, a fresh page each time).
    const loads: number[] = [];
    const { page, close } = await newPage(browser, { width: 1280, height: 900 });
    try {
      await signIn(page, web.h.url, 'vera');
      for (let i = 0; i < LOADS; i++) {
        const t0 = performance.now();
        await page.goto(`${web.h.url}/calls`);
        await page.waitForFunction(
          `document.querySelectorAll('table[aria-labelledby="calls-title"] tbody tr').length >= ${CALLS}`,
          undefined,
          { timeout: 60_000, polling: 'raf' },
        );
        loads.push(performance.now() - t0);
      }
      const setupMs = performance.now() - setup;
      const rows = await rowsShown(page);

      // Change → DOM: the page records when each stamp first shows up in the table.
      // A string, not a function: tsx would wrap a function's inner functions in a helper the page lacks.
      await page.evaluate(OBSERVER);
      let pushed = 0;
      const count = (c: { type: string; data: unknown }) => {
        const n = (c.data as { callerIdName?: string } | undefined)?.callerIdName;
        if (c.type === 'channel' && n?.startsWith('t=')) pushed++;
      };
      const monitor = web.h.server.context.pbx.monitor;
      monitor.on('change', count);
      let sent = 0;
      let last = 0;
      let next = 0;
      const start = Date.now();
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          // Catch up to the rate (timers drift on a loaded machine).
          const due = Math.floor(((Date.now() - start) / 1000) * RATE) - sent;
          for (let k = 0; k < due; k++) {
            const c = callers[next++ % CALLS]!;
            // Distinct stamps (several changes leave in one millisecond): a stamp may run up to a few ms ahead of
            // the clock, so a latency reads at most that much short.
            last = Math.max(Date.now(), last + 1);
            const stamp = String(last);
            web.fake.emit(callerIdChange(c.ring, c.channel, `t=${stamp}`));
            sent++;
          }
          if (Date.now() - start >= SECONDS * 1000) {
            clearInterval(timer);
            resolve();
          }
        }, 50);
      });
      await page.waitForTimeout(1500);
      monitor.off('change', count);
      const drops = (await page.evaluate('window.__drops')) as number;
      const longMs = (await page.evaluate('window.__longMs')) as number;
      const lat = ((await page.evaluate('window.__lat')) as number[]).sort((a, b) => a - b);
      const sortedLoads = [...loads].sort((a, b) => a - b);
      const rate = (sent / ((Date.now() - start - 1500) / 1000)).toFixed(0);
      return [
        `Headless Chromium on /calls with ${rows} live calls (setup incl. ${LOADS} loads: ${ms(setupMs)} ms); ${sent} changes at ~${rate}/s over ${SECONDS} s.`,
        '',
        '| measure | n | p50 ms | p95 ms | p99 ms | max ms | goal |',
        '|---|---:|---:|---:|---:|---:|---|',
        `| AMI write → row text changed in the DOM | ${lat.length} of ${sent} | ${ms(quantile(lat, 0.5))} | ${ms(quantile(lat, 0.95))} | ${ms(quantile(lat, 0.99))} | ${ms(lat.at(-1) ?? Number.NaN)} | p95 < 250 |`,
        `| initial load of /calls (navigation → ${CALLS} rows) | ${loads.length} | ${ms(quantile(sortedLoads, 0.5))} | | | ${ms(sortedLoads.at(-1) ?? Number.NaN)} | |`,
        '',
        `The page: ${pushed} changes left the model; ${drops} reconnect(s) (a client that stops reading is dropped and resumes with \`?since=\`); ${ms(longMs)} ms of long tasks (> 50 ms) during the ${SECONDS} s.`,
      ].join('\n');
    } finally {
      await close();
    }
  } finally {
    await browser.close();
    await web.close();
  }
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  console.log(await run());
}
