import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CSV_OVERALL_ROW, formatMs, formatPercent, renderCsv, renderJson, renderText, RunAggregator, type Report } from '../src/index.js';
import { endpoint, META, snapshot } from './fixtures.js';

/** 2 s, 2 shares: list-tasks 4 requests (1 HTTP_503), create-task 2 requests (1 TIMEOUT), 1 dropped. */
function sample(thresholds: Record<string, string | { warning?: string; critical?: string }> = {}): Report {
  const agg = new RunAggregator(META, 2);
  const list = (ms: number[], errors: string[]) => endpoint({ latency: ms.map((v) => v * 1000), serviceTime: ms.map((v) => v * 1000), ttfb: ms.map((v) => v * 500), errors, bytes: 10 * ms.length });
  agg.add(snapshot({ share: 0, seq: 0, second: 0, vus: 2, endpoints: { 'list-tasks': list([10, 20], ['HTTP_503']) } }));
  agg.add(snapshot({ share: 1, seq: 0, second: 0, vus: 2, dropped: 1, endpoints: { 'create-task': list([300, 1500], ['TIMEOUT']) } }));
  agg.add(snapshot({ share: 0, seq: 1, second: 1, vus: 2, endpoints: { 'list-tasks': list([30, 40], []) } }));
  agg.add(snapshot({ share: 1, seq: 1, second: 1, vus: 1 }));
  return agg.finish({ durationMs: 2000, interrupted: false, thresholds });
}

function emptyReport(): Report {
  return new RunAggregator(META, 4).finish({ durationMs: 0, interrupted: true, thresholds: { 'latency.p95': '<1s', errorRate: { warning: '<1%' } } });
}

test('durations read well at every scale', () => {
  assert.equal(formatMs(0.042), '0.042 ms');
  assert.equal(formatMs(12.345), '12.345 ms');
  assert.equal(formatMs(1204), '1.204 s');
  assert.equal(formatMs(123_500), '2 min 3.500 s');
  assert.equal(formatPercent(99.95), '99.95%');
  assert.equal(formatPercent(100), '100.00%');
  assert.equal(formatPercent(99.9996), '99.9996%');
  assert.equal(formatPercent(0.0004), '0.0004%');
});

test('the text report has the runbook\'s fields and this run\'s figures', () => {
  const report = sample({ 'latency.p99': { warning: '<1s', critical: '<2s' }, 'errorRate{request=list-tasks}': '<1%' });
  const text = renderText(report);
  for (const line of [
    '=== Load Test Report ===',
    'Test Duration: 2.00 seconds',
    'Total Requests: 6',
    'Successful Requests: 4',
    'Failed Requests: 2',
    'Dropped Iterations: 1',
    '- Requests/Second: 3.00',
    '- Success Rate: 66.67%',
    `- Avg Response Time: ${formatMs(report.latency.mean)}`,
    `- P50 Response Time: ${formatMs(report.latency.p50)}`,
    `- P95 Response Time: ${formatMs(report.latency.p95)}`,
    `- P99 Response Time: ${formatMs(report.latency.p99)}`,
    `- Max Response Time: ${formatMs(report.latency.max)}`,
    'Error Distribution:',
    '  - HTTP_503: 1',
    '  - TIMEOUT: 1',
    'Verdict: FAIL',
  ]) {
    assert.ok(text.includes(`${line}\n`), `missing line: ${line}\n${text}`);
  }
  assert.match(text, /list-tasks\s+GET\s+\/api\/tasks\s+4\s+1\s+2\.00\s+\d+\.\d{3} ms/);
  assert.match(text, /create-task\s+POST\s+\/api\/tasks\s+2\s+1\s+1\.00\s+/);
  assert.match(text, /latency\.p99\s+warning\s+<1s\s+1\.50\d s\s+FAIL/);
  assert.match(text, /latency\.p99\s+critical\s+<2s\s+1\.50\d s\s+PASS/);
  assert.match(text, /errorRate\{request=list-tasks\}\s+critical\s+<1%\s+25\.00%\s+FAIL/);
  assert.ok(!text.includes('\u001b['), 'no colour unless asked');
  assert.ok(!text.includes('Interrupted'));
  assert.ok(!text.includes('saturated'));
  const colored = renderText(report, { color: true });
  assert.ok(colored.includes('\u001b[31mFAIL\u001b[0m'), 'a failed critical is red');
  assert.ok(colored.includes('\u001b[33mFAIL\u001b[0m'), 'a failed warning is yellow');
  assert.ok(colored.includes('\u001b[32mPASS\u001b[0m'));
});

