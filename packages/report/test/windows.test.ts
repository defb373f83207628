import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHistogram, parseThresholdKey, parseWindow, recordMicros, renderText, windowProblem, WindowWatch, type AbortInfo, type ThresholdSpec } from '../src/index.js';
import { reportOf } from './reports.js';

/** Feed seconds 0, 1, … to a watch: each second is its latencies in ms (none: nothing completed) and its error count. */
function watch(specs: Record<string, ThresholdSpec>, seconds: { ms: number[]; errors?: number }[]) {
  const aborts: AbortInfo[] = [];
  const w = new WindowWatch(specs, (info) => aborts.push(info));
  seconds.forEach((s, t) => {
    const h = createHistogram();
    for (const v of s.ms) recordMicros(h, v * 1000);
    const point = { t, requests: s.ms.length, errors: s.errors ?? 0, vus: 1, dropped: 0, latency: { p50: 0, p95: 0, p99: 0 } };
    w.onSecond(point, h);
  });
  return { results: w.results(), aborts };
}

const fast = { ms: [10, 20, 30] };
const slow = { ms: [10, 20, 3000] };
const quiet = { ms: [] };

test('a level fails once violated in every second of a window that long, and says where', () => {
  const { results, aborts } = watch({ 'latency.p99': { critical: '<1s', for: '3s', abortOnFail: true } }, [fast, slow, slow, slow, fast, slow]);
  assert.equal(results.length, 1);
  const r = results[0]!;
  assert.deepEqual({ ...r }, { metric: 'latency.p99', level: 'critical', expression: '<1s for 3s', value: 3000.319, ok: false, window: { seconds: 3, failed: { from: 1, to: 3 } } });
  assert.deepEqual(aborts, [{ metric: 'latency.p99', level: 'critical', expression: '<1s for 3s', second: 3 }]);
});

test('violations that never last the whole window pass; the value is the worst second', () => {
  const { results, aborts } = watch({ 'latency.p99': { warning: '<1s', critical: '<5s', for: '3s' } }, [slow, slow, fast, slow, slow, fast, slow]);
  assert.deepEqual(results.map((r) => [r.level, r.ok, r.value]), [['warning', true, 3000.319], ['critical', true, 3000.319]]);
  assert.equal(aborts.length, 0);
});

test('a second in which nothing completed keeps the state of the one before', () => {
  const stalled = watch({ 'latency.p99': { critical: '<1s', for: '3s' } }, [fast, slow, quiet, quiet]);
  assert.deepEqual(stalled.results[0]!.window, { seconds: 3, failed: { from: 1, to: 3 } }, 'a stall after a slow second goes on counting');
  const idle = watch({ 'latency.p99': { critical: '<1s', for: '2s' } }, [fast, quiet, quiet, slow, fast]);
  assert.equal(idle.results[0]!.ok, true, 'quiet seconds after a good one do not count against it');
  const nothing = watch({ 'latency.p99': { critical: '<1s', for: '2s' } }, [quiet, quiet]);
  assert.deepEqual([nothing.results[0]!.ok, nothing.results[0]!.value], [false, null], 'no data at all fails, as any threshold without data');
});

test('error and success rates are judged per second; warnings never abort; several failures abort once', () => {
  const errors = { ms: [10, 10, 10, 10], errors: 2 };
  const { results, aborts } = watch(
    {
      errorRate: { warning: '<10%', for: '2s', abortOnFail: true },
      successRate: { critical: '>=90%', for: '2s', abortOnFail: true },
      'latency.max': { critical: '<1ms', for: '1s', abortOnFail: true },
    },
    [errors, errors],
  );
  assert.deepEqual(results.map((r) => [r.metric, r.ok, r.value]), [['errorRate', false, 50], ['successRate', false, 50], ['latency.max', false, 10.007]]);
  assert.deepEqual(aborts.map((a) => [a.metric, a.second]), [['latency.max', 0]], 'the first critical failure, once');
});

test('windows are whole seconds on metrics the timeline has', () => {
  assert.deepEqual(parseWindow('2m'), { ok: true, value: 120 });
  assert.equal(parseWindow('1500ms').ok, false);
  assert.equal(parseWindow('soon').ok, false);
  const problem = (k: string) => {
    const key = parseThresholdKey(k);
    assert.ok(key.ok);
    return windowProblem(key.value);
  };
  assert.equal(problem('latency.p97'), null);
  assert.equal(problem('errorRate'), null);
  assert.match(problem('ttfb.p99')!.message, /cannot have a window/);
  assert.match(problem('rps')!.message, /cannot have a window/);
  assert.match(problem('latency.p99{request=list-tasks}')!.message, /covers all requests/);
});

test('the report carries the windowed results and the abort, and the text says which threshold stopped the run', () => {
  const windows = watch({ 'latency.p99': { critical: '<1s', for: '2s', abortOnFail: true } }, [slow, slow]).results;
  const aborted = { metric: 'latency.p99', level: 'critical' as const, expression: '<1s for 2s', second: 1 };
  const report = reportOf([10, 3000], { finish: { interrupted: true, thresholds: { 'latency.p99': { critical: '<1s', for: '2s', abortOnFail: true }, 'latency.p50': '<5s' }, windows, aborted } });
  assert.deepEqual(report.thresholds.map((t) => [t.metric, t.expression, t.ok]), [['latency.p50', '<5s', true], ['latency.p99', '<1s for 2s', false]], 'the windowed spec is not judged again on the whole run');
  assert.equal(report.verdict, 'fail');
  assert.deepEqual(report.aborted, aborted);
  const text = renderText(report);
  assert.match(text, /latency\.p99 +critical +<1s for 2s: violated in seconds 0–1 +3\.000 s +FAIL/);
  assert.match(text, /Aborted: threshold latency\.p99 \(critical <1s for 2s\) failed at second 1 with abortOnFail/);
});
