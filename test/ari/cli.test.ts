/**
 * `switchboard ari …` against the fake server: spawned as a real process (`node --import tsx src/cli/main.ts ari …`)
 * for each exit status and the events stream, and in-process (same code, captured output) for the other cases so
 * the file stays fast.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { type AriCliOptions, runAriCommand } from '../../src/cli/ari.js';
import {
  FakeAriPbx,
  FakeAriServer,
  fakeChannel,
  fakeEvent,
  loadAriRestFixture,
} from '../../src/testing/index.js';

const SECRET = 'Cli-S3cret';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(
  args: string[],
  env: Record<string, string> = {},
  onStdout?: (text: string) => void,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'ari', ...args], {
      env: { ...process.env, SWITCHBOARD_ARI_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
      onStdout?.(stdout);
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function runIn(
  method: string,
  path: string | undefined,
  words: string[],
  opts: AriCliOptions,
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runAriCommand(method, path, words, opts, {
    out: (t) => {
      stdout += t;
    },
    err: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}

describe('switchboard ari (CLI)', () => {
  let server: FakeAriServer;
  let url: string;
  before(async () => {
    server = await new FakeAriServer({ username: 'cli', password: SECRET }).listen();
    url = server.url;
  });
  after(() => server.close());

  test('GET prints the JSON reply (replayed from the real asterisk/info) and exits 0', async () => {
    const info = loadAriRestFixture('test/fixtures/asterisk/ari/rest-rest-basics.jsonl')[0]!;
    server.replayRest([info]);
    const r = await runCli(['GET', '/asterisk/info', '--url', url]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), JSON.parse(info.responseBody));
    assert.equal(r.stderr, '');
  });

  test('POST with key=value and variables.* from SWITCHBOARD_ARI_URL', async () => {
    const off = server.route('POST', '/channels', (req) => ({
      status: 200,
      body: { query: req.query, body: req.body },
    }));
    try {
      const r = await runCli(
        [
          'POST',
          'channels',
          'endpoint=PJSIP/alice',
          'app=ivr',
          'appArgs=a,b',
          'variables.CAMPAIGN=spring sale',
        ],
        { SWITCHBOARD_ARI_URL: url },
      );
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), {
        query: { endpoint: 'PJSIP/alice', app: 'ivr', appArgs: 'a,b' },
        body: { variables: { CAMPAIGN: 'spring sale' } },
      });
    } finally {
      off();
    }
  });

  test('204 prints nothing; an error response exits 1 with one stderr line', async () => {
    const pbx = new FakeAriPbx(server);
    try {
      const id = pbx.startCall('nobody');
      const ok = await runIn('POST', `/channels/${id}/answer`, [], { url });
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal(ok.stdout, '');
      const missing = await runCli(['DELETE', '/channels/no-such-channel', '--url', url]);
      assert.equal(missing.code, 1);
      assert.equal(missing.stdout, '');
      assert.equal(missing.stderr.trim().split('\n').length, 1);
      assert.match(missing.stderr, /404 Not Found: Channel not found \[ARI_NOT_FOUND\]/);
    } finally {
      pbx.close();
    }
  });

  test('a wrong password exits 2 and never prints it', async () => {
    const bad = url.replace(SECRET, 'Wr0ng-Pa55');
    const r = await runCli(['GET', '/asterisk/info', '--url', bad]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /401 Unauthorized: Authentication required/);
    assert.ok(!r.stderr.includes('Wr0ng-Pa55') && !r.stderr.includes(SECRET));
    const ev = await runIn('events', undefined, [], { app: ['x'], url: bad });
    assert.equal(ev.code, 2);
    assert.match(ev.stderr, /ARI_UNAUTHORIZED/);
    assert.ok(!ev.stderr.includes('Wr0ng-Pa55'));
  });

  test('connection refused exits 2 naming the address; no URL exits 2', async () => {
    const gone = await new FakeAriServer({ username: 'cli', password: SECRET }).listen();
    const deadUrl = gone.url;
    await gone.close();
    const r = await runIn('GET', '/asterisk/ping', [], { url: deadUrl });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /ECONNREFUSED/);
    assert.ok(r.stderr.includes(`127.0.0.1:${gone.port}`));
    assert.ok(!r.stderr.includes(SECRET));
    const signalListeners = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    const ev = await runIn('events', undefined, [], { url: deadUrl, app: ['a'] });
    assert.equal(ev.code, 2);
    assert.match(ev.stderr, /ECONNREFUSED/);
    assert.ok(!ev.stderr.includes(SECRET));
    assert.deepEqual(
      [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')],
      signalListeners,
      'a failed events connect leaves no signal listener behind',
    );
    const none = await runIn('GET', '/asterisk/ping', [], {});
    assert.equal(none.code, 2);
    assert.match(none.stderr, /SWITCHBOARD_ARI_URL/);
    const badMethod = await runIn('PATCH', '/x', [], { url });
    assert.equal(badMethod.code, 2);
    const noApp = await runIn('events', undefined, [], { url });
    assert.equal(noApp.code, 2);
    assert.match(noApp.stderr, /--app/);
  });

  test('events: a dropped link is reconnected and the gap is reported on stderr; events go on', async () => {
    const first = server.waitForConnection(server.acceptedConnections.length + 1);
    const run = runIn('events', undefined, [], { url, app: ['gapper'], count: '2' });
    await first;
    server.send(
      fakeEvent('ChannelDtmfReceived', 'gapper', { digit: '1', duration_ms: 80, channel: fakeChannel('g1') }),
    );
    const second = server.waitForConnection(server.acceptedConnections.length + 1);
    await new Promise((r) => setTimeout(r, 20));
    server.dropConnections();
    const conn = await second;
    assert.deepEqual(conn.apps, ['gapper']);
    await new Promise((r) => setTimeout(r, 20));
    server.send(
      fakeEvent('ChannelDtmfReceived', 'gapper', { digit: '2', duration_ms: 80, channel: fakeChannel('g1') }),
    );
    const r = await run;
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { digit: string }).digit),
      ['1', '2'],
    );
    assert.match(r.stderr, /^switchboard ari: reconnected; events may have been missed for \d+ ms/);
    assert.doesNotMatch(r.stderr, new RegExp(SECRET));
  });

  test('events --no-reconnect: a dropped link ends the command with exit 2 after the events already printed', async () => {
    const first = server.waitForConnection(server.acceptedConnections.length + 1);
    const run = runIn('events', undefined, [], { url, app: ['once'], reconnect: false });
    await first;
    server.send(
      fakeEvent('ChannelDtmfReceived', 'once', { digit: '5', duration_ms: 80, channel: fakeChannel('o1') }),
    );
    await new Promise((r) => setTimeout(r, 20));
    server.dropConnections();
    const r = await run;
    assert.equal(r.code, 2);
    assert.equal((JSON.parse(r.stdout.trim()) as { digit: string }).digit, '5');
    assert.match(r.stderr, /^switchboard ari: events connection to Asterisk closed\n$/);
  });

  test('events --app … prints each event as one JSON line, in order', async () => {
    const expected = Array.from({ length: 20 }, (_, i) =>
      fakeEvent('ChannelDtmfReceived', i % 2 ? 'b' : 'a', {
        digit: String(i % 10),
        duration_ms: 100,
        channel: fakeChannel('c1'),
      }),
    );
    const connected = server.waitForConnection(server.acceptedConnections.length + 1);
    const run = runCli(['events', '--app', 'a', '--app', 'b', '--count', '21', '--url', url]);
    const conn = await connected;
    assert.deepEqual(conn.apps, ['a', 'b']);
    for (const e of expected) server.send(e);
    server.send('{"type":"SomethingNew","application":"a","extra":[1,2]}');
    const r = await run;
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines.slice(0, 20), expected);
    assert.equal(lines[20]?.type, 'SomethingNew');
    assert.deepEqual(lines[20]?.extra, [1, 2]);
  });
});
