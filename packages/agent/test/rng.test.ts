import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../src/rng.js';

const draw = (rng: Rng, n: number): number[] => Array.from({ length: n }, () => rng.next());

test('Rng: the same (seed, stream) replays the same draws; other seeds or streams differ', () => {
  assert.deepEqual(draw(new Rng(42, 7), 50), draw(new Rng(42, 7), 50));
  assert.notDeepEqual(draw(new Rng(42, 7), 50), draw(new Rng(42, 8), 50));
  assert.notDeepEqual(draw(new Rng(42, 7), 50), draw(new Rng(43, 7), 50));
});

test('Rng: uniform in [0, 1)', () => {
  const xs = draw(new Rng(1, 0), 100_000);
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const buckets = new Array<number>(10).fill(0);
  for (const x of xs) buckets[Math.floor(x * 10)]++;
  for (const b of buckets) assert.ok(Math.abs(b - 10_000) < 500, `bucket ${b} in ${buckets.join(',')}`);
});
