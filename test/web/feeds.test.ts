/**
 * CRM feeds in Chromium: create a feed with the filter editor (events + a header rule), "Test" it against the
 * events the fake Asterisk just sent, watch its live events, edit, delete with confirmation; markup in an event
 * stays text; Spanish labels.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { FakeAmiServer } from '../../src/testing/index.js';
import { type Receiver, startReceiver } from '../feeds/webhooks-receiver.js';
import { waitUntil } from '../helpers/wait.js';
import { type Harness, startHarness } from '../server/harness.js';
import { ensureWebBuilt, launchBrowser, newPage, signIn } from './support.js';

/** A Hangup as Asterisk sends it (`main/manager_channels.c`), trimmed to the headers the feed reads. */
const hangup = (channel: string, name: string, uniqueid: string): [string, string][] => [
  ['Event', 'Hangup'],
  ['Privilege', 'call,all'],
  ['Channel', channel],
  ['ChannelState', '6'],
  ['ChannelStateDesc', 'Up'],
  ['CallerIDNum', '2001'],
  ['CallerIDName', name],
  ['Uniqueid', uniqueid],
  ['Linkedid', uniqueid],
  ['Cause', '16'],
  ['Cause-txt', 'Normal Clearing'],
];

describe('web UI: CRM feeds', () => {
  let browser: Browser;
  let h: Harness;
  let fake: FakeAmiServer;
  let receiver: Receiver;
  before(async () => {
    await ensureWebBuilt();
    [fake, receiver] = await Promise.all([FakeAmiServer.start(), startReceiver()]);
    [browser, h] = await Promise.all([
      launchBrowser(),
      // The receiver listens on 127.0.0.1, which the SSRF guard refuses unless allowed.
      startHarness({ pbx: [fake], config: { webhooks: { allowPrivateTargets: true } } }),
    ]);
    await h.user('reina', 'agent', { extensions: ['2001'] });
    await waitUntil(() => fake.live.length > 0, 'the server to log in to the fake Asterisk');
  });
  after(async () => {
    await browser?.close();
    await h?.close();
    await fake?.close();
    await receiver?.close();
  });

  it('create with the filter editor, Test over recent events, live view, delete', async () => {
    fake.emit(hangup('PJSIP/2001-00000001', 'Ana', '1795000001.1'));
    fake.emit(hangup('PJSIP/3001-00000002', 'Otro', '1795000002.2'));
    fake.emit([
      ['Event', 'Newchannel'],
      ['Channel', 'PJSIP/2001-00000003'],
      ['Uniqueid', '1795000003.3'],
    ]);
    const { page, dialogs, problems, close } = await newPage(browser);
    try {
      await signIn(page, h.url, 'reina');
      await page.getByRole('link', { name: 'CRM feeds' }).click();
      await page.getByText('No feeds yet.').waitFor();
      await page.getByRole('button', { name: 'Add feed' }).click();
      const editor = page.getByRole('dialog', { name: 'New feed' });
      await editor.getByLabel('Name', { exact: true }).fill('Hangups of 2001');
      await editor.getByLabel('Kind', { exact: true }).selectOption('ami');
      await editor.getByLabel('Event names (comma separated)').fill('Hangup');
      await editor.getByRole('button', { name: 'Add header rule' }).click();
      await editor.getByLabel('Header of rule 1').fill('Channel');
      await editor.getByLabel('Regular expression of rule 1').fill('^PJSIP/2001-');
      await editor.getByRole('button', { name: 'Save' }).click();
      const table = page.getByRole('table', { name: 'Feeds' });
      const row = table.getByRole('row').filter({ hasText: 'Hangups of 2001' });
      await row.waitFor();
      assert.match((await row.textContent()) ?? '', /Hangup · Channel ~ \/\^PJSIP\/2001-\//);
      const saved = (await (await h.login('reina')).call('GET', '/api/v1/feeds')).body;
      assert.deepEqual(saved[0].filter, { events: ['Hangup'], headers: { Channel: '^PJSIP/2001-' } });

      await row.getByRole('button', { name: 'Test: Hangups of 2001' }).click();
      const result = page.getByRole('dialog', { name: 'Test of Hangups of 2001' });
      await result.getByText(/^1 of the last \d+ events match\.$/).waitFor();
      const matched = (await result.getByRole('listitem').allTextContents()).join('\n');
      assert.match(matched, /Channel: PJSIP\/2001-00000001/);
      assert.doesNotMatch(matched, /3001/);
      await result.getByRole('button', { name: 'Close' }).click();

      await row.getByRole('button', { name: 'Live view: Hangups of 2001' }).click();
      const live = page.getByRole('region', { name: 'Live events of Hangups of 2001' });
      await live.getByText('Waiting for events…').waitFor();
      fake.emit(hangup('PJSIP/3001-00000004', 'Not mine', '1795000004.4'));
      fake.emit(hangup('PJSIP/2001-00000005', '<img src=x onerror=alert(1)>', '1795000005.5'));
      await live.getByText(/CallerIDName: <img src=x onerror=alert\(1\)>/).waitFor();
      assert.equal(await live.getByText(/Not mine/).count(), 0);
      assert.equal(await page.locator('main img').count(), 0);

      await row.getByRole('button', { name: 'Delete: Hangups of 2001' }).click();
      const confirm = page.getByRole('dialog', { name: 'Delete: Hangups of 2001' });
      await confirm.getByRole('button', { name: 'Delete' }).click();
      await page.getByRole('status').filter({ hasText: 'Feed Hangups of 2001 deleted.' }).waitFor();
      await page.getByText('No feeds yet.').waitFor();
      assert.deepEqual(dialogs, []);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  it('edit keeps the filter; a bad regex is refused in words; Spanish labels', async () => {
    const reina = await h.login('reina');
    const made = await reina.call('POST', '/api/v1/feeds', {
      name: 'Mis llamadas',
      kind: 'call',
      filter: { mine: true },
    });
    assert.equal(made.status, 201, made.text);
    const { page, close } = await newPage(browser);
    try {
      await signIn(page, h.url, 'reina', '/?lang=es');
      await page.getByRole('link', { name: 'Feeds CRM' }).click();
      const row = page
        .getByRole('table', { name: 'Feeds' })
        .getByRole('row')
        .filter({ hasText: 'Mis llamadas' });
      assert.match((await row.textContent()) ?? '', /Eventos de llamada/);
      await row.getByRole('button', { name: 'Editar: Mis llamadas' }).click();
      const editor = page.getByRole('dialog', { name: 'Editar el feed Mis llamadas' });
      assert.equal(await editor.getByLabel('Solo sobre mis extensiones').isChecked(), true);
      await editor.getByLabel('Expresión regular sobre todo el evento').fill('(a+)+$(');
      await editor.getByRole('button', { name: 'Guardar' }).click();
      await editor.getByRole('alert').waitFor();
      await editor.getByRole('button', { name: 'Cancelar' }).click();
      const after = (await reina.call('GET', `/api/v1/feeds/${made.body.id}`)).body;
      assert.deepEqual(after.filter, { mine: true });
    } finally {
      await close();
    }
  });

  it('webhook targets: add (secret shown once), the delivery log, Redeliver sends the same delivery again', async () => {
    const reina = await h.login('reina');
    const feed = (
      await reina.call('POST', '/api/v1/feeds', {
        name: 'To the CRM',
        kind: 'ami',
        filter: { events: ['Hangup'] },
      })
    ).body;
    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(page, h.url, 'reina');
      await page.getByRole('link', { name: 'CRM feeds' }).click();
      await page.getByRole('button', { name: 'Webhooks: To the CRM' }).click();
      const hooks = page.getByRole('region', { name: 'Webhooks of To the CRM' });
      await hooks.getByText('No webhook targets yet', { exact: false }).waitFor();
      const url = `${receiver.url}?crm=1`;
      await hooks.getByLabel('Target URL').fill(url);
      await hooks.getByRole('button', { name: 'Add target' }).click();
      const secret = (await hooks.getByTestId('webhook-secret').textContent()) ?? '';
      assert.ok(secret.length >= 16, secret);
      const listed = await reina.call('GET', `/api/v1/feeds/${feed.id}/webhooks`);
      assert.ok(!listed.text.includes(secret), 'the secret is never listed');
      await hooks
        .getByRole('table', { name: 'Webhooks' })
        .getByRole('row')
        .filter({ hasText: url })
        .getByText('Delivering')
        .waitFor();

      const before = receiver.received.length;
      fake.emit(hangup('PJSIP/2001-00000009', 'Ana', '1795000009.9'));
      await waitUntil(() => receiver.received.length > before, 'the webhook delivered');
      const first = receiver.received.at(-1)!;
      assert.equal(first.url, `${new URL(receiver.url).pathname}?crm=1`);
      await hooks.getByRole('button', { name: `Delivery log: ${url}` }).click();
      const log = hooks.getByRole('table', { name: 'Delivery log' });
      const row = log.getByRole('row').filter({ hasText: 'Delivered' }).first();
      await row.waitFor();
      assert.match((await row.textContent()) ?? '', /HTTP 200/);
      const count = receiver.received.length;
      await row.getByRole('button', { name: /^Redeliver / }).click();
      await page
        .getByRole('status')
        .filter({ hasText: /queued again/ })
        .waitFor();
      await waitUntil(() => receiver.received.length > count, 'the redelivery');
      const again = receiver.received.at(-1)!;
      assert.equal(again.headers['switchboard-delivery'], first.headers['switchboard-delivery']);
      assert.equal(again.body, first.body);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });
});
