import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SimulatedPbx } from '../../../src/testing/index.js';
import { SEED_CONFIG } from '../../../src/testing/sim/seed-config.js';
import { RawAmi, recordedActions, recordedReply } from './harness.js';

test('config actions (ListCategories, GetConfig, GetConfigJSON, CreateConfig, UpdateConfig and its errors) answer byte for byte as recorded', async () => {
  // extensions.conf as it was when `config` was recorded: the office contexts came later.
  const recorded = (SEED_CONFIG['extensions.conf'] ?? '').split('[oficina1]')[0] ?? '';
  const pbx = await SimulatedPbx.start({ config: { 'extensions.conf': recorded } });
  const ami = await RawAmi.open(pbx.port);
  try {
    const actions = recordedActions('config');
    assert.ok(actions.length >= 20);
    for (const a of actions) {
      const got = await ami.action(a.action, a.headers, a.id);
      assert.deepEqual(got, recordedReply('config', a.id), `${a.id} ${a.action}`);
    }
  } finally {
    await ami.close();
    await pbx.close();
  }
});

test('command output, unknown actions, ListCommands and errors use Asterisk wording', async () => {
  // Without pjsip_notify.conf, res_pjsip_notify declines to load: PJSIPNotify is an unknown action.
  const pbx = await SimulatedPbx.start({ withoutConfig: ['pjsip_notify.conf'] });
  const ami = await RawAmi.open(pbx.port);
  try {
    for (const a of recordedActions('command-output')) {
      if (a.headers.some(([, v]) => v.startsWith('dialplan show'))) continue;
      const got = await ami.action(a.action, a.headers, a.id);
      const want = recordedReply('command-output', a.id);
      if (a.headers.some(([, v]) => v === 'core show channels')) {
        // The recording had processed 47 calls before; the rest is the same.
        assert.deepEqual(got[0]?.slice(0, -1), want[0]?.slice(0, -1));
        assert.equal(got[0]?.at(-1)?.[1], '0 calls processed');
      } else assert.deepEqual(got, want, a.id);
    }
    for (const a of recordedActions('unknown-action').slice(0, 1))
      assert.deepEqual(await ami.action(a.action, a.headers, a.id), recordedReply('unknown-action', a.id));
    const pjsip = await ami.action('PJSIPNotify', { Endpoint: 'reina' }, 'notify-1');
    assert.equal(
      pjsip[0]?.[2]?.[1],
      'Invalid/unknown command: PJSIPNotify. Use Action: ListCommands to show available commands.',
    );
    const lc = await ami.action('ListCommands', {}, 'lc-1');
    const names = (lc[0] ?? []).map(([k]) => k);
    for (const n of [
      'Originate',
      'QueueStatus',
      'PJSIPShowEndpoints',
      'GetConfig',
      'AGI',
      'Ping',
      'CoreShowChannels',
    ])
      assert.ok(names.includes(n), n);
    assert.ok(!names.includes('PJSIPNotify'));
    const up = await ami.action('Command', { Command: 'core show uptime' }, 'up-1');
    assert.match(up[0]?.[3]?.[1] ?? '', /^System uptime: \d+ seconds?$/);
    const eps = await ami.action('Command', { Command: 'pjsip show endpoints' }, 'eps-1');
    assert.ok((eps[0] ?? []).some(([k, v]) => k === 'Output' && /^ Endpoint: {2}reina +Not in use/.test(v)));
    const settings = await ami.action('CoreSettings', {}, 'cs-1');
    assert.equal(settings[0]?.find(([k]) => k === 'AMIversion')?.[1], '13.0.0');
    assert.ok(pbx.isSimulated && SimulatedPbx.isSimulated);
  } finally {
    await ami.close();
    await pbx.close();
  }
});
