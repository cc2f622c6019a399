/**
 * Call centre in Chromium on the recorded `queue` transcript: agents and their state, pause with a reason;
 * moving agents between queues (stateful fake queues) and the TV wallboard.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type AmiMessage, AmiParser } from '../../src/ami/index.js';
import type { FakeAmiServer } from '../../src/testing/index.js';
import { waitUntil } from '../helpers/wait.js';
import { type Harness, startHarness } from '../server/harness.js';
import { queueAsterisk } from './queue-fake.js';
import { ensureWebBuilt, type Headers, launchBrowser, newPage, signIn, startWeb } from './support.js';

describe('web UI: Call centre', () => {
  let browser: Browser;
  let web: Awaited<ReturnType<typeof startWeb>>;
  before(async () => {
    await ensureWebBuilt();
    [browser, web] = await Promise.all([launchBrowser(), startWeb()]);
    await waitUntil(() => web.fake.live.length > 0, 'the server to log in to the fake Asterisk');
  });
  after(async () => {
    await browser?.close();
    await web?.close();
  });

  it('a supervisor pauses an agent with a reason: AMI QueuePause, then the state from the event', async () => {
    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(page, web.h.url, 'sara');
      await page.getByRole('link', { name: 'Call centre' }).click();
      await page.getByRole('heading', { name: 'Queue support (pbx1)' }).waitFor();
      const agents = page.getByRole('table', { name: 'Agents in support' });
      const alonso = agents.getByRole('row').filter({ hasText: 'Agent Alonso' });
      await alonso.getByText('Free').waitFor();
      assert.match((await alonso.textContent()) ?? '', /Local\/201@sb-agents\/n/);
      await alonso.getByRole('button', { name: 'Pause: Agent Alonso' }).click();
      const dialog = page.getByRole('dialog', { name: 'Pause Agent Alonso' });
      await dialog.getByLabel('Reason (optional)').fill('lunch break');
      const sent = web.fake.nextAction('QueuePause');
      await dialog.getByRole('button', { name: 'Pause' }).click();
      const { action } = await sent;
      assert.equal(action.get('Queue'), 'support');
      assert.equal(action.get('Interface'), 'Local/201@sb-agents/n');
      assert.equal(action.get('Paused'), 'true');
      assert.equal(action.get('Reason'), 'lunch break');
      await alonso.getByText('Paused: lunch break').waitFor();
      await page.getByRole('status').filter({ hasText: 'Agent Alonso paused.' }).waitFor();
      // And back.
      const resume = web.fake.nextAction('QueuePause');
      await alonso.getByRole('button', { name: 'Resume: Agent Alonso' }).click();
      assert.equal((await resume).action.get('Paused'), 'false');
      await alonso.getByText('Free').waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  it('a viewer sees the queue but no action; Spanish labels', async () => {
    const { page, close } = await newPage(browser);
    try {
      await signIn(page, web.h.url, 'vera', '/?lang=es');
      await page.getByRole('link', { name: 'Centro de llamadas' }).click();
      const agents = page.getByRole('table', { name: 'Agentes en support' });
      await agents.getByRole('row').filter({ hasText: 'Agent Reina' }).getByText('Libre').waitFor();
      assert.equal(await page.locator('main').getByRole('button').count(), 0);
      await page.getByRole('link', { name: 'Abrir el panel mural (vista para TV)' }).waitFor();
      assert.equal(await page.getByRole('form').count(), 0);
    } finally {
      await close();
    }
  });
});

/** Figures of a wallboard queue by their label. */
function figure(page: Page, queue: string, label: string) {
  return page
    .getByRole('region', { name: queue })
    .locator('div', { has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) })
    .locator('dd');
}

