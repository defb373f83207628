/**
 * End to end: arrival-rate executors reach the server exactly as scheduled
 * (count and spacing), ramps show in arrival times, and a stall shows in the
 * percentiles because latency counts from the scheduled start.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer, type Seen } from './helpers/servers.js';
import { runCli, tempDir, writeScenario } from './helpers/cli.js';

/** Requests per 100 ms bucket from the first arrival. */
function buckets(seen: Seen[], widthMs: number): number[] {
  const t0 = Math.min(...seen.map((s) => s.at));
  const out: number[] = [];
  for (const s of seen) {
    const b = Math.floor((s.at - t0) / widthMs);
    out[b] = (out[b] ?? 0) + 1;
  }
  return Array.from(out, (v) => v ?? 0);
}

test('constant-arrival-rate 400/s for 3 s reaches the server as exactly 1200 requests, evenly spread', async () => {
  const server = await startServer();
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'rate.json', {
      name: 'rate',
      target: server.url,
      executor: 'constant-arrival-rate',
      rate: 400,
      duration: '3s',
      maxVUs: 50,
      requests: [{ path: '/r' }],
    });
    const r = await runCli(['run', file, '--threads', '2', '--quiet', '--out', join(dir, 'r.json')]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(server.seen.length, 1200);
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
    assert.equal(report.totals.requests, 1200);
    assert.equal(report.totals.dropped, 0);
    // 10 buckets of 300 ms should each hold ~120 arrivals (a shared 2-core machine delays timers a little).
    const b = buckets(server.seen, 300).slice(0, 9);
    assert.equal(b.length, 9);
    for (const n of b) assert.ok(n >= 96 && n <= 144, `uneven 300 ms bucket: ${n} in ${b.join(',')}`);
    const times = server.seen.map((s) => s.at).sort((x, y) => x - y);
    const gaps = times.slice(1).map((t, i) => t - times[i]!).sort((x, y) => x - y);
    const median = gaps[gaps.length >> 1]!;
    assert.ok(median > 1.5 && median < 3.5, `median gap ${median.toFixed(2)} ms, expected ~2.5`);
    const span = Math.max(...server.seen.map((s) => s.at)) - Math.min(...server.seen.map((s) => s.at));
    assert.ok(span > 2900 && span < 3100, `1200 arrivals spread over ${span} ms, expected ~2997`);
  } finally {
    await server.close();
  }
});

test('ramping-arrival-rate: the ramp is visible in arrival times', async () => {
  const server = await startServer();
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'ramp.json', {
      name: 'ramp',
      target: server.url,
      executor: 'ramping-arrival-rate',
      startRate: 0,
      stages: [{ duration: '2s', target: 200 }],
      maxVUs: 20,
      requests: [{ path: '/r' }],
    });
    const r = await runCli(['run', file, '--threads', '2', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    // Integral of a 0→200/s ramp over 2 s is 200 arrivals; a quarter in the first half.
    assert.ok(Math.abs(server.seen.length - 200) <= 1, `saw ${server.seen.length}`);
    const t0 = Math.min(...server.seen.map((s) => s.at));
    const firstHalf = server.seen.filter((s) => s.at - t0 < 1000).length;
    assert.ok(firstHalf > 35 && firstHalf < 65, `first second had ${firstHalf} of 200 (expected ~50)`);
  } finally {
    await server.close();
  }
});

test('a 1 s stall at 100/s with few VUs shows in p99 (no coordinated omission) while serviceTime stays short', async () => {
  // Requests 50..59 stall 1 s; with 4 VUs the arrivals behind them wait and are late.
  const server = await startServer((_req, i) => (i >= 50 && i < 54 ? { delayMs: 1000 } : { delayMs: 2 }));
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'stall.json', {
      name: 'stall',
      target: server.url,
      executor: 'constant-arrival-rate',
      rate: 100,
      duration: '3s',
      maxVUs: 4,
      maxQueue: 200,
      requests: [{ path: '/s' }],
    });
    const r = await runCli(['run', file, '--threads', '1', '--quiet', '--out', join(dir, 'r.json')]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
    assert.equal(report.totals.requests, 300);
    // ~100 arrivals fall into the stalled second and wait: well over 1% are late by hundreds of ms.
    assert.ok(report.latency.p99 > 500, `p99 ${report.latency.p99} ms hides the stall`);
    assert.ok(report.latency.p95 > 200, `p95 ${report.latency.p95} ms hides the stall`);
    assert.ok(report.serviceTime.p90 < 100, `serviceTime p90 ${report.serviceTime.p90} ms`);
  } finally {
    await server.close();
  }
});
