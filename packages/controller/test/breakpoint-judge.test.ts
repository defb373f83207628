/** The breakpoint's reading of its steps: sustainable rate, first failure, knee, saturation hint, exit code. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Report, ThresholdResult } from '@novaload/report';
import { judge, kneeOf, stepOf, type StepResult } from '../src/breakpoint/judge.js';
import { stepRates } from '../src/breakpoint/steps.js';
import { exitFor } from '../src/commands/breakpoint.js';

const p99Failed: ThresholdResult = { metric: 'latency.p99', level: 'critical', expression: '<50ms', value: 120, ok: false };

function step(rate: number, p99: number, more: Partial<StepResult> = {}): StepResult {
  return { rate, achievedRate: rate, requests: rate, dropped: 0, latency: { p50: p99 / 2, p95: p99, p99 }, errorRate: 0, generatorSaturated: false, utilizationMax: 0.3, interrupted: false, failed: [], ...more };
}

test('the knee is the first step after which p99 stays above the line of the curve so far', () => {
  assert.equal(kneeOf([step(100, 5), step(150, 5.5), step(200, 6), step(250, 40), step(300, 200)]), 200);
  // linear growth is no knee, however steep
  assert.equal(kneeOf([step(100, 10), step(200, 20), step(300, 30), step(400, 40)]), null);
  // a spike that comes back down is no knee
  assert.equal(kneeOf([step(100, 5), step(200, 40), step(300, 6), step(400, 7)]), null);
  // rises under 1 ms are noise
  assert.equal(kneeOf([step(100, 0.2), step(200, 0.2), step(300, 0.9)]), null);
});

test('judge: the highest held step, the first failure with its threshold, and why the search stopped', () => {
  const r = judge([step(100, 5), step(200, 6), step(300, 120, { failed: [p99Failed] })], { max: 500, threads: 1 });
  assert.equal(r.sustainableRate, 200);
  assert.deepEqual(r.failedAt, { rate: 300, threshold: p99Failed });
  assert.equal(r.knee, 200);
  assert.equal(r.stoppedBy, 'threshold');
  assert.equal(exitFor(r), 0);
  const first = judge([step(100, 120, { failed: [p99Failed] })], { max: 500, threads: 1 });
  assert.equal(first.sustainableRate, null);
  assert.equal(exitFor(first), 99);
  const max = judge([step(100, 5), step(200, 5)], { max: 200, threads: 1 });
  assert.deepEqual([max.stoppedBy, max.sustainableRate, max.failedAt, exitFor(max)], ['max', 200, null, 0]);
});

test('a saturated generator is not judged against the target, and says how many threads would carry --max', () => {
  const r = judge([step(1000, 2), step(2000, 3), step(3000, 900, { generatorSaturated: true, failed: [p99Failed] })], { max: 8000, threads: 2 });
  assert.equal(r.stoppedBy, 'generator');
  assert.equal(r.failedAt, null);
  assert.equal(r.sustainableRate, 2000);
  assert.deepEqual(r.generatorSaturated, { rate: 3000, threads: 2, threadsNeeded: 8 });
  assert.equal(exitFor(r), 112);
  const interrupted = judge([step(100, 5), step(200, 5, { interrupted: true })], { max: 500, threads: 1 });
  assert.deepEqual([interrupted.stoppedBy, interrupted.sustainableRate, exitFor(interrupted)], ['interrupted', 100, 105]);
});

test('step rates rise from --start by --step and end at --max exactly', () => {
  assert.deepEqual(stepRates(50, 50, 200), [50, 100, 150, 200]);
  assert.deepEqual(stepRates(70, 20, 150), [70, 90, 110, 130, 150]);
  assert.deepEqual(stepRates(0.7 * 400, 0.1 * 400, 1.5 * 400).slice(0, 3), [280, 320, 360]);
  assert.throws(() => stepRates(1, 1, 1000), /more than 200 steps/);
});

test('a step whose target completes under 95% of the offered rate fails on achievedRate, whatever its latency; a saturated generator does not count against the target', () => {
  const report = (rps: number, saturated = false) =>
    ({ rps, totals: { requests: rps * 2, dropped: 0 }, latency: { p50: 200, p95: 380, p99: 400 }, errorRate: 0, generator: { saturated, utilizationMax: 0.5 }, interrupted: false, thresholds: [] }) as unknown as Report;
  assert.deepEqual(stepOf(300, report(290)).failed, [], '290 of 300/s is 96.7%: held');
  const slow = stepOf(300, report(248.2));
  assert.deepEqual(slow.failed.map((f) => [f.metric, f.expression, f.value]), [['achievedRate', '>=95% of 300/s offered', 248.2]]);
  assert.deepEqual(stepOf(300, report(248.2, true)).failed, [], 'the generator, not the target, fell short');
  const result = judge([step(250, 17), { ...step(300, 400), achievedRate: 248.2, failed: slow.failed }], { max: 500, threads: 1 });
  assert.equal(result.sustainableRate, 250);
  assert.equal(result.failedAt?.threshold.metric, 'achievedRate');
});
