import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AmiClient } from '../../src/ami/index.js';
import { FakeAmiServer } from '../../src/testing/index.js';
import { makeTestCertificate, type TestCertificate } from '../helpers/tls.js';

describe('AmiClient over TLS (amis://) with a certificate made by the test', () => {
  let tls: TestCertificate;
  let cert: string;
  let srv: FakeAmiServer;
  before(async () => {
    tls = makeTestCertificate('sb-ami-tls-');
    cert = tls.cert;
    srv = await FakeAmiServer.start({ tls: { key: tls.key, cert } });
  });
  after(async () => {
    await srv.close();
    tls.remove();
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
