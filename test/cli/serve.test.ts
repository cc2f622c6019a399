/**
 * `switchboard serve` as a real process: the demo (what `npm start` runs) on a temporary directory — calls appear
 * within 10 s and the printed demo login works — SIGTERM stops it cleanly; `users`/`tokens` on the same database;
 * config errors name the key and the file line.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../src/server/config.js';

const root = new URL('../..', import.meta.url).pathname;
const main = join(root, 'src/cli/main.ts');
const tsx = join(root, 'node_modules/tsx/dist/esm/index.mjs');
const run = (args: string[], cwd: string, input?: string) =>
  spawnSync(process.execPath, ['--import', tsx, main, ...args], {
    cwd,
    input,
    encoding: 'utf8',
    env: { ...process.env, SWITCHBOARD_LOG_LEVEL: 'warn' },
  });

describe('switchboard serve', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-serve-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--demo runs the whole platform: the printed login works and simulated calls appear within 10 s', async () => {
    const child: ChildProcess = spawn(
      process.execPath,
      ['--import', tsx, main, 'serve', '--demo', '--port', '0'],
      {
        cwd: dir,
        env: { ...process.env, SWITCHBOARD_LOG_LEVEL: 'warn' },
      },
    );
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no ready line: ${out}`)), 30_000);
        child.stdout!.on('data', () => {
          const m = /^Switchboard is running at .*$/m.exec(out);
          if (m) {
            clearTimeout(t);
            resolve(m[0]);
          }
        });
      });
      const m =
        /^Switchboard is running at (http:\/\/127\.0\.0\.1:\d+\/) \(simulated PBX\) — demo login: admin \/ (\S+)$/.exec(
          line,
        );
      assert.ok(m, line);
      const [, url, password] = m;
      const login = await fetch(`${url}api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password }),
      });
      assert.equal(login.status, 200);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
      const pbx = (await (await fetch(`${url}api/v1/pbx`, { headers: { cookie } })).json()) as {
        simulated: boolean;
      }[];
      assert.equal(pbx[0]?.simulated, true);
      const deadline = Date.now() + 10_000;
      let seen = 0;
      while (Date.now() < deadline && seen === 0) {
        const calls = (await (
          await fetch(`${url}api/v1/calls`, { headers: { cookie } })
        ).json()) as unknown[];
        seen = calls.length;
        if (!seen) await new Promise((r) => setTimeout(r, 250));
      }
      assert.ok(seen > 0, 'a simulated call within 10 s');
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      assert.match(out, /stopping/);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('users and tokens work on the same database; the token is printed alone on stdout', () => {
    const db = join(dir, 'cli.sqlite');
    const add = run(
      ['users', 'add', 'ana', '--role', 'admin', '--extension', '201', '--password-stdin', '--db', db],
      dir,
      'a-long-password\n',
    );
    assert.equal(add.status, 0, add.stderr);
    const list = run(['users', 'list', '--json', '--db', db], dir);
    assert.equal(JSON.parse(list.stdout)[0].name, 'ana');
    assert.ok(!list.stdout.includes('a-long-password'));
    const tok = run(['tokens', 'create', 'crm', '--user', 'ana', '--expires', '30', '--db', db], dir);
    assert.equal(tok.status, 0, tok.stderr);
    assert.match(tok.stdout, /^sbt_[A-Za-z0-9_-]+\n$/);
    const tl = run(['tokens', 'list', '--db', db], dir);
    assert.ok(!tl.stdout.includes(tok.stdout.trim()));
    assert.match(tl.stdout, /crm/);
    const bad = run(['users', 'add', 'bob', '--role', 'king', '--password-stdin', '--db', db], dir, 'x\n');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--role/);
  });

  it('a bad config file is refused naming the key and its line, never the value', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'http:\n  port: 80800\npbx:\n  - ami: ami://u:topsecret@127.0.0.1:5038\n    clickToDial:\n      timeout: 1\n',
    );
    assert.throws(
      () => loadConfig({ file, env: {} }),
      (err: Error & { problems?: string[] }) => {
        assert.match(err.message, /bad\.yaml:2: http\.port/);
        assert.match(err.message, /bad\.yaml:6: pbx\.0\.clickToDial\.timeout/);
        assert.ok(!err.message.includes('topsecret'));
        return true;
      },
    );
    const r = run(['serve', '--config', file], dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /http\.port/);
  });

  it('environment variables override the file, flags override both', () => {
    const file = join(dir, 'ok.yaml');
    writeFileSync(file, 'http:\n  port: 9000\nhistory:\n  retentionDays: 30\n');
    const c = loadConfig({
      file,
      env: { SWITCHBOARD_PORT: '9100', SWITCHBOARD_HISTORY__RETENTION_DAYS: '7' },
      flags: { http: { port: 9200 } },
    });
    assert.equal(c.http.port, 9200);
    assert.equal(c.history.retentionDays, 7);
    const d = loadConfig({ file, env: { SWITCHBOARD_PORT: '9100' } });
    assert.equal(d.http.port, 9100);
  });
});
