import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  AMI_MAX_PACKET_LINES,
  AmiActionError,
  AmiActions,
  AmiTypedInputError,
  parseConfigJson,
  serializeAction,
  UpdateConfig,
} from '../../../src/ami/index.js';
import { ReplayRunner, requests } from './replay.js';

const FIXTURE = 'asterisk/ami/config';

/** The recorded UpdateConfig requests as plain header lists, minus Action/ActionID. */
function recordedUpdates(): Array<Array<[string, string]>> {
  return requests(FIXTURE)
    .filter((m) => m.get('Action') === 'UpdateConfig')
    .map((m) =>
      m.headers.filter(([k]) => !/^(Action|ActionID)$/.test(k)).map(([k, v]) => [k, v] as [string, string]),
    );
}

describe('configuration actions on the real config transcript', () => {
  test('GetConfig/GetConfigJSON/ListCategories/CreateConfig/UpdateConfig in the recorded order', async () => {
    const r = new ReplayRunner(FIXTURE);
    const a = new AmiActions(r);
    assert.deepEqual(await a.listCategories('extensions.conf'), [
      'general',
      'globals',
      'sb-test',
      'sb-agents',
    ]);
    const cfg = await a.getConfig('extensions.conf');
    assert.deepEqual(
      cfg.map((c) => c.name),
      ['general', 'globals', 'sb-test', 'sb-agents'],
    );
    const sbTest = cfg.find((c) => c.name === 'sb-test');
    assert.equal(sbTest?.variables.length, 33);
    assert.deepEqual(sbTest?.variables[2], [
      'same',
      `n,AGI(agi://127.0.0.1:4573/route?exten=\${EXTEN}&src=harness,first,second arg)`,
    ]);
    assert.deepEqual(cfg.find((c) => c.name === 'globals')?.variables, []);
    const agents = await a.getConfig('extensions.conf', { category: 'sb-agents' });
    assert.equal(agents.length, 1);
    assert.equal(agents[0]?.variables.length, 5);
    // GetConfigJSON has duplicate keys: every exten/same line must survive, equal to GetConfig's.
    const json = await a.getConfigJson('extensions.conf');
    assert.deepEqual(
      json.map((c) => [c.name, c.variables]),
      cfg.map((c) => [c.name, c.variables]),
    );
    await assert.rejects(a.getConfig('nosuchfile.conf'), AmiActionError);
    await a.createConfig('sbtest.conf');
    assert.deepEqual(await a.getConfig('sbtest.conf'), []);
    assert.deepEqual(await a.listCategories('sbtest.conf'), []); // `Error: no categories found` inside Success

    // The builder reproduces the recorded requests (we omit `Reload: no`: Asterisk 13 reloads a module "no").
    const recorded = recordedUpdates();
    const withoutReload = (h: Array<[string, string]>) => h.filter(([k]) => k !== 'Reload');
    const first = new UpdateConfig('sbtest.conf')
      .newCat('alpha')
      .append('alpha', 'key1', 'v1')
      .append('alpha', 'key2', 'v2 with spaces')
      .newCat('beta')
      .append('beta', 'x', '1');
    await a.updateConfig(first);
    assert.deepEqual(Object.entries(r.sent.at(-1)?.params ?? {}), withoutReload(recorded[0] ?? []));
    assert.equal(r.sent.at(-1)?.params.Reload, undefined);
    assert.deepEqual(
      (await a.getConfig('sbtest.conf')).map((c) => [c.name, c.variables]),
      [
        [
          'alpha',
          [
            ['key1', 'v1'],
            ['key2', 'v2 with spaces'],
          ],
        ],
        ['beta', [['x', '1']]],
      ],
    );
    const second = new UpdateConfig('sbtest.conf')
      .update('alpha', 'key1', 'v1-updated')
      .delete('alpha', 'key2')
      .delCat('beta');
    await a.updateConfig(second);
    assert.deepEqual(Object.entries(r.sent.at(-1)?.params ?? {}), withoutReload(recorded[1] ?? []));
    assert.deepEqual(
      (await a.getConfig('sbtest.conf')).map((c) => [c.name, c.variables]),
      [['alpha', [['key1', 'v1-updated']]]],
    );
    assert.deepEqual(
      (await a.getConfigJson('sbtest.conf')).map((c) => c.variables),
      [[['key1', 'v1-updated']]],
    );
    assert.deepEqual(await a.listCategories('sbtest.conf'), ['alpha']);
    await assert.rejects(a.createConfig('sbtest.conf'), /File exists/);
    const errors: string[] = [];
    for (const u of [
      new UpdateConfig('sbtest.conf').newCat('alpha'),
      new UpdateConfig('sbtest.conf').append('alpha', 'key3', 'v3').update('alpha', 'nosuchvar', 'x'),
    ]) {
      await a.updateConfig(u).catch((e: AmiActionError) => errors.push(e.reason));
    }
    assert.deepEqual(errors, [
      'Create category did not complete successfully',
      'Update did not complete successfully',
    ]);
  });

  test('parseConfigJson keeps duplicate keys, escapes, templates and empty categories', () => {
    const cats = parseConfigJson(
      '{"t":{"istemplate":1,"a":"1"},"c":{"templates":"t","exten":"1,1,NoOp(\\"x\\\\y\\")","exten":"2"},"e":{}}',
    );
    assert.deepEqual(cats, [
      { name: 't', isTemplate: true, templates: [], variables: [['a', '1']] },
      {
        name: 'c',
        isTemplate: false,
        templates: ['t'],
        variables: [
          ['exten', '1,1,NoOp("x\\y")'],
          ['exten', '2'],
        ],
      },
      { name: 'e', isTemplate: false, templates: [], variables: [] },
    ]);
    assert.throws(() => parseConfigJson('{"a":{"b":"c"'), SyntaxError);
  });
});

