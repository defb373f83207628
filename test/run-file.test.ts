/**
 * End to end (issue 14 points 1, 2, 3 and 4): a run file's workloads run at
 * once on the same threads, each from its startTime, against one loopback
 * server that tells them apart by path. The run's one report has a section
 * per workload that counts what the server saw of it and run figures that
 * are their exact sum; a failed workload threshold fails the run (99).
 * Scenario files given together still run one after another. A run-wide
 * windowed threshold is watched on the run's timeline, and its abortOnFail
 * stops every workload (108).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeHistogram, latencyStats, type LatencyStats } from '@novaload/report';
import { startServer, type Seen } from './helpers/servers.js';
import { runCli, tempDir, writeScenario } from './helpers/cli.js';
import { startAgent, startController } from './helpers/distributed.js';

interface Report {
  scenario: string;
  executor: string;
  verdict: string;
  totals: { requests: number };
  latency: LatencyStats;
  endpoints: { name: string; totals: { requests: number } }[];
  timeline: { t: number; requests: number }[];
  thresholds: { metric: string; ok: boolean }[];
  histogram: string;
  agents: { name: string; status: string; shares: number[]; requests: number }[];
  scenarios?: Record<string, Report>;
  aborted?: { metric: string; expression: string };
}

/**
 * The run file: browse (closed, 2 s from 0 s) and api (open, 1 s from 1 s),
 * each with a threshold of its own (browse's in its entry, api's run-wide
 * as `latency.p95{scenario=api}`, bound `apiLimit`), and run-wide ones that hold.
 */
function runFile(target: string, apiLimit: string): unknown {
  return {
    name: 'release-check',
    target,
    http: { headers: { 'x-run': 'release-check' } },
    thresholds: { 'latency.p99': '<5s', errorRate: '<1%', 'latency.p95{scenario=api}': apiLimit },
    scenarios: {
      browse: { executor: 'constant-vus', vus: 2, duration: '2s', thinkTime: '20ms', requests: [{ name: 'home', path: '/browse' }], thresholds: { 'latency.p95': '<2s' } },
      api: { executor: 'constant-arrival-rate', rate: 20, duration: '1s', maxVUs: 4, startTime: '1s', gracefulStop: '1s', requests: [{ name: 'ping', path: '/api' }] },
    },
  };
}

async function reportAt(path: string): Promise<Report> {
  return JSON.parse(await readFile(path, 'utf8')) as Report;
}

