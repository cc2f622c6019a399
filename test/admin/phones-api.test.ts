/**
 * `/api/v1/phones` over a real server on 127.0.0.1 with a fake PJSIP Asterisk scripted like the recording:
 * create/patch/rotate/delete produce the recorded actions with the generated secret, refusals roll back,
 * existing endpoints import as not managed (and are never rewritten), secrets never appear in lists or the
 * audit log, every route answers 401/403.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitUntil } from '../helpers/wait.js';
import { type Harness, startHarness } from '../server/harness.js';
import { FakeAsteriskConfig, recordedActions } from './fake-asterisk-config.js';

const WIZARD = 'test/fixtures/asterisk/ami/sip-provision-wizard.jsonl';
const CONFIG_ACTIONS = ['CreateConfig', 'UpdateConfig', 'GetConfig', 'Reload', 'PJSIPShowEndpoint'];
const ELIO = {
  extension: '2001',
  name: 'Elio Rojano',
  brand: 'yealink',
  model: 'T46S',
  mac: '00:15:65:AB:CD:EF',
  context: 'oficina2',
  language: 'es',
};

describe('phones API (PJSIP)', () => {
  let fake: FakeAsteriskConfig;
  let h: Harness;
  /** Every secret and provisioning password shown, to look for in the audit log. */
  const shown: string[] = [];
  before(async () => {
    fake = await FakeAsteriskConfig.start({ driver: 'pjsip', existing: ['alonso', 'manuel', 'reina'] });
    h = await startHarness({ pbx: [fake.server], config: { phones: { codecs: ['ulaw', 'alaw'] } } });
    await h.user('ana', 'admin');
    await h.user('vic', 'viewer');
    await waitUntil(() => h.server.context.pbx.links.get('pbx1')?.state === 'ready', 'PBX link ready');
  });
  after(async () => {
    await h.close();
    await fake.close();
  });

  it('creates a phone: 201 with the secret once, and exactly the recorded actions with that secret', async () => {
    const ana = await h.login('ana');
    const r = await ana.call('POST', '/api/v1/phones', ELIO);
    assert.equal(r.status, 201, r.text);
    assert.match(r.body.secret, /^[A-Za-z0-9]{20}$/);
    shown.push(r.body.secret, r.body.provisioning.password);
    assert.equal(r.body.mac, '001565abcdef');
    assert.equal(r.body.managed, true);
    assert.match(r.body.provisioning.username, /^ph[a-z0-9]{10}$/);
    assert.match(r.body.provisioning.password, /^[A-Za-z0-9]{20}$/);
    assert.match(r.body.provisioning.url, /^http:\/\/127\.0\.0\.1:\d+\/provisioning$/);
    assert.equal(r.body.asterisk.verified, true);
    const expected = recordedActions(WIZARD, CONFIG_ACTIONS)
      .slice(0, 6)
      .map((a) => a.map(([k, v]) => [k, v === 'Xq7pK2vR9mTz' ? r.body.secret : v]));
    assert.deepEqual(fake.received(CONFIG_ACTIONS), expected);
    assert.deepEqual(fake.category('pjsip_wizard.conf', '2001')?.[5], [
      'inbound_auth/password',
      r.body.secret,
    ]);
  });

  it('lists and shows phones without secrets; a viewer may read, not write', async () => {
    const vic = await h.login('vic');
    const list = await vic.call('GET', '/api/v1/phones');
    assert.equal(list.status, 200);
    assert.equal(list.body.length, 1);
    const secret = fake.category('pjsip_wizard.conf', '2001')![5]![1];
    assert.ok(!list.text.includes(secret));
    assert.ok(!/secret|password|ha1/i.test(Object.keys(list.body[0]).join(',')));
    const one = await vic.call('GET', '/api/v1/phones/2001');
    assert.equal(one.status, 200);
    assert.ok(!one.text.includes(secret));
    assert.equal((await vic.call('POST', '/api/v1/phones', { ...ELIO, extension: '2009' })).status, 403);
    assert.equal((await vic.call('DELETE', '/api/v1/phones/2001')).status, 403);
  });

  it('shows live status from the live model (registered, contacts)', async () => {
    fake.server.emit({
      Event: 'ContactStatus',
      Privilege: 'system,all',
      URI: 'sip:2001@127.0.0.1:5090',
      ContactStatus: 'NonQualified',
      AOR: '2001',
      EndpointName: '2001',
    });
    const ana = await h.login('ana');
    let body: { status: { registered: boolean; contacts: string[] } } | undefined;
    await waitUntil(() => {
      void ana.call('GET', '/api/v1/phones/2001').then((r) => {
        body = r.body;
      });
      return body?.status.registered === true;
    }, 'phone registered');
    assert.deepEqual(body?.status.contacts, ['sip:2001@127.0.0.1:5090']);
  });

  it('PATCH rewrites the category we own (EmptyCat + Appends), read back and reloaded', async () => {
    const ana = await h.login('ana');
    const r = await ana.call('PATCH', '/api/v1/phones/2001', { name: 'Elio R.', codecs: ['g722'] });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.name, 'Elio R.');
    assert.deepEqual(
      r.body.asterisk.steps.map((s: { action: string }) => s.action),
      [
        'UpdateConfig',
        'GetConfig',
        'Reload res_pjsip_config_wizard.so',
        'Reload res_pjsip.so',
        'PJSIPShowEndpoint',
      ],
    );
    const vars = new Map(fake.category('pjsip_wizard.conf', '2001'));
    assert.equal(vars.get('endpoint/callerid'), '"Elio R." <2001>');
    assert.equal(vars.get('endpoint/allow'), 'g722');
  });

  it('rotate-secret writes a new secret and shows it once', async () => {
    const ana = await h.login('ana');
    const old = fake.category('pjsip_wizard.conf', '2001')![5]![1];
    const r = await ana.call('POST', '/api/v1/phones/2001/rotate-secret');
    assert.equal(r.status, 200, r.text);
    assert.notEqual(r.body.secret, old);
    shown.push(r.body.secret, r.body.provisioning.password);
    assert.deepEqual(fake.category('pjsip_wizard.conf', '2001')![5], [
      'inbound_auth/password',
      r.body.secret,
    ]);
  });

  it('a refused UpdateConfig answers 502 with Asterisk’s message and leaves no phone behind', async () => {
    const ana = await h.login('ana');
    fake.refuseUpdate = 'Save of config failed';
    const r = await ana.call('POST', '/api/v1/phones', { ...ELIO, extension: '2002', mac: '001565000002' });
    assert.equal(r.status, 502);
    assert.equal(r.body.error.code, 'ADMIN_PBX_REFUSED');
    assert.match(r.body.error.message, /Save of config failed/);
    assert.equal((await ana.call('GET', '/api/v1/phones/2002')).status, 404);
    assert.equal(fake.category('pjsip_wizard.conf', '2002'), undefined);
  });

  it('a failed read-back answers 502 and removes what was written', async () => {
    const ana = await h.login('ana');
    fake.tamperGetConfig = true;
    const r = await ana.call('POST', '/api/v1/phones', { ...ELIO, extension: '2003', mac: '001565000003' });
    assert.equal(r.status, 502);
    assert.equal(r.body.error.code, 'ADMIN_VERIFY_FAILED');
    assert.equal((await ana.call('GET', '/api/v1/phones/2003')).status, 404);
    assert.equal(fake.category('pjsip_wizard.conf', '2003'), undefined);
  });

  it('refuses an extension Asterisk already has (409) and bad input (400 naming the field)', async () => {
    const ana = await h.login('ana');
    const taken = await ana.call('POST', '/api/v1/phones', {
      ...ELIO,
      extension: 'alonso',
      mac: '001565000004',
    });
    assert.equal(taken.status, 409);
    const mac = await ana.call('POST', '/api/v1/phones', { ...ELIO, extension: '2010', mac: 'zz:zz' });
    assert.equal(mac.status, 400);
    assert.equal(mac.body.error.field, 'mac');
    const name = await ana.call('POST', '/api/v1/phones', { ...ELIO, extension: '2010', name: 'a\r\nb' });
    assert.equal(name.status, 400);
    assert.equal(name.body.error.field, 'body.name');
  });

  it('imports existing endpoints as not managed and never rewrites them', async () => {
    const ana = await h.login('ana');
    const r = await ana.call('POST', '/api/v1/phones/import');
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(
      r.body.imported.map((p: { extension: string }) => p.extension),
      ['alonso', 'manuel', 'reina'],
    );
    assert.ok(r.body.imported.every((p: { managed: boolean }) => !p.managed));
    assert.deepEqual(r.body.skipped, ['2001']);
    const before = fake.server.actions.length;
    const patch = await ana.call('PATCH', '/api/v1/phones/alonso', { name: 'Alonso' });
    assert.equal(patch.status, 409);
    assert.equal(patch.body.error.code, 'ADMIN_NOT_MANAGED');
    assert.equal((await ana.call('POST', '/api/v1/phones/alonso/rotate-secret')).status, 409);
    const del = await ana.call('DELETE', '/api/v1/phones/alonso');
    assert.equal(del.status, 200);
    const sent = fake.server.actions.slice(before).map((a) => a.get('Action'));
    assert.ok(!sent.includes('UpdateConfig'), `no UpdateConfig for imported phones: ${sent.join(',')}`);
    assert.ok(fake.endpoints.has('alonso'));
  });

  it('DELETE removes our category (DelCat with the wizard reload) and Asterisk forgets the endpoint', async () => {
    const ana = await h.login('ana');
    const before = fake.server.actions.length;
    const r = await ana.call('DELETE', '/api/v1/phones/2001');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.asterisk.endpointFound, false);
    const sent = fake.server.actions
      .slice(before)
      .filter((a) => CONFIG_ACTIONS.includes(a.get('Action') ?? ''))
      .map((a) => a.headers.filter(([k]) => k !== 'ActionID'));
    assert.deepEqual(sent, recordedActions(WIZARD, CONFIG_ACTIONS).slice(6));
    assert.equal(fake.endpoints.has('2001'), false);
  });

  it('the audit log has every write, never a secret', async () => {
    await h.server.context.audit.flush();
    const ana = await h.login('ana');
    const r = await ana.call('GET', '/api/v1/audit?limit=100');
    assert.equal(r.status, 200);
    assert.match(r.text, /POST \/api\/v1\/phones/);
    assert.match(r.text, /UpdateConfig=ok/);
    assert.equal(shown.length, 4);
    for (const secret of shown) assert.ok(!r.text.includes(secret));
  });

  it('every phone route answers 401 without credentials', async () => {
    const anon = h.anonymous();
    for (const [m, p] of [
      ['GET', '/api/v1/phones'],
      ['POST', '/api/v1/phones'],
      ['POST', '/api/v1/phones/import'],
      ['GET', '/api/v1/phones/2001'],
      ['PATCH', '/api/v1/phones/2001'],
      ['DELETE', '/api/v1/phones/2001'],
      ['POST', '/api/v1/phones/2001/rotate-secret'],
      ['GET', '/api/v1/phones/2001/fetches'],
    ] as const) {
      const r = await anon.call(m, p, m === 'GET' || m === 'DELETE' ? undefined : {});
      assert.equal(r.status, 401, `${m} ${p}`);
    }
    const vic = await h.login('vic');
    for (const [m, p] of [
      ['POST', '/api/v1/phones/import'],
      ['PATCH', '/api/v1/phones/2001'],
      ['POST', '/api/v1/phones/2001/rotate-secret'],
    ] as const) {
      assert.equal((await vic.call(m, p, {})).status, 403, `${m} ${p}`);
    }
  });
});
