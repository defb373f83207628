import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHistogram, evaluateThresholds, latencyStats, percentileMs, recordMicros, RunAggregator, verdictOf, type MetricData, type MetricSource, type ThresholdResult } from '../src/index.js';
import { endpoint, META, snapshot } from './fixtures.js';

/** list-tasks: 100 requests of 1..100 ms, 2 failed; create-task: 50 of 200 ms; 10 s; 3 dropped. */
function source(): MetricSource {
  const data = (latencyMs: number[], failed: number): MetricData => {
    const d = { requests: latencyMs.length, ok: latencyMs.length - failed, failed, latency: createHistogram(), serviceTime: createHistogram(), ttfb: createHistogram() };
    for (const v of latencyMs) {
      recordMicros(d.latency, v * 1000);
      recordMicros(d.serviceTime, v * 900);
      recordMicros(d.ttfb, v * 100);
    }
    return d;
  };
  const list = data(Array.from({ length: 100 }, (_, i) => i + 1), 2);
  const create = data(Array(50).fill(200), 0);
  const overall = data([...Array.from({ length: 100 }, (_, i) => i + 1), ...Array(50).fill(200)], 2);
  return { overall, byRequest: new Map([['list-tasks', list], ['create-task', create]]), durationMs: 10_000, dropped: 3 };
}

const valueOf = (results: ThresholdResult[], metric: string) => results.find((r) => r.metric === metric)!.value;

test('each metric kind is measured in its unit, overall and per request', () => {
  const src = source();
  const r = evaluateThresholds(
    {
      'latency.p50': '<1s',
      'latency.p97': '<1s',
      'latency.p95{request=list-tasks}': '<200ms',
      'serviceTime.mean': '<1s',
      'ttfb.max': '<1s',
      'latency.avg{request=create-task}': '<1s',
      errorRate: '<1%',
      'errorRate{request=create-task}': '<=0%',
      successRate: '>=99.9%',
      rps: '>10',
      'rps{request=create-task}': '>10',
      dropped: '<5',
    },
    src,
  );
  assert.equal(valueOf(r, 'latency.p50'), percentileMs(src.overall.latency, 50));
  assert.equal(valueOf(r, 'latency.p97'), percentileMs(src.overall.latency, 97));
  assert.equal(valueOf(r, 'latency.p95{request=list-tasks}'), percentileMs(src.byRequest.get('list-tasks')!.latency, 95));
  assert.ok(Math.abs(valueOf(r, 'latency.p95{request=list-tasks}')! - 95) < 0.1, 'p95 of 1..100 ms is 95 ms within HDR precision');
  assert.equal(valueOf(r, 'serviceTime.mean'), latencyStats(src.overall.serviceTime).mean);
  assert.equal(valueOf(r, 'ttfb.max'), latencyStats(src.overall.ttfb).max);
  assert.ok(Math.abs(valueOf(r, 'latency.avg{request=create-task}')! - 200) < 0.2);
  assert.equal(valueOf(r, 'errorRate'), (2 / 150) * 100);
  assert.equal(valueOf(r, 'errorRate{request=create-task}'), 0);
  assert.equal(valueOf(r, 'successRate'), (148 / 150) * 100);
  assert.equal(valueOf(r, 'rps'), 15);
  assert.equal(valueOf(r, 'rps{request=create-task}'), 5);
  assert.equal(valueOf(r, 'dropped'), 3);
  const failed = r.filter((x) => !x.ok).map((x) => x.metric);
  assert.deepEqual(failed, ['errorRate', 'successRate', 'rps{request=create-task}']);
  assert.ok(r.every((x) => x.level === 'critical'), 'a bare string is a critical level');
});