describe('web UI: Call centre — moving agents and the wallboard (stateful queues)', () => {
  let browser: Browser;
  let fake: FakeAmiServer;
  let faults: Awaited<ReturnType<typeof queueAsterisk>>['faults'];
  let h: Harness;
  before(async () => {
    await ensureWebBuilt();
    let queues: Awaited<ReturnType<typeof queueAsterisk>>;
    [browser, queues] = await Promise.all([launchBrowser(), queueAsterisk()]);
    fake = queues.fake;
    faults = queues.faults;
    h = await startHarness({ pbx: [fake] });
    await h.user('sara', 'supervisor', { extensions: ['3002'] });
    await h.user('vera', 'viewer');
    await waitUntil(() => fake.live.length > 0, 'the server to log in to the fake Asterisk');
  });
  after(async () => {
    await browser?.close();
    await h?.close();
    await fake?.close();
  });
  const sent = (from: number) =>
    fake.actions.slice(from).filter((a) => /^Queue(Add|Remove|Pause)$/.test(a.get('Action') ?? ''));

  it('the wallboard: no navigation, large figures per queue, updates live, Escape leaves it', async () => {
    const { page, problems, close } = await newPage(browser, { width: 1920, height: 1080 });
    try {
      await signIn(page, h.url, 'vera', '/queues');
      await page.getByRole('link', { name: 'Open the wallboard (TV view)' }).click();
      await page.getByRole('heading', { name: 'Call centre wallboard', level: 1 }).waitFor();
      assert.equal(await page.getByRole('navigation').count(), 0);
      assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 0);
      await figure(page, 'Queue support', 'Free').filter({ hasText: /^2$/ }).waitFor();
      assert.equal(await figure(page, 'Queue support', 'Waiting').textContent(), '0');
      assert.equal(await figure(page, 'Queue support', 'Paused').textContent(), '1');
      assert.equal(await figure(page, 'Queue support', 'Busy').textContent(), '0');
      assert.equal(await figure(page, 'Queue support', 'Answered').textContent(), '1');
      assert.equal(await figure(page, 'Queue support', 'Abandoned').textContent(), '0');
      assert.equal(await figure(page, 'Queue support', 'Service level').textContent(), '100%');
      assert.equal(await figure(page, 'Queue sales', 'Free').textContent(), '0');
      // A caller joins (the recorded QueueCallerJoin): waiting goes up and the longest wait ticks.
      fake.emit(recordedEvent('QueueCallerJoin'));
      await figure(page, 'Queue support', 'Waiting').filter({ hasText: /^1$/ }).waitFor();
      await figure(page, 'Queue support', 'Longest wait')
        .filter({ hasNotText: /^0:00$/ })
        .waitFor();
      fake.emit(recordedEvent('QueueCallerLeave'));
      await figure(page, 'Queue support', 'Waiting').filter({ hasText: /^0$/ }).waitFor();
      await page.keyboard.press('Escape');
      await page.getByRole('heading', { name: 'Call centre', level: 1 }).waitFor();
      await page.getByRole('navigation').waitFor();
      assert.match(page.url(), /\/queues$/);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  it('the wallboard in Spanish, from /queues?wallboard=1, with its exit link', async () => {
    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(page, h.url, 'vera', '/?lang=es');
      await page.goto(`${h.url}/queues?wallboard=1&lang=es`);
      await page.getByRole('heading', { name: 'Panel mural del centro de llamadas' }).waitFor();
      assert.match(page.url(), /\/wallboard/);
      for (const label of [
        'En espera',
        'Espera más larga',
        'Atendidas',
        'Abandonadas',
        'Nivel de servicio',
      ]) {
        await figure(page, 'Cola support', label).waitFor();
      }
      await figure(page, 'Cola support', 'Libres').filter({ hasText: /^2$/ }).waitFor();
      await figure(page, 'Cola support', 'Ocupados').waitFor();
      await figure(page, 'Cola support', 'En pausa').waitFor();
      await page.getByText('o pulse Escape').waitFor();
      await page.getByRole('link', { name: 'Salir del panel mural' }).click();
      await page.getByRole('heading', { name: 'Centro de llamadas', level: 1 }).waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  it('a failed add moves nothing: no QueueRemove, and the page says so', async () => {
    const { page, close } = await newPage(browser);
    try {
      await signIn(page, h.url, 'sara', '/queues');
      const support = page.getByRole('table', { name: 'Agents in support' });
      await support.getByRole('row').filter({ hasText: 'Agent Reina' }).waitFor();
      faults.addError = 'Unable to add interface to queue: No such queue';
      const from = fake.actions.length;
      await support.getByRole('button', { name: 'Move: Agent Reina', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Move Agent Reina from support' });
      await dialog.getByLabel('Move to queue').selectOption('sales');
      await dialog.getByRole('button', { name: 'Move', exact: true }).click();
      await page
        .getByRole('status')
        .filter({
          hasText:
            'Agent Reina was not moved: adding to sales failed (Asterisk refused QueueAdd: Unable to add interface to queue: No such queue). Nothing was removed.',
        })
        .waitFor();
      assert.deepEqual(
        sent(from).map((a) => a.get('Action')),
        ['QueueAdd'],
      );
      await support.getByRole('row').filter({ hasText: 'Agent Reina' }).waitFor();
    } finally {
      delete faults.addError;
      await close();
    }
  });

  it('a supervisor moves a paused dynamic agent: QueueAdd (penalty, pause, name) before QueueRemove', async () => {
    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(page, h.url, 'sara', '/queues');
      const support = page.getByRole('table', { name: 'Agents in support' });
      const sales = page.getByRole('table', { name: 'Agents in sales' });
      await support
        .getByRole('row')
        .filter({ hasText: 'Agent Temp' })
        .getByText('Paused: lunch break')
        .waitFor();
      const from = fake.actions.length;
      await support.getByRole('button', { name: 'Move: Agent Temp', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Move Agent Temp from support' });
      await dialog.getByText('Keeps penalty 2. Stays paused (lunch break).').waitFor();
      await dialog.getByLabel('Move to queue').selectOption('sales');
      await dialog.getByRole('button', { name: 'Move', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'Agent Temp moved from support to sales.' }).waitFor();
      const actions = sent(from);
      assert.deepEqual(
        actions.map((a) => a.get('Action')),
        ['QueueAdd', 'QueuePause', 'QueueRemove'],
      );
      const [add, pause, remove] = actions as [AmiMessage, AmiMessage, AmiMessage];
      assert.equal(add.get('Queue'), 'sales');
      assert.equal(add.get('Interface'), 'Local/203@sb-agents/n');
      assert.equal(add.get('Penalty'), '2');
      assert.equal(add.get('Paused'), 'true');
      assert.equal(add.get('MemberName'), 'Agent Temp');
      assert.equal(pause.get('Queue'), 'sales');
      assert.equal(pause.get('Reason'), 'lunch break');
      assert.equal(remove.get('Queue'), 'support');
      assert.equal(remove.get('Interface'), 'Local/203@sb-agents/n');
      await sales
        .getByRole('row')
        .filter({ hasText: 'Agent Temp' })
        .getByText('Paused: lunch break')
        .waitFor();
      await support.getByRole('row').filter({ hasText: 'Agent Temp' }).waitFor({ state: 'detached' });
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  it('a static member is added to the target but Asterisk keeps it in the source: the page says both', async () => {
    const { page, close } = await newPage(browser);
    try {
      await signIn(page, h.url, 'sara', '/queues');
      const support = page.getByRole('table', { name: 'Agents in support' });
      await support.getByRole('button', { name: 'Move: Agent Alonso', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Move Agent Alonso from support' });
      await dialog.getByRole('button', { name: 'Move', exact: true }).click();
      await page
        .getByRole('status')
        .filter({
          hasText:
            'Agent Alonso was added to sales, but removing from support failed (Asterisk refused QueueRemove: Member not dynamic), so Agent Alonso is now in both.',
        })
        .waitFor();
      await page.getByRole('table', { name: 'Agents in sales' }).getByText('Agent Alonso').waitFor();
      await support.getByText('Agent Alonso').waitFor();
    } finally {
      await close();
    }
  });

  it('a viewer sees no Move', async () => {
    const { page, close } = await newPage(browser);
    try {
      await signIn(page, h.url, 'vera', '/queues');
      await page.getByRole('table', { name: 'Agents in support' }).getByText('Agent Reina').waitFor();
      assert.equal(await page.getByRole('button', { name: /Move/ }).count(), 0);
    } finally {
      await close();
    }
  });
});

/** An event of the recorded `queue` transcript. */
function recordedEvent(name: string): Headers {
  const out: AmiMessage[] = [];
  const p = new AmiParser({ onMessage: (m) => out.push(m) });
  p.push(readFileSync(new URL('../fixtures/asterisk/ami/queue.raw', import.meta.url)));
  return out.find((m) => m.get('Event') === name)!.headers.map(([k, v]) => [k, v] as const);
}
