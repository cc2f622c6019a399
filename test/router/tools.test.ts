// biome-ignore-all lint/suspicious/noTemplateCurlyInString: dial targets use the router's ${var} syntax
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  checkRules,
  compilePattern,
  compileTimeWindow,
  explain,
  exportRules,
  formatExplanation,
  formatRulesFile,
  hashPin,
  importRules,
  loadDemo,
  loadRouterConfig,
  parseRulesFile,
  parseTimeWindowSpec,
  patternCovers,
  RuleSet,
  verifyPin,
  windowOpen,
  windowsOverlap,
} from '../../src/router/index.js';
import { openStore, type Store } from '../../src/store/index.js';

const CHEAP = { N: 1024, r: 8, p: 1 };

async function rulesOf(store: Store): Promise<RuleSet> {
  const [routes, extensions, users, permissions] = await Promise.all([
    store.routes.list(),
    store.extensions.list(),
    store.users.list(),
    store.permissions.list(),
  ]);
  return new RuleSet({ routes, extensions, users, permissions });
}

describe('PINs', () => {
  test('stored as a salted scrypt hash; verified in constant time; never the PIN itself', async () => {
    const a = await hashPin('123456', CHEAP);
    const b = await hashPin('123456', CHEAP);
    assert.match(a, /^scrypt\$1024\$8\$1\$/);
    assert.notEqual(a, b, 'a fresh salt every time');
    assert.ok(!a.includes('123456'));
    assert.equal(await verifyPin('123456', a), true);
    assert.equal(await verifyPin('123457', a), false);
    assert.equal(await verifyPin('', a), false);
    assert.equal(await verifyPin('123456', 'plain:123456'), false);
    await assert.rejects(
      hashPin('12a4'),
      (e: Error) => (e as { code?: string }).code === 'ROUTER_INVALID_PIN' && !e.message.includes('12a4'),
    );
  });
});

describe('time windows', () => {
  const at = (iso: string) => new Date(iso);
  test('weekdays, hours and a time zone', () => {
    const w = compileTimeWindow({
      weekdays: 'mon-fri',
      startTime: '08:00',
      endTime: '18:00',
      timezone: 'Europe/Madrid',
    });
    assert.equal(windowOpen(w, at('2026-11-30T07:30:00Z')), true, 'Monday 08:30 in Madrid');
    assert.equal(windowOpen(w, at('2026-11-30T06:59:00Z')), false, 'Monday 07:59 in Madrid');
    assert.equal(
      windowOpen(w, at('2026-11-30T17:00:00Z')),
      false,
      'Monday 18:00 in Madrid: the end is exclusive',
    );
    assert.equal(windowOpen(w, at('2026-11-28T10:00:00Z')), false, 'Saturday');
  });
  test('a window crossing midnight, wrapped weekdays, dates', () => {
    const night = compileTimeWindow({ startTime: '22:00', endTime: '06:00' });
    assert.equal(windowOpen(night, at('2026-11-30T23:00:00Z')), true);
    assert.equal(windowOpen(night, at('2026-11-30T05:59:00Z')), true);
    assert.equal(windowOpen(night, at('2026-11-30T12:00:00Z')), false);
    const weekend = compileTimeWindow({ weekdays: 'sat-sun' });
    assert.equal(windowOpen(weekend, at('2026-11-29T12:00:00Z')), true);
    const wrap = compileTimeWindow({ weekdays: 'fri-mon' });
    assert.equal(windowOpen(wrap, at('2026-11-30T12:00:00Z')), true);
    assert.equal(windowOpen(wrap, at('2026-12-01T12:00:00Z')), false);
    const xmas = compileTimeWindow({ startDate: '2026-12-24', endDate: '2026-12-26' });
    assert.equal(windowOpen(xmas, at('2026-12-25T12:00:00Z')), true);
    assert.equal(windowOpen(xmas, at('2026-12-27T00:00:00Z')), false);
  });
  test('bad windows are rule errors naming the field', () => {
    assert.throws(() => compileTimeWindow({ weekdays: 'monday-funday' }), /bad weekdays/);
    assert.throws(() => compileTimeWindow({ startTime: '25:00' }), /bad time "25:00"/);
    assert.throws(() => compileTimeWindow({ timezone: 'Mars/Olympus' }), /unknown time zone/);
    assert.throws(() => compileTimeWindow({ startDate: '2026-13-45' }), /bad date/);
  });
  test('the CLI spelling of a window', () => {
    assert.deepEqual(parseTimeWindowSpec('mon-fri 08:00-18:00 2026-12-01..2026-12-24 Europe/Madrid'), {
      weekdays: 'mon-fri',
      startTime: '08:00',
      endTime: '18:00',
      startDate: '2026-12-01',
      endDate: '2026-12-24',
      timezone: 'Europe/Madrid',
    });
    assert.deepEqual(parseTimeWindowSpec('sat,sun'), { weekdays: 'sat,sun' });
    assert.throws(() => parseTimeWindowSpec('weekends'), /cannot read "weekends"/);
  });
  test('overlap', () => {
    const a = compileTimeWindow({ weekdays: 'mon-fri', startTime: '08:00', endTime: '18:00' });
    const b = compileTimeWindow({ weekdays: 'fri-sun', startTime: '17:00', endTime: '20:00' });
    const c = compileTimeWindow({ weekdays: 'sat-sun' });
    assert.equal(windowsOverlap(a, b), true);
    assert.equal(windowsOverlap(a, c), false);
  });
});

