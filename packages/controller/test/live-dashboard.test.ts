/**
 * The live view's parts without a browser: the feed's per-second and
 * cumulative percentiles against known latencies (exact, and the last
 * cumulative figures equal the final report's), the page messages, /metrics
 * with k6's names and --tag labels, the dashboard flags, and the token rule
 * (judged on the listen address string; on loopback a set token is asked
 * for on every route, 401 without it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHistogram, encodeHistogram, recordMicros, RunAggregator, type IntervalSnapshot } from '@novaload/report';
import { LiveFeed } from '../src/live/feed.js';
import { pageData, summaryOf } from '../src/live/page-data.js';
import { LiveMetrics } from '../src/live/metrics.js';
import { checkDashboardToken, dashboardOptions, DEFAULT_DASHBOARD } from '../src/live/options.js';
import { DashboardServer } from '../src/live/server.js';
import { parseTags } from '../src/commands/tags.js';
import { CliError } from '../src/exit-codes.js';

const REQUESTS = [{ name: 'a', method: 'GET', path: '/a' }, { name: 'b', method: 'GET', path: '/b' }];

/** A snapshot of `share` for `second` with these latencies (µs) per request name and `failed` HTTP_503s of a. */
function snapshot(share: number, second: number, latencies: Record<string, number[]>, failed = 0): IntervalSnapshot {
  const endpoints: IntervalSnapshot['endpoints'] = {};
  for (const [name, values] of Object.entries(latencies)) {
    const h = createHistogram();
    for (const v of values) recordMicros(h, v);
    const enc = encodeHistogram(h);
    const f = name === 'a' ? failed : 0;
    endpoints[name] = { requests: values.length, ok: values.length - f, failed: f, bytes: 0, errors: f ? { HTTP_503: f } : {}, latency: enc, serviceTime: enc, ttfb: enc };
  }
  return { share, seq: second, second, vus: 3, dropped: second, endpoints, generator: { lagMaxMs: 0, lagMeanMs: 0, utilization: 0 } };
}

/** The nearest-rank percentile HDR gives for values it holds exactly (below 2048 µs at 3 digits), in ms. */
function nearestRank(values: number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]! / 1000;
}

/** Second s, share k: distinct latencies 1..2000 µs so every percentile is a known value. */
const values = (s: number, k: number, name: string): number[] => Array.from({ length: 40 + 13 * s + 7 * k }, (_, i) => 1 + ((i * 37 + s * 101 + k * 53 + name.length * 11) % 1999));

function run(): { aggregator: RunAggregator; feed: LiveFeed; all: number[][] } {
  const aggregator = new RunAggregator({ scenario: 's', target: 'http://127.0.0.1:1', executor: 'constant-vus', startedAt: new Date(0), requests: REQUESTS }, 2);
  const feed = new LiveFeed({ name: 's', aggregator, startAt: 0, plannedMs: 3000, options: () => ({ durationMs: 3000, interrupted: false, thresholds: { 'latency.p99': { critical: '<1ms' } } }) });
  const all: number[][] = [];
  for (let s = 0; s < 3; s++) {
    const second: number[] = [];
    for (let k = 0; k < 2; k++) {
      const lat = { a: values(s, k, 'a'), b: values(s, k, 'bb') };
      second.push(...lat.a, ...lat.b);
      aggregator.add(snapshot(k, s, lat, s === 1 ? 2 : 0));
    }
    all.push(second);
  }
  return { aggregator, feed, all };
}

test('feed: each second\'s p50/p95/p99 are exact over both shares\' latencies, and the cumulative ones over every second so far', () => {
  const { feed, all } = run();
  assert.equal(feed.points.length, 3);
  feed.points.forEach((p, s) => {
    const upTo = all.slice(0, s + 1).flat();
    assert.equal(p.requests, all[s]!.length);
    assert.deepEqual([p.p50, p.p95, p.p99], [50, 95, 99].map((q) => nearestRank(all[s]!, q)), `second ${s}`);
    assert.deepEqual([p.cp50, p.cp95, p.cp99], [50, 95, 99].map((q) => nearestRank(upTo, q)), `cumulative to ${s}`);
  });
  assert.equal(feed.points[1]!.errors, 4);
});

