import assert from 'node:assert/strict';
import { test } from 'node:test';
import { historyLevels, renderText, type Report } from '../src/index.js';
import { reportOf } from './reports.js';

/** Earlier runs whose latencies are all `ms` (so every percentile is ms, up to HDR precision) at `rps` req/s. */
const earlier = (ms: number, rps: number, failed = 0): Report => reportOf(Array(rps).fill(ms), { failed, durationMs: 1000 });

test('levels: baseline = mean, σ = sample standard deviation, warning and critical at 2σ and 3σ times the sensitivity', () => {
  const runs = [earlier(10, 100), earlier(12, 120), earlier(14, 140, 7)];
  const p95s = runs.map((r) => r.latency.p95);
  const mean = (p95s[0]! + p95s[1]! + p95s[2]!) / 3;
  const sd = Math.sqrt(p95s.reduce((a, v) => a + (v - mean) ** 2, 0) / 2);
  const h = historyLevels(runs, 1);
  assert.equal(h.reports, 3);
  assert.deepEqual(h.levels.map((l) => l.metric), ['latency.p50', 'latency.p95', 'latency.p99', 'errorRate', 'rps']);
  const p95 = h.levels.find((l) => l.metric === 'latency.p95')!;
  assert.equal(p95.baseline, mean);
  assert.ok(Math.abs(p95.stdev - sd) < 1e-12);
  assert.equal(p95.warning, mean + 2 * p95.stdev);
  assert.equal(p95.critical, mean + 3 * p95.stdev);
  const rps = h.levels.find((l) => l.metric === 'rps')!;
  assert.deepEqual({ ...rps }, { metric: 'rps', baseline: 120, stdev: 20, warning: 80, critical: 60, lowerIsWorse: true }, 'rps: lower is worse, levels below the mean');
  const errorRate = h.levels.find((l) => l.metric === 'errorRate')!;
  assert.equal(errorRate.baseline, 5 / 3);
  const half = historyLevels(runs, 0.5).levels.find((l) => l.metric === 'rps')!;
  assert.deepEqual([half.warning, half.critical], [100, 90]);
  assert.throws(() => historyLevels(runs.slice(0, 1), 1), /at least 2/);
});

test('history levels are judged like thresholds, marked as such, and the report shows baseline, σ and levels', () => {
  const history = historyLevels([earlier(10, 100), earlier(12, 120), earlier(14, 140)], 1);
  const ok = reportOf(Array(120).fill(12), { finish: { history } });
  const slow = reportOf(Array(50).fill(30), { finish: { history } });
  assert.ok(ok.thresholds.every((t) => t.ok && t.source === 'history'), JSON.stringify(ok.thresholds));
  assert.equal(ok.thresholds.length, 10, 'warning and critical for each of the five metrics');
  assert.deepEqual(ok.history, history);
  const failed = slow.thresholds.filter((t) => !t.ok).map((t) => `${t.metric} ${t.level}`);
  assert.deepEqual(failed, ['latency.p50 warning', 'latency.p50 critical', 'latency.p95 warning', 'latency.p95 critical', 'latency.p99 warning', 'latency.p99 critical', 'rps warning', 'rps critical']);
  assert.equal(slow.verdict, 'fail');
  const rpsCritical = slow.thresholds.find((t) => t.metric === 'rps' && t.level === 'critical')!;
  assert.deepEqual([rpsCritical.expression, rpsCritical.limit, rpsCritical.baseline, rpsCritical.value], ['>=60', 60, 120, 50]);
  const p95 = slow.thresholds.find((t) => t.metric === 'latency.p95' && t.level === 'warning')!;
  assert.match(p95.expression, /^<=\d+(\.\d{1,3})?ms$/);
  const text = renderText(slow);
  assert.match(text, /History: levels from 3 earlier runs \(baseline = mean, warning at 2σ, critical at 3σ, sensitivity 1\)/);
  assert.match(text, /rps +120\.00 req\/s +20\.00 req\/s +>= 80\.00 req\/s +>= 60\.00 req\/s/);
  assert.match(text, /rps +critical +>=60 \(history\) +50\.00 req\/s +FAIL/);
});

test('reports without requests do not count for a metric they cannot tell', () => {
  const empty = reportOf([]);
  const h = historyLevels([earlier(10, 100), earlier(20, 100), empty], 1);
  const p50 = h.levels.find((l) => l.metric === 'latency.p50')!;
  assert.ok(Math.abs(p50.baseline - 15) < 0.02, 'mean of the two runs with requests');
  assert.equal(h.levels.find((l) => l.metric === 'rps')!.baseline, 100);
});
