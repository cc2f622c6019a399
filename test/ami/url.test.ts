import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AmiUrlError, parseAmiUrl } from '../../src/ami/index.js';

describe('parseAmiUrl', () => {
  test('schemes, default ports, AJAM path, secrets kept apart', () => {
    const tcp = parseAmiUrl('ami://admin:s%40cret@pbx.example:6038');
    assert.equal(tcp.endpoint.transport, 'tcp');
    assert.equal(tcp.endpoint.port, 6038);
    assert.equal(tcp.endpoint.username, 'admin');
    assert.equal(tcp.secret, 's@cret');
    assert.equal(tcp.endpoint.display, 'ami://admin@pbx.example:6038');
    assert.ok(!JSON.stringify(tcp.endpoint).includes('cret'));
    assert.equal(parseAmiUrl('ami://a:b@h').endpoint.port, 5038);
    assert.equal(parseAmiUrl('amis://a:b@h').endpoint.port, 5039);
    assert.equal(parseAmiUrl('amis://a:b@h').endpoint.transport, 'tls');
    const http = parseAmiUrl('http://web:pw@127.0.0.1:8088/asterisk/');
    assert.equal(http.endpoint.transport, 'http');
    assert.equal(http.endpoint.path, '/asterisk/rawman');
    assert.equal(http.endpoint.display, 'http://web@127.0.0.1:8088/asterisk/rawman');
    assert.equal(parseAmiUrl('http://a:b@h').endpoint.path, '/rawman');
    assert.equal(parseAmiUrl('https://a:b@h/x/rawman').endpoint.path, '/x/rawman');
    assert.equal(parseAmiUrl('https://a:b@h').endpoint.port, 8089);
    assert.equal(parseAmiUrl('ami://a:b@[::1]:5038').endpoint.host, '::1');
  });

  test('unusable URLs give AMI_INVALID_URL without echoing the secret', () => {
    for (const url of ['not a url', 'ftp://a:topsecret@h', 'ami://h:5038', 'ami://:topsecret@h']) {
      assert.throws(
        () => parseAmiUrl(url),
        (e: unknown) =>
          e instanceof AmiUrlError && e.code === 'AMI_INVALID_URL' && !e.message.includes('topsecret'),
      );
    }
  });
});
