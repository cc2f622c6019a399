import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SimulatedPbx } from '../../../src/testing/index.js';
import { SEED_CONFIG } from '../../../src/testing/sim/seed-config.js';
import { fixture, kind, type Packet, RawAmi, unknownShapes, val } from './harness.js';

/** The configuration when pjsip-register was recorded: no trunk, no `ventas` queue yet (both came later). */
const RECORDED = {
  'pjsip.conf': (SEED_CONFIG['pjsip.conf'] ?? '').split('[trunk13-reg]')[0] ?? '',
  'queues.conf': (SEED_CONFIG['queues.conf'] ?? '').split('[ventas]')[0] ?? '',
};

const SKIP = new Set(['FullyBooted', 'SuccessfulAuth', 'ChallengeSent', 'Response:Goodbye']);

function kinds(list: readonly Packet[]): string[] {
  return list.filter((p) => !SKIP.has(kind(p))).map(kind);
}

test('phones register and unregister with the events and lists of the recorded pjsip-register', async () => {
  const pbx = await SimulatedPbx.start({ registered: [], config: RECORDED });
  const ami = await RawAmi.open(pbx.port);
  try {
    pbx.registerEndpoint('alonso', { secret: 'contrasenia3' });
    pbx.registerEndpoint('reina');
    await ami.waitEvent((p) => kind(p) === 'ContactStatus' && val(p, 'AOR') === 'reina', 'reina contact');
    const eps = await ami.action('PJSIPShowEndpoints');
    const contacts = await ami.action('PJSIPShowContacts');
    const one = await ami.action('PJSIPShowEndpoint', { Endpoint: 'alonso' });
    const inbound = await ami.action('PJSIPShowRegistrationsInbound');
    pbx.unregisterEndpoint('alonso');
    pbx.unregisterEndpoint('reina');
    await ami.waitEvent(
      (p) =>
        kind(p) === 'ContactStatus' && val(p, 'ContactStatus') === 'Removed' && val(p, 'AOR') === 'reina',
      'removed',
    );
    const none = await ami.action('PJSIPShowContacts');
    assert.deepEqual(unknownShapes(ami.all), []);
    const real = fixture('pjsip-register');
    // Within one registration Asterisk's order of PeerStatus/ContactStatus/DeviceStateChange differs from phone to
    // phone (alonso's and reina's differ in the recording): compare each such run as a set.
    const REG = new Set(['PeerStatus', 'ContactStatus', 'DeviceStateChange']);
    const norm = (k: string[]) => {
      const out: string[] = [];
      let run: string[] = [];
      for (const x of [...k, '']) {
        if (REG.has(x)) run.push(x);
        else {
          if (run.length > 0) out.push(run.sort().join('+'));
          run = [];
          if (x) out.push(x);
        }
      }
      return out;
    };
    assert.deepEqual(norm(kinds(ami.all)), norm(kinds(real)));
    assert.deepEqual(
      eps
        .filter((p) => kind(p) === 'EndpointList')
        .map((p) => [val(p, 'ObjectName'), val(p, 'DeviceState'), val(p, 'Contacts') !== '']),
      [
        ['alonso', 'Not in use', true],
        ['manuel', 'Unavailable', false],
        ['reina', 'Not in use', true],
      ],
    );
    assert.equal(contacts.filter((p) => kind(p) === 'ContactList').length, 2);
    assert.deepEqual(one.map(kind), [
      'Response:Success',
      'EndpointDetail',
      'AuthDetail',
      'TransportDetail',
      'AorDetail',
      'ContactStatusDetail',
      'EndpointDetailComplete',
    ]);
    assert.equal(val(one.at(-1) as Packet, 'ListItems'), '5');
    assert.equal(inbound.filter((p) => kind(p) === 'InboundRegistrationDetail').length, 3);
    assert.deepEqual(
      none.map((p) => [kind(p), val(p, 'Message')]),
      [['Response:Error', 'No Contacts found']],
    );
    const unreach = ami.all
      .filter((p) => kind(p) === 'PeerStatus' && val(p, 'PeerStatus') === 'Unreachable')
      .map((p) => val(p, 'Peer'));
    assert.deepEqual(unreach, ['PJSIP/alonso', 'PJSIP/reina']);
  } finally {
    await ami.close();
    await pbx.close();
  }
});

test('a wrong secret is refused with ChallengeResponseFailed and no contact', async () => {
  const pbx = await SimulatedPbx.start({ registered: [] });
  const ami = await RawAmi.open(pbx.port);
  try {
    assert.throws(() => pbx.registerEndpoint('reina', { secret: 'not-her-password' }), {
      code: 'SIM_AUTH_FAILED',
    });
    assert.throws(() => pbx.registerEndpoint('nobody'), { code: 'SIM_NO_ENDPOINT' });
    const failed = await ami.waitEvent((p) => kind(p) === 'ChallengeResponseFailed', 'failure');
    assert.equal(val(failed, 'AccountID'), 'reina');
    assert.equal(val(failed, 'Service'), 'PJSIP');
    assert.equal(pbx.endpoints().find((e) => e.name === 'reina')?.registered, false);
    assert.ok(!ami.all.some((p) => kind(p) === 'PeerStatus'));
    assert.ok(
      pbx
        .logLines()
        .some((l) =>
          /NOTICE\[\d+\] res_pjsip\/pjsip_distributor\.c: Request 'REGISTER' from '<sip:reina@127\.0\.0\.1>' failed .* - Failed to authenticate$/.test(
            l,
          ),
        ),
    );
    // The secret itself is never written to the log.
    assert.ok(!pbx.logLines().some((l) => l.includes('not-her-password') || l.includes('password')));
  } finally {
    await ami.close();
    await pbx.close();
  }
});