test('warning comes before critical; the verdict follows the worst failed level', () => {
  const src = source();
  const warnOnly = evaluateThresholds({ 'latency.p99': { warning: '<100ms', critical: '<1s' } }, src);
  assert.deepEqual(warnOnly.map((x) => [x.level, x.expression, x.ok]), [['warning', '<100ms', false], ['critical', '<1s', true]]);
  assert.equal(verdictOf(warnOnly), 'warn');
  assert.equal(verdictOf(evaluateThresholds({ 'latency.p99': { warning: '<1s', critical: '<2s' } }, src)), 'pass');
  assert.equal(verdictOf(evaluateThresholds({ 'latency.p99': { warning: '<100ms', critical: '<150ms' } }, src)), 'fail');
  assert.equal(verdictOf(evaluateThresholds({ 'latency.p99': { critical: '<150ms' }, errorRate: { warning: '<1%' } }, src)), 'fail');
  assert.equal(verdictOf([]), 'pass');
});

test('no data gives null and fails, except dropped which is always counted', () => {
  const empty = (): MetricData => ({ requests: 0, ok: 0, failed: 0, latency: createHistogram(), serviceTime: createHistogram(), ttfb: createHistogram() });
  const src: MetricSource = { overall: empty(), byRequest: new Map(), durationMs: 5000, dropped: 0 };
  const r = evaluateThresholds({ 'latency.p95': '<1s', errorRate: '<1%', successRate: '>0%', rps: '<1000', dropped: '<=0' }, src);
  assert.deepEqual(r.map((x) => [x.metric, x.value, x.ok]), [
    ['latency.p95', null, false],
    ['errorRate', null, false],
    ['successRate', null, false],
    ['rps', null, false],
    ['dropped', 0, true],
  ]);
  const unknown = evaluateThresholds({ 'latency.p95{request=nope}': '<1s' }, source());
  assert.deepEqual(unknown.map((x) => [x.value, x.ok]), [[null, false]]);
});

test('a threshold that does not parse is a bug and names its key', () => {
  assert.throws(() => evaluateThresholds({ 'latncy.p95': '<1s' }, source()), /threshold "latncy\.p95"/);
  assert.throws(() => evaluateThresholds({ 'latency.p95': { warning: '1s' } }, source()), /threshold "latency\.p95" \(warning\)/);
});

test('the report carries threshold results and the verdict', () => {
  const agg = new RunAggregator(META, 1);
  agg.add(snapshot({ share: 0, seq: 0, second: 0, endpoints: { 'list-tasks': endpoint({ latency: [150_000, 250_000], serviceTime: [1000, 1000], ttfb: [500, 500], errors: [] }) } }));
  const report = agg.finish({ durationMs: 1000, interrupted: false, thresholds: { 'latency.max{request=list-tasks}': { warning: '<200ms', critical: '<1s' }, 'latency.p50{request=create-task}': { warning: '<1s' } } });
  assert.deepEqual(report.thresholds.map((t) => [t.metric, t.level, t.ok]), [
    ['latency.max{request=list-tasks}', 'warning', false],
    ['latency.max{request=list-tasks}', 'critical', true],
    ['latency.p50{request=create-task}', 'warning', false],
  ]);
  assert.equal(report.thresholds[0]!.value, report.endpoints[0]!.latency.max);
  assert.equal(report.verdict, 'warn');
});

test('generator health can gate a run: generatorUtilization (%) and generatorLag (ms), run-wide only', async () => {
  const { parseThresholdKey, parseCondition, metricValue } = await import('../src/index.js');
  const util = parseThresholdKey('generatorUtilization');
  const lag = parseThresholdKey('generatorLag');
  assert.ok(util.ok && lag.ok);
  const source = { overall: { requests: 0 }, byRequest: new Map(), durationMs: 1000, dropped: 0, generator: { lagMaxMs: 42.5, utilizationMax: 0.97, saturated: true } } as never;
  assert.equal(metricValue(util.value, source), 97);
  assert.equal(metricValue(lag.value, source), 42.5);
  const c1 = parseCondition('<90%', util.value);
  const c2 = parseCondition('<50ms', lag.value);
  assert.ok(c1.ok && c1.value.value === 90);
  assert.ok(c2.ok && c2.value.value === 50);
  const tagged = parseThresholdKey('generatorLag{request=x}');
  assert.ok(!tagged.ok && /run as a whole/.test(tagged.problem.hint ?? ''));
});
