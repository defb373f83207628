/**
 * End to end: `novaload breakpoint` against loopback servers of known
 * capacity finds their limit (a queue through p99, a token bucket through
 * the error rate), tells a saturated generator apart from a target's limit,
 * and keeps its exit-code contract. One thread, 1 s holds, few steps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bucketServer, queueServer, type CapacityServer } from './helpers/capacity.js';
import { startServer } from './helpers/servers.js';
import { runCli, startCli, tempDir, writeScenario } from './helpers/cli.js';
import { startAgent, startController } from './helpers/distributed.js';

interface Step { rate: number; requests: number; firstRun?: { requests: number; errorRate: number }; errorRate: number; generatorSaturated: boolean; latency: { p99: number } }
interface Result { sustainableRate: number | null; failedAt: { rate: number; threshold: { metric: string } } | null; knee: number | null; stoppedBy: string; generatorSaturated: { rate: number; threads: number; threadsNeeded: number } | null; steps: Step[] }

/** Run a breakpoint search of `scenario` at `rates` (start, step, max) on one thread with 1 s holds; its exit code, output, JSON result and HTML page. */
async function breakpoint(scenario: Record<string, unknown> | string, [start, step, max]: number[], extra: string[] = []) {
  const dir = await tempDir();
  const input = typeof scenario === 'string' ? scenario : await writeScenario(dir, 'bp.json', scenario);
  const out = join(dir, 'bp.out.json');
  const html = join(dir, 'bp.html');
  const r = await runCli(['breakpoint', input, '--start', String(start), '--step', String(step), '--max', String(max), '--hold', '1s', '--threads', '1', '--quiet', '--out', out, '--html', html, ...extra], { timeoutMs: 40_000 });
  const json = JSON.parse(await readFile(out, 'utf8')) as { breakpoint: Result };
  return { ...r, result: json.breakpoint, html: await readFile(html, 'utf8') };
}

const answeredBy = (server: CapacityServer, status: number): number => server.answered.get(status) ?? 0;
/** Requests every run sent, a confirmed step's first run included. */
const sent = (steps: Step[]): number => steps.reduce((n, s) => n + s.requests + (s.firstRun?.requests ?? 0), 0);

// The queue's median is the level judged: past N it grows by (rate - N) x service time each second held (50 ms at
// 1.1 N half-way through a 1 s hold), while a stall on a busy shared host lifts the tail (p95, p99) but not the median.
for (const capacity of [200, 400]) {
  test(`a single queue of ${capacity}/s (${1000 / capacity} ms a request): the sustainable rate within 10%, the knee at or below it`, async (t) => {
    const server = await queueServer(1000 / capacity);
    try {
      const scenario = { name: 'queue', target: server.url, requests: [{ path: '/' }], thresholds: { 'latency.p50': { critical: '<25ms' } } };
      const { code, stdout, stderr, result, html } = await breakpoint(scenario, [0.9 * capacity, 0.1 * capacity, 1.5 * capacity]);
      assert.equal(code, 0, `${stdout}\n${stderr}`);
      t.diagnostic(`N ${capacity}/s: sustainable ${result.sustainableRate}/s, failed at ${result.failedAt?.rate}/s, knee ${result.knee}/s`);
      assert.equal(result.stoppedBy, 'threshold');
      assert.ok(result.sustainableRate !== null && Math.abs(result.sustainableRate - capacity) <= 0.1 * capacity, `sustainable ${result.sustainableRate} vs ${capacity}\n${stdout}`);
      assert.equal(result.failedAt?.threshold.metric, 'latency.p50');
      assert.ok(result.failedAt.rate > result.sustainableRate);
      assert.ok(result.knee !== null && result.knee <= result.sustainableRate, `knee ${result.knee}\n${stdout}`);
      assert.equal(answeredBy(server, 200), sent(result.steps));
      assert.match(stdout, new RegExp(`sustainable rate: ${result.sustainableRate}/s`));
      // the HTML page charts every step: a p99 point and an achieved point per offered rate
      for (const series of ['p99', 'achieved']) {
        const points = new RegExp(`data-series="${series}" points="([^"]*)"`).exec(html)?.[1]?.split(' ') ?? [];
        assert.equal(points.length, result.steps.length, series);
      }
    } finally {
      await server.close();
    }
  });
}

test('a token bucket of 300/s that answers 503 above it: found through the error-rate threshold', async (t) => {
  const server = await bucketServer(300, 10);
  try {
    const scenario = { name: 'bucket', target: server.url, requests: [{ path: '/' }], thresholds: { errorRate: { critical: '<1%' } } };
    const { code, stdout, stderr, result } = await breakpoint(scenario, [270, 30, 450]);
    assert.equal(code, 0, `${stdout}\n${stderr}`);
    t.diagnostic(`limit 300/s: sustainable ${result.sustainableRate}/s, failed at ${result.failedAt?.rate}/s`);
    assert.ok(result.sustainableRate !== null && Math.abs(result.sustainableRate - 300) <= 30, `sustainable ${result.sustainableRate}\n${stdout}`);
    assert.equal(result.failedAt?.threshold.metric, 'errorRate');
    const failedIn = (run: { requests: number; errorRate: number }): number => Math.round((run.errorRate * run.requests) / 100);
    const refused = result.steps.reduce((n, s) => n + failedIn(s) + (s.firstRun ? failedIn(s.firstRun) : 0), 0);
    assert.equal(answeredBy(server, 503), refused);
    assert.ok(refused > 0);
  } finally {
    await server.close();
  }
});

