/** The firmware store (streamed, hashed, size-limited, nothing left of a refused upload) and User-Agent parsing. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { FirmwareStore, parsePhoneAgent, versionCounts } from '../../src/admin/index.js';

test('a stream past maxBytes is refused while streaming and leaves no file behind', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sb-fws-'));
  try {
    const store = new FirmwareStore(dir, 1000);
    const chunks = () => Readable.from([Buffer.alloc(600, 1), Buffer.alloc(600, 2)]);
    await assert.rejects(
      store.save(chunks(), { brand: 'cisco', model: 'SPA504G', version: '7.6.2', filename: 'spa504g.bin' }),
      (e: Error & { code?: string }) => e.code === 'ADMIN_FIRMWARE_TOO_LARGE',
    );
    assert.deepEqual(await readdir(join(dir, 'cisco', 'SPA504G', '7.6.2')), []);
    const ok = await store.save(Readable.from([Buffer.alloc(600, 1)]), {
      brand: 'Cisco',
      model: 'SPA504G',
      version: '7.6.2',
      filename: 'spa504g.bin',
    });
    assert.equal(ok.sha256, createHash('sha256').update(Buffer.alloc(600, 1)).digest('hex'));
    assert.equal(ok.brand, 'cisco');
    await assert.rejects(
      store.save(Readable.from([Buffer.alloc(1)]), {
        brand: 'cisco',
        model: 'a/b',
        version: '1',
        filename: 'x',
      }),
      (e: Error & { field?: string }) => e.field === 'model',
    );
    await assert.rejects(
      store.save(Readable.from([Buffer.alloc(1)]), {
        brand: 'nokia',
        model: 'a',
        version: '1',
        filename: 'x',
      }),
      (e: Error & { field?: string }) => e.field === 'brand',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('User-Agent of each brand: model and version', () => {
  const cases: Array<[string, [string, string, string] | undefined]> = [
    ['Yealink SIP-T46S 66.86.0.15 00:15:65:aa:bb:cc', ['yealink', 'T46S', '66.86.0.15']],
    ['FileTransport PolycomVVX-VVX_450-UA/6.3.1.8427', ['polycom', 'VVX_450', '6.3.1.8427']],
    ['Grandstream Model HW GXP2170 SW 1.0.11.23 DevId 000b82aabbcc', ['grandstream', 'GXP2170', '1.0.11.23']],
    ['Mozilla/4.0 (compatible; snom320-SIP 8.7.3.25 1.1.3-s)', ['snom', '320', '8.7.3.25']],
    ['Cisco-SPA504G/7.6.2', ['cisco', 'SPA504G', '7.6.2']],
    ['curl/8.5.0', undefined],
    ['', undefined],
  ];
  for (const [ua, want] of cases) {
    const a = parsePhoneAgent(ua);
    assert.deepEqual(a ? [a.brand, a.model, a.version] : undefined, want, ua);
  }
  assert.deepEqual(
    versionCounts([
      { phoneId: 1, userAgent: 'Yealink SIP-T46S 66.86.0.15' },
      { phoneId: 1, userAgent: 'Yealink SIP-T46S 66.85.0.5' },
      { phoneId: 2, userAgent: 'Yealink SIP-T46S 66.85.0.5' },
      { phoneId: 3, userAgent: 'curl/8' },
      { phoneId: null, userAgent: 'Yealink SIP-T46S 1' },
    ]),
    [{ brand: 'yealink', model: 'T46S', versions: { '66.86.0.15': 1, '66.85.0.5': 1 } }],
  );
});
