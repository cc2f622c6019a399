import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { reconnectDelay } from '../../src/ami/backoff.js';

describe('reconnect backoff', () => {
  test('grows exponentially from initialDelay by factor and stops at maxDelay', () => {
    const none = () => 0;
    const r = { initialDelay: 100, factor: 3, maxDelay: 2000 };
    assert.deepEqual(
      [0, 1, 2, 3, 4, 10].map((a) => reconnectDelay(a, r, none)),
      [100, 300, 900, 2000, 2000, 2000],
    );
    assert.deepEqual(
      [0, 1, 2, 7, 8, 20].map((a) => reconnectDelay(a, {}, none)),
      [250, 500, 1000, 30_000, 30_000, 30_000],
      'defaults: 250 ms, factor 2, 30 s cap',
    );
  });

  test('jitter removes a random share of up to `jitter` of the delay; jitter 0 is exact', () => {
    const r = { initialDelay: 1000, factor: 2, maxDelay: 60_000 };
    assert.equal(
      reconnectDelay(1, r, () => 1),
      1000,
      'default jitter 0.5 at most halves it',
    );
    assert.equal(
      reconnectDelay(1, { ...r, jitter: 0.2 }, () => 0.5),
      1800,
    );
    assert.equal(
      reconnectDelay(1, { ...r, jitter: 0 }, () => 0.9),
      2000,
    );
    const spread = new Set(Array.from({ length: 50 }, () => reconnectDelay(3, r)));
    assert.ok(spread.size > 1, 'two clients do not wait exactly the same');
    for (const d of spread) assert.ok(d >= 4000 && d <= 8000, String(d));
  });
});
