/**
 * End to end, the iteration-count executors (per-vu-iterations,
 * shared-iterations): the counts are exact over 3 threads and over 2
 * remote agents (server == plan == report), maxDuration ends a slow run
 * with what it did, and the shipped smoke example passes against the demo
 * API and fails with 99 when a check fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startServer, type Seen } from './helpers/servers.js';
import { ROOT, runCli, tempDir, writeScenario } from './helpers/cli.js';
import { startAgent, startController } from './helpers/distributed.js';

type DemoApiModule = typeof import('../packages/controller/src/demo-api.js');
const { startDemoApi } = (await import(pathToFileURL(join(ROOT, 'packages/controller/dist/src/demo-api.js')).href)) as DemoApiModule;

/** A two-request journey (flow sequence) named `name`: each iteration is one /NAME/a and one /NAME/b. */
const journey = (url: string, executor: Record<string, unknown>, name = 'count') => ({
  name,
  target: url,
  ...executor,
  flow: 'sequence',
  requests: [
    { name: 'a', path: `/${name}/a` },
    { name: 'b', path: `/${name}/b` },
  ],
});

const paths = (seen: Seen[], path: string): number => seen.filter((s) => s.url === path).length;

async function readReport(path: string): Promise<{ totals: { requests: number; iterations: number; dropped: number; checks?: { passes: number; fails: number } }; durationMs: number; errors: Record<string, number>; thresholds: { metric: string; ok: boolean }[]; agents?: unknown[] }> {
  return JSON.parse(await readFile(path, 'utf8'));
}

test('3 threads: per-vu-iterations 5 VUs × 4 and shared-iterations 10 over 4 VUs run exactly the plan (server == report)', async () => {
  const server = await startServer(() => ({ delayMs: 2 }));
  try {
    const dir = await tempDir();
    const perVu = await writeScenario(dir, 'per-vu.json', journey(server.url, { executor: 'per-vu-iterations', vus: 5, iterations: 4 }, 'per-vu'));
    const shared = await writeScenario(dir, 'shared.json', journey(server.url, { executor: 'shared-iterations', vus: 4, iterations: 10 }, 'shared'));
    const r = await runCli(['run', perVu, shared, '--threads', '3', '--quiet', '--out', join(dir, 'r.json')], { timeoutMs: 30_000 });
    assert.equal(r.code, 0, r.stderr);
    const p = await readReport(join(dir, 'r.per-vu.json'));
    assert.deepEqual([paths(server.seen, '/per-vu/a'), paths(server.seen, '/per-vu/b')], [20, 20]);
    assert.equal(p.totals.requests, 40);
    assert.equal(p.totals.iterations, 20);
    assert.equal(p.totals.dropped, 0);
    assert.equal(new Set(server.seen.filter((x) => x.url.startsWith('/per-vu/')).map((x) => x.remotePort)).size, 5, 'one connection per VU');
    const s = await readReport(join(dir, 'r.shared.json'));
    assert.deepEqual([paths(server.seen, '/shared/a'), paths(server.seen, '/shared/b')], [10, 10]);
    assert.equal(s.totals.requests, 20);
    assert.equal(s.totals.iterations, 10);
    assert.ok(s.durationMs < 5000, `ended when done, after ${s.durationMs} ms, not at maxDuration (10m)`);
  } finally {
    await server.close();
  }
});

test('2 remote agents: shared-iterations 11 over 3 VUs and the report agree with the server', async () => {
  const server = await startServer(() => ({ delayMs: 2 }));
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'd.json', journey(server.url, { executor: 'shared-iterations', vus: 3, iterations: 11 }));
    const ctl = await startController(['run', file, '--agents', '2', '--quiet', '--out', join(dir, 'r.json')]);
    const agents = ['a', 'b'].map((name) => startAgent(ctl.url, ['--name', name, '--once']));
    const r = await ctl.result;
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await Promise.all(agents.map((a) => a.result.then((x) => x.code))), [0, 0]);
    const report = await readReport(join(dir, 'r.json'));
    assert.deepEqual([paths(server.seen, '/count/a'), paths(server.seen, '/count/b')], [11, 11]);
    assert.equal(report.totals.iterations, 11);
    assert.equal(report.totals.requests, 22);
    assert.equal(report.agents?.length, 2);
  } finally {
    await server.close();
  }
});

test('maxDuration ends a slow run with what it did: the iterations never started are dropped, and a dropped threshold fails it (99)', async () => {
  const server = await startServer(() => ({ delayMs: 150 }));
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'slow.json', {
      ...journey(server.url, { executor: 'per-vu-iterations', vus: 2, iterations: 30, maxDuration: '1s' }),
      thresholds: { dropped: '<1' },
    });
    const r = await runCli(['run', file, '--threads', '2', '--quiet', '--out', join(dir, 'r.json')], { timeoutMs: 30_000 });
    assert.equal(r.code, 99, r.stderr);
    const report = await readReport(join(dir, 'r.json'));
    assert.ok(report.totals.iterations >= 4 && report.totals.iterations <= 8, `${report.totals.iterations} iterations of 300 ms over 2 VUs in 1 s`);
    assert.equal(report.totals.iterations + report.totals.dropped, 60, 'every planned iteration ran or was dropped');
    assert.equal(report.totals.requests, server.seen.length);
    assert.ok(report.durationMs < 2000, `ended after ${report.durationMs} ms`);
    assert.deepEqual(report.thresholds.map((t) => [t.metric, t.ok]), [['dropped', false]]);
  } finally {
    await server.close();
  }
});

test('the smoke example sends every request of the demo API once and passes; a failing check fails it with 99', async () => {
  const api = await startDemoApi({ errorEvery: 0 });
  try {
    const dir = await tempDir();
    const example = join(ROOT, 'scenarios/examples/smoke.json');
    let r = await runCli(['run', example, '--target', api.url, '--threads', '1', '--quiet', '--out', join(dir, 'ok.json')], { timeoutMs: 30_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(api.counts(), { 'GET /api/tasks': 1, 'GET /api/schedules': 1, 'GET /api/users/profile': 1, 'POST /api/tasks': 1, 'POST /api/heavy-operation': 1 });
    const ok = await readReport(join(dir, 'ok.json'));
    assert.equal(ok.totals.iterations, 1);
    assert.equal(ok.totals.requests, 5);
    assert.deepEqual(ok.totals.checks, { passes: 7, fails: 0 });

    const smoke = JSON.parse(await readFile(example, 'utf8'));
    smoke.requests.find((q: { name: string }) => q.name === 'profile').expect.json['$.name'] = { equals: 'Somebody Else' };
    const broken = await writeScenario(dir, 'broken.json', { ...smoke, $schema: undefined });
    r = await runCli(['run', broken, '--target', api.url, '--threads', '1', '--quiet', '--out', join(dir, 'bad.json')], { timeoutMs: 30_000 });
    assert.equal(r.code, 99, r.stderr);
    const bad = await readReport(join(dir, 'bad.json'));
    assert.deepEqual(bad.totals.checks, { passes: 6, fails: 1 });
    assert.deepEqual(bad.errors, { CHECK_JSON: 1 });
    assert.deepEqual(bad.thresholds.map((t) => [t.metric, t.ok]), [['successRate', false], ['checks', false]]);
  } finally {
    await api.close();
  }
});
