/**
 * Screenshots of the admin pages (Phones, Outbound routes, Users and tokens) on a server with the SimulatedPbx:
 * phones added through the API register by themselves after the reload; routes and PIN users as in the router's
 * demo; a few users and tokens. Called by `scripts/screenshots.ts`.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { type FakeAmiServer, SimulatedPbx } from '../src/testing/index.js';
import { waitUntil } from '../test/helpers/wait.js';
import { startHarness } from '../test/server/harness.js';
import { newPage, signIn } from '../test/web/support.js';

const N = '$' + '{number}';

/** Takes `phones`, `routes` and `users` into `outDir`; returns the files written. */
export async function takeAdminScreenshots(browser: Browser, outDir: string): Promise<string[]> {
  const sim = await SimulatedPbx.start({ traffic: false });
  // The simulator answers no ModuleCheck: the driver is configured, as `serve --demo` does.
  const h = await startHarness({
    pbx: [sim as unknown as FakeAmiServer],
    config: { phones: { driver: 'pjsip' } },
  });
  const files: string[] = [];
  try {
    await h.user('ana', 'admin');
    await h.user('sara', 'supervisor', { extensions: ['3002'] });
    await h.user('reina', 'agent', { extensions: ['reina'] });
    await h.server.context.pbx.monitor.ready();
    const ana = await h.login('ana');
    for (const p of [
      {
        extension: '2001',
        name: 'Elio Rojano',
        brand: 'yealink',
        model: 'T46S',
        mac: '00:15:65:AB:CD:EF',
        context: 'oficina2',
      },
      {
        extension: '2002',
        name: 'Recepción',
        brand: 'snom',
        model: 'D785',
        mac: '000413AABBCC',
        context: 'oficina1',
      },
    ])
      await ana.call('POST', '/api/v1/phones', p);
    await ana.call('POST', '/api/v1/phones/import', {});
    // The simulated phone registers a second after the wizard reload.
    let registered = false;
    const timer = setInterval(() => {
      void ana.call('GET', '/api/v1/phones/2001').then((r) => {
        registered = r.body?.status?.registered === true;
      });
    }, 200);
    try {
      await waitUntil(() => registered, 'the provisioned phone to register');
    } finally {
      clearInterval(timer);
    }
    const routes = [
      {
        name: 'intl',
        pattern: '_00X.',
        app: 'dial',
        targets: [{ template: `PJSIP/${N}@trunk13`, timeout: 60 }],
      },
      {
        name: 'pstn',
        pattern: '_0X.',
        app: 'dial',
        rewrite: { strip: 1, prepend: '' },
        targets: [{ template: `PJSIP/${N}@trunk13` }, { template: `DAHDI/g1/${N}` }],
        windows: [{ weekdays: 'mon-fri', startTime: '08:00', endTime: '20:00', timezone: 'Europe/Madrid' }],
      },
      { name: 'internal', pattern: '_2XXX', app: 'dial', targets: [{ template: `PJSIP/${N}` }] },
      { name: 'voicemail', pattern: '66', app: 'voicemail', data: { main: true } },
      { name: 'night', pattern: '_9X.', app: 'playback', data: { prompt: 'closed' }, enabled: false },
    ];
    for (const r of routes) {
      const res = await ana.call('POST', '/api/v1/routes', r);
      if (res.status !== 201) throw new Error(`route ${r.name}: ${res.text}`);
    }
    await ana.call('POST', '/api/v1/router/extensions', {
      number: '33',
      name: 'Recepción',
      routes: ['pstn', 'internal'],
    });
    await ana.call('POST', '/api/v1/router/users', {
      name: 'moises',
      pin: '123456',
      routes: ['intl', 'pstn'],
    });
    await ana.call('POST', '/api/v1/tokens', {
      name: 'CRM widget',
      user: 'reina',
      scope: 'click-to-dial',
      expiresDays: 90,
    });
    await ana.call('POST', '/api/v1/tokens', { name: 'Reports', scope: 'all' });

    const shot = async (name: string, link: string, ready: string, before?: (p: Page) => Promise<void>) => {
      const p = await newPage(browser);
      try {
        await signIn(p.page, h.url, 'ana');
        await p.page.getByRole('link', { name: link, exact: true }).click();
        await p.page.getByText(ready, { exact: false }).first().waitFor();
        await before?.(p.page);
        await p.page.waitForTimeout(700);
        const file = join(outDir, `${name}.png`);
        await p.page.screenshot({ path: file, fullPage: true });
        files.push(file);
      } finally {
        await p.close();
      }
    };
    await shot('phones', 'Phones', 'Registered');
    await shot('routes', 'Outbound routes', 'DAHDI/g1', async (page) => {
      const box = page.getByRole('region', { name: 'Explain a call' });
      await box.getByLabel('Caller extension').fill('33');
      await box.getByLabel('Dialed number').fill('0034911234567');
      await box.getByText('wins', { exact: false }).waitFor();
    });
    await shot('users', 'Users and tokens', 'CRM widget');
  } finally {
    await h.close();
    await sim.close();
  }
  return files;
}
