/**
 * End to end: a short run file of two workloads pushes to a real Prometheus
 * (remote-write receiver on), and Prometheus's query API gives back the
 * report's figures: the request counter equals totals.requests (per workload
 * and request name too, and what the loopback server counted), the cumulative p99 series equals the report's
 * p99 within HDR precision, and testid/scenario/name and the file's labels
 * are on the series; with --prometheus-rw-native, histogram_quantile over
 * the native histogram gives the p99 within its bucket width. A Ctrl-C'd run still flushes its last figures. A
 * receiver that never answers does not hold the run up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Report } from '@novaload/report';
import { startServer } from './helpers/servers.js';
import { rawServer, silent } from './helpers/hostile.js';
import { runCli, startCli, tempDir, writeScenario } from './helpers/cli.js';
import { NO_PROMETHEUS, startPrometheus, type Prometheus } from './helpers/prometheus.js';

const skipped = NO_PROMETHEUS ? `[skipped: ${NO_PROMETHEUS}] ` : '';

/** HDR's 3 significant digits: two readings of one value differ by less than 0.1 % (plus float noise). */
function closeTo(actualMs: number, expectedMs: number, what: string): void {
  assert.ok(Math.abs(actualMs - expectedMs) <= expectedMs * 0.001 + 1e-6, `${what}: ${actualMs} ms, the report says ${expectedMs} ms`);
}

/** `sum by (name)` of the request counter for one testid and scenario, as name → value. */
async function requestsByName(prom: Prometheus, testid: string, scenario: string): Promise<Record<string, number>> {
  const rows = await prom.query(`sum by (name) (k6_http_reqs_total{testid="${testid}",scenario="${scenario}"})`);
  return Object.fromEntries(rows.map((r) => [r.metric.name ?? '', r.value]));
}

