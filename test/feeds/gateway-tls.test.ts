/** The gateway over TLS (`gateway.tls: {cert, key}` files), with this project's AmiClient on `amis://`. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AmiClient } from '../../src/ami/index.js';
import type { GatewayRoom } from '../../src/feeds/index.js';
import { FakeAmiServer } from '../../src/testing/index.js';
import { makeTestCertificate, type TestCertificate } from '../helpers/tls.js';
import { waitUntil } from '../helpers/wait.js';
import { type Harness, startHarness } from '../server/harness.js';
import { upstreamHandlers } from './gateway-kit.js';

describe('AMI gateway over TLS', () => {
  let h: Harness;
  let fake: FakeAmiServer;
  let cert: TestCertificate;

  before(async () => {
    cert = makeTestCertificate('sb-gw-');
    fake = await FakeAmiServer.start({ handlers: upstreamHandlers(() => fake) });
    h = await startHarness({
      pbx: [fake],
      config: {
        gateway: {
          enabled: true,
          port: 0,
          tls: { cert: cert.certPath, key: cert.keyPath },
          users: [{ name: 'tls', secret: 'tls-secret', read: ['call'], write: ['call', 'reporting'] }],
        },
      },
    });
    await waitUntil(() => h.server.context.pbx.links.get('pbx1')!.state === 'ready', 'upstream ready');
  });
  after(async () => {
    await h.close();
    await fake.close();
    cert.remove();
  });

  it('logs in with MD5 and forwards actions over amis://', async () => {
    const port = (h.server.context.rooms.get('gateway') as GatewayRoom).gateway!.port;
    const client = new AmiClient({
      url: `amis://tls:tls-secret@127.0.0.1:${port}`,
      md5: true,
      tls: { ca: cert.cert },
      keepalive: false,
      reconnect: false,
    });
    try {
      await client.connect();
      assert.equal((await client.action('Getvar', { Variable: 'T' })).message.get('Value'), 'v-T');
    } finally {
      await client.close();
    }
  });
});
