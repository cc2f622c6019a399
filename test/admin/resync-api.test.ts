/**
 * Resync and reboot over HTTP on the simulated PBX: the missing `pjsip_notify.conf` detected (`ListCommands`) and
 * answered 409 with what to fix, the fix (`CreateConfig` + `UpdateConfig` + `ModuleLoad`), then the exact
 * `PJSIPNotify` per brand with Asterisk's answer; the phone hearing the NOTIFY fetches its file (`onNotify`), which
 * lands in its fetch log. chan_sip gets `SIPnotify`. Every route refuses anonymous (401) and non-admin (403) callers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { digestAuthorization } from '../../src/admin/index.js';
import type { AmiMessage } from '../../src/ami/index.js';
import { type FakeAmiServer, type SimNotify, SimulatedPbx } from '../../src/testing/index.js';
import { waitUntil } from '../helpers/wait.js';
import { type ApiClient, type Harness, startHarness } from '../server/harness.js';
import { FakeAsteriskConfig } from './fake-asterisk-config.js';

type Created = { extension: string; mac: string; provisioning: { username: string; password: string } };

/** The phone's fetch: Digest with its provisioning credentials (challenge first), Yealink user agent. */
async function fetchWithDigest(url: string, p: Created, log: string[]): Promise<void> {
  const ua = { 'user-agent': 'Yealink SIP-T46S 66.86.0.15' };
  const first = await fetch(url, { headers: ua });
  const challenge = first.headers.get('www-authenticate') ?? '';
  const { username, password } = p.provisioning;
  const uri = new URL(url).pathname;
  const r = await fetch(url, {
    headers: {
      ...ua,
      authorization: digestAuthorization({ challenge, username, password, method: 'GET', uri }),
    },
  });
  log.push(`${r.status} ${(await r.text()).slice(0, 40)}`);
}

