/** Runs the README's curl examples (between `<!-- curl-examples -->` markers) against a server on the simulated PBX. */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { type FakeAmiServer, SimulatedPbx } from '../../src/testing/index.js';
import { type Harness, PASSWORD, startHarness } from './harness.js';

const run = promisify(execFile);
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

function examples(): string[] {
  const block = /<!-- curl-examples -->\s*```sh\n([\s\S]*?)```\s*<!-- \/curl-examples -->/.exec(readme);
  assert.ok(block, 'the README has the curl examples block');
  // Join continued lines, one command per entry.
  return block[1]!
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((l) => l.trim() && !l.trim().startsWith('#'));
}

describe('README curl examples', {
  skip: spawnSync('curl', ['--version']).status !== 0 ? 'curl is not installed' : false,
}, () => {
  let sim: SimulatedPbx;
  let h: Harness;
  let token: string;
  const dir = mkdtempSync(join(tmpdir(), 'sb-readme-'));
  before(async () => {
    sim = await SimulatedPbx.start({ traffic: false });
    h = await startHarness({ pbx: [sim as unknown as FakeAmiServer] });
    await h.user('admin', 'admin', { extensions: ['reina'] });
    token = (await h.server.context.auth.createToken({ name: 'readme', account: 'admin' })).token;
    await h.server.context.pbx.monitor.ready();
  });
  after(async () => {
    await h.close();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every example exits 0 and answers JSON without an error', async () => {
    const list = examples();
    assert.ok(list.length >= 5);
    for (const cmd of list) {
      // Asynchronously: the server answering curl runs in this process.
      const r = await run('bash', ['-c', `set -euo pipefail; ${cmd}`], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, SB: h.url, TOKEN: token, PASSWORD },
      });
      const body = JSON.parse(r.stdout) as { error?: unknown };
      assert.equal(body.error, undefined, `${cmd} → ${r.stdout}`);
    }
  });
});
