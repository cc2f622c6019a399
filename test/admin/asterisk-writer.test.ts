/**
 * The phone writer against a fake Asterisk scripted like the recordings: the exact action sequence of
 * `ami/sip-provision-wizard` (PJSIP) and `asterisk-13/ami/sip-conf-provision` (chan_sip), header by header;
 * GetConfig verification; a refused UpdateConfig or a wrong read-back leaves nothing behind.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AsteriskPhoneWriter, detectDriver, type PhoneSpec } from '../../src/admin/index.js';
import { AmiClient } from '../../src/ami/index.js';
import { FakeAsteriskConfig, recordedActions } from './fake-asterisk-config.js';

const WIZARD = 'test/fixtures/asterisk/ami/sip-provision-wizard.jsonl';
const SIPCONF = 'test/fixtures/asterisk-13/ami/sip-conf-provision.jsonl';
const CONFIG_ACTIONS = [
  'CreateConfig',
  'UpdateConfig',
  'GetConfig',
  'Reload',
  'PJSIPShowEndpoint',
  'SIPshowpeer',
];

/** Extension 2001 exactly as recorded (the recording's secret). */
const ELIO: PhoneSpec = {
  extension: '2001',
  name: 'Elio Rojano',
  context: 'oficina2',
  language: 'es',
  codecs: ['ulaw', 'alaw'],
  voicemail: false,
  secret: 'Xq7pK2vR9mTz',
};

async function connect(fake: FakeAsteriskConfig): Promise<AmiClient> {
  const c = new AmiClient({ url: fake.server.url(), events: 'off', reconnect: false, keepalive: false });
  await c.connect();
  return c;
}

describe('PJSIP wizard writer (sip-provision-wizard)', () => {
  let fake: FakeAsteriskConfig;
  let ami: AmiClient;
  before(async () => {
    fake = await FakeAsteriskConfig.start({ driver: 'pjsip', existing: ['alonso', 'manuel', 'reina'] });
    ami = await connect(fake);
  });
  after(async () => {
    await ami.close();
    await fake.close();
  });

  it('detects PJSIP with ModuleCheck', async () => {
    assert.equal(await detectDriver(ami), 'pjsip');
  });

  it('create then remove send exactly the recorded actions, header by header', async () => {
    const w = new AsteriskPhoneWriter(ami, 'pjsip');
    const created = await w.create(ELIO);
    assert.equal(created.verified, true);
    assert.equal(created.endpointFound, true);
    assert.deepEqual(
      created.steps.map((s) => s.action),
      [
        'CreateConfig',
        'UpdateConfig',
        'GetConfig',
        'Reload res_pjsip_config_wizard.so',
        'Reload res_pjsip.so',
        'PJSIPShowEndpoint',
      ],
    );
    const removed = await w.remove('2001');
    assert.equal(removed.endpointFound, false);
    assert.match(removed.steps.at(-1)!.message!, /^Unable to retrieve endpoint 2001$/);
    assert.deepEqual(fake.received(CONFIG_ACTIONS), recordedActions(WIZARD, CONFIG_ACTIONS));
  });

  it('takes CreateConfig "File exists" as normal for the second phone', async () => {
    const w = new AsteriskPhoneWriter(ami, 'pjsip');
    await w.create({ ...ELIO, extension: '2002', name: 'Ana' });
    const r = await w.create({ ...ELIO, extension: '2003', name: 'Bea' });
    assert.deepEqual(r.steps[0], {
      action: 'CreateConfig',
      ok: false,
      response: 'Error',
      message: 'File exists',
    });
    assert.ok(fake.category('pjsip_wizard.conf', '2003'));
    await w.remove('2002');
    await w.remove('2003');
  });

  it('a refused UpdateConfig throws with Asterisk’s words and writes nothing', async () => {
    fake.refuseUpdate = 'Save of config failed';
    const w = new AsteriskPhoneWriter(ami, 'pjsip');
    await assert.rejects(w.create({ ...ELIO, extension: '2004' }), (e: Error & { code: string }) => {
      assert.equal(e.code, 'ADMIN_PBX_REFUSED');
      assert.match(e.message, /Save of config failed/);
      return true;
    });
    assert.equal(fake.category('pjsip_wizard.conf', '2004'), undefined);
    assert.equal(fake.endpoints.has('2004'), false);
  });

  it('a read-back that differs undoes the category (DelCat) and says so', async () => {
    fake.tamperGetConfig = true;
    const w = new AsteriskPhoneWriter(ami, 'pjsip');
    await assert.rejects(w.create({ ...ELIO, extension: '2005' }), /ADMIN_VERIFY_FAILED|does not read back/);
    assert.equal(fake.category('pjsip_wizard.conf', '2005'), undefined);
    assert.equal(fake.endpoints.has('2005'), false);
  });

  it('refuses values that would break the packet before sending anything', async () => {
    const w = new AsteriskPhoneWriter(ami, 'pjsip');
    const before = fake.server.actions.length;
    await assert.rejects(w.create({ ...ELIO, extension: '2006', name: 'x\r\nAction: Originate' }));
    assert.equal(
      fake.server.actions.slice(before).filter((a) => a.get('Action') === 'UpdateConfig').length,
      0,
    );
  });
});

describe('chan_sip peer writer (sip-conf-provision)', () => {
  let fake: FakeAsteriskConfig;
  let ami: AmiClient;
  before(async () => {
    fake = await FakeAsteriskConfig.start({ driver: 'chan_sip', existing: ['alonso', 'manuel', 'reina'] });
    ami = await connect(fake);
  });
  after(async () => {
    await ami.close();
    await fake.close();
  });

  it('detects chan_sip when the wizard module is not loaded', async () => {
    assert.equal(await detectDriver(ami), 'chan_sip');
  });

  it('create then remove send the recorded UpdateConfig/GetConfig/SIPshowpeer actions', async () => {
    const w = new AsteriskPhoneWriter(ami, 'chan_sip');
    const r = await w.create({ ...ELIO, codecs: ['ulaw'] });
    assert.equal(r.verified, true);
    assert.equal(r.endpointFound, true);
    const gone = await w.remove('2001');
    assert.equal(gone.endpointFound, false);
    assert.equal(gone.steps.at(-1)!.message, 'Peer 2001 not found.');
    // The recording also ran SIPpeers (the recorder's own look at the list) and SIPshowpeer twice (before and
    // after the phone registered); the writer asks SIPshowpeer once per write.
    const recorded = recordedActions(SIPCONF, CONFIG_ACTIONS);
    const sent = fake.received(CONFIG_ACTIONS);
    assert.deepEqual(sent, [recorded[0], recorded[1], recorded[2], recorded[4], recorded[5]]);
    assert.deepEqual(recorded[2], recorded[3]);
  });

  it('never touches sip.conf categories it did not write (general stays)', () => {
    assert.deepEqual(fake.category('sip.conf', 'general'), [['udpbindaddr', '0.0.0.0']]);
  });
});
