/** CSV cells (RFC 4180 quoting, formula neutralisation) and the export streamed one page at a time. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { csvCell, csvLine, historyCsv, toHistoryRow } from '../../src/history/index.js';
import { HistoryRepository, openStore } from '../../src/store/index.js';
import { callRecord } from './fixtures.js';

describe('CSV cells', () => {
  test('quotes commas, quotes, line breaks and edge spaces; leaves plain text and numbers alone', () => {
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
    assert.equal(csvCell(' x'), '" x"');
    assert.equal(csvCell(42), '42');
    assert.equal(csvCell(false), 'false');
    assert.equal(csvCell(null), '');
    assert.equal(csvLine(['a', 1, null]), 'a,1,\r\n');
  });

  test('neutralises cells a spreadsheet would run as a formula', () => {
    for (const s of ['=1+1', '+34911', '-2', '@SUM(A1)', '\tx', '\rx']) {
      assert.ok(csvCell(s).replace(/^"/, '').startsWith(`'`), s);
    }
    assert.equal(csvCell('=A1,B1'), `"'=A1,B1"`);
  });
});

test('the export reads one page at a time and yields every row', async () => {
  const store = await openStore({ url: ':memory:' });
  try {
    const repo = new HistoryRepository(store.db, store.dialect);
    const T0 = Date.UTC(2026, 10, 22);
    await repo.insert(
      Array.from({ length: 2500 }, (_, i) =>
        toHistoryRow(callRecord({ linkedid: `C${i}`, start: T0 + i * 1000, duration: 1, source: '201' })),
      ),
    );
    let pages = 0;
    const counting = {
      page: (...a: Parameters<HistoryRepository['page']>) => {
        pages++;
        return repo.page(...a);
      },
    };
    const stream = historyCsv(counting, { src: '201' }, 500);
    const it = stream[Symbol.asyncIterator]();
    await it.next();
    assert.ok(pages <= 2, `only the first page(s) read before the consumer asks (read ${pages})`);
    let text = '';
    for (;;) {
      const r = await it.next();
      if (r.done) break;
      text += String(r.value);
    }
    assert.equal(text.split('\r\n').filter(Boolean).length, 2500);
    assert.equal(pages, 6, 'five full pages and the empty one that ends the walk');
  } finally {
    await store.close();
  }
});
