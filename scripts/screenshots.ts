/**
 * Screenshots of every page of the web UI (English, plus Spanish Home and Live calls) on a server with a fake
 * Asterisk playing recorded calls. `npm run screenshots` writes them to docs/screenshots/; the browser tests run
 * the same function into a temporary folder.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitUntil } from '../test/helpers/wait.js';
import { ensureWebBuilt, launchBrowser, newPage, signIn, startCall, startWeb } from '../test/web/support.js';
import { takeAdminScreenshots } from './screenshots-admin.js';
import { takeHistoryScreenshots } from './screenshots-history.js';
import { takeOpsScreenshots } from './screenshots-ops.js';

/** Takes the screenshots into `outDir`; returns the files written. */
export async function takeScreenshots(outDir: string): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  await ensureWebBuilt();
  const [browser, web] = await Promise.all([launchBrowser(), startWeb()]);
  const files: string[] = [];
  try {
    await waitUntil(() => web.fake.live.length > 0, 'the server to log in to the fake Asterisk');
    startCall(web, { from: 'rosa', to: 'alonso', callerName: 'Rosa Díaz', idBase: '1795500010' });
    startCall(web, { from: 'recepcion', to: 'mateo', callerName: 'Recepción', idBase: '1795500020' });
    startCall(web, { from: 'reina', to: 'lucia', callerName: 'Reina Ortega', idBase: '1795500030' });
    const shot = async (
      name: string,
      user: string | undefined,
      path: string,
      ready: string,
      o: { width?: number; height?: number; during?: () => void; wait?: number; open?: string } = {},
    ) => {
      const p = await newPage(browser, o);
      try {
        if (user) await signIn(p.page, web.h.url, user, path);
        else await p.page.goto(web.h.url + path);
        // A page with no navigation link (the wallboard) is opened by its address once signed in.
        if (o.open) await p.page.goto(web.h.url + o.open);
        await p.page.getByText(ready, { exact: false }).first().waitFor();
        o.during?.();
        // Let the durations tick once, finished calls be recorded (the model waits 2 s for late Cdrs), the chart lay out.
        await p.page.waitForTimeout(o.wait ?? 1100);
        const file = join(outDir, `${name}.png`);
        await p.page.screenshot({ path: file, fullPage: true });
        files.push(file);
      } finally {
        await p.close();
      }
    };
    await shot('login', undefined, '/login', 'Password');
    let finished = 0;
    const finishSome = () => {
      for (let i = 0; i < 3; i++) {
        const id = String(1795600000 + ++finished * 10);
        startCall(web, {
          from: `ext${finished}`,
          to: 'alonso',
          callerName: `Cliente ${finished}`,
          idBase: id,
        }).hangup();
      }
    };
    await shot('home', 'sara', '/', 'PBX connections', { during: finishSome, wait: 4500 });
    await shot('calls', 'sara', '/calls', 'Rosa Díaz');
    await shot('calls-phone', 'sara', '/calls', 'Rosa Díaz', { width: 390, height: 844 });
    await shot('queues', 'sara', '/queues', 'Agent Alonso');
    await shot('wallboard', 'vera', '/queues', 'Queue support', {
      open: '/wallboard',
      width: 1280,
      height: 720,
    });
    await shot('dial', 'oscar', '/dial', 'Your phone rings first');
    await shot('home-es', 'sara', '/?lang=es', 'Conexiones con centralitas', {
      during: finishSome,
      wait: 4500,
    });
    await shot('calls-es', 'sara', '/calls?lang=es', 'Rosa Díaz');
    files.push(...(await takeHistoryScreenshots(browser, web.h, outDir)));
    files.push(...(await takeOpsScreenshots(browser, outDir)));
    files.push(...(await takeAdminScreenshots(browser, outDir)));
  } finally {
    await browser.close();
    await web.close();
  }
  return files;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = fileURLToPath(new URL('../docs/screenshots', import.meta.url));
  const files = await takeScreenshots(out);
  for (const f of files) console.log(f);
}
