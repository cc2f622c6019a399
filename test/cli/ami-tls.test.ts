import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { runAmiCommand } from '../../src/cli/ami.js';
import { FakeAmiServer } from '../../src/testing/index.js';
import { makeTestCertificate, type TestCertificate } from '../helpers/tls.js';

const root = new URL('../../', import.meta.url).pathname;
const SECRET = 'tls-s3cret-value';

describe('switchboard ami over amis:// (TLS)', () => {
  let tls: TestCertificate;
  let srv: FakeAmiServer;
  before(async () => {
    tls = makeTestCertificate('sb-ami-cli-tls-');
    srv = await FakeAmiServer.start({
      users: { admin: SECRET },
      tls: { key: tls.key, cert: tls.cert },
    });
  });
  after(async () => {
    await srv.close();
    tls.remove();
  });

  test('an untrusted certificate is refused: exit 2, one stderr line naming the cause, secret hidden', async () => {
    const url = srv.url('admin', SECRET);
    assert.match(url, /^amis:\/\//);
    let stdout = '';
    let stderr = '';
    const code = await runAmiCommand(
      'Ping',
      [],
      { url },
      {
        stdout: { write: (s: string) => (stdout += s) },
        stderr: { write: (s: string) => (stderr += s) },
        env: {},
      },
    );
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.match(stderr, /certificate/i);
    assert.ok(!stderr.includes(SECRET));
  });

  test('the binary trusts the CA given to Node (NODE_EXTRA_CA_CERTS): Ping prints JSON and exits 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'ami', 'Ping'], {
      cwd: root,
      env: {
        ...process.env,
        SWITCHBOARD_AMI_URL: srv.url('admin', SECRET),
        NODE_EXTRA_CA_CERTS: tls.certPath,
      },
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
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, stderr);
    const out = JSON.parse(stdout) as { response: Record<string, string> };
    assert.equal(out.response.Response, 'Success');
    assert.equal(out.response.Ping, 'Pong');
  });
});
