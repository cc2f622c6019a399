/** `switchboard phones` as a real process: seed 000's users imported into a chan_sip PBX, listed, removed. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FakeAsteriskConfig } from './fake-asterisk-config.js';

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'phones', ...args], {
    env: { ...process.env, SWITCHBOARD_AMI_URL: '' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('switchboard phones (CLI)', () => {
  let fake: FakeAsteriskConfig;
  let dir: string;
  let common: string[];
  before(async () => {
    fake = await FakeAsteriskConfig.start({ driver: 'chan_sip' });
    dir = mkdtempSync(join(tmpdir(), 'sb-phones-'));
    common = ['--ami', fake.server.url(), '--db', join(dir, 'db.sqlite')];
  });
  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports seed 000 (manuel/contrasenia in oficina1, reina and alonso in oficina2) into sip.conf', async () => {
    const r = await cli(['import', 'test/admin/seed-000-phones.yaml', ...common]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Array<{ extension: string; managed: boolean; secret?: string }>;
    assert.deepEqual(
      out.map((p) => p.extension),
      ['manuel', 'reina', 'alonso'],
    );
    assert.ok(out.every((p) => p.managed && p.secret === undefined));
    const values: string[] = [];
    JSON.parse(r.stdout, (_k, v) => {
      if (typeof v === 'string') values.push(v);
      return v;
    });
    for (const s of ['contrasenia', 'password', 'contrasenia3']) assert.ok(!values.includes(s), s);
    const manuel = new Map(fake.category('sip.conf', 'manuel'));
    assert.equal(manuel.get('secret'), 'contrasenia');
    assert.equal(manuel.get('context'), 'oficina1');
    assert.equal(manuel.get('type'), 'friend');
    assert.equal(new Map(fake.category('sip.conf', 'reina')).get('secret'), 'password');
    assert.equal(new Map(fake.category('sip.conf', 'alonso')).get('secret'), 'contrasenia3');
    assert.equal(new Map(fake.category('sip.conf', 'alonso')).get('context'), 'oficina2');
    assert.ok(fake.endpoints.has('alonso'));
  });

  it('lists without secrets, and removes a phone from sip.conf', async () => {
    const list = await cli(['list', ...common]);
    assert.equal(list.code, 0, list.stderr);
    assert.ok(!list.stdout.includes('contrasenia'));
    const rm = await cli(['remove', 'reina', ...common]);
    assert.equal(rm.code, 0, rm.stderr);
    assert.equal(fake.category('sip.conf', 'reina'), undefined);
    assert.equal(fake.endpoints.has('reina'), false);
  });

  it('a refused write exits 1 with Asterisk’s words on one stderr line', async () => {
    fake.refuseUpdate = 'Save of config failed';
    const r = await cli(['add', '2001', '--name', 'Elio Rojano', ...common]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^switchboard phones: Asterisk refused UpdateConfig: Save of config failed \[ADMIN_PBX_REFUSED\]\n$/,
    );
  });
});