describe('configuration', () => {
  test('defaults, environment overrides, and errors naming the bad key', () => {
    const cfg = loadRouterConfig({
      env: { SWITCHBOARD_ROUTER_PORT: '4600', SWITCHBOARD_ROUTER_ALLOW: '10.0.0.0/8, 127.0.0.1' },
    });
    assert.equal(cfg.listen.port, 4600);
    assert.deepEqual(cfg.listen.allow, ['10.0.0.0/8', '127.0.0.1']);
    assert.equal(cfg.listen.path, '/router');
    assert.equal(cfg.prompts.pin, 'agent-pass');
    assert.throws(
      () => loadRouterConfig({ env: {}, overrides: { 'pin.attempts': 0, 'prompts.pin': 'bad name' } }),
      (e: Error) => /pin\.attempts/.test(e.message) && /prompts\.pin/.test(e.message),
    );
    assert.throws(() => loadRouterConfig({ env: {}, overrides: { 'listen.colour': 'blue' } }), /listen/);
  });
  test('a YAML file, overridden by the environment; a bad file names the key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-router-cfg-'));
    try {
      const file = join(dir, 'router.yaml');
      writeFileSync(
        file,
        'db: /var/lib/sb/router.sqlite\nlisten:\n  port: 4600\nprompts:\n  invalid: custom/not-here\npin:\n  attempts: 2\n',
      );
      const cfg = loadRouterConfig({ file, env: { SWITCHBOARD_ROUTER_PORT: '4700' } });
      assert.equal(cfg.db, '/var/lib/sb/router.sqlite');
      assert.equal(cfg.listen.port, 4700, 'the environment wins over the file');
      assert.equal(cfg.prompts.invalid, 'custom/not-here');
      assert.equal(cfg.pin.attempts, 2);
      assert.equal(cfg.pin.maxDigits, 8);
      writeFileSync(file, 'lockout:\n  maxFailures: many\n');
      assert.throws(() => loadRouterConfig({ file, env: {} }), /router\.yaml:\n {2}lockout\.maxFailures:/);
      writeFileSync(file, 'listen: [unclosed\n');
      assert.throws(() => loadRouterConfig({ file, env: {} }), /not valid YAML/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('rules files', () => {
  test('export then import gives the same rules; a plain PIN is hashed on import', async () => {
    const a = await openStore({ url: ':memory:' });
    const b = await openStore({ url: ':memory:' });
    try {
      await loadDemo(a, CHEAP);
      const text = formatRulesFile(await exportRules(a));
      assert.ok(!text.includes('123456'));
      await importRules(b, parseRulesFile(text));
      assert.deepEqual(await exportRules(b), await exportRules(a));
      const withPin = parseRulesFile('users:\n  - name: ana\n    pin: "4321"\n');
      await importRules(b, withPin, CHEAP);
      const [ana] = await b.users.list();
      assert.ok(ana && (await verifyPin('4321', ana.pinHash)));
      assert.equal((await b.routes.list()).length, 0, 'import replaces the rule set');
    } finally {
      await a.close();
      await b.close();
    }
  });
  test('every bad row is named', () => {
    const text = [
      'routes:',
      '  - { name: ok, pattern: _2X, app: dial, targets: [{ template: "SIP/${number}" }] }',
      '  - { name: pstn, pattern: "_X[5-1]", app: dial, targets: [{ template: "DAHDI/${nope}" }] }',
      'extensions:',
      '  - { number: "33", routes: [ok, ghost] }',
      'users:',
      '  - { name: ana, pin: "12" }',
    ].join('\n');
    assert.throws(
      () => parseRulesFile(text),
      (e: Error) => {
        assert.match(
          e.message,
          /routes\[1\] "pstn": pattern: invalid dial pattern "_X\[5-1\]": range 5-1 runs backwards/,
        );
        assert.match(e.message, /routes\[1\] "pstn": template "DAHDI\/\$\{nope\}": unknown variable/);
        assert.match(e.message, /extensions\[0\] "33": unknown route "ghost"/);
        assert.match(e.message, /users\[0\] "ana": pin must be 4 to 12 digits/);
        return true;
      },
    );
    assert.throws(
      () => parseRulesFile('routes:\n  - { name: x, pattern: _1, app: busy, colour: red }\n'),
      /routes\[0\] "x"/,
    );
  });
});

describe('explain', () => {
  test('which route wins and why, the rewritten number, failover, PIN and window', async () => {
    const store = await openStore({ url: ':memory:' });
    try {
      await loadDemo(store, CHEAP);
      await store.routes.create({
        name: 'office',
        pattern: '_2X',
        app: 'dial',
        position: -1,
        targets: [{ template: 'PJSIP/${number}' }, { template: 'SIP/backup/${number}' }],
        windows: [{ weekdays: 'mon-fri', startTime: '08:00', endTime: '18:00' }],
      });
      const rules = await rulesOf(store);
      const sat = explain(rules, '25', '33', new Date('2026-11-28T10:00:00Z'));
      assert.deepEqual(sat.candidates, [
        { route: 'office', pattern: '_2X', verdict: 'time window closed' },
        { route: 'sip', pattern: '_2X', verdict: 'chosen' },
      ]);
      assert.equal(sat.pin, 'not needed');
      const mon = explain(rules, '25', '44', new Date('2026-11-30T10:00:00Z'));
      assert.equal(mon.route, 'office');
      assert.deepEqual(mon.failover, ['PJSIP/25', 'SIP/backup/25']);
      assert.equal(mon.pin, 'required');
      assert.deepEqual(
        mon.candidates.map((c) => c.verdict),
        ['chosen', 'lower precedence'],
      );
      const text = formatExplanation(mon);
      assert.match(text, /1\. office \(_2X\): chosen/);
      assert.match(text, /dial order: 1\. PJSIP\/25 {2}2\. SIP\/backup\/25/);
      assert.match(text, /PIN: required — but no user holds this route/);
      assert.match(formatExplanation(explain(rules, '5', '33', new Date())), /no route/);
    } finally {
      await store.close();
    }
  });
});

describe('check', () => {
  test('findings name the rows', async () => {
    const store = await openStore({ url: ':memory:' });
    try {
      await store.extensions.create({ number: '33' });
      await store.extensions.create({ number: '40' });
      const add = async (name: string, pattern: string, extra: Record<string, unknown> = {}) => {
        await store.routes.create({ name, pattern, app: 'busy', ...extra });
        await store.permissions.grant({ route: name, extension: '33' });
      };
      await add('exact', '25');
      await add('shadowed', '_25');
      await add('wide', '_X.');
      await add('also-wide', '_X.', { position: 5 });
      await add('day', '_6X', { windows: [{ weekdays: 'mon-fri', startTime: '08:00', endTime: '18:00' }] });
      await add('evening', '_6X', {
        position: 1,
        windows: [{ weekdays: 'fri', startTime: '17:00', endTime: '22:00' }],
      });
      await add('old', '_7X', { windows: [{ endDate: '2020-01-01' }] });
      await add('broken', '_8X', { appData: '{"timeout": "soon"}' });
      await store.routes.create({ name: 'orphan', pattern: '_9X', app: 'busy' });
      await store.routes.create({ name: 'bad-pattern', pattern: '_9[', app: 'busy' });
      const findings = checkRules(await rulesOf(store), new Date('2026-11-30T10:00:00Z'));
      const find = (re: RegExp) =>
        findings.filter((f) => re.test(`${f.level} ${f.rows.join(', ')}: ${f.message}`));
      assert.equal(
        find(/^error route bad-pattern: invalid dial pattern "_9\[": '\[' is never closed/).length,
        1,
      );
      assert.equal(find(/^error route broken: calls will fail: busy data: timeout/).length, 1);
      assert.equal(find(/^warning route shadowed, route exact: _25 can never win: exact \(25\)/).length, 1);
      assert.equal(find(/^warning route also-wide, route wide: _X\. can never win/).length, 1);
      assert.equal(find(/^info route day, route evening: time windows overlap on _6X: day wins/).length, 1);
      assert.equal(find(/^warning route old: every time window has ended/).length, 1);
      assert.equal(find(/^warning route orphan: no extension and no user holds it/).length, 1);
      assert.equal(find(/^info extension 40: holds no route/).length, 1);
      assert.equal(find(/route wide, route/).length, 0, 'the first of two equal patterns is not shadowed');
      assert.equal(findings[0]?.level, 'error', 'errors first');
    } finally {
      await store.close();
    }
  });

  test('patternCovers agrees with matching on generated numbers', () => {
    const CHARS = '0123456789*#';
    const el = fc.constantFrom('X', 'Z', 'N', '[1-5]', '[13]', '2', '5', '*');
    const pat = fc
      .tuple(fc.array(el, { minLength: 1, maxLength: 4 }), fc.constantFrom('', '.', '!'))
      .map(([e, t]) => `_${e.join('')}${t}`);
    const num = fc.array(fc.constantFrom(...CHARS), { minLength: 1, maxLength: 7 }).map((a) => a.join(''));
    fc.assert(
      fc.property(pat, pat, fc.array(num, { minLength: 20, maxLength: 20 }), (sa, sb, numbers) => {
        const a = compilePattern(sa);
        const b = compilePattern(sb);
        if (!patternCovers(a, b)) return;
        for (const n of numbers) if (b.matches(n)) assert.ok(a.matches(n), `${sa} covers ${sb} but not ${n}`);
      }),
      { numRuns: 3000 },
    );
    assert.equal(patternCovers(compilePattern('_X.'), compilePattern('_2XX')), true);
    assert.equal(patternCovers(compilePattern('_2XX'), compilePattern('_X.')), false);
    assert.equal(patternCovers(compilePattern('_X!'), compilePattern('_X')), true);
    assert.equal(patternCovers(compilePattern('_X.'), compilePattern('_X')), false);
  });
});

describe('demo data set', () => {
  test('3X to IAX2, 2X to SIP, XXXXXXXX to DAHDI, 66 voicemail, 7X conference; 33 may use 2X; moises silva unlocks four', async () => {
    const store = await openStore({ url: ':memory:' });
    try {
      assert.equal(await loadDemo(store, CHEAP), true);
      assert.equal(await loadDemo(store, CHEAP), false, 'a store with routes is left alone');
      const rules = await rulesOf(store);
      const at = new Date('2026-11-30T10:00:00Z');
      const row = (dialed: string, caller: string) => {
        const e = explain(rules, dialed, caller, at);
        return [e.route, e.app, e.failover.join(' '), e.pin, e.unlockedBy.join(',')];
      };
      const moises = 'moises silva';
      assert.deepEqual(row('31', '44'), ['iax2', 'dial', 'IAX2/31', 'required', moises]);
      assert.deepEqual(row('25', '33'), ['sip', 'dial', 'SIP/25', 'not needed', moises]);
      assert.deepEqual(row('25', '44'), ['sip', 'dial', 'SIP/25', 'required', moises]);
      assert.deepEqual(row('31', '33'), ['iax2', 'dial', 'IAX2/31', 'required', moises]);
      assert.deepEqual(row('12345678', '33'), ['pstn', 'dial', 'DAHDI/g1/12345678', 'required', '']);
      assert.deepEqual(row('66', '33'), ['voicemail', 'voicemail', '', 'required', moises]);
      assert.deepEqual(row('70', '33'), ['conference', 'conference', '', 'required', moises]);
      assert.equal(explain(rules, '5', '33', at).route, null);
      const [user] = await store.users.list();
      assert.equal(await verifyPin('123456', user?.pinHash ?? ''), true);
      assert.ok(!user?.pinHash.includes('123456'));
    } finally {
      await store.close();
    }
  });
});
