/**
 * Browser tests' kit: builds the UI once per run (only when `dist/web` is missing or older than `web/`), launches
 * Debian's Chromium through playwright-core, starts a real server on a fake Asterisk, signs in through the form,
 * and plays recorded AMI transcripts (a SIP call; a click-to-dial) with names and ids changed as a test needs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type AmiMessage, AmiParser } from '../../src/ami/index.js';
import { FakeAmiServer, type FakeAmiSession } from '../../src/testing/index.js';
import { type Harness, PASSWORD, startHarness } from '../server/harness.js';

const root = new URL('../..', import.meta.url).pathname;
const built = join(root, 'dist', 'web');

function newest(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let t = 0;
  for (const e of readdirSync(path)) t = Math.max(t, newest(join(path, e)));
  return t;
}

function stale(): boolean {
  if (!existsSync(join(built, 'index.html'))) return true;
  const src = Math.max(
    newest(join(root, 'web', 'src')),
    newest(join(root, 'web', 'index.html')),
    newest(join(root, 'web', 'vite.config.ts')),
  );
  return src > newest(built);
}

/**
 * Makes sure `dist/web` is current. Test files run in parallel processes, so one builds under a lock directory
 * while the others wait for it.
 */
export async function ensureWebBuilt(): Promise<void> {
  const lock = join(root, 'dist', '.web-build.lock');
  mkdirSync(join(root, 'dist'), { recursive: true });
  for (let i = 0; i < 1200; i++) {
    if (!stale() && !existsSync(lock)) return;
    try {
      mkdirSync(lock);
    } catch {
      // Someone else is building; a lock older than two minutes was left by a killed run.
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 120_000)
        rmSync(lock, { recursive: true });
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    try {
      if (stale()) {
        execFileSync(
          process.execPath,
          [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', 'web'],
          {
            cwd: root,
            stdio: ['ignore', 'ignore', 'inherit'],
            // The test runner sets NODE_ENV=test, which would make Vite bundle React's development build.
            env: { ...process.env, NODE_ENV: 'production' },
          },
        );
      }
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
    return;
  }
  throw new Error('timed out waiting for the web UI build');
}

/** Debian's Chromium, headless. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.SWITCHBOARD_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** A page that records dialogs and CSP violations / page errors, so tests can assert none happened. */
export async function newPage(
  browser: Browser,
  o: { width?: number; height?: number } = {},
): Promise<{ page: Page; dialogs: string[]; problems: string[]; close(): Promise<void> }> {
  const context = await browser.newContext({
    viewport: { width: o.width ?? 1280, height: o.height ?? 800 },
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  const dialogs: string[] = [];
  const problems: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  return { page, dialogs, problems, close: () => context.close() };
}

/** Signs in through the form (by the labels a person reads). */
export async function signIn(page: Page, base: string, name: string, path = '/'): Promise<void> {
  await page.goto(`${base}/login${path.includes('?') ? path.slice(path.indexOf('?')) : ''}`);
  await page.getByLabel(/^(Username|Usuario)$/).fill(name);
  await page.getByLabel(/^(Password|Contraseña)$/).fill(PASSWORD);
  await page.getByRole('button', { name: /^(Sign in|Entrar)$/ }).click();
  await page.getByRole('button', { name: /^(Sign out|Cerrar sesión)$/ }).waitFor();
  const target = path.split('?')[0]!;
  if (target !== '/') await page.getByRole('link', { name: navName(target) }).click();
}

function navName(path: string): RegExp {
  return (
    {
      '/calls': /^(Live calls|Llamadas en curso)$/,
      '/dial': /^(Click-to-dial|Marcar con un clic)$/,
      '/queues': /^(Call centre|Centro de llamadas)$/,
    }[path] ?? /^$/
  );
}

function parse(file: string): AmiMessage[] {
  const out: AmiMessage[] = [];
  const p = new AmiParser({ onMessage: (m) => out.push(m) });
  p.push(readFileSync(new URL(`../fixtures/asterisk/ami/${file}`, import.meta.url)));
  return out;
}

/** AMI headers as the fake server sends them. */
export type Headers = (readonly [string, string])[];

// Events of the recording that answer the recorder's own list actions, or belong to its login.
const NOT_CALL = new Set([
  'fullybooted',
  'successfulauth',
  'challengesent',
  'status',
  'statuscomplete',
  'coreshowchannel',
  'coreshowchannelscomplete',
  'bridgelistitem',
  'bridgelistcomplete',
]);

/** What to change in the recorded SIP call. */
export interface CallScript {
  /** Caller's device / extension (recorded: `reina`). */
  from: string;
  /** Callee's (recorded: `alonso`). */
  to: string;
  /** The caller ID name the caller's phone sends (recorded: `<unknown>`). */
  callerName?: string;
  /** Uniqueid prefix, distinct per call (recorded: `1795342888`). */
  idBase: string;
}

/**
 * The recorded `sip-call` (reina calls 200 → alonso answers → bridged → hung up), renamed: `ring` is everything
 * up to the bridge, `hangup` the rest (HangupRequest, BridgeLeave, Hangup, Cdr…).
 */
export function recordedCall(s: CallScript): { ring: Headers[]; hangup: Headers[]; callerChannel: string } {
  const events = parse('sip-call.raw').filter(
    (m) => m.kind === 'event' && !NOT_CALL.has((m.get('Event') ?? '').toLowerCase()),
  );
  const callerChannel = `PJSIP/${s.from}-00000017`;
  const rename = (v: string) =>
    v
      .replaceAll('1795342888.', `${s.idBase}.`)
      .replaceAll('PJSIP/reina', `PJSIP/${s.from}`)
      .replaceAll('PJSIP/alonso', `PJSIP/${s.to}`)
      .replace(/^reina$/, s.from)
      .replace(/^alonso$/, s.to);
  const out = events.map((m): Headers => {
    const channel = m.get('Channel') ?? '';
    return m.headers.map(([k, v]) => {
      let value = rename(v);
      if (s.callerName !== undefined) {
        if (k === 'CallerIDName' && channel.startsWith('PJSIP/reina')) value = s.callerName;
        if (k === 'ConnectedLineName' && channel.startsWith('PJSIP/alonso')) value = s.callerName;
        if (k === 'DestConnectedLineName') value = s.callerName;
      }
      return [k, value] as const;
    });
  });
  const split = events.findIndex((m) =>
    /^(SoftHangupRequest|HangupRequest|Hangup)$/.test(m.get('Event') ?? ''),
  );
  return { ring: out.slice(0, split), hangup: out.slice(split), callerChannel };
}

/** Sends recorded events to every session of the fake. */
export function play(fake: FakeAmiServer, events: Headers[]): void {
  for (const e of events) fake.emit(e);
}

/**
 * A fake Asterisk whose `Hangup` answers like the recording (`Channel Hungup`) and then plays the call's end,
 * and whose `Originate`/`AGI` replay the recorded `sip-click-to-dial` step by step.
 */
export async function fakeAsterisk(): Promise<{
  fake: FakeAmiServer;
  /** The end of each call, by a channel name of it. */
  endings: Map<string, Headers[]>;
}> {
  const endings = new Map<string, Headers[]>();
  const c2d = clickToDialReplay();
  const fake = await FakeAmiServer.start({
    handlers: {
      hangup: (action) => {
        const channel = action.get('Channel') ?? '';
        const end = endings.get(channel);
        if (end) {
          endings.delete(channel);
          setTimeout(() => play(fake, end), 20);
        }
        return { Message: 'Channel Hungup' };
      },
      originate: c2d.originate,
      agi: c2d.agi,
      queuestatus: () => ({ list: { items: recordedQueueStatus(), complete: 'QueueStatusComplete' } }),
      queuepause: (action) => {
        // The recorded answer and QueueMemberPause, for the member and reason asked.
        const event = recordedPause(
          action.get('Queue') ?? '',
          action.get('Interface') ?? '',
          action.get('Paused') === 'true',
          action.get('Reason') ?? '',
        );
        setTimeout(() => fake.emit(event), 10);
        return {
          Message:
            action.get('Paused') === 'true'
              ? 'Interface paused successfully'
              : 'Interface unpaused successfully',
        };
      },
    },
  });
  return { fake, endings };
}

/** The recorded `queue` transcript's first QueueStatus answer (queue `support`, Agent Reina and Agent Alonso). */
function recordedQueueStatus(): Headers[] {
  const all = parse('queue.raw');
  return all
    .filter(
      (m) =>
        m.kind === 'event' &&
        m.get('ActionID') === 'queuestatus-2' &&
        m.get('Event') !== 'QueueStatusComplete',
    )
    .map((m) => m.headers.filter(([k]) => k !== 'ActionID'));
}

/** The recorded QueueMemberPause, renamed to the member asked. */
function recordedPause(queue: string, iface: string, paused: boolean, reason: string): Headers {
  const pause = parse('queue.raw').find((m) => m.get('Event') === 'QueueMemberPause')!;
  const member = recordedQueueStatus().find((h) => h.some(([k, v]) => k === 'Location' && v === iface));
  const name = member?.find(([k]) => k === 'Name')?.[1] ?? iface;
  const patch: Record<string, string> = {
    Queue: queue,
    MemberName: name,
    Interface: iface,
    StateInterface: iface,
    Membership: 'static',
    Penalty: '0',
    Status: '1',
    Paused: paused ? '1' : '0',
    PausedReason: paused ? reason : '',
  };
  return pause.headers.map(([k, v]) => [k, patch[k] ?? v] as const);
}

/** The recorded click-to-dial played back as the server's actions arrive (like the server's own test does). */
function clickToDialReplay() {
  const events = parse('sip-click-to-dial.raw').filter(
    (m) => m.kind === 'event' && !['FullyBooted', 'SuccessfulAuth'].includes(m.get('Event') ?? ''),
  );
  let cursor = 0;
  const playUntil = (
    s: FakeAmiSession,
    stop: (m: AmiMessage) => boolean,
    patch: (m: AmiMessage) => Record<string, string>,
  ) => {
    while (cursor < events.length) {
      const m = events[cursor++]!;
      const p = patch(m);
      s.emit(m.headers.map(([k, v]) => [k, p[k] ?? v] as const));
      if (stop(m)) return;
    }
  };
  return {
    originate: (action: AmiMessage, session: FakeAmiSession) => {
      const originateId = action.actionId ?? '';
      const argId = /switchboard-c2d,(.*)$/.exec(action.get('Data') ?? '')?.[1] ?? '';
      setTimeout(
        () =>
          playUntil(
            session,
            (m) => m.get('Event') === 'AsyncAGIStart',
            (m): Record<string, string> => {
              if (m.get('Event') === 'OriginateResponse') return { ActionID: originateId };
              if (m.get('Event') === 'AsyncAGIStart') {
                const env = m
                  .get('Env')!
                  .replace('%0A%0A', `%0Aagi_arg_1%3A%20switchboard-c2d%0Aagi_arg_2%3A%20${argId}%0A%0A`);
                return { Env: env };
              }
              return {};
            },
          ),
        // The caller's phone rings a while, so the page can show it.
        300,
      );
      return { Message: 'Originate successfully queued' };
    },
    agi: (action: AmiMessage, session: FakeAmiSession) => {
      const id = action.get('CommandID') ?? '';
      setTimeout(
        () =>
          playUntil(
            session,
            (m) => m.get('Event') === 'AsyncAGIExec' || m.get('Event') === 'AsyncAGIEnd',
            (m): Record<string, string> =>
              ['AsyncAGIExec', 'AGIExecStart', 'AGIExecEnd'].includes(m.get('Event') ?? '')
                ? { CommandId: id }
                : {},
          ),
        5,
      );
      return { Message: 'Added AGI command to queue' };
    },
  };
}

/** A server on a fake Asterisk with the usual cast of users. */
export async function startWeb(): Promise<{
  h: Harness;
  fake: FakeAmiServer;
  endings: Map<string, Headers[]>;
  close(): Promise<void>;
}> {
  const { fake, endings } = await fakeAsterisk();
  const h = await startHarness({ pbx: [fake] });
  await h.user('reina', 'agent', { extensions: ['reina'] });
  await h.user('oscar', 'operator', { extensions: ['3001'] });
  await h.user('sara', 'supervisor', { extensions: ['3002'] });
  await h.user('vera', 'viewer');
  return {
    h,
    fake,
    endings,
    async close() {
      await h.close();
      await fake.close();
    },
  };
}

/** Plays the ringing-and-answered part of a recorded call and remembers its end for `Hangup`. */
export function startCall(
  web: { fake: FakeAmiServer; endings: Map<string, Headers[]> },
  s: CallScript,
): { hangup(): void; callerChannel: string } {
  const call = recordedCall(s);
  web.endings.set(call.callerChannel, call.hangup);
  play(web.fake, call.ring);
  return {
    callerChannel: call.callerChannel,
    hangup: () => {
      web.endings.delete(call.callerChannel);
      play(web.fake, call.hangup);
    },
  };
}
