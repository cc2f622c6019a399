/**
 * Resync, reboot and phone firmware in Chromium against a server on the SimulatedPbx started without
 * `pjsip_notify.conf` (so res_pjsip_notify declined to load, as on a real Asterisk): the Phones page says so and
 * fixes it, then sends the exact PJSIPNotify per phone and per model with Asterisk's answer; the simulated phone
 * that hears the NOTIFY fetches its provisioning file, which shows in its provisioning log. The Software page
 * uploads a firmware file (SHA-256 shown), offers it (the provisioning file then points at it), shows how many
 * phones run which version and resyncs the model. A viewer gets no resync button.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { digestAuthorization } from '../../src/admin/index.js';
import type { AmiMessage } from '../../src/ami/index.js';
import { type FakeAmiServer, type SimNotify, SimulatedPbx } from '../../src/testing/index.js';
import { waitUntil } from '../helpers/wait.js';
import { type Harness, startHarness } from '../server/harness.js';
import { ensureWebBuilt, launchBrowser, newPage, signIn } from './support.js';

type Created = { extension: string; mac: string; provisioning: { username: string; password: string } };

const AGENT = 'Yealink SIP-T46S 66.86.0.15 00:15:65:aa:00:01';
const IMAGE = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 251));
const SHA = createHash('sha256').update(IMAGE).digest('hex');

/** A phone's own fetch: Digest with its provisioning credentials, after the challenge. */
async function phoneGet(url: string, p: Created): Promise<string> {
  const first = await fetch(url, { headers: { 'user-agent': AGENT } });
  const challenge = first.headers.get('www-authenticate') ?? '';
  const { username, password } = p.provisioning;
  const r = await fetch(url, {
    headers: {
      'user-agent': AGENT,
      authorization: digestAuthorization({
        challenge,
        username,
        password,
        method: 'GET',
        uri: new URL(url).pathname,
      }),
    },
  });
  return r.text();
}

async function openPhones(page: Page, base: string, user: string): Promise<void> {
  await signIn(page, base, user);
  await page.getByRole('link', { name: 'Phones', exact: true }).click();
  await page
    .getByRole('table', { name: 'Phones' })
    .getByRole('cell', { name: '2001', exact: true })
    .waitFor();
}

