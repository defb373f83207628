import assert from 'node:assert/strict';
import { test } from 'node:test';
import { globalIndex, shareCount } from '../src/index.js';

test('shareCount: each share gets exactly the k < total with k mod N = share, and the shares sum to total', () => {
  for (let shares = 1; shares <= 9; shares++) {
    for (let total = 0; total <= 150; total++) {
      let sum = 0;
      for (let share = 0; share < shares; share++) {
        let brute = 0;
        for (let k = 0; k < total; k++) if (k % shares === share) brute++;
        const n = shareCount(total, share, shares);
        assert.equal(n, brute, `total ${total}, share ${share}/${shares}`);
        assert.ok(n === Math.floor(total / shares) || n === Math.ceil(total / shares));
        sum += n;
      }
      assert.equal(sum, total);
    }
  }
});

test('globalIndex: local indices of all shares cover 0..total-1 exactly once', () => {
  const shares = 4;
  const total = 23;
  const seen = new Set<number>();
  for (let share = 0; share < shares; share++) {
    for (let j = 0; j < shareCount(total, share, shares); j++) seen.add(globalIndex(j, share, shares));
  }
  assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: total }, (_, k) => k));
});
