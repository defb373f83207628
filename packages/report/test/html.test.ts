import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { decodeHistogram, formatMs, percentileMs, renderHtml, type Report } from '../src/index.js';
import type { ChartData } from '../src/render/html-data.js';
import { errorRateBand } from '../src/render/html-sections.js';
import { emptyReport, HOSTILE, judgedReport, sampleReport } from './report-sample.js';

/** The page's inline blocks: the JSON data and the one executable script. */
function parts(html: string): { data: ChartData; script: string } {
  const data = /<script type="application\/json" id="novaload-data">([^<]*)<\/script>/.exec(html);
  const script = /<script>([\s\S]*?)<\/script>/.exec(html);
  assert.ok(data && script, 'data block and script present');
  return { data: JSON.parse(data[1]!) as ChartData, script: script[1]! };
}

test('the HTML report has every section of the runbook dashboard and the report', () => {
  const report = sampleReport();
  const html = renderHtml(report);
  for (const heading of ['Thresholds', 'Charts', 'Latency', 'Requests', 'Errors', 'Agents']) assert.ok(html.includes(`<h2>${heading}</h2>`), heading);
  for (const id of ['chart-latency', 'chart-throughput', 'chart-success', 'chart-errors', 'chart-load', 'chart-distribution']) assert.ok(html.includes(`id="${id}"`), id);
  assert.match(html, /<p class="verdict fail" title="verdict">FAIL<\/p>/);
  assert.ok(html.includes(`<dt>p99</dt><dd>${formatMs(report.latency.p99)}</dd>`));
  assert.ok(html.includes('normal &lt; 0.1 %, warning 0.1–1 %, critical &gt; 1 %'), 'error-rate chart names the runbook bands');
  assert.match(html, /<td>agent-a<\/td><td class="n">0<\/td><td>0<\/td><td class="n">2097<\/td><td class="n">0\.400 ms<\/td><td><span class="result">ok<\/span>/);
  assert.ok(html.includes('<span class="result">lost at 2 s</span>'));
  assert.match(html, /<div class="figure warning"><dt>Error rate<\/dt><dd>0\.21%<\/dd>/, '9 of 4194 failed: the warning band');
});

test('error-rate bands are the runbook\'s: normal < 0.1 %, warning 0.1–1 %, critical > 1 %', () => {
  assert.deepEqual([0, 0.099, 0.1, 1, 1.01, 50].map(errorRateBand), ['normal', 'normal', 'warning', 'warning', 'critical', 'critical']);
});

test('thresholds are coloured by outcome: failed critical red, failed warning amber', () => {
  const html = renderHtml(sampleReport());
  const rows = html.match(/<tr class="(pass|warn|fail)"><td><code>[^<]*<\/code><\/td><td><span class="level-\w+">\w+<\/span>/g) ?? [];
  const classOf = (metric: string, level: string) => rows.find((r) => r.includes(`<code>${metric}</code>`) && r.includes(`>${level}<`))?.match(/class="(\w+)"/)?.[1];
  assert.equal(classOf('latency.p50', 'warning'), 'warn');
  assert.equal(classOf('latency.p50', 'critical'), 'pass');
  assert.equal(classOf('errorRate', 'warning'), 'pass');
  assert.equal(classOf('successRate', 'critical'), 'fail');
});

test('the charts\' data is the timeline and the histogram\'s percentiles, with no decoder needed in the page', () => {
  const report = sampleReport();
  const { data } = parts(renderHtml(report));
  assert.deepEqual(data.t, [0, 1, 2]);
  assert.deepEqual(data.requests, report.timeline.map((p) => p.requests));
  assert.deepEqual(data.errors, [0, 9, 0]);
  assert.deepEqual(data.p99, report.timeline.map((p) => p.latency.p99));
  assert.deepEqual(data.vus, [20, 22, 24]);
  assert.deepEqual(data.dropped, [0, 2, 4]);
  // 4194 requests: the axis reaches 99.99% (four decades, 20 points each).
  const dist = new Map(data.distribution);
  assert.equal(data.distribution.length, 4 * 20 + 1);
  assert.equal(dist.get(0), report.latency.min);
  assert.equal(dist.get(90), report.latency.p90);
  assert.equal(dist.get(99), report.latency.p99);
  assert.equal(dist.get(99.9), report.latency.p999);
  assert.equal(dist.get(99.99), percentileMs(decodeHistogram(report.histogram), 99.99));
  const ps = data.distribution.map(([p]) => p);
  const ms = data.distribution.map(([, v]) => v);
  assert.ok(ps.every((p, i) => i === 0 || p > ps[i - 1]!), 'percentiles increase');
  assert.ok(ms.every((v, i) => i === 0 || v >= ms[i - 1]!), 'latency never decreases with the percentile');
});

