/**
 * Charts and labels that must not mislead: a run's partial last second is
 * drawn at its rate per second (or, as a sliver, left out, and the page says
 * so), a second in which nothing completed has no percentile rather than 0 ms,
 * and the latency measures are named by what they count from for the executor.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderHtml, renderMarkdown, renderText, RunAggregator, type EndpointSnapshot, type Report } from '../src/index.js';
import type { ChartData } from '../src/render/html-data.js';
import { endpoint, META, snapshot } from './fixtures.js';

/** 100 completions a second of 20 ms for seconds 0–2, then `last` completions of 2 ms in second 3; the run lasted `durationMs`. */
function run(durationMs: number, last: number, executor = 'constant-vus'): Report {
  const agg = new RunAggregator({ ...META, executor }, 1);
  for (let second = 0; second < 4; second++) {
    const n = second < 3 ? 100 : last;
    const latency = Array.from({ length: n }, () => (second < 3 ? 20_000 : 2000));
    const endpoints: Record<string, EndpointSnapshot> = n === 0 ? {} : { 'list-tasks': endpoint({ latency, serviceTime: latency, ttfb: latency, errors: second === 3 ? ['HTTP_503'] : [] }) };
    agg.add(snapshot({ share: 0, seq: second, second, vus: 5, dropped: second === 3 ? 2 : 0, endpoints }));
  }
  return agg.finish({ durationMs, interrupted: false, thresholds: {} });
}

function chartData(html: string): ChartData {
  const m = /<script type="application\/json" id="novaload-data">([^<]*)<\/script>/.exec(html);
  assert.ok(m, 'data block present');
  return JSON.parse(m[1]!) as ChartData;
}

test('a partial last second of 400 ms is drawn at its rate per second, and the page says it was scaled', () => {
  const report = run(3400, 40);
  const html = renderHtml(report);
  const data = chartData(html);
  assert.deepEqual(data.t, [0, 1, 2, 3]);
  assert.deepEqual(data.requests, [100, 100, 100, 100], '40 requests in 0.4 s is 100 req/s, not a cliff to 40');
  assert.deepEqual(data.errors, [0, 0, 0, 2.5]);
  assert.deepEqual(data.dropped, [0, 0, 0, 5]);
  assert.deepEqual(data.vus, [5, 5, 5, 5], 'VUs are a level, not a rate: never scaled');
  assert.deepEqual(data.partial, { t: 3, seconds: 0.4, requests: 40, charted: true });
  assert.equal(report.timeline[3]!.requests, 40, 'the report itself keeps the count');
  assert.ok(html.includes('The last second (3 s) lasted 0.4 s: its requests, failures and drops are drawn as rates per second, scaled to that length.'));
});

test('a last sliver under 250 ms is left out of the over-time charts, and the page says what was left out', () => {
  const report = run(3067, 3);
  const html = renderHtml(report);
  const data = chartData(html);
  assert.deepEqual(data.t, [0, 1, 2]);
  assert.deepEqual(data.requests, [100, 100, 100]);
  assert.equal(data.p50.length, 3, 'its few fast completions draw no p50 cliff');
  assert.deepEqual(data.partial, { t: 3, seconds: 0.067, requests: 3, charted: false });
  assert.ok(html.includes('The last 67 ms (second 3, 3 requests) are not drawn over time: too short to chart (under 250 ms); they are in every figure and table.'));
  assert.equal(report.totals.requests, 303, 'they are counted');
});

test('a run that ends on a whole second has no partial second and no note; a second with no completions has no percentile', () => {
  const whole = chartData(renderHtml(run(4000, 50)));
  assert.equal(whole.partial, undefined);
  assert.deepEqual(whole.requests, [100, 100, 100, 50]);
  const idle = run(4000, 0);
  const data = chartData(renderHtml(idle));
  assert.deepEqual(data.p50, [...idle.timeline.slice(0, 3).map((p) => p.latency.p50), null]);
  assert.equal(data.p99[3], null, 'not 0 ms, which a log axis draws as a cliff to its floor');
  assert.ok(!renderHtml(idle).includes('class="chart-note"'));
});

test('the latency measures are named by what they count from: the send for closed models, the schedule for open ones', () => {
  const closed = run(4000, 50, 'ramping-vus');
  const open = run(4000, 50, 'constant-arrival-rate');
  const closedHtml = renderHtml(closed);
  const openHtml = renderHtml(open);
  assert.ok(closedHtml.includes('<td>latency (from the send, connect included)</td>'));
  assert.ok(!closedHtml.includes('scheduled'), 'a closed model has no schedule');
  assert.ok(openHtml.includes('<td>latency (from the scheduled start, coordinated omission corrected)</td>'));
  for (const html of [closedHtml, openHtml]) assert.ok(html.includes('<td>service time (from the write)</td>') && html.includes('<td>time to first byte (from the write)</td>'));
  assert.ok(openHtml.includes('in each second (log scale); latency from the scheduled start (open model, coordinated omission corrected)'), 'the response-time chart says it too');
  assert.ok(renderText(closed).includes('- Response Time: counted from the send (closed model, connect included)\n'));
  assert.ok(renderText(open).includes('- Response Time: counted from the scheduled start (open model, coordinated omission corrected)\n'));
  assert.match(renderMarkdown(closed), /· latency from the send \(closed model, connect included\)\n/);
  assert.match(renderMarkdown(open), /· latency from the scheduled start \(open model, coordinated omission corrected\)\n/);
});