describe('web UI: resync, reboot and phone firmware', () => {
  let browser: Browser;
  let sim: SimulatedPbx;
  let h: Harness;
  let dir: string;
  const actions: AmiMessage[] = [];
  const heard: SimNotify[] = [];
  let yealink: Created;
  const notifies = () => actions.filter((a) => a.get('Action') === 'PJSIPNotify');

  before(async () => {
    await ensureWebBuilt();
    dir = await mkdtemp(join(tmpdir(), 'sb-web-fw-'));
    sim = await SimulatedPbx.start({
      traffic: false,
      withoutConfig: ['pjsip_notify.conf'],
      // The phone plays its part: on a NOTIFY it fetches its provisioning file with its own credentials.
      onNotify: (n) => {
        heard.push(n);
        if (n.endpoint === '2001') void phoneGet(`${h.url}/provisioning/001565aa0001.cfg`, yealink);
      },
    });
    sim.on('action', (a: AmiMessage) => actions.push(a));
    [browser, h] = await Promise.all([
      launchBrowser(),
      startHarness({
        pbx: [sim as unknown as FakeAmiServer],
        config: { phones: { driver: 'pjsip' }, provisioning: { firmware: { dir } } },
      }),
    ]);
    await h.user('ana', 'admin');
    await h.user('vera', 'viewer');
    await h.server.context.pbx.monitor.ready();
    const ana = await h.login('ana');
    for (const [extension, brand, model, mac] of [
      ['2001', 'yealink', 'T46S', '00:15:65:aa:00:01'],
      ['2003', 'cisco', 'SPA504G', '00:0e:08:aa:00:03'],
    ] as const) {
      const r = await ana.call('POST', '/api/v1/phones', {
        extension,
        name: `P ${extension}`,
        brand,
        model,
        mac,
        context: 'oficina2',
      });
      assert.equal(r.status, 201, r.text);
      if (extension === '2001') yealink = r.body as Created;
    }
    await waitUntil(() => sim.endpoints().some((e) => e.name === '2001' && e.registered), '2001 registered');
  });
  after(async () => {
    await browser?.close();
    await h?.close();
    await sim?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('resync: PJSIPNotify missing is explained and fixed, then sent; the fetch shows in the log', async () => {
    const { page, problems, close } = await newPage(browser);
    try {
      await openPhones(page, h.url, 'ana');
      // Cisco SPA has no known NOTIFY: no button rather than a guess.
      assert.equal(await page.getByRole('button', { name: 'Resync phone 2003' }).count(), 0);
      await page.getByRole('button', { name: 'Resync phone 2001' }).click();
      const dialog = page.getByRole('dialog', { name: 'Resync phone 2001' });
      const missing = dialog.getByRole('region', {
        name: 'Resync and reboot are not available on PBX pbx1',
      });
      await missing.getByText(/pjsip_notify\.conf is missing/).waitFor();
      assert.equal(notifies().length, 0, 'nothing sent while PJSIPNotify is missing');

      await missing
        .getByRole('button', { name: 'Create pjsip_notify.conf and load res_pjsip_notify' })
        .click();
      await dialog.getByText('PJSIPNotify is available now.').waitFor();
      const steps = (await dialog.getByRole('listitem').allTextContents()).map((s) => s.trim());
      assert.deepEqual(
        steps.map((s) => s.split(' ')[0]),
        ['CreateConfig', 'UpdateConfig', 'ModuleLoad'],
        steps.join(' | '),
      );
      assert.ok(
        steps.every((s) => s.includes('OK')),
        steps.join(' | '),
      );

      await dialog.getByRole('button', { name: 'Try again' }).click();
      const results = dialog.getByRole('table', { name: 'NOTIFY sent to the phones' });
      const row = results.getByRole('row').filter({ hasText: '2001' });
      await row.waitFor();
      const text = (await row.textContent()) ?? '';
      assert.match(text, /PJSIPNotify/);
      assert.match(text, /Endpoint: 2001/);
      assert.match(text, /Variable: Event=check-sync;reboot=false/);
      assert.match(text, /Success: NOTIFY sent/);
      await dialog.getByText('1 of 1 accepted by Asterisk.').waitFor();
      const sent = notifies().at(-1);
      assert.equal(sent?.get('Endpoint'), '2001');
      assert.deepEqual(sent?.getAll('Variable'), ['Event=check-sync;reboot=false']);
      await waitUntil(() => heard.some((n) => n.endpoint === '2001'), 'the phone heard the NOTIFY');

      // The fetch the phone made after the NOTIFY is in its provisioning log.
      await dialog.getByRole('button', { name: 'Provisioning log' }).click();
      const log = page.getByRole('table', { name: 'Provisioning log of 2001' });
      await log.getByRole('cell', { name: AGENT }).first().waitFor();
      assert.ok(((await log.textContent()) ?? '').includes('001565aa0001.cfg'));
      await page.getByRole('button', { name: 'Close' }).click();
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  it('reboot asks first; a whole model is resynced from the toolbar', async () => {
    const { page, problems, close } = await newPage(browser);
    try {
      await openPhones(page, h.url, 'ana');
      const before = notifies().length;
      await page.getByRole('button', { name: 'Reboot phone 2001' }).click();
      const ask = page.getByRole('dialog', { name: 'Reboot phone 2001?' });
      await ask.getByText(/a call in progress on it is cut off/).waitFor();
      assert.equal(notifies().length, before, 'nothing sent before the confirmation');
      await ask.getByRole('button', { name: 'Reboot', exact: true }).click();
      await ask.getByText(/Event=check-sync;reboot=true/).waitFor();
      assert.deepEqual(notifies().at(-1)?.getAll('Variable'), ['Event=check-sync;reboot=true']);
      await ask.getByRole('button', { name: 'Done' }).click();

      await page.getByRole('button', { name: 'Resync a model' }).click();
      const bulk = page.getByRole('dialog', { name: 'Resync or reboot every phone of a model' });
      await bulk.getByLabel('Phone type').selectOption('yealink');
      await bulk.getByLabel(/^Model/).fill('T99');
      await bulk.getByText('No phone of that type and model is on the list.').waitFor();
      assert.ok(await bulk.getByRole('button', { name: 'Send' }).isDisabled());
      await bulk.getByLabel(/^Model/).fill('t46s');
      await bulk.getByRole('button', { name: 'Send' }).click();
      await bulk.getByText('1 of 1 accepted by Asterisk.').waitFor();
      assert.equal(notifies().at(-1)?.get('Endpoint'), '2001');
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  it('Software: upload firmware, offer it, see the versions phones run, resync the model, delete', async () => {
    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(page, h.url, 'ana');
      await page.getByRole('link', { name: 'Software' }).click();
      const upload = page.getByRole('form', { name: 'Upload firmware' });
      await upload.getByLabel('Phone type').selectOption('yealink');
      await upload.getByLabel('Model').fill('T46S');
      await upload.getByLabel('Version').fill('66 86');
      await upload.getByLabel('Firmware file').setInputFiles({
        name: 'T46S-66.86.0.100.rom',
        mimeType: 'application/octet-stream',
        buffer: IMAGE,
      });
      assert.equal(await upload.getByLabel('File name').inputValue(), 'T46S-66.86.0.100.rom');
      await upload.getByRole('button', { name: 'Upload' }).click();
      await upload.getByText(/^Letters, digits and _ \. \+ - only/).waitFor();

      await upload.getByLabel('Version').fill('66.86.0.100');
      await upload.getByRole('button', { name: 'Upload' }).click();
      await page.getByText(`Uploaded T46S-66.86.0.100.rom (2.9 KB), SHA-256 ${SHA}.`).waitFor();
      const files = page.getByRole('table', { name: 'Firmware files' });
      await files.getByRole('cell', { name: SHA }).waitFor();

      await files.getByRole('button', { name: 'Offer Yealink T46S 66.86.0.100' }).click();
      await page.getByText('Yealink T46S phones are now offered version 66.86.0.100.').waitFor();
      await files.getByRole('button', { name: 'Stop offering Yealink T46S 66.86.0.100' }).waitFor();
      // The phone's provisioning file now points at the image, under its own MAC.
      const cfg = await phoneGet(`${h.url}/provisioning/001565aa0001.cfg`, yealink);
      assert.match(
        cfg,
        /static\.firmware\.url = http:\/\/127\.0\.0\.1:\d+\/provisioning\/firmware\/001565aa0001\/66\.86\.0\.100\/T46S-66\.86\.0\.100\.rom/,
      );

      // By model: the version offered, and what the phone reported in its User-Agent (an older one).
      await page.reload();
      const byModel = page.getByRole('table', { name: 'Firmware by model' });
      const row = byModel.getByRole('row').filter({ hasText: 'Yealink T46S' });
      await row.getByText('66.86.0.15: 1 phone(s)').waitFor();
      const rowText = (await row.textContent()) ?? '';
      assert.match(rowText, /66\.86\.0\.100/);
      assert.match(rowText, /not the offered version/);

      const before = notifies().length;
      await row.getByRole('button', { name: 'Resync the Yealink T46S phones' }).click();
      const bulk = page.getByRole('dialog', { name: 'Resync or reboot every phone of a model' });
      assert.equal(await bulk.getByLabel(/^Model/).inputValue(), 'T46S');
      await bulk.getByRole('button', { name: 'Send' }).click();
      await bulk.getByText('1 of 1 accepted by Asterisk.').waitFor();
      assert.equal(notifies().length, before + 1);
      await bulk.getByRole('button', { name: 'Done' }).click();

      await page
        .getByRole('table', { name: 'Firmware files' })
        .getByRole('button', { name: 'Delete firmware file T46S-66.86.0.100.rom' })
        .click();
      const confirm = page.getByRole('dialog', { name: 'Delete firmware file T46S-66.86.0.100.rom?' });
      await confirm.getByText(/Version 66\.86\.0\.100 is the one offered/).waitFor();
      await confirm.getByRole('button', { name: 'Delete' }).click();
      await page.getByText('Firmware file T46S-66.86.0.100.rom deleted.').waitFor();
      assert.equal(await page.getByRole('table', { name: 'Firmware files' }).count(), 0);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  it('Spanish labels; a viewer has no resync or reboot button', async () => {
    const es = await newPage(browser);
    try {
      await signIn(es.page, h.url, 'ana', '/?lang=es');
      await es.page.getByRole('link', { name: 'Software' }).click();
      await es.page.getByRole('heading', { name: 'Firmware de los teléfonos' }).waitFor();
      await es.page.getByRole('form', { name: 'Subir firmware' }).waitFor();
      await es.page.getByRole('link', { name: 'Teléfonos' }).click();
      await es.page.getByRole('button', { name: 'Resincronizar el teléfono 2001' }).waitFor();
    } finally {
      await es.close();
    }
    const viewer = await newPage(browser);
    try {
      await openPhones(viewer.page, h.url, 'vera');
      assert.equal(await viewer.page.getByRole('button', { name: /^(Resync|Reboot) phone/ }).count(), 0);
      assert.equal(await viewer.page.getByRole('button', { name: 'Resync a model' }).count(), 0);
    } finally {
      await viewer.close();
    }
  });
});