test('feed: the last cumulative percentiles equal the final report\'s; the report as it stands counts every snapshot merged', () => {
  const { aggregator, feed, all } = run();
  const live = feed.refresh();
  assert.equal(live.totals.requests, all.flat().length);
  assert.equal(live.thresholds[0]!.ok, false, 'thresholds as they stand');
  assert.match(summaryOf(live).thresholds[0]!.shown, /^\d+(\.\d+)? ms$/, 'the page shows the value with its unit, as the report prints it');
  const report = aggregator.finish({ durationMs: 3000, interrupted: false, thresholds: {} });
  feed.close(report);
  const last = feed.points.at(-1)!;
  assert.deepEqual([last.cp50, last.cp95, last.cp99], [report.latency.p50, report.latency.p95, report.latency.p99]);
  assert.equal(feed.report(), report, 'a closed feed shows its final report');
});

test('feed: the report as it stands is recomputed at most once a second, and no sooner than 50 × what it cost', () => {
  const { aggregator } = run();
  let calls = 0;
  const slow = Object.assign(Object.create(aggregator) as RunAggregator, {
    listen: () => {},
    current: (o: Parameters<RunAggregator['current']>[0]) => {
      calls++;
      const until = performance.now() + 30;
      while (performance.now() < until) {
        // a report that takes 30 ms to assemble
      }
      return aggregator.current(o);
    },
  });
  const cheap = run().feed;
  const feed = new LiveFeed({ ...cheap.source, aggregator: slow });
  feed.refresh(0);
  feed.refresh(1000);
  assert.equal(calls, 1, '30 ms × 50 = 1.5 s: not again after 1 s');
  feed.refresh(60_000);
  assert.equal(calls, 2, 'again once 50 × its cost passed');
  const first = cheap.refresh(0);
  assert.equal(cheap.refresh(500), first, 'never twice within a second');
  assert.notEqual(cheap.refresh(10_000), first, 'a cheap report is recomputed on a later tick');
});

test('page data: the summary of the report as it stands, the seconds from `from` on, and the workloads\' rows', () => {
  const { feed } = run();
  feed.refresh();
  const section = run().feed;
  section.refresh();
  const data = pageData({ id: 7, feed, sections: [section] }, [], 1, 2500);
  assert.equal(data.view, 7);
  assert.equal(data.state, 'running');
  assert.equal(data.elapsedMs, 2500);
  assert.deepEqual(data.points.map((p) => p.t), [1, 2]);
  assert.equal(data.summary.totals.requests, feed.report().totals.requests);
  assert.equal(data.tiles.vus, 6, 'the last second\'s VUs over both shares');
  const last = feed.points.at(-1)!;
  assert.deepEqual(data.tiles, {
    requests: data.summary.totals.requests, failed: 4, rps: last.requests, errorRate: (100 * 4) / data.summary.totals.requests, successRate: 100 - (100 * 4) / data.summary.totals.requests,
    vus: 6, dropped: 2 * (0 + 1 + 2), p50: last.cp50, p95: last.cp95, p99: last.cp99,
  }, 'the tiles, every second without the report: the merge\'s counters and the cumulative histogram');
  assert.deepEqual(data.summary.endpoints.map((e) => [e.name, e.failed]), [['a', 4], ['b', 0]]);
  assert.deepEqual(data.summary.errors, { HTTP_503: 4 });
  assert.equal(data.sections[0]!.requests, section.report().totals.requests);
});

test('/metrics: the series remote write pushes (k6\'s names and labels) per scenario and request, with the --tag labels; counts equal the report\'s, latencies in seconds', async () => {
  const { aggregator } = run();
  const report = aggregator.finish({ durationMs: 3000, interrupted: false, thresholds: {} });
  const metrics = new LiveMetrics({ testid: 'r42' });
  const text = await metrics.text([{ scenario: 's', report }]);
  /** The value of the one series `name` whose labels are exactly `labels`. */
  const value = (name: string, labels: Record<string, string>): number => {
    const want = Object.entries(labels).sort().map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',');
    const hits = text.split('\n').filter((line) => line.startsWith(`${name}{`)).filter((line) => {
      const got = [...line.slice(name.length + 1, line.lastIndexOf('}')).matchAll(/(\w+)="([^"]*)"/g)].map((m) => `${m[1]}=${JSON.stringify(m[2])}`).sort().join(',');
      return got === want;
    });
    assert.equal(hits.length, 1, `${name} ${want} in:\n${text}`);
    return Number(hits[0]!.slice(hits[0]!.lastIndexOf(' ') + 1));
  };
  const a = report.endpoints[0]!;
  const own = { scenario: 's', testid: 'r42' };
  const req = { ...own, name: 'a', method: a.method };
  assert.equal(value('k6_http_reqs_total', { ...req, expected_response: 'true' }), a.totals.ok);
  assert.equal(value('k6_http_reqs_total', { ...req, expected_response: 'false', status: '503', kind: 'HTTP_503' }), 4);
  assert.equal(value('k6_http_req_failed_rate', req), 4 / a.totals.requests);
  assert.equal(value('k6_http_req_duration_p99', req), a.latency.p99 / 1000);
  assert.equal(value('k6_http_req_duration_p99', own), report.latency.p99 / 1000, 'the scenario overall, without name');
  assert.equal(value('k6_dropped_iterations_total', own), report.totals.dropped);
  assert.equal(value('k6_vus', own), report.timeline.at(-1)!.vus);
  assert.equal(value('novaload_http_reqs_per_second', own), report.timeline.at(-1)!.requests);
  assert.match(text, /^# TYPE k6_http_reqs_total counter$/m);
  const again = await metrics.text([{ scenario: 's', report }]);
  assert.equal(again, text, 'a second scrape sets the same values, it does not add them twice');
});

