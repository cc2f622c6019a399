import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { AmiClient, type AmiError } from '../../src/ami/index.js';
import { FakeAmiServer } from '../../src/testing/index.js';

const turn = () => new Promise((r) => setImmediate(r));

test('default deadlines: an action gives up after 10 s, an originate waits 60 s for its OriginateResponse', async () => {
  const srv = await FakeAmiServer.start();
  srv.handle('Silent', () => null);
  srv.handle('Originate', () => ({ Message: 'Originate successfully queued' }));
  const c = new AmiClient({ url: srv.url(), keepalive: false, reconnect: false });
  await c.connect();
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: Date.now() });
  try {
    let action: string | undefined;
    c.action('Silent').then(
      () => (action = 'resolved'),
      (e: AmiError) => (action = e.code),
    );
    let call: string | undefined;
    c.originate({ Channel: 'Local/1@x', Application: 'Wait', Data: '1' }).then(
      () => (call = 'resolved'),
      (e: AmiError) => (call = e.code),
    );
    // Let the Originate's own reply arrive (real I/O) so only its OriginateResponse wait remains.
    for (let i = 0; i < 10_000 && c.inFlight > 1; i++) await turn();
    assert.equal(c.inFlight, 1, 'only Silent still waits for its reply');
    mock.timers.tick(9_999);
    await turn();
    assert.equal(action, undefined);
    mock.timers.tick(1);
    await turn();
    assert.equal(action, 'AMI_TIMEOUT');
    mock.timers.tick(49_999 - 10_000);
    await turn();
    assert.equal(call, undefined);
    mock.timers.tick(10_001);
    for (let i = 0; i < 5; i++) await turn();
    assert.equal(call, 'AMI_TIMEOUT');
  } finally {
    mock.timers.reset();
  }
  await c.close();
  await srv.close();
});
