import assert from 'node:assert/strict';
import { test } from 'node:test';
import { baselineValue, evaluateThresholds, parseCondition, parseThresholdKey, relativeChange, renderText, verdictOf, type ThresholdKey } from '../src/index.js';
import { oneTo, reportOf } from './reports.js';

const key = (k: string): ThresholdKey => {
  const parsed = parseThresholdKey(k);
  assert.ok(parsed.ok);
  return parsed.value;
};

test('relative conditions parse as a signed change in percent; unsigned ones stay absolute', () => {
  assert.deepEqual(parseCondition('<+5%', key('latency.p95')), { ok: true, value: { op: '<', value: 5, relative: true } });
  assert.deepEqual(parseCondition('>-10%', key('rps')), { ok: true, value: { op: '>', value: -10, relative: true } });
  assert.deepEqual(parseCondition('<5%', key('errorRate')), { ok: true, value: { op: '<', value: 5 } });
  assert.equal(parseCondition('<5%', key('latency.p95')).ok, false, 'a duration bound needs a unit, or a sign to be relative');
});

test('a saved report gives back its figures: fixed statistics, any overall latency percentile, per request', () => {
  const base = reportOf(oneTo(100), { failed: 4, durationMs: 2000 });
  assert.equal(baselineValue(key('latency.p95'), base), base.latency.p95);
  assert.equal(baselineValue(key('latency.p100'), base), base.latency.max);
  assert.ok(Math.abs(baselineValue(key('latency.p97'), base)! - 97) < 0.1, 'p97 from the saved histogram');
  assert.equal(baselineValue(key('serviceTime.mean'), base), base.serviceTime.mean);
  assert.equal(baselineValue(key('errorRate'), base), 4);
  assert.equal(baselineValue(key('successRate{request=list-tasks}'), base), 96);
  assert.equal(baselineValue(key('rps'), base), 50);
  assert.equal(baselineValue(key('latency.p97{request=list-tasks}'), base), null, 'per-request histograms are not saved');
  assert.equal(baselineValue(key('rps{request=create-task}'), base), null, 'no requests');
  assert.equal(baselineValue(key('dropped'), base), 0);
});

test('the change is relative to the baseline; from 0 it is 0 or +∞', () => {
  assert.equal(relativeChange(110, 100), 10);
  assert.equal(relativeChange(90, 100), -10);
  assert.equal(relativeChange(0, 0), 0);
  assert.equal(relativeChange(0.5, 0), Infinity);
});

test('relative thresholds judge the change from the baseline\'s value of the same metric', () => {
  const base = reportOf(oneTo(100), { durationMs: 1000 });
  const slower = reportOf(oneTo(100).map((v) => v * 1.08), { durationMs: 1000, finish: { baseline: { file: 'old.json', report: base }, thresholds: { 'latency.p95': { warning: '<+5%', critical: '<+10%' }, rps: '>-10%' } } });
  const results = slower.thresholds;
  assert.deepEqual(results.map((r) => [r.metric, r.level, r.ok]), [['latency.p95', 'warning', false], ['latency.p95', 'critical', true], ['rps', 'critical', true]]);
  assert.equal(results[0]!.baseline, base.latency.p95);
  assert.equal(results[0]!.limit, base.latency.p95 * 1.05);
  assert.equal(results[0]!.value, slower.latency.p95);
  assert.equal(slower.verdict, 'warn');
});

test('relative to a zero baseline, only staying at zero holds; no baseline at all is a bug', () => {
  const clean = reportOf(oneTo(10));
  const still = reportOf(oneTo(10), { finish: { baseline: { file: 'b', report: clean }, thresholds: { errorRate: '<+50%' } } });
  assert.equal(still.thresholds[0]!.ok, true);
  const worse = reportOf(oneTo(10), { failed: 1, finish: { baseline: { file: 'b', report: clean }, thresholds: { errorRate: '<+50%' } } });
  assert.equal(worse.thresholds[0]!.ok, false);
  assert.equal(verdictOf(worse.thresholds), 'fail');
  assert.throws(() => reportOf(oneTo(10), { finish: { thresholds: { 'latency.p95': '<+5%' } } }), /latency\.p95.*relative.*no baseline/);
});

test('the baseline section compares p50/p95/p99, errorRate and rps, and the text report shows it', () => {
  const base = reportOf(oneTo(100), { durationMs: 1000 });
  const report = reportOf(oneTo(100).map((v) => v * 2), { failed: 1, durationMs: 2000, finish: { baseline: { file: '/tmp/old.json', report: base } } });
  const b = report.baseline!;
  assert.equal(b.file, '/tmp/old.json');
  assert.deepEqual(b.metrics.map((m) => m.metric), ['latency.p50', 'latency.p95', 'latency.p99', 'errorRate', 'rps']);
  const p95 = b.metrics[1]!;
  assert.deepEqual(p95, { metric: 'latency.p95', baseline: base.latency.p95, current: report.latency.p95, change: report.latency.p95 - base.latency.p95, changePercent: relativeChange(report.latency.p95, base.latency.p95) });
  assert.deepEqual(b.metrics[3], { metric: 'errorRate', baseline: 0, current: 1, change: 1, changePercent: null });
  assert.deepEqual(b.metrics[4], { metric: 'rps', baseline: 100, current: 50, change: -50, changePercent: -50 });
  const text = renderText(report);
  assert.match(text, /Baseline: \/tmp\/old\.json \(normal, started /);
  assert.match(text, /rps +100\.00 req\/s +50\.00 req\/s +-50\.00 req\/s \(-50\.00%\)/);
  assert.match(text, /errorRate +0\.00% +1\.00% +\+1\.00% \(from 0\)/);
  assert.doesNotMatch(renderText(base), /Baseline/);
});
