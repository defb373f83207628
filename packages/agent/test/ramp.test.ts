import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rampValueAt, shareVusAt, vuChanges, type Stage } from '../src/index.js';

const stages: Stage[] = [
  { durationMs: 1000, target: 10 },
  { durationMs: 500, target: 10 },
  { durationMs: 1000, target: 3 },
];

test('rampValueAt interpolates linearly through the stages', () => {
  assert.equal(rampValueAt(2, stages, 0), 2);
  assert.equal(rampValueAt(2, stages, 500), 6);
  assert.equal(rampValueAt(2, stages, 1200), 10);
  assert.equal(rampValueAt(2, stages, 2000), 6.5);
  assert.equal(rampValueAt(2, stages, 9999), 3);
});

test('shareVusAt: shares sum to ⌈v(t)⌉ and follow k mod N', () => {
  // At 500 ms v = 6: VUs 0..5; share 1 of 4 owns 1 and 5.
  assert.equal(shareVusAt(2, stages, 500, 1, 4), 2);
  // At 2000 ms v = 6.5: VUs 0..6; share 2 of 4 owns 2 and 6.
  assert.equal(shareVusAt(2, stages, 2000, 2, 4), 2);
  for (let t = 0; t <= 2600; t += 37) {
    let sum = 0;
    for (let share = 0; share < 3; share++) sum += shareVusAt(2, stages, t, share, 3);
    assert.equal(sum, Math.ceil(rampValueAt(2, stages, t)), `t = ${t}`);
  }
});

test('vuChanges: replaying the changes up to t gives exactly the VUs k < v(t) of the share', () => {
  for (const shares of [1, 2, 3]) {
    for (let share = 0; share < shares; share++) {
      const changes = vuChanges(2, stages, share, shares);
      for (let i = 1; i < changes.length; i++) assert.ok(changes[i].atMs >= changes[i - 1].atMs, 'in time order');
      // Instants off the change times: at a change itself v(t) = k exactly.
      for (let t = 0.5; t <= 2600; t += 13) {
        const active = new Set<number>();
        for (const c of changes) if (c.atMs <= t) (c.up ? active.add(c.vu) : active.delete(c.vu));
        const v = rampValueAt(2, stages, t);
        const expected = [];
        for (let k = share; k < v; k += shares) expected.push(k);
        assert.deepEqual([...active].sort((a, b) => a - b), expected, `share ${share}/${shares} at ${t} ms`);
      }
    }
  }
});

test('vuChanges: VU k starts when the ramp crosses k, ramp-down stops the highest first', () => {
  const changes = vuChanges(0, [{ durationMs: 1000, target: 4 }, { durationMs: 800, target: 0 }], 0, 1);
  assert.deepEqual(
    changes.map((c) => [c.atMs, c.vu, c.up]),
    [[0, 0, true], [250, 1, true], [500, 2, true], [750, 3, true], [1200, 3, false], [1400, 2, false], [1600, 1, false], [1800, 0, false]],
  );
});
