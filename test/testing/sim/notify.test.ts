/**
 * `PJSIPNotify` on the simulated PBX as on a real Asterisk (test/fixtures/asterisk/README.md "PJSIPNotify"): unknown
 * without `pjsip_notify.conf` (res_pjsip_notify declined to load), `NOTIFY sent` once the file is created with
 * `CreateConfig` + `UpdateConfig` and the module loaded with `ModuleLoad`; the phone hears it through `onNotify`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AmiClient } from '../../../src/ami/index.js';
import { type SimNotify, SimulatedPbx } from '../../../src/testing/index.js';
import { waitUntil } from '../../helpers/wait.js';

test('PJSIPNotify: unknown without pjsip_notify.conf, NOTIFY sent after CreateConfig + UpdateConfig + ModuleLoad', async () => {
  const heard: SimNotify[] = [];
  const pbx = await SimulatedPbx.start({
    withoutConfig: ['pjsip_notify.conf'],
    onNotify: (n) => heard.push(n),
  });
  const ami = new AmiClient({ url: pbx.url(), keepalive: false, reconnect: false });
  await ami.connect();
  try {
    const msg = async (name: string, params: Record<string, string | string[]> = {}) => {
      const r = await ami.action(name, params);
      return `${r.message.get('Response')}: ${r.message.get('Message')}`;
    };
    assert.equal(
      await msg('PJSIPNotify', { Endpoint: 'reina', Variable: 'Event=check-sync' }),
      'Error: Invalid/unknown command: PJSIPNotify. Use Action: ListCommands to show available commands.',
    );
    const commands = (await ami.action('ListCommands')).message.headers.map(([k]) => k);
    assert.ok(!commands.includes('PJSIPNotify') && commands.includes('ModuleLoad'));
    assert.ok(pbx.logLines().some((l) => l.includes("Unable to load config file 'pjsip_notify.conf'")));
    // Loading before the file exists fails as it does on Asterisk.
    assert.equal(
      await msg('ModuleLoad', { Module: 'res_pjsip_notify.so', LoadType: 'load' }),
      'Error: Could not load module.',
    );
    assert.equal(
      await msg('CreateConfig', { Filename: 'pjsip_notify.conf' }),
      'Success: New configuration file created successfully',
    );
    const upd = await ami.action('UpdateConfig', {
      SrcFilename: 'pjsip_notify.conf',
      DstFilename: 'pjsip_notify.conf',
      'Action-000000': 'NewCat',
      'Cat-000000': 'yealink-check-cfg',
      'Action-000001': 'Append',
      'Cat-000001': 'yealink-check-cfg',
      'Var-000001': 'Event',
      'Value-000001': 'check-sync;reboot=false',
      'Action-000002': 'Append',
      'Cat-000002': 'yealink-check-cfg',
      'Var-000002': 'Content-Length',
      'Value-000002': '0',
    });
    assert.equal(upd.ok, true);
    assert.equal(
      await msg('ModuleLoad', { Module: 'res_pjsip_notify.so', LoadType: 'load' }),
      'Success: Module loaded.',
    );
    assert.ok((await ami.action('ListCommands')).message.headers.some(([k]) => k === 'PJSIPNotify'));
    assert.equal(
      await msg('PJSIPNotify', { Endpoint: 'reina', Variable: 'Event=check-sync' }),
      'Success: NOTIFY sent',
    );
    assert.equal(
      await msg('PJSIPNotify', { Endpoint: 'alonso', Option: 'yealink-check-cfg' }),
      'Success: NOTIFY sent',
    );
    await waitUntil(() => heard.length === 2, 'both phones got their NOTIFY');
    assert.deepEqual(
      heard.map((n) => [n.endpoint, n.headers]),
      [
        ['reina', [['Event', 'check-sync']]],
        [
          'alonso',
          [
            ['Event', 'check-sync;reboot=false'],
            ['Content-Length', '0'],
          ],
        ],
      ],
    );
    // res_pjsip_notify's own errors.
    assert.equal(
      await msg('PJSIPNotify', { Endpoint: 'nobody', Variable: 'Event=check-sync' }),
      'Error: Unable to retrieve endpoint nobody',
    );
    assert.equal(
      await msg('PJSIPNotify', { Endpoint: 'reina', Option: 'nope' }),
      "Error: Unable to find notify type 'nope'",
    );
    assert.equal(
      await msg('PJSIPNotify', { Endpoint: 'reina' }),
      'Error: PJSIPNotify requires either an Option or Variable(s).',
    );
    // An unregistered phone: Asterisk still says NOTIFY sent; nobody hears it.
    pbx.unregisterEndpoint('manuel');
    assert.equal(
      await msg('PJSIPNotify', { Endpoint: 'manuel', Variable: 'Event=check-sync' }),
      'Success: NOTIFY sent',
    );
    assert.equal(heard.length, 2);
  } finally {
    await ami.close();
    await pbx.close();
  }
});

test('with the seed pjsip_notify.conf res_pjsip_notify is loaded from the start', async () => {
  const pbx = await SimulatedPbx.start();
  const ami = new AmiClient({ url: pbx.url(), keepalive: false, reconnect: false });
  await ami.connect();
  try {
    const r = await ami.action('PJSIPNotify', { Endpoint: 'reina', Option: 'polycom-check-cfg' });
    assert.deepEqual([r.ok, r.message.get('Message')], [true, 'NOTIFY sent']);
    const again = await ami.action('ModuleLoad', { Module: 'res_pjsip_notify.so', LoadType: 'load' });
    assert.deepEqual([again.ok, again.message.get('Message')], [false, 'Could not load module.']);
  } finally {
    await ami.close();
    await pbx.close();
  }
});