describe('UpdateConfig builder', () => {
  test('numbers from 000000 without gaps and maps every step kind and option', () => {
    const [only, ...rest] = new UpdateConfig('pjsip.conf', {
      dstFilename: 'pjsip.new.conf',
      reload: 'res_pjsip.so',
    })
      .newCat('tmpl', { template: true, allowDups: true })
      .newCat('alonso', { inherit: 'tmpl', before: 'reina', ignoreError: true })
      .renameCat('old', 'new')
      .emptyCat('x')
      .update('alonso', 'context', 'oficina2', { match: 'oficina1' })
      .update('sb', 'exten', '100,1,NoOp()', { object: true })
      .delete('alonso', 'allow', { match: 'gsm' })
      .delete('alonso', 'x', { line: 3 })
      .append('sb', 'exten', '200,1,Answer()', { object: true })
      .insert('alonso', 'allow', 'ulaw', 0, { catFilter: 'type=endpoint' })
      .delCat('gone', { ignoreError: true })
      .toActions();
    assert.equal(rest.length, 0);
    assert.ok(only);
    assert.deepEqual(only.params, {
      SrcFilename: 'pjsip.conf',
      DstFilename: 'pjsip.new.conf',
      Reload: 'res_pjsip.so',
      'Action-000000': 'NewCat',
      'Cat-000000': 'tmpl',
      'Options-000000': 'allowdups,template',
      'Action-000001': 'NewCat',
      'Cat-000001': 'alonso',
      'Match-000001': 'reina',
      'Options-000001': 'ignoreerror,inherit=tmpl',
      'Action-000002': 'RenameCat',
      'Cat-000002': 'old',
      'Value-000002': 'new',
      'Action-000003': 'EmptyCat',
      'Cat-000003': 'x',
      'Action-000004': 'Update',
      'Cat-000004': 'alonso',
      'Var-000004': 'context',
      'Value-000004': 'oficina2',
      'Match-000004': 'oficina1',
      'Action-000005': 'Update',
      'Cat-000005': 'sb',
      'Var-000005': 'exten',
      'Value-000005': '>100,1,NoOp()',
      'Action-000006': 'Delete',
      'Cat-000006': 'alonso',
      'Var-000006': 'allow',
      'Match-000006': 'gsm',
      'Action-000007': 'Delete',
      'Cat-000007': 'alonso',
      'Var-000007': 'x',
      'Line-000007': '3',
      'Action-000008': 'Append',
      'Cat-000008': 'sb',
      'Var-000008': 'exten',
      'Value-000008': '200,1,Answer()',
      'Match-000008': 'object',
      'Action-000009': 'Insert',
      'Cat-000009': 'alonso',
      'Var-000009': 'allow',
      'Value-000009': 'ulaw',
      'Line-000009': '0',
      'Options-000009': 'catfilter=type=endpoint',
      'Action-000010': 'DelCat',
      'Cat-000010': 'gone',
      'Options-000010': 'ignoreerror',
    });
  });

  test('reload: true sends Reload: yes; false or absent sends no Reload header', () => {
    assert.equal(
      new UpdateConfig('a.conf', { reload: true }).delCat('x').toActions()[0]?.params.Reload,
      'yes',
    );
    assert.equal(
      'Reload' in (new UpdateConfig('a.conf', { reload: false }).delCat('x').toActions()[0]?.params ?? {}),
      false,
    );
    assert.equal('Reload' in (new UpdateConfig('a.conf').delCat('x').toActions()[0]?.params ?? {}), false);
  });

  test('property: every packet fits 128 lines on the wire, numbering restarts without gaps, steps keep order', () => {
    const step = fc.oneof(
      fc.record({
        kind: fc.constant('append' as const),
        cat: fc.stringMatching(/^[a-z]{1,8}$/),
        v: fc.stringMatching(/^[a-z]{1,6}$/),
      }),
      fc.record({
        kind: fc.constant('newcat' as const),
        cat: fc.stringMatching(/^[a-z]{1,8}$/),
        v: fc.constant(''),
      }),
      fc.record({
        kind: fc.constant('delete' as const),
        cat: fc.stringMatching(/^[a-z]{1,8}$/),
        v: fc.stringMatching(/^[a-z]{1,6}$/),
      }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 300 }), fc.boolean(), (steps, reload) => {
        const u = new UpdateConfig('x.conf', { reload });
        for (const s of steps) {
          if (s.kind === 'append') u.append(s.cat, s.v, `${s.v}=1`, { object: s.v.length % 2 === 0 });
          else if (s.kind === 'newcat') u.newCat(s.cat, { template: true });
          else u.delete(s.cat, s.v, { match: s.v });
        }
        const actions = u.toActions();
        const seen: string[] = [];
        actions.forEach((a, i) => {
          const wire = serializeAction(a.name, { ActionID: `sb-${'9'.repeat(20)}`, ...a.params });
          const lines = wire.split('\r\n').filter((l) => l !== '');
          assert.ok(lines.length <= AMI_MAX_PACKET_LINES, `packet ${i} has ${lines.length} lines`);
          assert.equal('Reload' in a.params, reload && i === actions.length - 1);
          const nums = Object.keys(a.params)
            .filter((k) => k.startsWith('Action-'))
            .map((k) => k.slice(7));
          assert.deepEqual(
            nums,
            nums.map((_, j) => String(j).padStart(6, '0')),
          );
          for (const n of nums) seen.push(`${a.params[`Action-${n}`]}:${a.params[`Cat-${n}`]}`);
        });
        assert.deepEqual(
          seen,
          steps.map(
            (s) => `${s.kind === 'append' ? 'Append' : s.kind === 'newcat' ? 'NewCat' : 'Delete'}:${s.cat}`,
          ),
        );
      }),
      { numRuns: 200 },
    );
  });

  test('a large batch splits into several packets', () => {
    const u = new UpdateConfig('big.conf', { reload: true });
    for (let i = 0; i < 100; i++) u.append('c', `v${i}`, String(i)); // 4 lines each
    const a = u.toActions();
    assert.equal(a.length, 4); // (128 - 5 fixed lines) / 4 = 30 steps per packet
    assert.equal(Object.keys(a[0]?.params ?? {}).filter((k) => k.startsWith('Action-')).length, 30);
    assert.equal(a[3]?.params['Var-000009'], 'v99');
  });

  test('refuses CR/LF injection, empty names, bad options before anything is sent', () => {
    const u = new UpdateConfig('a.conf');
    assert.throws(() => u.append('c', 'v', 'x\r\nAction: Originate'), AmiTypedInputError);
    assert.throws(() => u.append('c\n', 'v', 'x'), AmiTypedInputError);
    assert.throws(() => u.append('', 'v', 'x'), AmiTypedInputError);
    assert.throws(() => u.newCat('c', { inherit: 'a,b' }), AmiTypedInputError);
    assert.throws(() => u.insert('c', 'v', 'x', -1), AmiTypedInputError);
    assert.throws(() => new UpdateConfig('a.conf\r\n'), AmiTypedInputError);
    assert.throws(() => new UpdateConfig('a.conf', { reload: 'x\ny' }), AmiTypedInputError);
    assert.equal(u.steps.length, 0);
  });
});