test('run file: two workloads at once on the same threads, api from 1 s; one report whose sections count what the server saw; a failed workload threshold exits 99 while the run-wide ones pass', async () => {
  const server = await startServer((req) => (req.url === '/api' ? { delayMs: 5 } : {}));
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'mix.json', runFile(server.url, '<1ms'));
    const r = await runCli(['run', file, '--threads', '2', '--quiet', '--out', join(dir, 'r.json'), '--junit', join(dir, 'r.xml'), '--markdown', join(dir, 'r.md')], { timeoutMs: 20_000 });
    assert.equal(r.code, 99, r.stderr);
    // JUnit: a testsuite for the run and one per workload; only api's fails.
    const suites = [...(await readFile(join(dir, 'r.xml'), 'utf8')).matchAll(/<testsuite name="([^"]+)" tests="(\d+)" failures="(\d+)"/g)].map((m) => [m[1], Number(m[2]), Number(m[3])]);
    const headings = (await readFile(join(dir, 'r.md'), 'utf8')).match(/^## .*$/gm) ?? [];
    assert.deepEqual(headings.map((h) => /novaload: (\S+) — (\w+)/.exec(h)?.slice(1)), [['release-check', 'FAIL'], ['browse', 'PASS'], ['api', 'FAIL']]);
    assert.deepEqual(suites, [['novaload.release-check', 2, 0], ['novaload.release-check.browse', 1, 0], ['novaload.release-check.api', 1, 1]]);
    const run = await reportAt(join(dir, 'r.json'));
    const browse = run.scenarios!.browse!;
    const api = run.scenarios!.api!;
    const of = (path: string): Seen[] => server.seen.filter((s) => s.url === path);
    assert.equal(browse.executor, 'constant-vus');
    assert.deepEqual([(browse as { startTimeMs?: number }).startTimeMs, (api as { startTimeMs?: number }).startTimeMs], [0, 1000]);
    const startedAt = (r: Report): number => Date.parse((r as unknown as { startedAt: string }).startedAt);
    assert.deepEqual([startedAt(browse) - startedAt(run), startedAt(api) - startedAt(run)], [0, 1000], 'startedAt is each one\'s second 0');
    assert.equal(api.executor, 'constant-arrival-rate');
    assert.equal(browse.totals.requests, of('/browse').length);
    assert.equal(api.totals.requests, of('/api').length);
    // 20/s for 1 s: arrivals are dealt exactly, so the server sees 20 (none dropped at 5 ms with 4 VUs).
    assert.equal(api.totals.requests, 20);
    assert.ok(server.seen.every((s) => s.headers['x-run'] === 'release-check'), 'the run file\'s http.headers reach both workloads');
    // At once: api starts about 1 s after browse, while browse still runs.
    const first = (path: string): number => Math.min(...of(path).map((s) => s.at));
    const last = (path: string): number => Math.max(...of(path).map((s) => s.at));
    const offset = first('/api') - first('/browse');
    assert.ok(offset >= 900 && offset < 1400, `api started ${offset.toFixed(0)} ms after browse, not ~1000`);
    assert.ok(last('/browse') > first('/api') + 500, 'browse still ran while api ran');
    // The run's figures are the exact sum of its sections'.
    assert.equal(run.totals.requests, server.seen.length);
    assert.deepEqual(run.endpoints.map((e) => [e.name, e.totals.requests]), [['home', browse.totals.requests], ['ping', 20]]);
    assert.equal(run.timeline.reduce((n, p) => n + p.requests, 0), run.totals.requests);
    const sum = decodeHistogram(browse.histogram);
    sum.add(decodeHistogram(api.histogram));
    assert.deepEqual(run.latency, latencyStats(sum));
    // api's seconds sit 1 s later on the run's timeline than on its own.
    const apiSeconds = api.timeline.filter((p) => p.requests > 0).map((p) => p.t);
    const runSeconds = run.timeline.filter((p) => p.requests > browse.timeline.find((b) => b.t === p.t)?.requests!).map((p) => p.t);
    assert.deepEqual(runSeconds, apiSeconds.map((t) => t + 1));
    assert.equal(browse.verdict, 'pass');
    assert.equal(api.verdict, 'fail');
    assert.deepEqual(api.thresholds.map((t) => [t.metric, t.ok]), [['latency.p95', false]]);
    assert.deepEqual(run.thresholds.map((t) => [t.metric, t.ok]), [['latency.p99', true], ['errorRate', true]]);
    assert.equal(run.verdict, 'fail');
    assert.match(r.stdout, /release-check[\s\S]*as each workload's executor counts it[\s\S]*browse[\s\S]*api/);
    const again = await runCli(['report', join(dir, 'r.json'), '--format', 'text']);
    assert.equal(again.stdout, r.stdout, 'novaload report re-renders the run and its sections as run printed them');
  } finally {
    await server.close();
  }
});

test('suites keep working: a run file and a scenario file on one command line run one after another, each its own report, exit 0', async () => {
  const server = await startServer();
  try {
    const dir = await tempDir();
    const mix = await writeScenario(dir, 'mix.json', runFile(server.url, '<5s'));
    const after = await writeScenario(dir, 'after.json', { name: 'after', target: server.url, executor: 'constant-vus', vus: 1, duration: '1s', requests: [{ name: 'late', path: '/after' }] });
    const r = await runCli(['run', mix, after, '--threads', '1', '--quiet', '--out', join(dir, 'r.json')], { timeoutMs: 20_000 });
    assert.equal(r.code, 0, r.stderr);
    const seenAfter = server.seen.filter((s) => s.url === '/after');
    assert.equal((await reportAt(join(dir, 'r.after.json'))).totals.requests, seenAfter.length);
    const lastMix = Math.max(...server.seen.filter((s) => s.url !== '/after').map((s) => s.at));
    assert.ok(Math.min(...seenAfter.map((s) => s.at)) > lastMix, 'the second file started after the run file ended');
    assert.equal((await reportAt(join(dir, 'r.release-check.json'))).scenarios!.api!.totals.requests, 20);
  } finally {
    await server.close();
  }
});

