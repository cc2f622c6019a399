import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AmiClient } from '../../src/ami/index.js';
import { FakeAmiServer } from '../../src/testing/index.js';

describe('AmiClient over TLS (amis://) with a certificate made by the test', () => {
  let dir: string;
  let cert: string;
  let srv: FakeAmiServer;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-ami-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    srv = await FakeAmiServer.start({ tls: { key: readFileSync(join(dir, 'key.pem')), cert } });
  });
  after(async () => {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the url is amis:// and certificate verification is on by default', async () => {
    assert.match(srv.url(), /^amis:\/\//);
    const c = new AmiClient({ url: srv.url(), keepalive: false });
    await assert.rejects(c.connect(), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'AMI_CONNECT_FAILED');
      assert.match(e.message, /certificate/i);
      assert.ok(!e.message.includes('secret'));
      return true;
    });
  });

  test('with the CA given, login and actions work', async () => {
    const c = new AmiClient({ url: srv.url(), keepalive: false, tls: { ca: cert } });
    await c.connect();
    assert.equal((await c.action('Ping')).message.get('Ping'), 'Pong');
    await c.close();
  });

  test('verification can be turned off explicitly', async () => {
    const c = new AmiClient({ url: srv.url(), keepalive: false, tls: { rejectUnauthorized: false } });
    await c.connect();
    assert.equal(c.state, 'ready');
    await c.close();
  });
});