test('the page is self-contained: no external resource, a CSP that allows only its own script', () => {
  const html = renderHtml(sampleReport());
  const { script } = parts(html);
  assert.doesNotMatch(html, /<(?:link|img|iframe|object|embed)\b|<[a-z][^>]*\s(?:src|href)=|@import|url\(/i);
  const hash = createHash('sha256').update(script).digest('base64');
  assert.ok(html.includes(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${hash}';`), 'CSP names the script by its hash');
  assert.doesNotThrow(() => new Function(script), 'the script parses');
});

test('user-controlled names, paths and kinds are escaped everywhere', () => {
  const report = sampleReport();
  const hostile: Report = { ...report, scenario: HOSTILE, target: 'http://x.invalid/"><script>alert(2)</script>', errors: { ...report.errors, [HOSTILE]: 1 } };
  const html = renderHtml(hostile);
  assert.equal(html.match(/<script/g)?.length, 2, 'only the data block and the page script');
  assert.equal(html.match(/<\/script>/g)?.length, 2);
  assert.ok(!html.includes('<img'));
  assert.ok(!html.includes('onerror="'));
  assert.ok(html.includes('&lt;/script&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt;|`*x*`&amp;\uFFFD'), 'shown as text');
  assert.ok(html.includes('<title>novaload: &lt;/script&gt;'));
  assert.ok(html.includes('/q?a=&lt;b&gt;&amp;c'), 'paths escaped');
  assert.ok(!html.includes('\u0001'), 'control characters replaced');
  assert.deepEqual(parts(html).data.t, [0, 1, 2], 'the data block still parses');
});

test('an empty or troubled run renders: notices for interruption and a saturated generator, no agents section', () => {
  const html = renderHtml({ ...emptyReport(), generator: { lagMaxMs: 250, utilizationMax: 0.99, saturated: true } });
  assert.match(html, /<p class="notice" role="alert">Interrupted: /);
  assert.match(html, /<p class="notice" role="alert">Warning: the load generator was saturated \(event-loop utilisation up to 99%, lag up to 250\.000 ms\)/);
  assert.ok(html.includes('No errors.'));
  assert.ok(!html.includes('<h2>Agents</h2>'));
  assert.deepEqual(parts(html).data.distribution, []);
  assert.ok(html.includes('<p class="verdict fail"'));
});

test('a windowed failure, a --history level and an abort read as in the text report', () => {
  const html = renderHtml(judgedReport());
  assert.match(html, /<tr class="fail"><td><code>latency\.p99<\/code><\/td><td><span class="level-critical">critical<\/span><\/td><td><code>&lt;1ms: violated in seconds 0–1<\/code>/);
  assert.match(html, /<tr class="pass"><td><code>latency\.p95<\/code><\/td><td><span class="level-warning">warning<\/span><\/td><td><code>&lt;500ms \(history\)<\/code>/);
  assert.match(html, /<p class="notice" role="alert">Aborted: threshold latency\.p99 \(critical &lt;1ms for 2s\) failed at second 1/);
  assert.ok(!html.includes('Interrupted: '), 'the abort says why the run stopped');
});

test('the HTML report shows the --baseline comparison, the --history levels and generator errors, escaped', () => {
  const r = sampleReport();
  r.baseline = { file: '<old>.json', scenario: r.scenario, startedAt: '2026-11-01T00:00:00.000Z', metrics: [{ metric: 'latency.p95', baseline: 100, current: 110, change: 10, changePercent: 10 }] };
  r.history = { reports: 4, sensitivity: 1, levels: [{ metric: 'latency.p99', baseline: 20, stdev: 2, warning: 24, critical: 26, lowerIsWorse: false }] };
  r.generatorErrors = 3;
  const html = renderHtml(r);
  assert.match(html, /Compared with &lt;old&gt;\.json/);
  assert.match(html, /<td>latency\.p95<\/td><td class="n">100\.000 ms<\/td><td class="n">110\.000 ms<\/td><td class="n">\+10\.0%<\/td>/);
  assert.match(html, /Levels from 4 earlier runs/);
  assert.match(html, /3 error\(s\) were the generator's own/);
});
