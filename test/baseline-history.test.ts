/**
 * End to end: `--baseline` shows how a run changed from an earlier one and
 * judges relative thresholds against it; `--history` turns earlier reports
 * into warning/critical levels at 2σ/3σ. A run file is compared run to run
 * and workload to workload (issue 14 point 2).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer } from './helpers/servers.js';
import { runCli, tempDir, writeScenario } from './helpers/cli.js';

const scenario = (url: string, thresholds: Record<string, unknown> = {}) => ({
  name: 'checkout',
  target: url,
  executor: 'constant-vus',
  vus: 2,
  duration: '1s',
  requests: [{ name: 'home', path: '/' }],
  thresholds,
});

test('--baseline: the change from the earlier run is shown, and a failing relative threshold exits 99', async () => {
  let delayMs = 2;
  const server = await startServer(() => ({ delayMs }));
  try {
    const dir = await tempDir();
    const first = await runCli(['run', await writeScenario(dir, 'plain.json', scenario(server.url)), '--threads', '1', '--quiet', '--out', join(dir, 'old.json')]);
    assert.equal(first.code, 0, first.stderr);
    delayMs = 30;
    const file = await writeScenario(dir, 'relative.json', scenario(server.url, { 'latency.p95': { warning: '<+5%', critical: '<+10%' } }));
    const r = await runCli(['run', file, '--threads', '1', '--quiet', '--baseline', join(dir, 'old.json'), '--out', join(dir, 'new.json')]);
    assert.equal(r.code, 99, r.stderr);
    const old = JSON.parse(await readFile(join(dir, 'old.json'), 'utf8'));
    const report = JSON.parse(await readFile(join(dir, 'new.json'), 'utf8'));
    const p95 = report.baseline.metrics.find((m: { metric: string }) => m.metric === 'latency.p95');
    assert.deepEqual(p95, { metric: 'latency.p95', baseline: old.latency.p95, current: report.latency.p95, change: report.latency.p95 - old.latency.p95, changePercent: ((report.latency.p95 - old.latency.p95) / old.latency.p95) * 100 });
    assert.deepEqual(report.baseline.metrics.map((m: { metric: string }) => m.metric), ['latency.p50', 'latency.p95', 'latency.p99', 'errorRate', 'rps']);
    assert.deepEqual(report.thresholds.map((t: { level: string; ok: boolean; baseline: number }) => [t.level, t.ok, t.baseline]), [['warning', false, old.latency.p95], ['critical', false, old.latency.p95]]);
    assert.equal(report.verdict, 'fail');
    assert.match(r.stdout, /Baseline: .*old\.json \(checkout, started /);
    assert.match(r.stdout, /latency\.p95 +\d+\.\d{3} ms +\d+\.\d{3} ms +\+\d+\.\d{3} ms \(\+\d+\.\d{2}%\)/);
  } finally {
    await server.close();
  }
});

test('a relative threshold without --baseline: exit 104 naming the threshold and --baseline, nothing sent', async () => {
  const server = await startServer();
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'relative.json', scenario(server.url, { 'latency.p95': { critical: '<+10%' } }));
    const r = await runCli(['run', file, '--threads', '1', '--quiet']);
    assert.equal(r.code, 104, r.stderr);
    assert.match(r.stderr, /threshold "latency\.p95" \(critical "<\+10%"\) of scenario "checkout" is relative: pass --baseline/);
    assert.equal(server.seen.length, 0);
  } finally {
    await server.close();
  }
});

/** A saved report of an earlier run of `checkout`, with the figures the history reads. */
const earlier = (p95: number, rps: number) => ({
  version: 1,
  scenario: 'checkout',
  startedAt: '2025-01-01T00:00:00.000Z',
  interrupted: false,
  totals: { requests: rps, ok: rps, failed: 0, bytesReceived: 0, dropped: 0, resent: 0 },
  rps,
  errorRate: 0,
  successRate: 100,
  latency: { min: 1, mean: p95 / 2, stdev: 1, p50: p95 / 2, p90: p95 - 1, p95, p99: p95 * 2, p999: p95 * 3, max: p95 * 4 },
  endpoints: [],
  histogram: '',
});

