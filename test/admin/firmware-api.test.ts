/**
 * Phone firmware ("Actualizar software") over real sockets: raw uploads per brand and model with their SHA-256,
 * the size limit, list / current / delete, the provisioning files that point at the current firmware (and stay
 * byte for byte without one), downloads with the phone's own credentials (another phone's MAC → 403, another
 * model's firmware → 404), the Snom status file, and per-model version counts from the fetch User-Agents.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { digestAuthorization } from '../../src/admin/index.js';
import { waitUntil } from '../helpers/wait.js';
import { type ApiClient, type Harness, startHarness } from '../server/harness.js';
import { FakeAsteriskConfig } from './fake-asterisk-config.js';

type Created = { extension: string; mac: string; provisioning: { username: string; password: string } };

async function digestGet(url: string, p: Created, userAgent: string): Promise<Response> {
  const first = await fetch(url, { headers: { 'user-agent': userAgent } });
  if (first.status !== 401) return first;
  const challenge = first.headers.get('www-authenticate') ?? '';
  const { username, password } = p.provisioning;
  const uri = new URL(url).pathname;
  return fetch(url, {
    headers: {
      'user-agent': userAgent,
      authorization: digestAuthorization({ challenge, username, password, method: 'GET', uri }),
    },
  });
}

const IMAGE = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 251));
const SHA = createHash('sha256').update(IMAGE).digest('hex');

describe('firmware API and downloads', () => {
  let dir: string;
  let fake: FakeAsteriskConfig;
  let h: Harness;
  let ana: ApiClient;
  const phones = new Map<string, Created>();

  const upload = (q: string, body: Buffer, headers: Record<string, string> = ana.headers) =>
    fetch(`${h.url}/api/v1/firmware?${q}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/octet-stream' },
      body,
    });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sb-fw-'));
    fake = await FakeAsteriskConfig.start({ driver: 'pjsip' });
    h = await startHarness({
      pbx: [fake.server],
      config: { provisioning: { firmware: { dir, maxBytes: 4096 } } },
    });
    await h.user('ana', 'admin');
    await h.user('vic', 'viewer');
    await waitUntil(() => h.server.context.pbx.links.get('pbx1')?.state === 'ready', 'PBX link ready');
    ana = await h.login('ana');
    for (const [extension, brand, model, mac] of [
      ['2001', 'yealink', 'T46S', '00:15:65:aa:00:01'],
      ['2004', 'yealink', 'T54W', '00:15:65:aa:00:04'],
      ['2002', 'grandstream', 'GXP2170', '00:0b:82:aa:00:02'],
      ['2005', 'snom', 'D785', '00:04:13:aa:00:05'],
    ] as const) {
      const r = await ana.call('POST', '/api/v1/phones', {
        extension,
        name: `P ${extension}`,
        brand,
        model,
        mac,
      });
      assert.equal(r.status, 201, r.text);
      phones.set(extension, r.body as Created);
    }
  });
  after(async () => {
    await h.close();
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('without a current firmware the Yealink file has no firmware key', async () => {
    const r = await digestGet(
      `${h.url}/provisioning/001565aa0001.cfg`,
      phones.get('2001')!,
      'Yealink SIP-T46S 66.85.0.5',
    );
    assert.equal(r.status, 200);
    const text = await r.text();
    assert.ok(!text.includes('firmware'), text);
    assert.ok(text.endsWith('local_time.time_zone = +0\n'), text);
  });

  it('upload: stored under brand/model/version with its SHA-256; listed; size limit 413; bad names 400', async () => {
    const q = 'brand=yealink&model=T46S&version=66.86.0.15&filename=T46S-66.86.0.15.rom';
    const r = await upload(q, IMAGE);
    assert.equal(r.status, 201, await r.clone().text());
    const f = (await r.json()) as { sha256: string; size: number; current: boolean };
    assert.deepEqual([f.sha256, f.size, f.current], [SHA, 3000, false]);
    assert.deepEqual(await readdir(join(dir, 'yealink', 'T46S', '66.86.0.15')), [
      'T46S-66.86.0.15.rom',
      'T46S-66.86.0.15.rom.sha256',
    ]);
    await upload('brand=grandstream&model=GXP2170&version=1.0.11.23&filename=gxp2170fw.bin', IMAGE);
    await upload('brand=snom&model=D785&version=10.1.54.13&filename=snomD785-10.1.54.13-SIP-r.bin', IMAGE);
    const big = await upload('brand=yealink&model=T46S&version=9&filename=big.rom', Buffer.alloc(5000));
    assert.equal(big.status, 413);
    // Nothing of the refused upload is left (no partial file, no temporary file).
    const left = await readdir(join(dir, 'yealink', 'T46S', '9')).catch(() => []);
    assert.deepEqual(left, []);
    const bad = await upload('brand=yealink&model=..&version=1&filename=x', IMAGE);
    assert.equal(bad.status, 400);
    const json = await fetch(`${h.url}/api/v1/firmware?brand=yealink&model=T46S&version=1&filename=x`, {
      method: 'POST',
      headers: { ...ana.headers, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(json.status, 415);
    const list = await ana.call('GET', '/api/v1/firmware');
    assert.deepEqual(
      (list.body as Array<{ brand: string; model: string; version: string; sha256: string }>).map((x) => [
        x.brand,
        x.model,
        x.version,
        x.sha256 === SHA,
      ]),
      [
        ['grandstream', 'GXP2170', '1.0.11.23', true],
        ['snom', 'D785', '10.1.54.13', true],
        ['yealink', 'T46S', '66.86.0.15', true],
      ],
    );
  });

  it('current per model: the files point at the firmware URL; the phone downloads it with its credentials', async () => {
    assert.equal(
      (await ana.call('PATCH', '/api/v1/firmware/yealink/T46S', { current: '66.86.0.15' })).status,
      200,
    );
    assert.equal(
      (await ana.call('PATCH', '/api/v1/firmware/yealink/T46S', { current: '1.2.3' })).status,
      404,
    );
    await ana.call('PATCH', '/api/v1/firmware/grandstream/GXP2170', { current: '1.0.11.23' });
    await ana.call('PATCH', '/api/v1/firmware/snom/D785', { current: '10.1.54.13' });
    const yea = phones.get('2001')!;
    const cfg = await (
      await digestGet(`${h.url}/provisioning/001565aa0001.cfg`, yea, 'Yealink SIP-T46S 66.85.0.5')
    ).text();
    const url = `${h.url}/provisioning/firmware/001565aa0001/66.86.0.15/T46S-66.86.0.15.rom`;
    assert.ok(cfg.endsWith(`static.firmware.url = ${url}\n`), cfg);
    const img = await digestGet(url, yea, 'Yealink SIP-T46S 66.85.0.5');
    assert.equal(img.status, 200);
    assert.equal(
      createHash('sha256')
        .update(Buffer.from(await img.arrayBuffer()))
        .digest('hex'),
      SHA,
    );
    // No credentials: challenged; another phone's MAC with 2001's credentials: 403.
    assert.equal((await fetch(url)).status, 401);
    const other = await digestGet(url.replace('001565aa0001', '001565aa0004'), yea, 'x');
    assert.equal(other.status, 403);
    // Another model (T54W) asking for the T46S image under its own MAC: not found for it.
    const t54 = phones.get('2004')!;
    const wrong = await digestGet(url.replace('001565aa0001', '001565aa0004'), t54, 'x');
    assert.equal(wrong.status, 404);
    const t54cfg = await (await digestGet(`${h.url}/provisioning/001565aa0004.cfg`, t54, 'x')).text();
    assert.ok(!t54cfg.includes('firmware'));
    // Grandstream P212/P192 and Snom's status file.
    const gs = await (
      await digestGet(`${h.url}/provisioning/cfg000b82aa0002.xml`, phones.get('2002')!, 'x')
    ).text();
    const host = new URL(h.url).host;
    assert.match(
      gs,
      new RegExp(
        `<P212>1</P212>\\n    <P192>${host}/provisioning/firmware/000b82aa0002/1.0.11.23</P192>\\n  </config>`,
      ),
    );
    const snom = phones.get('2005')!;
    const sx = await (await digestGet(`${h.url}/provisioning/000413AA0005.xml`, snom, 'x')).text();
    const status = `${h.url}/provisioning/firmware/000413aa0005/snom-firmware.txt`;
    assert.ok(sx.includes(`<firmware_status perm="">${status}</firmware_status>`), sx);
    const st = await digestGet(status, snom, 'x');
    assert.equal(
      await st.text(),
      `firmware: ${h.url}/provisioning/firmware/000413aa0005/10.1.54.13/snomD785-10.1.54.13-SIP-r.bin\n`,
    );
    // The downloads are in the phone's fetch log.
    const log = await ana.call('GET', '/api/v1/phones/2001/fetches');
    assert.ok(
      (log.body as Array<{ file: string; status: number }>).some(
        (f) => f.file.startsWith('firmware/') && f.status === 200,
      ),
    );
  });

  it('versions: per model, how many phones run which version (User-Agent of the newest fetch)', async () => {
    await digestGet(
      `${h.url}/provisioning/001565aa0001.cfg`,
      phones.get('2001')!,
      'Yealink SIP-T46S 66.86.0.15 00:15:65:aa:00:01',
    );
    await digestGet(
      `${h.url}/provisioning/001565aa0004.cfg`,
      phones.get('2004')!,
      'Yealink SIP-T54W 96.86.0.100 00:15:65:aa:00:04',
    );
    await digestGet(
      `${h.url}/provisioning/cfg000b82aa0002.xml`,
      phones.get('2002')!,
      'Grandstream Model HW GXP2170 SW 1.0.11.23 DevId 000b82aa0002',
    );
    const r = await ana.call('GET', '/api/v1/firmware/versions');
    assert.deepEqual(r.body, [
      { brand: 'grandstream', model: 'GXP2170', versions: { '1.0.11.23': 1 } },
      { brand: 'yealink', model: 'T46S', versions: { '66.86.0.15': 1 } },
      { brand: 'yealink', model: 'T54W', versions: { '96.86.0.100': 1 } },
    ]);
  });

  it('delete: the file and its checksum go; a deleted current version stops being current', async () => {
    const r = await ana.call('DELETE', '/api/v1/firmware/yealink/T46S/66.86.0.15/T46S-66.86.0.15.rom');
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(await readdir(join(dir, 'yealink', 'T46S')), []);
    assert.equal(
      (await ana.call('DELETE', '/api/v1/firmware/yealink/T46S/66.86.0.15/T46S-66.86.0.15.rom')).status,
      404,
    );
    const cfg = await (
      await digestGet(`${h.url}/provisioning/001565aa0001.cfg`, phones.get('2001')!, 'x')
    ).text();
    assert.ok(!cfg.includes('firmware'));
  });

  it('401 and 403 on every firmware route', async () => {
    const vic = await h.login('vic');
    const anon = h.anonymous();
    for (const [m, u, admin] of [
      ['GET', '/api/v1/firmware', false],
      ['GET', '/api/v1/firmware/versions', false],
      ['PATCH', '/api/v1/firmware/yealink/T46S', true],
      ['DELETE', '/api/v1/firmware/snom/D785/10.1.54.13/snomD785-10.1.54.13-SIP-r.bin', true],
    ] as const) {
      const body = m === 'PATCH' ? { current: null } : undefined;
      assert.equal((await anon.call(m, u, body)).status, 401, u);
      if (admin) assert.equal((await vic.call(m, u, body)).status, 403, u);
    }
    const q = 'brand=yealink&model=T46S&version=1&filename=a.rom';
    assert.equal((await upload(q, IMAGE, {})).status, 401);
    assert.equal((await upload(q, IMAGE, vic.headers)).status, 403);
    assert.ok(!(await readdir(join(dir, 'yealink', 'T46S'))).includes('1'));
  });
});