describe('phone resync / reboot (PJSIP, simulated PBX)', () => {
  let sim: SimulatedPbx;
  let h: Harness;
  let ana: ApiClient;
  const actions: AmiMessage[] = [];
  const heard: SimNotify[] = [];
  const fetched: string[] = [];
  const phones = new Map<string, Created>();
  const files: Record<string, string> = { '2001': '001565aa0001.cfg', '2002': '000413aa0002.cfg' };

  before(async () => {
    sim = await SimulatedPbx.start({
      withoutConfig: ['pjsip_notify.conf'],
      // The phone plays its part: on a check-sync it fetches its provisioning file with its credentials.
      onNotify: (n) => {
        heard.push(n);
        const p = phones.get(n.endpoint);
        const f = files[n.endpoint];
        if (p && f) void fetchWithDigest(`${h.url}/provisioning/${f}`, p, fetched);
      },
    });
    sim.on('action', (a) => actions.push(a));
    h = await startHarness({ pbx: [sim as unknown as FakeAmiServer] });
    await h.user('ana', 'admin');
    await h.user('ope', 'operator');
    await waitUntil(() => h.server.context.pbx.links.get('pbx1')?.state === 'ready', 'PBX link ready');
    ana = await h.login('ana');
    for (const [extension, brand, mac] of [
      ['2001', 'yealink', '00:15:65:aa:00:01'],
      ['2002', 'snom', '00:04:13:aa:00:02'],
      ['2003', 'cisco', '00:0e:08:aa:00:03'],
    ] as const) {
      const r = await ana.call('POST', '/api/v1/phones', {
        extension,
        name: `P ${extension}`,
        brand,
        mac,
        context: 'oficina2',
      });
      assert.equal(r.status, 201, r.text);
      phones.set(extension, r.body as Created);
    }
    await waitUntil(() => sim.endpoints().some((e) => e.name === '2001' && e.registered), '2001 registered');
  });
  after(async () => {
    await h.close();
    await sim.close();
  });

  it('without pjsip_notify.conf: 409 saying what to fix, and nothing sent', async () => {
    const r = await ana.call('POST', '/api/v1/phones/2001/resync');
    assert.equal(r.status, 409, r.text);
    const e = (r.body as { error: { code: string; message: string } }).error;
    assert.equal(e.code, 'ADMIN_NOTIFY_UNAVAILABLE');
    assert.match(e.message, /pjsip_notify\.conf is missing/);
    assert.match(e.message, /POST \/api\/v1\/phones\/notify-config/);
    assert.ok(!actions.some((a) => a.get('Action') === 'PJSIPNotify'));
    const st = await ana.call('GET', '/api/v1/phones/notify-config');
    assert.deepEqual(st.body, { pbx: 'pbx1', available: false });
  });

  it('POST notify-config creates the file with every brand and loads res_pjsip_notify', async () => {
    const r = await ana.call('POST', '/api/v1/phones/notify-config');
    assert.equal(r.status, 200, r.text);
    const body = r.body as {
      available: boolean;
      steps: Array<{ action: string; ok: boolean; message: string }>;
    };
    assert.equal(body.available, true);
    assert.deepEqual(
      body.steps.map((s) => [s.action, s.ok, s.message]),
      [
        ['CreateConfig', true, 'New configuration file created successfully'],
        ['UpdateConfig', true, ''],
        ['ModuleLoad', true, 'Module loaded.'],
      ],
    );
    const upd = actions.findLast((a) => a.get('Action') === 'UpdateConfig');
    assert.equal(upd?.get('Cat-000000'), 'yealink-check-cfg');
    assert.equal(upd?.get('Value-000001'), 'check-sync;reboot=false');
  });

  it("resync: Yealink's PJSIPNotify, Asterisk's answer, and the fetch that follows in the phone's log", async () => {
    const r = await ana.call('POST', '/api/v1/phones/2001/resync');
    assert.equal(r.status, 200, r.text);
    const o = r.body as Record<string, unknown>;
    assert.deepEqual(
      [o.action, o.params, o.ok, o.response, o.message],
      [
        'PJSIPNotify',
        { Endpoint: '2001', Variable: ['Event=check-sync;reboot=false'] },
        true,
        'Success',
        'NOTIFY sent',
      ],
    );
    const sent = actions.findLast((a) => a.get('Action') === 'PJSIPNotify');
    assert.deepEqual(
      [sent?.get('Endpoint'), sent?.getAll('Variable')],
      ['2001', ['Event=check-sync;reboot=false']],
    );
    await waitUntil(() => heard.some((n) => n.endpoint === '2001'), 'the phone heard it');
    let fetches: unknown[] = [];
    for (let i = 0; i < 100 && fetches.length === 0; i++) {
      fetches = (await ana.call('GET', '/api/v1/phones/2001/fetches')).body as unknown[];
      if (fetches.length === 0) await new Promise((res) => setTimeout(res, 20));
    }
    assert.ok(fetches.length >= 1, `the provisioning fetch is in the phone log (${fetched.join('; ')})`);
  });

  it('reboot: Snom check-sync;reboot=true; a brand without a known NOTIFY is refused', async () => {
    const r = await ana.call('POST', '/api/v1/phones/2002/reboot');
    assert.equal(r.status, 200, r.text);
    assert.deepEqual((r.body as { params: unknown }).params, {
      Endpoint: '2002',
      Variable: ['Event=check-sync;reboot=true'],
    });
    const c = await ana.call('POST', '/api/v1/phones/2003/resync');
    assert.equal(c.status, 400);
    assert.equal((c.body as { error: { field: string } }).error.field, 'brand');
  });

  it('all phones of a brand / model', async () => {
    const r = await ana.call('POST', '/api/v1/phones/resync', { brand: 'yealink' });
    assert.equal(r.status, 200, r.text);
    const res = (r.body as { results: Array<{ extension: string; message: string }> }).results;
    assert.deepEqual(
      res.map((x) => [x.extension, x.message]),
      [['2001', 'NOTIFY sent']],
    );
    assert.equal((await ana.call('POST', '/api/v1/phones/resync', {})).status, 400);
  });

  it('401 and 403 on every new route', async () => {
    const ope = await h.login('ope');
    const anon = h.anonymous();
    for (const [m, u] of [
      ['POST', '/api/v1/phones/2001/resync'],
      ['POST', '/api/v1/phones/2001/reboot'],
      ['POST', '/api/v1/phones/resync'],
      ['GET', '/api/v1/phones/notify-config'],
      ['POST', '/api/v1/phones/notify-config'],
    ] as const) {
      assert.equal((await anon.call(m, u, m === 'POST' ? { brand: 'yealink' } : undefined)).status, 401, u);
      assert.equal((await ope.call(m, u, m === 'POST' ? { brand: 'yealink' } : undefined)).status, 403, u);
    }
  });
});

describe('phone resync on chan_sip', () => {
  it('sends SIPnotify with the brand event and returns what Asterisk answered', async () => {
    const fake = await FakeAsteriskConfig.start({ driver: 'chan_sip' });
    const h = await startHarness({ pbx: [fake.server] });
    try {
      await h.user('ana', 'admin');
      await waitUntil(() => h.server.context.pbx.links.get('pbx1')?.state === 'ready', 'PBX link ready');
      const ana = await h.login('ana');
      const c = await ana.call('POST', '/api/v1/phones', {
        extension: '3001',
        name: 'Sip',
        brand: 'polycom',
      });
      assert.equal(c.status, 201, c.text);
      const r = await ana.call('POST', '/api/v1/phones/3001/resync');
      assert.equal(r.status, 200, r.text);
      const sent = fake.server.actions.findLast((a) => a.get('Action') === 'SIPnotify');
      assert.deepEqual([sent?.get('Channel'), sent?.getAll('Variable')], ['3001', ['Event=check-sync']]);
      const o = r.body as { action: string; ok: boolean; message: string };
      assert.equal(o.action, 'SIPnotify');
      // This fake does not know SIPnotify: its manager error is returned as is.
      assert.deepEqual(
        [o.ok, o.message],
        [false, 'Invalid/unknown command: SIPnotify. Use Action: ListCommands to show available commands.'],
      );
    } finally {
      await h.close();
      await fake.close();
    }
  });
});
