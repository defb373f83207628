import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeenSequences } from '../src/index.js';

test('each (share, seq) is new once, in or out of order', () => {
  const seen = new SeenSequences();
  assert.equal(seen.firstTime(0, 0), true);
  assert.equal(seen.firstTime(0, 0), false);
  assert.equal(seen.firstTime(1, 0), true, 'shares are independent');
  assert.equal(seen.firstTime(0, 2), true, 'ahead of order');
  assert.equal(seen.firstTime(0, 2), false);
  assert.equal(seen.firstTime(0, 1), true, 'fills the gap');
  assert.equal(seen.firstTime(0, 1), false);
  assert.equal(seen.firstTime(0, 2), false, 'still seen once the gap closed');
  assert.equal(seen.firstTime(0, 3), true);
});
