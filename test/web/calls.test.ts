/**
 * Live calls in Chromium on recorded AMI (`sip-call`): a call appears within a second and goes on hang-up;
 * "Hang up" sends the right `Hangup`; a hostile caller ID name is text; a viewer sees no actions and is refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { waitUntil } from '../helpers/wait.js';
import { ensureWebBuilt, launchBrowser, newPage, signIn, startCall, startWeb } from './support.js';

describe('web UI: Live calls', () => {
  let browser: Browser;
  let web: Awaited<ReturnType<typeof startWeb>>;
  let n = 0;
  const idBase = () => String(1795400000 + ++n * 10);
  before(async () => {
    await ensureWebBuilt();
    [browser, web] = await Promise.all([launchBrowser(), startWeb()]);
    await waitUntil(() => web.fake.live.length > 0, 'the server to log in to the fake Asterisk');
  });
  after(async () => {
    await browser?.close();
    await web?.close();
  });

  it('shows a new call within a second, its names and state, and removes it on hang-up', async () => {
    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(page, web.h.url, 'oscar', '/calls');
      const table = page.getByRole('table', { name: 'Live calls' });
      await page.getByText('No calls in progress.').waitFor();
      const call = startCall(web, { from: 'rosa', to: 'alonso', callerName: 'Rosa Díaz', idBase: idBase() });
      const row = table.getByRole('row').filter({ hasText: 'Rosa Díaz (rosa)' });
      await row.waitFor({ timeout: 1000 });
      await row.getByText('Connected').waitFor();
      // The callee as the caller's connected line shows it: the number dialled (alonso's extension, 200).
      assert.match((await row.textContent()) ?? '', /\(rosa\)200Connected/);
      assert.match((await row.textContent()) ?? '', /pbx1/);
      // The duration ticks.
      const first = await row.locator('time').textContent();
      await row.locator('time', { hasNotText: first ?? '' }).waitFor();
      call.hangup();
      await row.waitFor({ state: 'detached', timeout: 1000 });
      await page.getByText('No calls in progress.').waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  it("keeps rows in start order; 'Hang up' on someone else's call asks first, then sends AMI Hangup", async () => {
    const { page, close } = await newPage(browser);
    try {
      await signIn(page, web.h.url, 'oscar', '/calls');
      const a = startCall(web, { from: 'ana', to: 'alonso', callerName: 'Ana', idBase: idBase() });
      const table = page.getByRole('table', { name: 'Live calls' });
      await table.getByRole('row').filter({ hasText: 'Ana (ana)' }).waitFor();
      startCall(web, { from: 'beto', to: 'carla', callerName: 'Beto', idBase: idBase() });
      await table.getByRole('row').filter({ hasText: 'Beto (beto)' }).waitFor();
      const order = async () => (await table.locator('tbody tr td:first-child').allTextContents()).join('|');
      assert.equal(await order(), 'Ana (ana)|Beto (beto)');
      const before = web.fake.actions.length;
      await page.getByRole('button', { name: 'Hang up: Call from Ana (ana)' }).click();
      const dialog = page.getByRole('dialog', { name: 'Hang up this call?' });
      await dialog.waitFor();
      assert.equal(web.fake.actions.length, before, 'nothing is sent before the confirmation');
      await dialog.getByRole('button', { name: 'Hang up' }).click();
      await page.getByRole('status').filter({ hasText: 'Call ended.' }).waitFor();
      const hangups = web.fake.actions.slice(before).filter((m) => m.get('Action') === 'Hangup');
      assert.equal(hangups[0]?.get('Channel'), a.callerChannel);
      assert.equal(hangups[0]?.get('Cause'), '16');
      assert.ok(hangups.every((m) => /^PJSIP\/(ana|alonso)-/.test(m.get('Channel') ?? '')));
      await table.getByRole('row').filter({ hasText: 'Ana (ana)' }).waitFor({ state: 'detached' });
      assert.equal(await order(), 'Beto (beto)');
    } finally {
      await close();
    }
  });

  it('resumes the live stream after a drop (?since=…&epoch=…) without reloading the page', async () => {
    const { page, close } = await newPage(browser);
    try {
      const sockets: string[] = [];
      const firstFrames: string[] = [];
      page.on('websocket', (ws) => {
        sockets.push(ws.url());
        ws.once('framereceived', (f) => firstFrames.push(String(f.payload).slice(0, 40)));
      });
      await signIn(page, web.h.url, 'oscar', '/calls');
      await page.getByRole('status', { name: 'Live updates: Live' }).waitFor();
      await page.evaluate(() => {
        (globalThis as { marker?: number }).marker = 42;
      });
      // Cut every live connection on the server side, then a call starts while the page is away.
      const hub = web.h.server.context.live as unknown as { clients: Set<{ socket: { terminate(): void } }> };
      for (const c of hub.clients) c.socket.terminate();
      startCall(web, { from: 'dora', to: 'alonso', callerName: 'Dora', idBase: idBase() });
      await page
        .getByRole('table', { name: 'Live calls' })
        .getByRole('row')
        .filter({ hasText: 'Dora (dora)' })
        .waitFor();
      assert.equal(sockets.length, 2);
      assert.match(sockets[1]!, /\/api\/v1\/live\?since=\d+&epoch=[0-9a-f]+$/);
      assert.equal(await page.evaluate(() => (globalThis as { marker?: number }).marker), 42);
      // The server replayed what was missed instead of sending the whole state again.
      assert.match(firstFrames[0]!, /^\{"type":"snapshot"/);
      assert.match(firstFrames[1]!, /^\{"type":"resume"/);
    } finally {
      await close();
    }
  });

  it('shows a hostile caller ID name as text and fires no script', async () => {
    const { page, dialogs, problems, close } = await newPage(browser);
    try {
      await signIn(page, web.h.url, 'oscar', '/calls');
      const name = '<img src=x onerror=alert(1)>';
      startCall(web, { from: 'evil', to: 'alonso', callerName: name, idBase: idBase() });
      const cell = page.getByRole('cell', { name: `${name} (evil)`, exact: true });
      await cell.waitFor();
      assert.equal(await cell.textContent(), `${name} (evil)`);
      assert.equal(await page.locator('main img').count(), 0);
      assert.deepEqual(dialogs, []);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  it('an agent acts on its own call without a question; a viewer sees no action and a forged one is refused', async () => {
    startCall(web, { from: 'reina', to: 'alonso', callerName: 'Reina', idBase: idBase() });
    const viewer = await newPage(browser);
    try {
      await signIn(viewer.page, web.h.url, 'vera', '/calls');
      const table = viewer.page.getByRole('table', { name: 'Live calls' });
      await table.getByRole('row').filter({ hasText: 'Reina (reina)' }).waitFor();
      assert.equal(await table.getByRole('button').count(), 0);
      assert.equal(await table.getByRole('columnheader', { name: 'Actions' }).count(), 0);
      // The same request the agent's button sends, forged from the viewer's own session and CSRF token.
      const forged = await viewer.page.evaluate(async () => {
        const me = (await (await fetch('/api/v1/session')).json()) as { csrfToken: string };
        const calls = (await (await fetch('/api/v1/calls')).json()) as {
          id: string;
          legs: { name: string }[];
        }[];
        const id = calls.find((c) => c.legs[0]?.name.startsWith('PJSIP/reina'))?.id ?? '';
        const r = await fetch(`/api/v1/calls/${encodeURIComponent(id)}`, {
          method: 'DELETE',
          headers: { 'x-csrf-token': me.csrfToken },
        });
        return { status: r.status, body: (await r.json()) as { error: { code: string } } };
      });
      assert.equal(forged.status, 403);
      assert.equal(forged.body.error.code, 'FORBIDDEN');
    } finally {
      await viewer.close();
    }
    const agent = await newPage(browser);
    try {
      await signIn(agent.page, web.h.url, 'reina', '/calls');
      const table = agent.page.getByRole('table', { name: 'Live calls' });
      const own = table.getByRole('row').filter({ hasText: 'Reina (reina)' });
      await own.waitFor();
      // Others' calls carry no buttons for an agent; the agent's own does (but no Redirect).
      const others = table.getByRole('row').filter({ hasText: 'Beto (beto)' });
      assert.equal(await others.getByRole('button').count(), 0);
      assert.equal(await own.getByRole('button', { name: /^Redirect/ }).count(), 0);
      const before = web.fake.actions.length;
      await own.getByRole('button', { name: /^Hang up/ }).click();
      await own.waitFor({ state: 'detached' });
      assert.equal(await agent.page.getByRole('dialog').count(), 0);
      const hangup = web.fake.actions.slice(before).find((m) => m.get('Action') === 'Hangup');
      assert.equal(hangup?.get('Channel'), 'PJSIP/reina-00000017');
    } finally {
      await agent.close();
    }
  });

  it('a supervisor transfers (blind) and redirects through the dialogs', async () => {
    web.fake.handle('BlindTransfer', () => ({ Message: 'Transfer succeeded' }));
    web.fake.handle('Redirect', () => ({ Message: 'Redirect successful' }));
    const { page, close } = await newPage(browser);
    try {
      await signIn(page, web.h.url, 'sara', '/calls');
      const row = page
        .getByRole('table', { name: 'Live calls' })
        .getByRole('row')
        .filter({ hasText: 'Beto (beto)' });
      await row.waitFor();
      let before = web.fake.actions.length;
      await row.getByRole('button', { name: /^Transfer/ }).click();
      const transfer = page.getByRole('dialog', { name: 'Transfer the call' });
      await transfer.getByLabel('Number or extension').fill('2005');
      await transfer.getByRole('button', { name: 'Transfer' }).click();
      const notice = page.getByRole('status').filter({ hasText: 'Transfer requested.' });
      await notice.waitFor();
      const sent = web.fake.actions.slice(before).map((m) => m.get('Action'));
      assert.ok(
        sent.includes('BlindTransfer'),
        `sent ${sent.join(',')}; page says ${await notice.textContent()}`,
      );
      before = web.fake.actions.length;
      await row.getByRole('button', { name: /^Redirect/ }).click();
      const redirect = page.getByRole('dialog', { name: 'Redirect a channel' });
      await redirect.getByLabel('Context (optional)').fill('oficina2');
      await redirect.getByLabel('Extension').fill('600');
      await redirect.getByRole('button', { name: 'Redirect' }).click();
      await page.getByRole('status').filter({ hasText: 'Call redirected.' }).waitFor();
      const r = web.fake.actions.slice(before).find((m) => m.get('Action') === 'Redirect');
      assert.equal(r?.get('Channel'), 'PJSIP/beto-00000017');
      assert.equal(r?.get('Exten'), '600');
      assert.equal(r?.get('Context'), 'oficina2');
    } finally {
      await close();
    }
  });
});
