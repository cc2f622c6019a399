/** The screenshot script runs (into a temporary folder) and writes a real PNG of every page. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { takeScreenshots } from '../../scripts/screenshots.js';

describe('scripts/screenshots', () => {
  it('writes a PNG of every page, English and two in Spanish', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-shots-'));
    try {
      const files = await takeScreenshots(dir);
      assert.deepEqual(files.map((f) => basename(f)).sort(), [
        'calls-es.png',
        'calls-phone.png',
        'calls.png',
        'console.png',
        'dial.png',
        'feeds.png',
        'history.png',
        'home-es.png',
        'home.png',
        'login.png',
        'phones.png',
        'queues.png',
        'routes.png',
        'software.png',
        'stats.png',
        'trunks.png',
        'users.png',
        'wallboard.png',
      ]);
      for (const f of files) {
        const png = readFileSync(f);
        assert.equal(png.subarray(1, 4).toString(), 'PNG', f);
        // Width from the IHDR chunk: the desktop shots are 1280 px wide, the phone one 390.
        assert.equal(png.readUInt32BE(16), f.endsWith('phone.png') ? 390 : 1280, f);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
