import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ArrivalSchedule } from '../src/index.js';

const near = (actual: number, expected: number, eps = 1e-6, what = ''): void =>
  assert.ok(Math.abs(actual - expected) <= eps, `${what} ${actual} is not within ${eps} of ${expected}`);

test('constant 400/s for 3 s: exactly 1200 arrivals, 2.5 ms apart, split evenly by k mod N', () => {
  const s = new ArrivalSchedule(400, [{ durationMs: 3000, target: 400 }]);
  assert.equal(s.count, 1200);
  for (let k = 0; k < s.count; k++) near(s.timeOf(k), k * 2.5, 1e-9, `arrival ${k}`);
  assert.ok(s.timeOf(1199) < 3000);
  // Three shares: each gets 400 arrivals, each 7.5 ms apart, interleaved.
  for (let share = 0; share < 3; share++) {
    const times: number[] = [];
    for (let k = share; k < s.count; k += 3) times.push(s.timeOf(k));
    assert.equal(times.length, 400);
    for (let i = 1; i < times.length; i++) near(times[i] - times[i - 1], 7.5, 1e-9);
  }
});

test('counts that are not whole: 3.3/s for 1 s has arrivals at 0, 303, 606, 909 ms', () => {
  const s = new ArrivalSchedule(3.3, [{ durationMs: 1000, target: 3.3 }]);
  assert.equal(s.count, 4);
  near(s.timeOf(3), 3000 / 3.3);
});

test('ramping 0 → 100/s over 2 s: 100 arrivals at t_k = sqrt(k/25) s (the inverse of ∫rate)', () => {
  const s = new ArrivalSchedule(0, [{ durationMs: 2000, target: 100 }]);
  assert.equal(s.count, 100);
  for (let k = 0; k < 100; k++) near(s.timeOf(k), 1000 * Math.sqrt(k / 25), 1e-6, `arrival ${k}`);
});

test('ramping down 100 → 0/s over 2 s: ∫rate at each arrival time equals its index', () => {
  const s = new ArrivalSchedule(100, [{ durationMs: 2000, target: 0 }]);
  assert.equal(s.count, 100);
  for (let k = 0; k < 100; k++) {
    const t = s.timeOf(k) / 1000;
    near(100 * t - 25 * t * t, k, 1e-6, `arrival ${k}`);
  }
});

test('stages with a jump: 10/s for 1 s, then 50/s for 1 s; random access works both ways', () => {
  const s = new ArrivalSchedule(10, [
    { durationMs: 1000, target: 10 },
    { durationMs: 0, target: 50 },
    { durationMs: 1000, target: 50 },
  ]);
  assert.equal(s.count, 60);
  near(s.timeOf(59), 1000 + 49 * 20);
  near(s.timeOf(10), 1000);
  near(s.timeOf(9), 900);
  near(s.timeOf(11), 1020);
  near(s.timeOf(0), 0);
});

test('a zero rate schedules nothing', () => {
  assert.equal(new ArrivalSchedule(0, [{ durationMs: 5000, target: 0 }]).count, 0);
});