test('the same mixed run on 2 remote agents: each workload split over both, counts equal the server\'s, api from 1 s, one agents list for the run', async () => {
  const server = await startServer((req) => (req.url === '/api' ? { delayMs: 5 } : {}));
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'mix.json', runFile(server.url, '<1ms'));
    const ctl = await startController(['run', file, '--agents', '2', '--quiet', '--out', join(dir, 'r.json')]);
    const agents = ['a', 'b'].map((name) => startAgent(ctl.url, ['--name', name, '--once']));
    const r = await ctl.result;
    assert.equal(r.code, 99, r.stderr);
    assert.deepEqual(await Promise.all(agents.map((a) => a.result.then((x) => x.code))), [0, 0]);
    const run = await reportAt(join(dir, 'r.json'));
    const of = (path: string): Seen[] => server.seen.filter((s) => s.url === path);
    assert.equal(run.scenarios!.browse!.totals.requests, of('/browse').length);
    assert.equal(run.scenarios!.api!.totals.requests, 20);
    assert.equal(of('/api').length, 20);
    assert.equal(run.totals.requests, server.seen.length);
    const offset = Math.min(...of('/api').map((s) => s.at)) - Math.min(...of('/browse').map((s) => s.at));
    assert.ok(offset >= 900 && offset < 1400, `api started ${offset.toFixed(0)} ms after browse, not ~1000`);
    // Each workload's shares went to both agents; the run lists each agent once, with the run's share numbers and all its requests.
    for (const name of ['browse', 'api']) assert.deepEqual(run.scenarios![name]!.agents.map((a) => a.name).sort(), ['a', 'b'], name);
    assert.deepEqual(run.agents.map((a) => [a.name, a.status]).sort(), [['a', 'ok'], ['b', 'ok']]);
    // Run shares 0-1 are browse's two, 2-3 api's: each agent has one of each (whichever joined first has the even ones).
    assert.deepEqual(run.agents.map((a) => a.shares).sort(), [[0, 2], [1, 3]]);
    assert.equal(run.agents.reduce((n, a) => n + a.requests, 0), server.seen.length);
    assert.deepEqual(run.thresholds.map((t) => [t.metric, t.ok]), [['latency.p99', true], ['errorRate', true]]);
    assert.equal(run.scenarios!.api!.verdict, 'fail');
  } finally {
    await server.close();
  }
});

test('setups run before the run\'s shared clock: a workload without a setup starts with the one whose setup takes 600 ms, not before it', async () => {
  const server = await startServer((req) => (req.url === '/login' ? { delayMs: 600 } : {}));
  try {
    const dir = await tempDir();
    const load = (path: string) => ({ executor: 'constant-vus', vus: 1, duration: '1s', thinkTime: '50ms', requests: [{ name: path.slice(1), path }] });
    const file = await writeScenario(dir, 'mix.json', {
      name: 'setups',
      target: server.url,
      scenarios: { slow: { ...load('/a'), setup: { requests: [{ name: 'login', path: '/login' }] } }, plain: load('/b') },
    });
    const r = await runCli(['run', file, '--threads', '1', '--quiet', '--out', join(dir, 'r.json')], { timeoutMs: 20_000 });
    assert.equal(r.code, 0, r.stderr);
    const at = (path: string): number => Math.min(...server.seen.filter((s) => s.url === path).map((s) => s.at));
    const setupEnd = at('/login') + 600;
    assert.ok(at('/b') >= setupEnd, `plain's first request came ${(setupEnd - at('/b')).toFixed(0)} ms before slow's setup ended`);
    assert.ok(Math.abs(at('/a') - at('/b')) < 300, `the two started ${Math.abs(at('/a') - at('/b')).toFixed(0)} ms apart`);
    const run = await reportAt(join(dir, 'r.json'));
    assert.equal(run.totals.requests, server.seen.filter((s) => s.url !== '/login').length);
  } finally {
    await server.close();
  }
});

test('run file: a run-wide abortOnFail window, failed by one workload\'s errors in the run\'s sum, stops both workloads; the report names it, exit 108', async () => {
  const server = await startServer((req) => (req.url === '/api' ? { status: 500 } : {}));
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'mix.json', {
      name: 'release-check',
      target: server.url,
      thresholds: { errorRate: { critical: '<5%', for: '1s', abortOnFail: true } },
      scenarios: {
        browse: { executor: 'constant-vus', vus: 1, duration: '30s', thinkTime: '20ms', gracefulStop: '1s', requests: [{ name: 'home', path: '/browse' }] },
        api: { executor: 'constant-arrival-rate', rate: 20, duration: '30s', maxVUs: 2, gracefulStop: '1s', requests: [{ name: 'ping', path: '/api' }] },
      },
    });
    const started = Date.now();
    const r = await runCli(['run', file, '--threads', '1', '--quiet', '--out', join(dir, 'r.json')], { timeoutMs: 30_000 });
    assert.equal(r.code, 108, r.stderr);
    assert.ok(Date.now() - started < 15_000, 'stopped well before the planned 30 s');
    assert.match(r.stderr, /run-wide threshold errorRate \(critical <5% for 1s\) failed at second \d+, abortOnFail: stopping the load/);
    const run = await reportAt(join(dir, 'r.json'));
    assert.deepEqual(run.aborted && [run.aborted.metric, run.aborted.expression], ['errorRate', '<5% for 1s']);
    assert.deepEqual(run.thresholds.map((t) => [t.metric, t.ok]), [['errorRate', false]]);
    assert.equal(run.totals.requests, server.seen.length);
    assert.equal(run.scenarios!.api!.totals.requests, server.seen.filter((s) => s.url === '/api').length);
    assert.ok(run.scenarios!.api!.totals.requests < 200, 'api stopped with the run');
  } finally {
    await server.close();
  }
});
