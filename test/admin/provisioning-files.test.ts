/**
 * Every brand's provisioning files: the file name the phone asks for and the keys its vendor documents for one
 * SIP account, filled with the phone's values. Sources (what each brand requires):
 * - Yealink: "Yealink IP Phones Auto Provisioning Guide" — `<mac>.cfg` MAC-oriented file starting with
 *   `#!version:1.0.0.1`; `account.1.enable/label/display_name/auth_name/user_name/password`,
 *   `account.1.sip_server.1.address/port/transport_type` (0 UDP, 1 TCP, 2 TLS), `local_time.time_zone`.
 * - Polycom: "Administrator's Guide SoundPoint/SoundStation IP" — `<Ethernet address>.cfg` master file whose
 *   `APPLICATION` element's `CONFIG_FILES` lists the files to load; `reg.x.address`, `reg.x.displayName`,
 *   `reg.x.label`, `reg.x.auth.userId`, `reg.x.auth.password`, `voIpProt.server.1.address`.
 * - Grandstream: "SIP Device Provisioning Guide" (documentation.grandstream.com) — `cfg<mac>.xml` in lower case,
 *   `<gs_provision version="1"><mac>…</mac><config version="1">` with P-values: P271 account active, P270
 *   account name, P47 SIP server, P35 SIP user ID, P36 authenticate ID, P34 password, P3 display name.
 * - Snom: "Desk Phone Configuration Files" (service.snom.com) — UTF-8 `<settings><phone-settings>` with
 *   `user_active`, `user_realname`, `user_name`, `user_pass`, `user_host` (idx="1"), `language`, `timezone`;
 *   the older text settings file (`name: value` lines in `<html><pre>`) per phone type and MAC.
 * - Cisco SPA: "Cisco Small Business IP Telephony Devices Provisioning Guide" — `spa$MA.xml`, `<flat-profile>`
 *   elements named after the web fields: `Display_Name_1_`, `User_ID_1_`, `Password_1_`, `Proxy_1_`.
 * - Fanvil: "Fanvil VoIP Auto Provision Standard" — `<<VOIP CONFIG FILE>>` text with `<SIP CONFIG MODULE>`
 *   `SIP1 Phone Number/Display Name/Register Addr/Register Port/Register User/Register Pswd/Enable Reg`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  filesOf,
  fill,
  PROVISIONING_FILES,
  templateBody,
  templateValues,
  utcOffsetMinutes,
} from '../../src/admin/index.js';

const MAC = '001565abcdef';
const phone = {
  extension: '2001',
  name: 'Elio & Co',
  context: 'oficina2',
  language: 'es',
  codecs: ['ulaw'],
  voicemail: false,
  secret: 'Xq7pK2vR9mTzAb3dEf5G',
  mac: MAC,
  model: 'D385',
};
const values = templateValues({
  phone,
  sip: { host: '192.168.1.10', port: 5060, transport: 'udp' },
  timezone: 'Europe/Madrid',
  now: new Date('2026-01-15T12:00:00Z'),
});

async function render(brand: string, key: string): Promise<{ name: string; text: string }> {
  const f = filesOf(brand).find((x) => x.template.key === key);
  assert.ok(f, `${brand} ${key}`);
  return {
    name: f.name(MAC, phone.model),
    text: fill(await templateBody(f.template, undefined), values, f.template.escape),
  };
}

describe('provisioning files per brand', () => {
  it('values: the offset of the zone at that moment, the brand spellings of transport and language', () => {
    assert.equal(utcOffsetMinutes('Europe/Madrid', new Date('2026-01-15T12:00:00Z')), 60);
    assert.equal(utcOffsetMinutes('Europe/Madrid', new Date('2026-07-15T12:00:00Z')), 120);
    assert.equal(values.utcOffset, '+01:00');
    assert.equal(values.utcOffsetHours, '+1');
    assert.equal(values.posixTz, '<+01>-1');
    assert.equal(values.languageName, 'Spanish');
    assert.equal(values.transportYealink, '0');
  });

  it('Yealink <mac>.cfg', async () => {
    const { name, text } = await render('yealink', 'yealink.cfg');
    assert.equal(name, '001565abcdef.cfg');
    assert.match(text, /^#!version:1\.0\.0\.1\n/);
    for (const line of [
      'account.1.enable = 1',
      'account.1.display_name = Elio & Co',
      'account.1.auth_name = 2001',
      'account.1.user_name = 2001',
      `account.1.password = ${phone.secret}`,
      'account.1.sip_server.1.address = 192.168.1.10',
      'account.1.sip_server.1.port = 5060',
      'account.1.sip_server.1.transport_type = 0',
      'lang.gui = Spanish',
      'local_time.time_zone = +1',
    ])
      assert.ok(text.includes(`\n${line}\n`), line);
  });

  it('Polycom <MAC>.cfg lists <MAC>-user.cfg and the common file', async () => {
    const master = await render('polycom', 'polycom-master.cfg');
    assert.equal(master.name, '001565ABCDEF.cfg');
    assert.match(
      master.text,
      /<APPLICATION APP_FILE_PATH="sip\.ld" CONFIG_FILES="001565ABCDEF-user\.cfg, polycom-common\.cfg"/,
    );
    const user = await render('polycom', 'polycom-user.cfg');
    assert.equal(user.name, '001565ABCDEF-user.cfg');
    for (const attr of [
      'reg.1.address="2001"',
      'reg.1.displayName="Elio &amp; Co"',
      'reg.1.auth.userId="2001"',
      `reg.1.auth.password="${phone.secret}"`,
      'reg.1.server.1.address="192.168.1.10"',
      'reg.1.server.1.port="5060"',
      'reg.1.server.1.transport="UDPOnly"',
      'lcl.ml.lang="Spanish_Spain"',
    ])
      assert.ok(user.text.includes(attr), attr);
    const common = await render('polycom', 'polycom-common.cfg');
    assert.equal(common.name, 'polycom-common.cfg');
    assert.ok(common.text.includes('voIpProt.server.1.address="192.168.1.10"'));
    assert.ok(common.text.includes('tcpIpApp.sntp.gmtOffset="3600"'));
  });

  it('Grandstream cfg<mac>.xml with the account P-values', async () => {
    const { name, text } = await render('grandstream', 'grandstream.xml');
    assert.equal(name, 'cfg001565abcdef.xml');
    assert.match(text, /<gs_provision version="1">\s*<mac>001565abcdef<\/mac>\s*<config version="1">/);
    for (const [p, v] of [
      ['P271', '1'],
      ['P270', '2001'],
      ['P47', '192.168.1.10:5060'],
      ['P35', '2001'],
      ['P36', '2001'],
      ['P34', phone.secret],
      ['P3', 'Elio &amp; Co'],
      ['P130', '0'],
      ['P64', '&lt;+01&gt;-1'],
    ])
      assert.ok(text.includes(`<${p}>${v}</${p}>`), p);
  });

  it('Snom snom<model>-<MAC>.htm and <MAC>.xml', async () => {
    const htm = await render('snom', 'snom.htm');
    assert.equal(htm.name, 'snomd385-001565ABCDEF.htm');
    for (const line of [
      'user_name1: 2001',
      `user_pass1: ${phone.secret}`,
      'user_host1: 192.168.1.10:5060;transport=udp',
      'user_realname1: Elio & Co',
    ])
      assert.ok(htm.text.includes(`\n${line}\n`), line);
    const xml = await render('snom', 'snom.xml');
    assert.equal(xml.name, '001565ABCDEF.xml');
    for (const el of [
      '<user_active idx="1" perm="">on</user_active>',
      '<user_realname idx="1" perm="">Elio &amp; Co</user_realname>',
      '<user_name idx="1" perm="">2001</user_name>',
      `<user_pass idx="1" perm="">${phone.secret}</user_pass>`,
      '<user_host idx="1" perm="">192.168.1.10:5060;transport=udp</user_host>',
      '<language perm="">Espanol</language>',
      '<timezone perm="">ESP+1</timezone>',
    ])
      assert.ok(xml.text.includes(el), el);
  });

  it('Cisco SPA spa<mac>.xml flat profile', async () => {
    const { name, text } = await render('cisco', 'cisco.xml');
    assert.equal(name, 'spa001565abcdef.xml');
    for (const el of [
      '<Line_Enable_1_>Yes</Line_Enable_1_>',
      '<Proxy_1_>192.168.1.10:5060</Proxy_1_>',
      '<Display_Name_1_>Elio &amp; Co</Display_Name_1_>',
      '<User_ID_1_>2001</User_ID_1_>',
      `<Password_1_>${phone.secret}</Password_1_>`,
      '<Auth_ID_1_>2001</Auth_ID_1_>',
      '<Time_Zone>GMT+01:00</Time_Zone>',
    ])
      assert.ok(text.includes(el), el);
  });

  it('Fanvil <mac>.cfg', async () => {
    const { name, text } = await render('fanvil', 'fanvil.cfg');
    assert.equal(name, '001565abcdef.cfg');
    assert.match(text, /^<<VOIP CONFIG FILE>>Version:2\.0000000000\n/);
    for (const re of [
      /^SIP1 Phone Number\s*:2001$/m,
      /^SIP1 Display Name\s*:Elio & Co$/m,
      /^SIP1 Register Addr\s*:192\.168\.1\.10$/m,
      /^SIP1 Register Port\s*:5060$/m,
      /^SIP1 Register User\s*:2001$/m,
      new RegExp(`^SIP1 Register Pswd\\s*:${phone.secret}$`, 'm'),
      /^SIP1 Enable Reg\s*:1$/m,
    ])
      assert.match(text, re);
  });

  it('generic <mac>-account.txt', async () => {
    const { name, text } = await render('generic', 'generic.txt');
    assert.equal(name, '001565abcdef-account.txt');
    for (const line of [
      'server=192.168.1.10',
      'port=5060',
      'transport=udp',
      'auth_user=2001',
      `password=${phone.secret}`,
      'language=es',
      'timezone=Europe/Madrid',
    ])
      assert.ok(text.includes(`\n${line}\n`), line);
  });

  it('every file name is matched back to its MAC; no two brands both claim a name with different files', () => {
    for (const f of PROVISIONING_FILES) {
      const n = f.name(MAC, 'D385');
      const m = f.match(n);
      assert.ok(m === MAC || (m === '' && n === 'polycom-common.cfg'), n);
    }
  });

  it('a template file in templatesDir replaces the built-in one without a rebuild', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-tpl-'));
    try {
      writeFileSync(
        join(dir, 'yealink.cfg'),
        '#!version:1.0.0.1\naccount.1.password = {{secret}}\nx = {{nope}}\n',
      );
      const f = filesOf('yealink')[0]!;
      const text = fill(await templateBody(f.template, dir), values, 'text');
      assert.equal(text, `#!version:1.0.0.1\naccount.1.password = ${phone.secret}\nx = {{nope}}\n`);
      const other = filesOf('cisco')[0]!;
      assert.equal(await templateBody(other.template, dir), other.template.body);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
