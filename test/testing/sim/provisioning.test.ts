import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SimulatedPbx } from '../../../src/testing/index.js';
import { waitUntil } from '../../helpers/wait.js';
import {
  kind,
  type Packet,
  RawAmi,
  recordedActions,
  recordedReply,
  shape,
  unknownShapes,
  val,
} from './harness.js';

const FIX = 'sip-provision-wizard';
/** Replies whose values depend on the run (contact URIs, call ids); compared by shape. */
const BY_SHAPE = new Set(['PJSIPShowEndpoint']);

test('the provisioning wizard flow gets the recorded replies, and the phone appears and registers as recorded', async () => {
  const pbx = await SimulatedPbx.start({ speed: 10, autoRegisterProvisioned: false });
  const ami = await RawAmi.open(pbx.port);
  try {
    const actions = recordedActions(FIX);
    assert.deepEqual(
      actions.map((a) => a.action),
      [
        'CreateConfig',
        'UpdateConfig',
        'GetConfig',
        'Reload',
        'Reload',
        'PJSIPShowEndpoint',
        'UpdateConfig',
        'PJSIPShowEndpoint',
      ],
    );
    for (const [i, a] of actions.entries()) {
      if (i === 6) {
        // Between the two halves of the recording a real phone registered with the secret written above.
        assert.throws(() => pbx.registerEndpoint('2001', { secret: 'wrong' }), { code: 'SIM_AUTH_FAILED' });
        pbx.registerEndpoint('2001', { secret: 'Xq7pK2vR9mTz' });
        await ami.waitEvent((p) => kind(p) === 'ContactStatus' && val(p, 'AOR') === '2001', '2001 contact');
        const eps = await ami.action('PJSIPShowEndpoints', {}, 'eps-2001');
        const row = eps.find((p) => val(p, 'ObjectName') === '2001') as Packet;
        assert.equal(val(row, 'DeviceState'), 'Not in use');
        assert.match(val(row, 'Contacts') ?? '', /^2001\/sip:2001-0x[0-9a-f]+@127\.0\.0\.1:\d+,$/);
        // The phone calls 200 as in the recording: the Cdr says Source 2001.
        pbx.placeCall({ from: '2001', to: '200', talkMs: 2000 });
        const cdr = await ami.waitEvent((p) => kind(p) === 'Cdr' && val(p, 'Source') === '2001', 'Cdr');
        assert.deepEqual([val(cdr, 'Destination'), val(cdr, 'Disposition')], ['200', 'ANSWERED']);
        pbx.unregisterEndpoint('2001');
      }
      const got = await ami.action(a.action, a.headers, a.id);
      const want = recordedReply(FIX, a.id);
      if (BY_SHAPE.has(a.action)) assert.deepEqual(got.map(shape), want.map(shape), a.id);
      else assert.deepEqual(got, want, a.id);
    }
    const reloads = ami.all.filter((p) => kind(p) === 'Reload').map((p) => val(p, 'Module'));
    assert.deepEqual(reloads, ['res_pjsip_config_wizard.so', 'res_pjsip.so', 'res_pjsip_config_wizard.so']);
    assert.deepEqual(unknownShapes(ami.all, ['ChallengeResponseFailed']), []);
    assert.ok(!pbx.endpoints().some((e) => e.name === '2001'));
  } finally {
    await ami.close();
    await pbx.close();
  }
});

test('a wizard phone raises no ContactStatus until res_pjsip.so reloads; auto-registration makes it register by itself', async () => {
  const pbx = await SimulatedPbx.start({ speed: 20 });
  const ami = await RawAmi.open(pbx.port);
  try {
    await ami.action('CreateConfig', { Filename: 'pjsip_wizard.conf' });
    const add: Array<[string, string]> = [
      ['SrcFilename', 'pjsip_wizard.conf'],
      ['DstFilename', 'pjsip_wizard.conf'],
      ['Action-000000', 'NewCat'],
      ['Cat-000000', '2002'],
    ];
    const vars: Array<[string, string]> = [
      ['type', 'wizard'],
      ['accepts_registrations', 'yes'],
      ['accepts_auth', 'yes'],
      ['inbound_auth/username', '2002'],
      ['inbound_auth/password', 'S3cretS3cret'],
      ['endpoint/context', 'oficina2'],
    ];
    vars.forEach(([k, v], i) => {
      const n = String(i + 1).padStart(6, '0');
      add.push([`Action-${n}`, 'Append'], [`Cat-${n}`, '2002'], [`Var-${n}`, k], [`Value-${n}`, v]);
    });
    add.push(['Reload', 'res_pjsip_config_wizard.so']);
    await ami.action('UpdateConfig', add);
    await waitUntil(
      () => pbx.endpoints().some((e) => e.name === '2002' && e.registered),
      '2002 registered by itself',
    );
    const eps = await ami.action('PJSIPShowEndpoints');
    assert.ok(eps.some((p) => kind(p) === 'EndpointList' && val(p, 'ObjectName') === '2002'));
    assert.ok(ami.all.some((p) => kind(p) === 'PeerStatus' && val(p, 'Peer') === 'PJSIP/2002'));
    assert.ok(
      !ami.all.some((p) => kind(p) === 'ContactStatus' && val(p, 'AOR') === '2002'),
      'no ContactStatus before res_pjsip.so reloads',
    );
    pbx.unregisterEndpoint('2002');
    await ami.action('Reload', { Module: 'res_pjsip.so' });
    pbx.registerEndpoint('2002', { secret: 'S3cretS3cret' });
    await ami.waitEvent(
      (p) => kind(p) === 'ContactStatus' && val(p, 'AOR') === '2002',
      'ContactStatus after the res_pjsip reload',
    );
    const bad = await ami.action('Reload', { Module: 'no_such_module.so' });
    assert.deepEqual(
      bad.map((p) => val(p, 'Message')),
      ['No such module'],
    );
  } finally {
    await ami.close();
    await pbx.close();
  }
});
