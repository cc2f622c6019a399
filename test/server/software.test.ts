/** `GET /api/v1/software`: each PBX's versions, uptime, reload and channel drivers; admins only. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type FakeAmiServer, SimulatedPbx } from '../../src/testing/index.js';
import { type Harness, startHarness } from './harness.js';

describe('software facts', () => {
  let sim: SimulatedPbx;
  let h: Harness;
  before(async () => {
    sim = await SimulatedPbx.start({ traffic: false });
    h = await startHarness({ pbx: [sim as unknown as FakeAmiServer] });
    await h.user('ana', 'admin');
    await h.user('sup', 'supervisor');
    await h.server.context.pbx.monitor.ready();
  });
  after(async () => {
    await h.close();
    await sim.close();
  });

  it('answers versions, uptime and drivers from CoreSettings, CoreStatus and ListCommands', async () => {
    const r = await (await h.login('ana')).call('GET', '/api/v1/software');
    assert.equal(r.status, 200, r.text);
    assert.match(r.body.switchboard.version, /^\d+\.\d+\.\d+/);
    const p = r.body.pbx[0];
    assert.equal(p.connected, true);
    assert.equal(typeof p.asteriskVersion, 'string');
    assert.match(p.amiVersion, /^\d+\.\d+\.\d+$/);
    assert.match(p.startedAt, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    assert.ok(p.channelDrivers.includes('chan_pjsip'), JSON.stringify(p.channelDrivers));
  });

  it('is for admins: 401 without credentials, 403 for a supervisor', async () => {
    assert.equal((await h.anonymous().call('GET', '/api/v1/software')).status, 401);
    assert.equal((await (await h.login('sup')).call('GET', '/api/v1/software')).status, 403);
  });
});
