/** Runs the README's Stasis IVR example (examples/ari-ivr.ts) against the fake ARI server and its PBX simulator. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { startIvr } from '../../examples/ari-ivr.js';
import { FakeAriPbx, FakeAriServer } from '../../src/testing/index.js';
import { waitUntil } from '../helpers/wait.js';

describe('README Stasis IVR example', () => {
  test('the README shows examples/ari-ivr.ts verbatim (with the package import)', () => {
    const readme = readFileSync('README.md', 'utf8');
    const marker = readme.indexOf('<!-- ari-ivr-example -->');
    assert.ok(marker >= 0, 'README marks the example');
    const start = readme.indexOf('```ts\n', marker) + 6;
    const end = readme.indexOf('\n```', start);
    const shown = readme.slice(start, end + 1);
    const file = readFileSync('examples/ari-ivr.ts', 'utf8').replace(
      "'../src/ari/index.js'",
      "'switchboard/ari'",
    );
    assert.equal(shown, file);
  });

  test('routes callers by their choice, retries on invalid input, survives hangups, leaves nothing behind', async () => {
    const server = await new FakeAriServer().listen();
    const pbx = new FakeAriPbx(server, { playbackMs: 20 });
    const errors: unknown[] = [];
    const origError = console.error;
    console.error = (...a: unknown[]) => errors.push(a);
    const ari = await startIvr({ url: server.url, menuTimeoutMs: 100 });
    const played = (id: string) =>
      pbx.played.filter((p) => p.startsWith(`${id} `)).map((p) => p.split(' ')[1]);
    const atMenu = (id: string, n: number) =>
      waitUntil(
        () => played(id).filter((m) => m === 'sound:press-1-sales-2-support').length === n,
        `menu #${n}`,
      );
    try {
      // Caller 1 picks sales at once (barge-in during the menu prompt).
      const sales = pbx.startCall('ivr', ['es']);
      // Caller 2 presses 9 (invalid), then 2: support.
      const support = pbx.startCall('ivr', ['en']);
      // Caller 3 never presses anything: three menus, then goodbye and hangup.
      const silent = pbx.startCall('ivr');
      // Caller 4 hangs up in the middle of the menu.
      const quitter = pbx.startCall('ivr');

      await atMenu(sales, 1);
      pbx.pressDigits(sales, '1');
      await atMenu(support, 1);
      pbx.pressDigits(support, '9');
      await atMenu(support, 2);
      pbx.pressDigits(support, '2');
      await atMenu(quitter, 1);
      pbx.callerHangup(quitter);

      await waitUntil(() => pbx.channels.get(sales)?.inStasis === false, 'sales continued');
      await waitUntil(() => pbx.channels.get(support)?.inStasis === false, 'support continued');
      await waitUntil(() => !pbx.channels.has(silent), 'silent caller hung up');

      assert.equal(pbx.channels.get(sales)?.vars.get('IVR_CHOICE'), 'sales');
      assert.equal(pbx.channels.get(support)?.vars.get('IVR_CHOICE'), 'support');
      assert.deepEqual(played(sales), ['sound:welcome', 'sound:press-1-sales-2-support']);
      assert.deepEqual(played(support), [
        'sound:welcome',
        'sound:press-1-sales-2-support',
        'sound:option-is-invalid',
        'sound:press-1-sales-2-support',
      ]);
      assert.deepEqual(played(silent), [
        'sound:welcome',
        'sound:press-1-sales-2-support',
        'sound:press-1-sales-2-support',
        'sound:press-1-sales-2-support',
        'sound:goodbye',
      ]);
      const playLang = server.requests.find((r) => r.path === `/channels/${sales}/play`)?.query.lang;
      assert.equal(playLang, 'es');
      assert.deepEqual(errors, [], 'no call failed');
      await waitUntil(() => ari.stats().activeCalls === 0 && ari.stats().liveObjects === 0, 'all released');
    } finally {
      console.error = origError;
      pbx.close();
      await ari.close();
      await server.close();
    }
  });
});