test('--history: earlier reports give levels at mean + 2σ and 3σ (times --sensitivity), judged and shown', async () => {
  const server = await startServer(() => ({ delayMs: 1 }));
  try {
    const dir = await tempDir();
    const history = join(dir, 'history');
    await mkdir(history);
    for (const [i, [p95, rps]] of [[10, 100], [12, 120], [14, 140]].entries()) await writeFile(join(history, `run-${i}.json`), JSON.stringify(earlier(p95!, rps!)));
    await writeFile(join(history, 'other.json'), JSON.stringify({ ...earlier(500, 1), scenario: 'another' }));
    const file = await writeScenario(dir, 's.json', scenario(server.url));
    const r = await runCli(['run', file, '--threads', '1', '--quiet', '--history', history, '--sensitivity', '2', '--out', join(dir, 'r.json')]);
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
    assert.equal(report.history.reports, 3, 'the other scenario\'s report is not used');
    const level = (metric: string) => report.history.levels.find((l: { metric: string }) => l.metric === metric);
    assert.deepEqual(level('latency.p95'), { metric: 'latency.p95', baseline: 12, stdev: 2, warning: 20, critical: 24, lowerIsWorse: false });
    assert.deepEqual(level('rps'), { metric: 'rps', baseline: 120, stdev: 20, warning: 40, critical: 0, lowerIsWorse: true });
    const judged = report.thresholds.filter((t: { source?: string }) => t.source === 'history');
    assert.equal(judged.length, 10);
    const p95Critical = judged.find((t: { metric: string; level: string }) => t.metric === 'latency.p95' && t.level === 'critical');
    assert.deepEqual([p95Critical.expression, p95Critical.limit, p95Critical.value, p95Critical.ok], ['<=24ms', 24, report.latency.p95, report.latency.p95 <= 24]);
    assert.equal(r.code, report.verdict === 'fail' ? 99 : 0, r.stderr);
    assert.match(r.stdout, /History: levels from 3 earlier runs .*sensitivity 2/);
    assert.match(r.stdout, /latency\.p95 +12\.000 ms +2\.000 ms +<= 20\.000 ms +<= 24\.000 ms/);
  } finally {
    await server.close();
  }
});

/** A run file of two workloads at once: browse (closed, /browse) and api (20/s, /api); `run` and `api` are their thresholds. */
const runFile = (url: string, run: Record<string, unknown> = {}, api: Record<string, unknown> = {}) => ({
  name: 'release-check',
  target: url,
  thresholds: run,
  scenarios: {
    browse: { executor: 'constant-vus', vus: 2, duration: '1s', thinkTime: '20ms', requests: [{ name: 'home', path: '/browse' }] },
    api: { executor: 'constant-arrival-rate', rate: 20, duration: '1s', maxVUs: 4, requests: [{ name: 'ping', path: '/api' }], thresholds: api },
  },
});

test('run file --baseline: the run is judged against the earlier run\'s top level and each workload against its section; the failed workload level exits 99', async () => {
  let apiDelayMs = 1;
  const server = await startServer((req) => ({ delayMs: req.url === '/api' ? apiDelayMs : 1 }));
  try {
    const dir = await tempDir();
    const first = await runCli(['run', await writeScenario(dir, 'plain.json', runFile(server.url)), '--threads', '1', '--quiet', '--out', join(dir, 'old.json')], { timeoutMs: 20_000 });
    assert.equal(first.code, 0, first.stderr);
    apiDelayMs = 40;
    const file = await writeScenario(dir, 'relative.json', runFile(server.url, { 'errorRate': '<=+0%' }, { 'latency.p95': { critical: '<+50%' } }));
    const r = await runCli(['run', file, '--threads', '1', '--quiet', '--baseline', join(dir, 'old.json'), '--out', join(dir, 'new.json')], { timeoutMs: 20_000 });
    assert.equal(r.code, 99, r.stderr);
    const old = JSON.parse(await readFile(join(dir, 'old.json'), 'utf8'));
    const report = JSON.parse(await readFile(join(dir, 'new.json'), 'utf8'));
    const judged = (rep: { thresholds: { metric: string; ok: boolean; baseline: number }[] }) => rep.thresholds.map((t) => [t.metric, t.ok, t.baseline]);
    assert.deepEqual(judged(report), [['errorRate', true, 0]], 'the run-wide level holds, against the earlier run\'s top level');
    assert.deepEqual(judged(report.scenarios.api), [['latency.p95', false, old.scenarios.api.latency.p95]], 'api\'s own level fails, against api\'s section');
    assert.equal(report.scenarios.api.verdict, 'fail');
    assert.equal(report.verdict, 'fail');
    const p95 = (rep: { baseline: { scenario: string; metrics: { metric: string; baseline: number }[] } }) => [rep.baseline.scenario, rep.baseline.metrics.find((m) => m.metric === 'latency.p95')!.baseline];
    assert.deepEqual(p95(report), ['release-check', old.latency.p95]);
    assert.deepEqual(p95(report.scenarios.browse), ['browse', old.scenarios.browse.latency.p95]);
    assert.deepEqual(p95(report.scenarios.api), ['api', old.scenarios.api.latency.p95]);
  } finally {
    await server.close();
  }
});

