/**
 * Trunks over HTTP: the recorded trunk transcript (`asterisk/ami/pjsip-trunk-registration`) replayed to the server
 * — the list, unregister/register by an operator (viewers refused), `trunk` messages on the live WebSocket, and
 * the state history with its outage.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { AmiTranscriptReplay, FakeAmiServer } from '../../src/testing/index.js';
import { waitUntil } from '../helpers/wait.js';
import { type ApiClient, type Harness, startHarness } from './harness.js';

const fixture = new URL('../fixtures/asterisk/ami/pjsip-trunk-registration.jsonl', import.meta.url).pathname;
const REG = 'pbx1/pjsip-registration/trunk13-reg';

describe('trunks over HTTP (recorded trunk registration)', () => {
  let h: Harness;
  let op: ApiClient;
  before(async () => {
    const fake = await FakeAmiServer.start({
      replay: AmiTranscriptReplay.fromJsonl(readFileSync(fixture, 'utf8')),
    });
    h = await startHarness({ pbx: [fake] });
    await h.user('op', 'operator');
    await h.user('vic', 'viewer');
    op = await h.login('op');
    await h.server.context.pbx.monitor.ready();
  });
  after(async () => {
    await h.close();
    await h.ami[0]!.close();
  });

  it('lists the trunk with its state; viewers may read but not register; anonymous gets 401', async () => {
    const list = await op.call('GET', '/api/v1/trunks');
    assert.equal(list.status, 200);
    const t = list.body.find((x: { id: string }) => x.id === REG);
    assert.equal(t.kind, 'pjsip-registration');
    assert.equal(t.state, 'registered');
    assert.ok(!list.text.includes('secret'));
    assert.equal((await h.anonymous().call('GET', '/api/v1/trunks')).status, 401);
    const vic = await h.login('vic');
    assert.equal((await vic.call('GET', `/api/v1/trunks/${encodeURIComponent(REG)}`)).status, 200);
    assert.equal((await vic.call('POST', `/api/v1/trunks/${encodeURIComponent(REG)}/register`)).status, 403);
    assert.equal((await op.call('GET', '/api/v1/trunks/nope')).status, 404);
  });

  it('unregister then register: trunk messages on /api/v1/live, and the history keeps the outage', async () => {
    const headers = (await h.token('op')).headers;
    const ws = new WebSocket(`${h.url.replace('http', 'ws')}/api/v1/live`, { headers });
    const states: string[] = [];
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as { type: string; change?: { data: { state: string } } };
      if (m.type === 'trunk') states.push(m.change!.data.state);
    });
    await new Promise((r) => ws.on('open', r));
    const un = await op.call('POST', `/api/v1/trunks/${encodeURIComponent(REG)}/unregister`);
    assert.equal(un.status, 200, un.text);
    await waitUntil(() => states.includes('unregistered'), 'unregistered on the live socket');
    const re = await op.call('POST', `/api/v1/trunks/${encodeURIComponent(REG)}/register`);
    assert.equal(re.status, 200, re.text);
    await waitUntil(() => states.includes('rejected'), 'rejected (the far end was down when recorded)');
    assert.ok(states.indexOf('registering') < states.indexOf('rejected'));
    ws.close();
    // The recorder flushes every second; close() flushes too.
    await (h.server.context.rooms.get('trunks') as { recorder: { flush(): Promise<void> } }).recorder.flush();
    const hist = await op.call('GET', `/api/v1/trunks/${encodeURIComponent(REG)}/history`);
    assert.equal(hist.status, 200);
    const to = hist.body.changes.map((c: { to: string }) => c.to);
    assert.deepEqual(to.slice(0, 4), ['registered', 'unregistered', 'registering', 'rejected']);
    assert.ok(hist.body.outages.length >= 1);
  });
});
