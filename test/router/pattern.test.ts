import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  comparePatterns,
  compilePattern,
  type DialPattern,
  type PatternElement,
} from '../../src/router/pattern.js';
import { PatternIndex } from '../../src/router/pattern-index.js';

describe('compilePattern', () => {
  const matchTable: Array<[string, string[], string[]]> = [
    ['_XXX', ['100', '999', '000'], ['10', '1000', '1a0', '']],
    ['_NXX', ['200', '999'], ['100', '099']],
    ['_ZXX', ['100', '999'], ['099']],
    ['_[1-5]X', ['10', '59'], ['60', '00']],
    ['_[137-9]', ['1', '3', '7', '8', '9'], ['2', '4', '6', '0']],
    ['_X.', ['12', '1234567890'], ['1', '']],
    ['_X!', ['1', '12', '123'], ['']],
    ['_9!', ['9', '91'], ['8']],
    ['_*XX', ['*12'], ['#12', '123']],
    ['_#X', ['#1'], ['*1']],
    ['_+X.', ['+34', '+3491'], ['34']],
    ['_1-800-XXX', ['1800123', '1-800-123'], ['1800', '1900123']],
    ['_x', ['5'], ['a']],
    ['100', ['100', '1-00'], ['1000', '10']],
    ['s', ['s'], ['S', '1']],
  ];
  for (const [source, yes, no] of matchTable) {
    test(`${source} matches ${yes.join(', ')} and not ${no.join(', ') || '(empty)'}`, () => {
      const p = compilePattern(source);
      for (const n of yes) assert.equal(p.matches(n), true, `${source} should match ${n}`);
      for (const n of no) assert.equal(p.matches(n), false, `${source} should not match ${n}`);
    });
  }

  test('canonical spelling merges equivalent sets', () => {
    assert.equal(compilePattern('_[0-9][2-9][1-9]').canonical, '_XNZ');
    assert.equal(compilePattern('_[3131]').canonical, '_[13]');
    assert.equal(compilePattern('_1-2-3').canonical, '_123');
  });

  const bad: Array<[string, number, RegExp]> = [
    ['_1[23', 2, /never closed/],
    ['_1[]', 2, /empty set/],
    ['_1[5-1]', 5, /backwards/],
    ['_1[a]', 3, /unexpected character "a" in a set/],
    ['_1A', 2, /unexpected character "A"/],
    ['_X.1', 3, /nothing may follow '\.'/],
    ['_X!X', 3, /nothing may follow '!'/],
    ['_12]', 3, /without '\['/],
    ['_', 0, /no positions/],
    ['', 0, /empty/],
    ['10 0', 2, /exact number/],
    ['1,0', 1, /exact number/],
    ['_1[*-9]', 4, /only allowed between digits/],
  ];
  for (const [source, position, message] of bad) {
    test(`refuses ${JSON.stringify(source)} pointing at position ${position}`, () => {
      assert.throws(
        () => compilePattern(source),
        (err: unknown) => {
          const e = err as { code: string; position: number; message: string };
          assert.equal(e.code, 'ROUTER_INVALID_PATTERN');
          assert.equal(e.position, position);
          assert.match(e.message, message);
          return true;
        },
      );
    });
  }
});

describe('Asterisk ordering (ext_cmp)', () => {
  // [more specific, less specific]: each row is a documented rule of pbx.c ext_cmp / ext_cmp_pattern_pos.
  const before: Array<[string, string, string]> = [
    ['12345', '_1234X', 'exact numbers come before patterns'],
    ['999', '_X.', 'exact numbers come before patterns'],
    ['_1234X', '_123XX', 'a literal beats a set at the first position that differs'],
    ['_[1-5]', '_X', 'a smaller set wins'],
    ['_N', '_Z', 'N (8 digits) before Z (9 digits)'],
    ['_Z', '_X', 'Z (9 digits) before X (10 digits)'],
    ['_NXX', '_X.', 'any set before .'],
    ['_XX', '_X.', 'any set before . (also the 10-digit X)'],
    ['_X.', '_X!', '. before !'],
    ['_1X!', '_1X', '! before the end of the pattern'],
    ['_[13]', '_[14]', 'equal-size sets: the one holding the lower digits'],
    ['_[13]', '_[23]', 'equal-size sets: the lower first digit'],
    ['_1', '_2', 'literals by character'],
    ['_#', '_*', 'literals by ASCII: # (35) before * (42)'],
    ['_*', '_1', 'literals by ASCII: * (42) before 1 (49)'],
    ['_61XXX', '_6XXXX', 'earlier positions decide first'],
    ['_NXXNXXXXXX', '_NXX.', 'a long fixed pattern beats a . at the same position'],
    ['_9011.', '_9.', 'the longer literal prefix wins before any .'],
    ['_[2-3]', '_[1-3]', 'two digits before three'],
  ];
  for (const [a, b, why] of before) {
    test(`${a} before ${b}: ${why}`, () => {
      const pa = compilePattern(a);
      const pb = compilePattern(b);
      assert.ok(comparePatterns(pa, pb) < 0);
      assert.ok(comparePatterns(pb, pa) > 0);
    });
  }
  test('equivalent spellings compare equal', () => {
    assert.equal(comparePatterns(compilePattern('_X'), compilePattern('_[0-9]')), 0);
    assert.equal(comparePatterns(compilePattern('_N-XX'), compilePattern('_[2-9]XX')), 0);
  });
  test('the index picks what Asterisk picks', () => {
    const idx = new PatternIndex<string>();
    for (const p of ['_X.', '_NXXXXXX', '_9.', '_91NXXNXXXXXX', '_911', '911', '_9!', '_[89]11'])
      idx.add(compilePattern(p), p);
    assert.deepEqual(
      idx.matches('911').map((e) => e.value),
      ['911', '_911', '_9.', '_9!', '_[89]11', '_X.'],
      'the literal 9 (one character) beats the set [89] at the first position',
    );
    assert.equal(idx.find('919005551234')?.value, '_91NXXNXXXXXX');
    assert.equal(idx.find('2345678')?.value, '_NXXXXXX');
    assert.equal(idx.find('9')?.value, '_9!');
    assert.equal(idx.find('1')?.value, undefined);
    assert.equal(
      idx.find('911', (v) => !v.startsWith('9') && !v.startsWith('_9'))?.value,
      '_[89]11',
      'a rejected candidate passes to the next one',
    );
  });
  test('values under the same pattern keep the tie-break order', () => {
    const idx = new PatternIndex<{ name: string; order: number }>((a, b) => a.order - b.order);
    idx.add(compilePattern('_2X'), { name: 'late', order: 5 });
    idx.add(compilePattern('_2[0-9]'), { name: 'early', order: 1 });
    idx.add(compilePattern('_2X'), { name: 'mid', order: 3 });
    assert.deepEqual(
      idx.matches('21').map((e) => e.value.name),
      ['early', 'mid', 'late'],
    );
  });
});

