/** `/metrics`: Prometheus text for an allowed address or the metrics token; refused otherwise; secrets never in it. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Harness, startHarness } from './harness.js';

const TOKEN = 'metrics-token-0123456789';

describe('/metrics', () => {
  let open: Harness;
  let closed: Harness;
  before(async () => {
    open = await startHarness();
    closed = await startHarness({ config: { metrics: { token: TOKEN, allow: [] } } });
  });
  after(async () => {
    await open.close();
    await closed.close();
  });

  it('answers Prometheus text to an allowed address (loopback by default) with the server’s series', async () => {
    await open.anonymous().call('GET', '/api/v1/health');
    const r = await fetch(`${open.url}/metrics`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await r.text();
    for (const series of [
      'switchboard_http_requests_total',
      'switchboard_ami_connected{pbx="pbx1"} 1',
      'switchboard_ami_events_total',
      'switchboard_live_calls{pbx="pbx1"}',
      'switchboard_websocket_clients',
      'switchboard_history_writes_total',
    ]) {
      assert.ok(text.includes(series), series);
    }
    assert.ok(!text.includes('secret'), 'no AMI secret in the metrics');
  });

  it('without an allowed address: 401 with no credentials or a wrong token, 200 with the metrics token', async () => {
    assert.equal((await fetch(`${closed.url}/metrics`)).status, 401);
    assert.equal(
      (await fetch(`${closed.url}/metrics`, { headers: { authorization: 'Bearer nope' } })).status,
      401,
    );
    const ok = await fetch(`${closed.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(ok.status, 200);
  });
});
