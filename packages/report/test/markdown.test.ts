import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMs, renderMarkdown } from '../src/index.js';
import { emptyReport, HOSTILE, judgedReport, sampleReport } from './report-sample.js';

/** Cells of a markdown table row, split on pipes that are not backslash-escaped. */
function cells(line: string): string[] {
  return line.replace(/^\| | \|$/g, '').split(/ (?<!\\)\| /);
}

test('the markdown summary has the verdict, key figures, thresholds with ✅/⚠️/❌ and the requests', () => {
  const report = sampleReport();
  const md = renderMarkdown(report);
  const lines = md.split('\n');
  assert.equal(lines[0], '## ❌ novaload: normal — FAIL');
  assert.equal(lines[2], 'constant-vus against http://127.0.0.1:3000 · started 2025-01-02T03:04:05.000Z · 3.00 s · latency from the send (closed model, connect included)');
  const figures = lines.indexOf('| requests | req/s | success | errors | p50 | p95 | p99 | max | dropped | iterations |');
  assert.ok(figures > 0, md);
  assert.deepEqual(cells(lines[figures + 2]!), ['4194', '1398.00', '99.79%', '0.21%', formatMs(report.latency.p50), formatMs(report.latency.p95), formatMs(report.latency.p99), formatMs(report.latency.max), '6', '0']);
  const t = lines.indexOf('### Thresholds');
  assert.deepEqual(lines.slice(t + 2, t + 8), [
    '|  | metric | level | condition | observed |',
    '| --- | --- | --- | --- | ---: |',
    `| ⚠️ | latency.p50 | warning | &lt;1ms | ${formatMs(report.thresholds[0]!.value!)} |`,
    `| ✅ | latency.p50 | critical | &lt;10s | ${formatMs(report.thresholds[1]!.value!)} |`,
    '| ✅ | errorRate | warning | &lt;5% | 0.21% |',
    '| ❌ | successRate | critical | &gt;=99.9% | 99.79% |',
  ]);
  assert.ok(lines.includes('### Requests'));
  assert.ok(lines.some((l) => l.startsWith('| list-tasks | GET | /api/tasks | 1398 | 3 | 466.00 | ')), md);
  assert.ok(lines.includes('| HTTP\\_503 | 6 |'), 'errors table, underscore escaped');
  assert.ok(md.endsWith('\n\n'), 'ends with a blank line so appended summaries stay apart');
});

test('a hostile request name stays one cell of text', () => {
  const md = renderMarkdown(sampleReport());
  const row = md.split('\n').find((l) => l.startsWith('| ') && l.includes('onerror'))!;
  assert.equal(cells(row).length, 9, row);
  assert.equal(cells(row)[0], '&lt;/script&gt;&lt;img src=x onerror="alert(1)"&gt;\\|\\`\\*x\\*\\`&amp;\uFFFD');
  assert.equal(cells(row)[2], '/q?a=&lt;b&gt;&amp;c');
  assert.ok(!md.includes('<img'));
  assert.ok(HOSTILE.includes('<img'));
});

test('an interrupted run, a saturated generator and no requests are said plainly', () => {
  const md = renderMarkdown({ ...emptyReport(), generator: { lagMaxMs: 80, utilizationMax: 0.98, saturated: true } });
  assert.match(md, /· \*\*interrupted\*\*: figures cover the part that ran/);
  assert.match(md, /> \[!WARNING\]\n> The load generator was saturated \(event-loop utilisation up to 98%/);
  assert.match(md, /\| ❌ \| latency\.p95 \| critical \| &lt;1s \| no data \|/);
  assert.ok(!md.includes('### Errors'));
});

test('a windowed failure, a --history level and an abort are shown', () => {
  const md = renderMarkdown(judgedReport());
  assert.ok(md.includes('| ❌ | latency.p99 | critical | &lt;1ms: violated in seconds 0–1 | 9.500 ms |'), md);
  assert.ok(md.includes('| ✅ | latency.p95 | warning | &lt;500ms (history) | 40.000 ms |'), md);
  assert.match(md, /> \[!CAUTION\]\n> Aborted: threshold latency\.p99 \(critical &lt;1ms for 2s\) failed at second 1/);
});

test('the --baseline comparison, the --history levels and generator errors are in the summary', () => {
  const r = sampleReport();
  r.baseline = { file: 'old.json', scenario: r.scenario, startedAt: '2026-11-01T00:00:00.000Z', metrics: [{ metric: 'latency.p95', baseline: 100, current: 110, change: 10, changePercent: 10 }, { metric: 'errorRate', baseline: 0, current: 0.5, change: 0.5, changePercent: null }] };
  r.history = { reports: 4, sensitivity: 1, levels: [{ metric: 'latency.p99', baseline: 20, stdev: 2, warning: 24, critical: 26, lowerIsWorse: false }] };
  r.generatorErrors = 7;
  const text = renderMarkdown(r);
  assert.match(text, /### Compared with old\.json/);
  assert.match(text, /\| latency\.p95 \| 100\.000 ms \| 110\.000 ms \| \+10\.0% \|/);
  assert.match(text, /\| errorRate \| .* \| – \|/);
  assert.match(text, /### Levels from 4 earlier runs \(sensitivity 1\)/);
  assert.match(text, /\| latency\.p99 \| 20\.000 ms \| 2\.000 ms \| 24\.000 ms \| 26\.000 ms \|/);
  assert.match(text, /7 error\(s\) were the generator's own/);
});