test('the text report says when the run was interrupted or the generator saturated', () => {
  const report = { ...sample(), interrupted: true, generator: { lagMaxMs: 120, utilizationMax: 0.97, saturated: true } };
  const text = renderText(report);
  assert.match(text, /^Interrupted: /m);
  assert.match(text, /^WARNING: the load generator was saturated \(event-loop utilisation up to 97%, lag up to 120\.000 ms\)/m);
});

test('CSV: a summary row per request plus (all), a timeline row per second', () => {
  const report = sample();
  const { summary, timeline } = renderCsv(report);
  const rows = summary.trimEnd().split('\n').map((l) => l.split(','));
  assert.equal(rows.length, 1 + report.endpoints.length + 1);
  assert.deepEqual(rows[0]!.slice(0, 16), ['name', 'requests', 'ok', 'failed', 'rps', 'error_rate_pct', 'min_ms', 'mean_ms', 'p50_ms', 'p90_ms', 'p95_ms', 'p99_ms', 'p999_ms', 'max_ms', 'resent', 'connections_opened']);
  // Then each phase's p50, p95, p99 and share (empty here: the sample's snapshots carry no phases), then the run's dropped and completed iterations.
  assert.equal(rows[0]!.length, 16 + 6 * 4 + 2);
  assert.deepEqual(rows[0]!.slice(40), ['dropped', 'iterations']);
  assert.deepEqual(rows[1]!.slice(16), Array<string>(26).fill(''), 'iterations are the run\'s, not a request\'s');
  assert.deepEqual(rows[3]!.slice(40), [String(report.totals.dropped), String(report.totals.iterations)]);
  assert.deepEqual(rows.slice(1).map((r) => r.slice(0, 6)), [
    ['list-tasks', '4', '3', '1', '2', '25'],
    ['create-task', '2', '1', '1', '1', '50'],
    [CSV_OVERALL_ROW, '6', '4', '2', '3', String((2 / 6) * 100)],
  ]);
  assert.equal(Number(rows[3]![13]), report.latency.max);
  const points = timeline.trimEnd().split('\n').map((l) => l.split(','));
  assert.deepEqual(points[0], ['t', 'requests', 'errors', 'vus', 'dropped', 'p50_ms', 'p95_ms', 'p99_ms']);
  assert.deepEqual(points.slice(1).map((r) => r.slice(0, 5)), [['0', '4', '2', '4', '1'], ['1', '2', '0', '3', '0']]);
  assert.equal(Number(points[2]![7]), report.timeline[1]!.latency.p99);
});

test('JSON is pretty, ends with a newline and parses back to the report', () => {
  const report = sample();
  const json = renderJson(report);
  assert.ok(json.endsWith('}\n'));
  assert.ok(json.includes('\n  "version": 1,'));
  assert.deepEqual(JSON.parse(json), report);
});

test('a zero-request report renders everywhere', () => {
  const report = emptyReport();
  assert.equal(report.rps, 0);
  assert.deepEqual(report.totals, { requests: 0, ok: 0, failed: 0, bytesReceived: 0, dropped: 0, iterations: 0, resent: 0, skipped: 0, protocols: { h1: 0, h2: 0 }, connectionsOpened: 0 });
  assert.equal(report.histogram, '');
  assert.equal(report.verdict, 'fail');
  const text = renderText(report, { color: true });
  assert.match(text, /Total Requests: 0/);
  assert.match(text, /Error Distribution:\n {2}\(none\)/);
  assert.match(text, /latency\.p95\s+critical\s+<1s\s+no data/);
  assert.match(text, /^Interrupted: /m);
  const { summary, timeline } = renderCsv(report);
  assert.equal(summary.trimEnd().split('\n').length, 1 + META.requests.length + 1);
  assert.equal(timeline.trimEnd().split('\n').length, 1);
  assert.deepEqual(JSON.parse(renderJson(report)), report);
});