test('one thread with a precise timer per arrival against a faster server: "generator saturated" (exit 112), not a server limit', async (t) => {
  // The server sends one prebuilt JSON body from a bucket that never empties; the generator parses every body and runs a
  // JSONPath filter over it, with a precise timer per arrival: its one thread runs out long before the server does.
  const body = JSON.stringify({ items: Array.from({ length: 100 }, (_, id) => ({ id, name: `item ${id}` })) });
  const server = await bucketServer(Infinity, Infinity, body);
  try {
    const scenario = {
      name: 'generator', target: server.url, arrivalWindow: '0', maxVUs: 1000, http: { connections: 50 },
      requests: [{ path: '/', expect: { json: { '$.items[?(@.id > 98)].name': { exists: true } } } }],
      thresholds: { 'latency.p99': { critical: '<2s' } },
    };
    const { code, stdout, stderr, result } = await breakpoint(scenario, [1000, 2000, 100_000]);
    t.diagnostic(result.steps.map((s) => `${s.rate}/s${s.generatorSaturated ? ' saturated' : ''}`).join(', '));
    assert.equal(code, 112, `${stdout}\n${stderr}`);
    assert.equal(result.stoppedBy, 'generator');
    assert.equal(result.failedAt, null);
    assert.ok(result.steps.at(-1)!.generatorSaturated);
    assert.equal(result.generatorSaturated?.threads, 1);
    assert.ok(result.generatorSaturated.threadsNeeded > 1);
    assert.match(stdout, /GENERATOR SATURATED at \d+\/s: this is the generator's limit, not the target's/);
    assert.equal(answeredBy(server, 200), sent(result.steps));
  } finally {
    await server.close();
  }
});

test('a bare URL is judged by the runbook KPIs: a target that refuses half at --start exits 99', async () => {
  const server = await bucketServer(100, 10);
  try {
    const { code, stdout, stderr, result, html } = await breakpoint(`${server.url}/kpi`, [200, 100, 400]);
    assert.equal(code, 99, `${stdout}\n${stderr}`);
    // named after its host and port (its history is that service's), not "breakpoint: breakpoint"
    assert.match(html, new RegExp(`<title>breakpoint: 127-0-0-1-${new URL(server.url).port}</title>`));
    assert.equal(result.sustainableRate, null);
    assert.equal(result.steps.length, 1);
    assert.equal(result.failedAt?.rate, 200);
    assert.equal(result.failedAt.threshold.metric, 'errorRate');
    // a failing step is run once more before the search stops: the server saw both runs
    assert.ok(result.steps[0]!.firstRun !== undefined);
    assert.equal(answeredBy(server, 200) + answeredBy(server, 503), sent(result.steps));
  } finally {
    await server.close();
  }
});

test('bad input exits 104 and sends nothing; Ctrl-C during a step exits 105 and writes the steps measured', async () => {
  const bad = await runCli(['breakpoint', 'http://127.0.0.1:9/', '--start', '100', '--max', '50']);
  assert.equal(bad.code, 104);
  assert.match(bad.stderr, /--max 50 is below --start 100/);
  const server = await startServer();
  try {
    const dir = await tempDir();
    const out = join(dir, 'int.json');
    const run = startCli(['breakpoint', `${server.url}/`, '--start', '50', '--max', '500', '--hold', '1s', '--threads', '1', '--out', out], { timeoutMs: 20_000 });
    await run.stderrIncludes('step 2/');
    run.signal('SIGINT');
    const r = await run.result;
    assert.equal(r.code, 105, r.stderr);
    const result = (JSON.parse(await readFile(out, 'utf8')) as { breakpoint: Result }).breakpoint;
    assert.equal(result.stoppedBy, 'interrupted');
    assert.equal(result.steps.length, 2);
    assert.equal(result.sustainableRate, 50);
  } finally {
    await server.close();
  }
});

test('on a remote agent, like run --agents: the same search over the agent\'s thread finds a 200/s queue', async () => {
  const server = await queueServer(5);
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'remote.json', { name: 'remote', target: server.url, requests: [{ path: '/' }], thresholds: { 'latency.p50': { critical: '<25ms' } } });
    const out = join(dir, 'remote.out.json');
    const controller = await startController(['breakpoint', file, '--start', '200', '--step', '20', '--max', '300', '--hold', '1s', '--agents', '1', '--quiet', '--out', out], 30_000);
    const agent = startAgent(controller.url, ['--once'], 30_000);
    const r = await controller.result;
    await agent.result;
    assert.equal(r.code, 0, r.stderr);
    const result = (JSON.parse(await readFile(out, 'utf8')) as { breakpoint: Result }).breakpoint;
    assert.ok(result.sustainableRate !== null && Math.abs(result.sustainableRate - 200) <= 20, r.stdout);
    assert.equal(answeredBy(server, 200), sent(result.steps));
  } finally {
    await server.close();
  }
});
