/** totals.iterations: summed exactly from every share's snapshots, a duplicate not counted twice, a bad count refused. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RunAggregator, SnapshotError } from '../src/index.js';
import { META, snapshot } from './fixtures.js';

const finish = { durationMs: 3000, interrupted: false, thresholds: {} };

test('totals.iterations is the sum over shares and seconds; a resent snapshot counts once; older snapshots without it count none', () => {
  const agg = new RunAggregator(META, 3);
  const counts = [[4, 0, 3], [2, 5], [1, 1, 1]];
  counts.forEach((seconds, share) => seconds.forEach((iterations, second) => agg.add(snapshot({ share, seq: second, second, iterations }))));
  assert.equal(agg.add(snapshot({ share: 1, seq: 1, second: 1, iterations: 5 })), false, 'a duplicate is ignored');
  agg.add(snapshot({ share: 1, seq: 2, second: 2 }));
  assert.equal(agg.finish(finish).totals.iterations, 17);
});

test('a snapshot whose iterations is not a count is refused before any of it is merged', () => {
  const agg = new RunAggregator(META, 1);
  for (const bad of [-1, 1.5, Number.NaN]) {
    assert.throws(() => agg.add(snapshot({ share: 0, seq: 0, second: 0, iterations: bad })), (err: unknown) => err instanceof SnapshotError && /iterations .* is not an integer/.test(err.message));
  }
  assert.equal(agg.finish(finish).totals.iterations, 0);
});