test('--tag k=v: repeatable Prometheus labels; a bad name or one of novaload\'s own labels is refused (104)', () => {
  assert.deepEqual(parseTags(['testid=r42', 'team=a=b']), { testid: 'r42', team: 'a=b' });
  for (const bad of ['1x=y', 'no-equals', '=v', '__name=x', 'scenario=x']) {
    assert.throws(() => parseTags([bad]), (e: unknown) => e instanceof CliError && e.exitCode === 104, bad);
  }
});

test('--dashboard: bare is 127.0.0.1:5665; a value that is not host:port and a linger without --dashboard are refused (104)', () => {
  assert.equal(dashboardOptions('', undefined, undefined, {})!.listen, DEFAULT_DASHBOARD);
  assert.deepEqual(dashboardOptions('[::1]:0', '30s', undefined, {}), { listen: '[::1]:0', host: '::1', port: 0, token: undefined, lingerMs: 30_000, tags: {} });
  assert.equal(dashboardOptions(undefined, undefined, undefined, {}), undefined);
  for (const [flag, linger] of [['scenario.json', undefined], ['127.0.0.1:99999', undefined], ['127.0.0.1:0', 'soon'], [undefined, '5s']] as const) {
    assert.throws(() => dashboardOptions(flag, linger, undefined, {}), (e: unknown) => e instanceof CliError && e.exitCode === 104, `${flag} ${linger}`);
  }
});

test('token rule: off loopback (judged on the address string) the dashboard needs a token; on loopback it is optional', () => {
  for (const host of ['0.0.0.0', '10.0.0.5', '::', 'dashboard.internal']) {
    assert.throws(() => checkDashboardToken(`${host}:5665`, host, undefined), (e: unknown) => e instanceof CliError && e.exitCode === 104 && /off loopback: a token is required/.test(e.message), host);
    assert.doesNotThrow(() => checkDashboardToken(`${host}:5665`, host, 't0k'));
  }
  for (const host of ['127.0.0.1', 'localhost', '::1']) assert.doesNotThrow(() => checkDashboardToken(`${host}:5665`, host, undefined));
});

test('token on loopback: the page, the stream and /metrics refuse a request without it or with a wrong one (401); ?token= or a Bearer header opens them', async () => {
  const routes = { page: () => 'PAGE', hello: () => '{"hello":1}', report: () => null, metrics: async () => ({ contentType: 'text/plain', text: 'k6_vus 1\n' }) };
  const server = await DashboardServer.listen('127.0.0.1', 0, 's3cret', routes);
  try {
    for (const path of ['/', '/events', '/metrics', '/report.html']) {
      assert.equal((await fetch(new URL(path, server.url))).status, 401, `${path} without the token`);
      assert.equal((await fetch(new URL(`${path}?token=wrong`, server.url))).status, 401, `${path} with a wrong token`);
    }
    assert.equal(await (await fetch(new URL('/?token=s3cret', server.url))).text(), 'PAGE');
    assert.equal(await (await fetch(new URL('/metrics', server.url), { headers: { authorization: 'Bearer s3cret' } })).text(), 'k6_vus 1\n');
    assert.equal((await fetch(new URL('/report.html?token=s3cret', server.url))).status, 404, 'no final report while the run goes');
    const stream = await fetch(new URL('/events?token=s3cret', server.url));
    const reader = stream.body!.getReader();
    let text = '';
    for (let i = 0; i < 5 && !text.includes('{"hello":1}'); i++) text += new TextDecoder().decode((await reader.read()).value);
    assert.match(text, /data: \{"hello":1\}/);
    await reader.cancel();
  } finally {
    await server.close();
  }
});