test('run file: a relative workload level and a baseline without that workload, or a baseline of a scenario file: exit 104 naming them, nothing sent', async () => {
  const server = await startServer();
  try {
    const dir = await tempDir();
    const { scenarios, ...rest } = runFile(server.url);
    await writeFile(join(dir, 'old.json'), JSON.stringify({ ...earlier(10, 100), scenario: 'release-check', scenarios: { browse: { ...earlier(10, 50), scenario: 'browse' } } }));
    const file = await writeScenario(dir, 'relative.json', { ...rest, scenarios: { ...scenarios, api: { ...scenarios.api, thresholds: { rps: '>-10%' } } } });
    const r = await runCli(['run', file, '--threads', '1', '--quiet', '--baseline', join(dir, 'old.json')]);
    assert.equal(r.code, 104, r.stderr);
    assert.match(r.stderr, /threshold "rps" \(critical ">-10%"\) of workload "api" of run "release-check" is relative: the baseline .*old\.json has no section "api" \(its workloads: browse\)/);
    await writeFile(join(dir, 'single.json'), JSON.stringify(earlier(10, 100)));
    const s = await runCli(['run', file, '--threads', '1', '--quiet', '--baseline', join(dir, 'single.json')]);
    assert.equal(s.code, 104, s.stderr);
    assert.match(s.stderr, /single\.json is a report of scenario "checkout", not of a run file: run "release-check" is compared with an earlier report of a run file/);
    assert.equal(server.seen.length, 0);
  } finally {
    await server.close();
  }
});

test('run file --history: two earlier run reports give levels for the run and, from their sections, for each workload', async () => {
  const server = await startServer(() => ({ delayMs: 1 }));
  try {
    const dir = await tempDir();
    const history = join(dir, 'history');
    await mkdir(history);
    const saved = (p95: number, rps: number) => ({ ...earlier(p95, rps), scenario: 'release-check', scenarios: { browse: { ...earlier(p95 / 2, rps / 2), scenario: 'browse' }, api: { ...earlier(p95 * 2, 20), scenario: 'api' } } });
    await writeFile(join(history, 'a.json'), JSON.stringify(saved(10, 100)));
    await writeFile(join(history, 'b.json'), JSON.stringify(saved(14, 140)));
    await writeFile(join(history, 'plain.json'), JSON.stringify({ ...earlier(500, 1), scenario: 'release-check' }));
    const r = await runCli(['run', await writeScenario(dir, 'run.json', runFile(server.url)), '--threads', '1', '--quiet', '--history', history, '--out', join(dir, 'r.json')], { timeoutMs: 20_000 });
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
    const p95 = (rep: { history: { reports: number; levels: { metric: string; baseline: number; stdev: number }[] } }) => {
      const level = rep.history.levels.find((l) => l.metric === 'latency.p95')!;
      return [rep.history.reports, level.baseline, level.stdev];
    };
    assert.deepEqual(p95(report), [2, 12, Math.SQRT2 * 2], 'the run: from the two run reports, not the scenario report of the same name');
    assert.deepEqual(p95(report.scenarios.browse), [2, 6, Math.SQRT2]);
    assert.deepEqual(p95(report.scenarios.api), [2, 24, Math.SQRT2 * 4]);
    assert.equal(report.scenarios.api.thresholds.filter((t: { source?: string }) => t.source === 'history').length, 10);
    assert.equal(r.code, report.verdict === 'fail' ? 99 : 0, r.stderr);
    await writeFile(join(history, 'b.json'), JSON.stringify({ ...saved(14, 140), scenarios: { browse: saved(14, 140).scenarios.browse } }));
    const short = await runCli(['run', join(dir, 'run.json'), '--threads', '1', '--quiet', '--history', history]);
    assert.equal(short.code, 104, short.stderr);
    assert.match(short.stderr, /has 1 complete earlier report\(s\) of workload "api" of run "release-check": dynamic thresholds need at least 2/);
  } finally {
    await server.close();
  }
});
