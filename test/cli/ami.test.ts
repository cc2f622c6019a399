import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { type AmiCliOptions, runAmiCommand } from '../../src/cli/ami.js';
import { FakeAjamServer, FakeAmiServer } from '../../src/testing/index.js';

const root = new URL('../../', import.meta.url).pathname;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `switchboard ami …` the way a user would: a node process on the real entry point. */
function spawnCli(args: string[]): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'ami', ...args], {
    cwd: root,
    env: { ...process.env, SWITCHBOARD_AMI_URL: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Runs the command in this process with captured output (same code path as the binary, minus process wiring). */
async function run(
  action: string,
  words: string[],
  opts: AmiCliOptions,
  env: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runAmiCommand(action, words, opts, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env,
    ...(signal ? { signal } : {}),
  });
  return { code, stdout, stderr };
}

describe('switchboard ami', () => {
  let server: FakeAmiServer;
  let deadUrl: string;
  before(async () => {
    server = await FakeAmiServer.start({
      users: { admin: 's3cr3t-value' },
      handlers: {
        CoreShowChannels: () => ({
          list: {
            items: [
              { Event: 'CoreShowChannel', Channel: 'PJSIP/alonso-00000001', Uniqueid: '1.1' },
              { Event: 'CoreShowChannel', Channel: 'PJSIP/reina-00000002', Uniqueid: '1.2' },
            ],
            complete: 'CoreShowChannelsComplete',
          },
        }),
        Getvar: (m) =>
          m.get('Channel') === 'nope'
            ? { Response: 'Error', Message: 'No such channel' }
            : { Variable: 'X', Value: '1' },
        Originate: () => ({ Message: 'Originate successfully queued' }),
      },
    });
    const closed = await FakeAmiServer.start();
    deadUrl = closed.url('u', 'dead-secret');
    await closed.close();
  });
  after(async () => {
    await server.close();
  });

  test('the binary: an action prints JSON and exits 0; a bad secret exits 2 with one line that hides it', async () => {
    const [okRun, bad] = await Promise.all([
      spawnCli([
        'Originate',
        'Channel=Local/300@sb-test',
        'Variable=A=1',
        'Variable=B=x y',
        '--url',
        server.url(),
      ]),
      spawnCli(['Ping', '--url', server.url('admin', 'wrong-secret-xyz')]),
    ]);
    assert.equal(okRun.stderr, '');
    assert.equal(okRun.code, 0);
    const out = JSON.parse(okRun.stdout) as { response: Record<string, string> };
    assert.equal(out.response.Response, 'Success');
    assert.equal(out.response.Message, 'Originate successfully queued');
    const sent = server.actions.find((m) => m.get('Action') === 'Originate');
    assert.deepEqual(sent?.getAll('Variable'), ['A=1', 'B=x y']);
    assert.equal(bad.code, 2);
    assert.equal(bad.stdout, '');
    assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
    assert.match(bad.stderr, /^switchboard ami: .*(login|auth)/i);
    assert.ok(!bad.stderr.includes('wrong-secret-xyz'));
  });

  test('list items are printed with the response; SWITCHBOARD_AMI_URL is used when --url is absent', async () => {
    const { code, stdout } = await run('CoreShowChannels', [], {}, { SWITCHBOARD_AMI_URL: server.url() });
    assert.equal(code, 0);
    const out = JSON.parse(stdout) as {
      items: Array<Record<string, string>>;
      complete: Record<string, string>;
    };
    assert.deepEqual(
      out.items.map((i) => i.Channel),
      ['PJSIP/alonso-00000001', 'PJSIP/reina-00000002'],
    );
    assert.equal(out.complete.Event, 'CoreShowChannelsComplete');
  });

  test('an error response prints the reply and exits 1', async () => {
    const { code, stdout } = await run('Getvar', ['Variable=X', 'Channel=nope'], { url: server.url() });
    assert.equal(code, 1);
    assert.equal(
      (JSON.parse(stdout) as { response: Record<string, string> }).response.Message,
      'No such channel',
    );
  });

  test('MD5 login: the secret never goes on the wire', async () => {
    const { code } = await run('Ping', [], { url: server.url(), md5: true });
    assert.equal(code, 0);
    const session = server.sessions.find((s) =>
      s.actions.some((m) => m.get('Action') === 'Login' && m.get('AuthType')?.toLowerCase() === 'md5'),
    );
    assert.ok(session);
    assert.equal(session.actions[0]?.get('Action'), 'Challenge');
    const login = session.actions.find((m) => m.get('Action') === 'Login');
    assert.equal(login?.get('Secret'), undefined);
    assert.match(login?.get('Key') ?? '', /^[0-9a-f]{32}$/);
    assert.ok(!session.actions.some((m) => m.text().includes('s3cr3t-value')));
  });

  test('refused connection, missing URL, bad input: exit 2 with one stderr line, secret hidden', async () => {
    const refused = await run('Ping', [], { url: deadUrl });
    const none = await run('Ping', [], {});
    const badKv = await run('Getvar', ['novalue'], { url: server.url() });
    const badCount = await run('events', [], { url: server.url(), count: 'x' });
    for (const r of [refused, none, badKv, badCount]) {
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^switchboard ami: /);
    }
    assert.match(refused.stderr, /ECONNREFUSED|refused|connect/i);
    assert.ok(!refused.stderr.includes('dead-secret'));
    assert.match(none.stderr, /SWITCHBOARD_AMI_URL/);
    assert.match(badKv.stderr, /Key=Value/);
    assert.match(badCount.stderr, /--count/);
  });

  test('events: --event (repeatable), --filter over the wire text, --count; JSON lines', async () => {
    let exited = false;
    const done = run('events', [], {
      url: server.url(),
      event: ['Hangup', 'DialEnd'],
      filter: 'Exten: 902',
      count: '2',
    }).finally(() => {
      exited = true;
    });
    // Emit until the command has what it wants: no assumption about when it is subscribed.
    while (!exited) {
      server.emit({ Event: 'Newchannel', Channel: 'PJSIP/a-1', Exten: '902' });
      server.emit({ Event: 'Hangup', Channel: 'PJSIP/b-2', Exten: '100', Cause: '16' });
      server.emit({
        Event: 'Hangup',
        Channel: 'PJSIP/c-3',
        Exten: '902',
        Cause: '16',
        'Cause-txt': 'Normal Clearing',
      });
      server.emit({ Event: 'DialEnd', DestChannel: 'PJSIP/d-4', Exten: '902', DialStatus: 'ANSWER' });
      await new Promise((r) => setTimeout(r, 10));
    }
    const { code, stdout, stderr } = await done;
    assert.equal(stderr, '');
    assert.equal(code, 0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>);
    assert.equal(lines.length, 2);
    assert.equal(lines[0]?.Event, 'Hangup');
    assert.equal(lines[0]?.Channel, 'PJSIP/c-3');
    assert.equal(lines[0]?.['Cause-txt'], 'Normal Clearing');
    assert.equal(lines[1]?.Event, 'DialEnd');
  });

  test('events: a stop signal (SIGINT in the binary) ends with exit 0; a dropped link with exit 2', async () => {
    /** Resolves once a session opened after `from` is logged in. */
    const loggedInAfter = async (from: number) => {
      while (!server.sessions.slice(from).some((s) => s.loggedIn && s.alive))
        await new Promise((r) => setTimeout(r, 5));
    };
    const stop = new AbortController();
    let from = server.sessions.length;
    const stopped = run('events', [], { url: server.url() }, {}, stop.signal);
    await loggedInAfter(from);
    stop.abort();
    assert.equal((await stopped).code, 0);
    from = server.sessions.length;
    const dropped = run('events', [], { url: server.url() });
    await loggedInAfter(from);
    for (const s of server.sessions.slice(from)) s.drop();
    const r = await dropped;
    assert.equal(r.code, 2);
    assert.match(r.stderr, /connection to Asterisk lost/);
  });

  test('over AJAM (http://…/asterisk): an action with its list, and events from the WaitEvent loop', async () => {
    const ajam = await FakeAjamServer.start({ users: { web: 'w3b-secret' } });
    try {
      ajam.handle('CoreShowChannels', () => ({
        list: {
          items: [{ Event: 'CoreShowChannel', Channel: 'Local/1' }],
          complete: 'CoreShowChannelsComplete',
        },
      }));
      const list = await run('CoreShowChannels', [], { url: ajam.url() });
      assert.equal(list.code, 0, list.stderr);
      assert.deepEqual(
        (JSON.parse(list.stdout) as { items: Array<Record<string, string>> }).items.map((i) => i.Channel),
        ['Local/1'],
      );
      let exited = false;
      const done = run('events', [], { url: ajam.url(), event: ['Hangup'], count: '1' }).finally(() => {
        exited = true;
      });
      while (!exited) {
        ajam.emit({ Event: 'Hangup', Privilege: 'call,all', Channel: 'Local/2', Cause: '16' });
        await new Promise((r) => setTimeout(r, 20));
      }
      const ev = await done;
      assert.equal(ev.code, 0, ev.stderr);
      assert.equal(
        (JSON.parse(ev.stdout.trim().split('\n')[0] ?? '{}') as Record<string, string>).Channel,
        'Local/2',
      );
      const bad = await run('Ping', [], { url: ajam.url('web', 'not-the-secret') });
      assert.equal(bad.code, 2);
      assert.ok(!bad.stderr.includes('not-the-secret'));
    } finally {
      await ajam.close();
    }
  });

  test('--digest: AJAM with HTTP Digest on /arawman (no Login, no cookie); a wrong secret exits 2 without it', async () => {
    const ajam = await FakeAjamServer.start({ users: { web: 'w3b-secret' } });
    try {
      const ok = await run('Ping', [], { url: ajam.url(), digest: true });
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal((JSON.parse(ok.stdout) as { response: { Ping?: string } }).response.Ping, 'Pong');
      assert.ok(ajam.requests.length > 0);
      assert.ok(ajam.requests.every((r) => r.path === '/asterisk/arawman' && r.cookie === undefined));
      assert.ok(!ajam.requests.some((r) => r.action.get('Action') === 'Login'));
      const bad = await run('Ping', [], { url: ajam.url('web', 'not-the-secret'), digest: true });
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /AMI_LOGIN_FAILED|login refused/i);
      assert.ok(!bad.stderr.includes('not-the-secret'));
      const tcp = await run('Ping', [], { url: 'ami://u:p@127.0.0.1:1', digest: true });
      assert.equal(tcp.code, 2);
      assert.match(tcp.stderr, /--digest works over AJAM only/);
    } finally {
      await ajam.close();
    }
  });
});