// ---- property tests -------------------------------------------------------------------------------------------
const CHARS = '0123456789*#+';
const setArb = fc
  .subarray([...CHARS], { minLength: 1 })
  .map((chars) => (chars.length === 1 ? (chars[0] as string) : `[${chars.join('')}]`));
const namedArb = fc.constantFrom('X', 'Z', 'N', '[1-5]', '[137-9]', '[2-4]');
const elementArb = fc.oneof(setArb, namedArb, fc.constantFrom(...'0123456789'));
const patternArb = fc
  .tuple(fc.array(elementArb, { minLength: 1, maxLength: 8 }), fc.constantFrom('', '', '.', '!'))
  .map(([els, tail]) => `_${els.join('')}${tail}`);

function pickFrom(p: DialPattern): fc.Arbitrary<string> {
  const parts = p.elements.map((e: PatternElement) => {
    if (e.kind === 'set') return fc.constantFrom(...e.chars);
    const min = e.kind === 'dot' ? 1 : 0;
    return fc.array(fc.constantFrom(...CHARS), { minLength: min, maxLength: 6 }).map((a) => a.join(''));
  });
  return fc.tuple(...parts).map((a) => a.join(''));
}

/** Reference matcher: the pattern turned into a regular expression. */
function toRegExp(p: DialPattern): RegExp {
  const esc = (c: string) => c.replace(/[*+#]/g, (m) => `\\${m}`);
  const body = p.elements
    .map((e) => (e.kind === 'dot' ? '.+' : e.kind === 'bang' ? '.*' : `[${[...e.chars].map(esc).join('')}]`))
    .join('');
  return new RegExp(`^${body}$`);
}

describe('pattern properties', () => {
  test('every pattern matches the numbers generated from it', () => {
    fc.assert(
      fc.property(
        patternArb.chain((src) => fc.tuple(fc.constant(src), pickFrom(compilePattern(src)))),
        ([src, number]) => compilePattern(src).matches(number),
      ),
      { numRuns: 2000 },
    );
  });
  test('and never others (agrees with a regular-expression oracle)', () => {
    const numberArb = fc.array(fc.constantFrom(...CHARS, 'a'), { maxLength: 12 }).map((a) => a.join(''));
    fc.assert(
      fc.property(patternArb, numberArb, (src, number) => {
        const p = compilePattern(src);
        assert.equal(p.matches(number), toRegExp(p).test(number), `${src} vs ${number}`);
      }),
      { numRuns: 5000 },
    );
  });
  test('the trie walks matches in exactly the order of sorting every pattern with ext_cmp', () => {
    const numberArb = fc
      .array(fc.constantFrom(...'0123456789'), { minLength: 1, maxLength: 9 })
      .map((a) => a.join(''));
    const exactArb = fc
      .array(fc.constantFrom(...'0123456789'), { minLength: 1, maxLength: 4 })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(
        fc.array(fc.oneof(patternArb, exactArb), { minLength: 1, maxLength: 40 }),
        fc.array(numberArb, { maxLength: 10 }),
        (sources, numbers) => {
          const idx = new PatternIndex<number>((a, b) => a - b);
          const compiled = sources.map((s) => compilePattern(s));
          for (const [i, p] of compiled.entries()) idx.add(p, i);
          for (const n of [...numbers, ...sources.filter((s) => !s.startsWith('_'))]) {
            const expected = compiled
              .map((p, i) => ({ p, i }))
              .filter((x) => x.p.matches(n))
              .sort((a, b) => comparePatterns(a.p, b.p) || a.i - b.i)
              .map((x) => x.i);
            assert.deepEqual(
              idx.matches(n).map((e) => e.value),
              expected,
              `number ${n}`,
            );
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
