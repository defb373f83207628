/** The HTML report of a run file: the run's charts and figures, an index of the workloads, and a section per workload with its own. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMs, renderHtml } from '../src/index.js';
import type { ChartData } from '../src/render/html-data.js';
import { runReport } from './run-report.js';
import { sampleReport } from './report-sample.js';

const CHARTS = ['chart-latency', 'chart-throughput', 'chart-success', 'chart-errors', 'chart-load', 'chart-distribution'];

/** The JSON block `id` of the page. */
function block(html: string, id: string): ChartData {
  const m = new RegExp(`<script type="application/json" id="${id}">([^<]*)</script>`).exec(html);
  assert.ok(m, id);
  return JSON.parse(m[1]!) as ChartData;
}

/** The markup of workload section `n`. */
function section(html: string, n: number): string {
  const from = html.indexOf(`<section class="workload" id="scenario-${n}">`);
  assert.ok(from >= 0, `section ${n}`);
  return html.slice(from, html.indexOf('</section>', from));
}

test('a run file\'s HTML report has the run\'s charts, then a section per workload with its own six charts, data and figures', () => {
  const report = runReport();
  const html = renderHtml(report);
  const sections = Object.values(report.scenarios!);
  assert.equal(block(html, 'novaload-data').requests.reduce((a, b) => a + b, 0), report.totals.requests, 'the run\'s charts draw every workload');
  for (const id of CHARTS) assert.ok(html.includes(`id="${id}"`), id);
  sections.forEach((w, i) => {
    const n = i + 1;
    const s = section(html, n);
    assert.ok(s.includes(`<h2>Scenario: ${w.scenario}</h2>`), `section ${n} is headed by its name`);
    assert.match(s, new RegExp(`<p class="verdict ${w.verdict}" title="verdict of ${w.scenario}">${w.verdict.toUpperCase()}</p>`));
    assert.ok(s.includes(`<div class="charts" data-charts="novaload-data-${n}" data-prefix="s${n}-">`));
    for (const id of CHARTS) assert.ok(s.includes(`id="s${n}-${id}"`), `${w.scenario}: ${id}`);
    const data = block(s, `novaload-data-${n}`);
    assert.deepEqual(data.t, w.timeline.map((p) => p.t), `${w.scenario}: its own clock`);
    assert.deepEqual(data.requests, w.timeline.map((p) => p.requests));
    assert.ok(s.includes(`<dt>Requests</dt><dd>${w.totals.requests}</dd>`));
    assert.ok(s.includes(`<dt>p99</dt><dd>${formatMs(w.latency.p99)}</dd>`));
    assert.ok(s.includes(`<dt>Completed iterations</dt><dd>${w.totals.iterations}</dd>`));
    for (const heading of ['Thresholds', 'Charts', 'Latency', 'Requests', 'Errors']) assert.ok(s.includes(`<h3>${heading}</h3>`), `${w.scenario}: ${heading}`);
  });
  assert.deepEqual(sections.map((w) => w.totals.requests), [123, 50]);
  assert.ok(section(html, 2).includes('<tr class="fail"><td><code>errorRate</code>'), 'api\'s failed threshold is in its section');
  const index = html.slice(html.indexOf('<h2>Scenarios</h2>'), html.indexOf('</table>', html.indexOf('<h2>Scenarios</h2>')));
  assert.match(index, /<tr><td><a href="#scenario-1">browse<\/a><\/td><td>constant-vus<\/td><td class="n">123<\/td><td class="n">123<\/td><td class="n">0<\/td>/);
  assert.match(index, /<tr class="fail"><td><a href="#scenario-2">api<\/a><\/td><td>shared-iterations<\/td><td class="n">50<\/td><td class="n">50<\/td>.*<span class="result">FAIL<\/span>/);
  assert.ok(html.indexOf('<h2>Scenarios</h2>') < html.indexOf('<h2>Charts</h2>'), 'the index comes first, under the header');
});

test('a scenario\'s HTML report has no workload index or sections, one chart grid on the run\'s data, and its iteration count', () => {
  const report = sampleReport();
  const html = renderHtml(report);
  assert.ok(!html.includes('<h2>Scenarios</h2>'));
  assert.ok(!html.includes('<section'));
  assert.equal(html.match(/data-charts=/g)?.length, 1);
  assert.ok(html.includes('<div class="charts" data-charts="novaload-data" data-prefix="">'));
  assert.ok(html.includes(`<dt>Dropped iterations</dt><dd>${report.totals.dropped}</dd></div><div class="figure"><dt>Completed iterations</dt><dd>${report.totals.iterations}</dd>`));
  const { totals, ...older } = report;
  const { iterations: _iterations, ...without } = totals;
  assert.ok(!renderHtml({ ...older, totals: without }).includes('Completed iterations'), 'a report older than the count shows none');
});
