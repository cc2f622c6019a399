import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { FakeAmiServer } from '../../src/testing/index.js';

const root = new URL('../../', import.meta.url).pathname;

/** Runs `switchboard ami …` the way a user would, through the real entry point. */
function cli(
  args: string[],
  env: Record<string, string | undefined> = {},
): { done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'ami', ...args], {
    cwd: root,
    env: { ...process.env, SWITCHBOARD_AMI_URL: undefined, ...env },
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
  return { done: new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr }))) };
}

describe('switchboard ami (against FakeAmiServer)', () => {
  let server: FakeAmiServer;
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
  });
  after(async () => {
    await server.close();
  });

  test('an action prints the response as JSON and exits 0; Key=Value repeats become repeated headers', async () => {
    const { code, stdout, stderr } = await cli([
      'Originate',
      'Channel=Local/300@sb-test',
      'Application=Wait',
      'Data=1',
      'Variable=A=1',
      'Variable=B=x y',
      '--url',
      server.url(),
    ]).done;
    assert.equal(stderr, '');
    assert.equal(code, 0);
    const out = JSON.parse(stdout) as { response: Record<string, string> };
    assert.equal(out.response.Response, 'Success');
    assert.equal(out.response.Message, 'Originate successfully queued');
    const sent = server.actions.find((m) => m.get('Action') === 'Originate');
    assert.deepEqual(sent?.getAll('Variable'), ['A=1', 'B=x y']);
    assert.equal(sent?.get('Channel'), 'Local/300@sb-test');
  });

  test('list items are printed with the response; SWITCHBOARD_AMI_URL is used when --url is absent', async () => {
    const { code, stdout } = await cli(['CoreShowChannels'], { SWITCHBOARD_AMI_URL: server.url() }).done;
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
    const { code, stdout } = await cli(['Getvar', 'Variable=X', 'Channel=nope', '--url', server.url()]).done;
    assert.equal(code, 1);
    assert.equal(
      (JSON.parse(stdout) as { response: Record<string, string> }).response.Message,
      'No such channel',
    );
  });

  test('MD5 login: the secret never goes on the wire', async () => {
    const before = server.actions.length;
    const { code } = await cli(['Ping', '--md5', '--url', server.url()]).done;
    assert.equal(code, 0);
    const mine = server.actions.slice(before);
    assert.equal(mine[0]?.get('Action'), 'Challenge');
    const login = mine.find((m) => m.get('Action') === 'Login');
    assert.equal(login?.get('AuthType')?.toLowerCase(), 'md5');
    assert.equal(login?.get('Secret'), undefined);
    assert.ok(!mine.some((m) => m.text().includes('s3cr3t-value')));
  });

  test('bad secret, refused connection, missing URL: exit 2 with one stderr line that hides the secret', async () => {
    const closed = await FakeAmiServer.start();
    const deadUrl = closed.url('u', 'dead-secret');
    await closed.close();
    const [bad, refused, none] = await Promise.all([
      cli(['Ping', '--url', server.url('admin', 'wrong-secret-xyz')]).done,
      cli(['Ping', '--url', deadUrl]).done,
      cli(['Ping']).done,
    ]);
    for (const r of [bad, refused, none]) {
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^switchboard ami: /);
    }
    assert.match(bad.stderr, /login|auth/i);
    assert.ok(!bad.stderr.includes('wrong-secret-xyz'));
    assert.match(refused.stderr, /ECONNREFUSED|refused|connect/i);
    assert.ok(!refused.stderr.includes('dead-secret'));
    assert.match(none.stderr, /SWITCHBOARD_AMI_URL/);
  });

  test('bad Key=Value input exits 2 without connecting', async () => {
    const r = await cli(['Getvar', 'novalue', '--url', server.url()]).done;
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Key=Value/);
  });

  test('events: --event (repeatable), --filter over the wire text, --count; JSON lines', async () => {
    const run = cli([
      'events',
      '--event',
      'Hangup',
      '--event',
      'DialEnd',
      '--filter',
      'Exten: 902',
      '--count',
      '2',
      '--url',
      server.url(),
    ]);
    let exited = false;
    const done = run.done.finally(() => {
      exited = true;
    });
    // Emit until the CLI has what it wants: no timing assumptions about when it is subscribed.
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
      await new Promise((r) => setTimeout(r, 20));
    }
    const { code, stdout, stderr } = await done;
    assert.equal(stderr, '');
    assert.equal(code, 0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>);
    assert.equal(lines.length, 2);
    assert.deepEqual(lines[0], {
      Event: 'Hangup',
      Channel: 'PJSIP/c-3',
      Exten: '902',
      Cause: '16',
      'Cause-txt': 'Normal Clearing',
    });
    assert.equal(lines[1]?.Event, 'DialEnd');
  });
});