test(`${skipped}a run pushes to a real Prometheus: counters equal the report's totals, p99 equals its p99, labels present; Ctrl-C still flushes`, { skip: NO_PROMETHEUS, timeout: 90_000 }, async (t) => {
  const prom = await startPrometheus(['native-histograms']);
  const server = await startServer((req, i) => (req.url === '/cart' && i % 10 === 0 ? { status: 503 } : { delayMs: 1 }));
  t.after(async () => {
    await server.close();
    await prom.close();
  });
  const dir = await tempDir();
  const load = { executor: 'constant-vus', vus: 2, duration: '2s', gracefulStop: '1s' };
  const scenario = await writeScenario(dir, 'release.json', {
    name: 'release',
    target: server.url,
    outputs: { prometheusRW: { url: 'http://127.0.0.1:9/unused', interval: '1s', labels: { team: 'checkout' } } },
    scenarios: {
      shop: { ...load, requests: [{ name: 'home', path: '/' }, { name: 'cart', path: '/cart' }] },
      search: { ...load, requests: [{ name: 'find', path: '/find' }] },
    },
  });

  await t.test('a run file of two workloads', async () => {
    const testid = `whole-${process.pid}`;
    const run = await runCli(['run', scenario, '--threads', '1', '--quiet', '--out', 'r.json', '--prometheus-rw', prom.writeUrl, '--prometheus-rw-native', '--tag', `testid=${testid}`], { cwd: dir, timeoutMs: 30_000 });
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')) as Report;
    const rw = report.outputs!.prometheusRW!;
    assert.equal(rw.url, prom.writeUrl, 'the flag replaced the file\'s url');
    assert.equal(rw.dropped, 0);
    assert.ok(rw.pushes >= 2, `a push every second and one at the end, got ${rw.pushes}`);
    assert.match(run.stdout, new RegExp(`Prometheus remote write: ${rw.samples} samples in ${rw.pushes} pushes to .*, 0 dropped`));

    assert.equal(report.totals.requests, server.seen.length);
    const total = await prom.query(`sum(k6_http_reqs_total{testid="${testid}"})`);
    assert.equal(total[0]?.value, report.totals.requests, 'the counter is the report\'s totals.requests');
    const failed = await prom.query(`sum(k6_http_reqs_total{testid="${testid}",expected_response="false",status="503",kind="HTTP_503"})`);
    assert.ok((report.errors.HTTP_503 ?? 0) > 0, 'the server answered some 503s');
    assert.equal(failed[0]?.value, report.errors.HTTP_503, 'failures by kind, with k6\'s status label');

    for (const [name, section] of Object.entries(report.scenarios!)) {
      assert.deepEqual(await requestsByName(prom, testid, name), Object.fromEntries(section.endpoints.map((e) => [e.name, e.totals.requests])), `${name}: per request`);
      for (const e of section.endpoints) {
        const [p99] = await prom.query(`k6_http_req_duration_p99{testid="${testid}",scenario="${name}",name="${e.name}"}`);
        closeTo(p99!.value * 1000, e.latency.p99, `${name} ${e.name} p99`);
        assert.deepEqual({ ...p99!.metric }, { __name__: 'k6_http_req_duration_p99', testid, scenario: name, name: e.name, method: 'GET', team: 'checkout' });
      }
      const [overall] = await prom.query(`k6_http_req_duration_p99{testid="${testid}",scenario="${name}",name=""}`);
      closeTo(overall!.value * 1000, section.latency.p99, `${name} overall p99`);
      // The native histogram: every request's latency, in exponential buckets 0.27 % wide, so histogram_quantile lands within 1 %.
      const [count] = await prom.query(`histogram_count(k6_http_req_duration_seconds{testid="${testid}",scenario="${name}"})`);
      assert.equal(count?.value, section.totals.requests, `${name}: the histogram holds every request`);
      const [quantile] = await prom.query(`histogram_quantile(0.99, k6_http_req_duration_seconds{testid="${testid}",scenario="${name}"})`);
      assert.ok(Math.abs(quantile!.value * 1000 - section.latency.p99) <= section.latency.p99 * 0.01, `${name}: histogram_quantile(0.99) ${quantile!.value * 1000} ms, the report's p99 ${section.latency.p99} ms`);
    }
    const [samples] = await prom.query(`count_over_time(k6_http_reqs_total{testid="${testid}",name="home",expected_response="true"}[5m])`);
    assert.ok(samples!.value >= 2, `the counter was pushed every interval: ${samples!.value} samples`);
  });

  await t.test('a run stopped with Ctrl-C flushes its last figures', async () => {
    const testid = `sigint-${process.pid}`;
    const before = server.seen.length;
    const run = startCli(['run', scenario, '--threads', '1', '--duration', '20s', '--out', 'i.json', '--prometheus-rw', prom.writeUrl, '--tag', `testid=${testid}`], { cwd: dir, timeoutMs: 30_000 });
    await server.waitFor(before + 200);
    run.signal('SIGINT');
    const result = await run.result;
    assert.equal(result.code, 105, result.stderr);
    const report = JSON.parse(await readFile(join(dir, 'i.json'), 'utf8')) as Report;
    assert.equal(report.interrupted, true);
    assert.equal(report.outputs!.prometheusRW!.dropped, 0);
    const total = await prom.query(`sum(k6_http_reqs_total{testid="${testid}"})`);
    assert.equal(total[0]?.value, report.totals.requests, 'the final push carried the interrupted run\'s totals');
  });
});

test('a remote-write receiver that never answers does not hold the run up: the report counts the dropped samples', { timeout: 30_000 }, async (t) => {
  const target = await startServer();
  const receiver = await rawServer(silent);
  t.after(async () => {
    await target.close();
    await receiver.close();
  });
  const dir = await tempDir();
  const began = Date.now();
  const run = await runCli(['bench', `${target.url}/`, '-c', '2', '-d', '1s', '--threads', '1', '--quiet', '--out', 'r.json', '--prometheus-rw', `${receiver.url}/api/v1/write`], { cwd: dir, timeoutMs: 20_000 });
  const elapsed = Date.now() - began;
  assert.equal(run.code, 0, run.stderr);
  const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')) as Report;
  const rw = report.outputs!.prometheusRW!;
  assert.deepEqual({ pushes: rw.pushes, samples: rw.samples }, { pushes: 0, samples: 0 });
  assert.ok(rw.dropped > 0, 'the final push was given up and counted');
  assert.match(rw.lastError ?? '', /not sent within the 2000 ms/);
  assert.match(run.stderr, /prometheus remote write to .* failed .*the load goes on/);
  assert.equal(report.totals.requests, target.seen.length);
  // 1 s of load, at most 2 s of flush, and the process's start and end: the receiver added no more than the flush bound.
  assert.ok(elapsed < 8000, `the run took ${elapsed} ms`);
});
