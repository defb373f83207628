import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countingServer, type Arrival } from './helpers/server.js';
import { merged, runShares, scenario, startIn, total } from './helpers/run.js';
import { warmUp } from '../src/warm.js';

/** Server arrivals grouped by connection (one per VU with per-VU connections), in time order. */
function byConnection(arrivals: Arrival[]): Arrival[][] {
  const groups = new Map<number, Arrival[]>();
  for (const a of arrivals) groups.set(a.remotePort, [...(groups.get(a.remotePort) ?? []), a]);
  return [...groups.values()].map((g) => g.sort((x, y) => x.at - y.at));
}

test('ramping-vus over 2 shares: VUs start and stop at the planned instants, the load follows the ramp', { timeout: 10_000 }, async (t) => {
  const server = await countingServer(() => ({ delayMs: 20 }));
  try {
    // Warmed as a run's thread is (warm.ts, its own throwaway server): a cold thread's first connect compiles
    // undici's HTTP parser, which made VU 0's first request 70 ms late in CI while the machine was busy.
    await warmUp();
    const start = startIn();
    // 0 → 4 VUs over 1.8 s (VU k starts at 450·k ms), hold, then 4 → 0 over 0.8 s from 2.5 s.
    const stages = [
      { durationMs: 1800, target: 4 },
      { durationMs: 700, target: 4 },
      { durationMs: 800, target: 0 },
    ];
    const out = await runShares(scenario(server.url, { type: 'ramping-vus', startVUs: 0, stages }), 2, { start });

    const vus = byConnection(server.arrivals);
    assert.equal(vus.length, 4, 'one connection per VU');
    const firsts = vus.map((g) => g[0].at - start.startPerf).sort((a, b) => a - b);
    // VU 0 has a little more room: its first request is the share's first after the start.
    firsts.forEach((at, k) => assert.ok(at >= 450 * k && at < 450 * k + (k === 0 ? 60 : 25), `VU ${k} first request at ${at.toFixed(1)} ms, planned ${450 * k}`));
    // Ramp down from 2.5 s: VU 3 stops at 2.7 s, … VU 0 at 3.3 s; a stopped VU finishes its request (20 ms).
    const lasts = vus.map((g) => g[g.length - 1].at - start.startPerf).sort((a, b) => a - b);
    lasts.forEach((at, i) => assert.ok(at < 2700 + 200 * i + 5 && at > 2700 + 200 * i - 60, `VU ${3 - i} last request at ${at.toFixed(1)} ms`));
    t.diagnostic(`first requests at ${firsts.map((x) => x.toFixed(1)).join(', ')} ms; last at ${lasts.map((x) => x.toFixed(1)).join(', ')} ms`);

    // VUs at the end of second 0 (v = 2.2: VUs 0, 1, 2), 1 (v = 4), 2 (v = 1.5: VUs 0, 1).
    const vusAt = (second: number): number[] => out.snapshots.map((list) => list[second].vus);
    assert.deepEqual(vusAt(0), [2, 1]);
    assert.deepEqual(vusAt(1), [2, 2]);
    assert.deepEqual(vusAt(2), [1, 1]);
    const perSecond = [0, 1, 2, 3].map((s) => out.snapshots.reduce((n, list) => n + (list[s]?.endpoints.hello?.requests ?? 0), 0));
    assert.ok(perSecond[1] > perSecond[0] * 1.5, `requests per second ${perSecond.join(', ')}: more late in the ramp than early`);
    t.diagnostic(`requests per second ${perSecond.join(', ')}`);
    assert.equal(total(out, 'requests'), server.arrivals.length, 'server count == sum of snapshot requests');
    assert.deepEqual(out.results.map((r) => r.interrupted), [0, 0], 'retired VUs finished their iteration');
  } finally {
    await server.close();
  }
});

test('think time: a VU waits at least minMs (and about no more than maxMs) between responses and its next request', { timeout: 10_000 }, async (t) => {
  const server = await countingServer();
  try {
    const sc = scenario(server.url, { type: 'constant-vus', vus: 3, durationMs: 1200 }, { thinkTime: { minMs: 100, maxMs: 150 } });
    const out = await runShares(sc, 2);
    const vus = byConnection(server.arrivals);
    assert.equal(vus.length, 3);
    const gaps = vus.flatMap((g) => g.slice(1).map((a, i) => a.at - g[i].at));
    assert.ok(Math.min(...gaps) >= 100, `smallest gap ${Math.min(...gaps)} ms`);
    assert.ok(Math.max(...gaps) < 150 + 30, `largest gap ${Math.max(...gaps)} ms`);
    for (const g of vus) assert.ok(g.length >= 8 && g.length <= 13, `${g.length} requests in 1.2 s`);
    assert.equal(total(out, 'requests'), server.arrivals.length);
    t.diagnostic(`gaps between a VU's requests: min ${Math.min(...gaps).toFixed(2)} ms, max ${Math.max(...gaps).toFixed(2)} ms, ${gaps.length} gaps`);
  } finally {
    await server.close();
  }
});

test('flow sequence runs every request in order; flow random picks by weight with the seed', { timeout: 10_000 }, async () => {
  const server = await countingServer();
  try {
    const req = (name: string, weight: number) => ({ name, method: 'POST', path: `/${name}`, headers: { 'X-Name': name }, body: `{"n":"${name}"}`, weight, expectStatus: null });
    const seq = scenario(server.url, { type: 'constant-vus', vus: 1, durationMs: 300 }, { flow: 'sequence', requests: [req('a', 1), req('b', 1), req('c', 0)] });
    await runShares(seq, 1);
    const paths = server.arrivals.map((a) => a.path);
    const iterations = Math.floor(paths.length / 3);
    assert.ok(iterations >= 5);
    assert.deepEqual(paths.slice(0, iterations * 3), Array.from({ length: iterations }, () => ['/a', '/b', '/c']).flat());

    server.arrivals.length = 0;
    const random = scenario(server.url, { type: 'constant-arrival-rate', rate: 400, durationMs: 1000, maxVUs: 20, maxQueue: 100, arrivalWindowMs: 2 }, { requests: [req('a', 1), req('b', 3)] });
    const out = await runShares(random, 1);
    const b = server.arrivals.filter((a) => a.path === '/b').length;
    assert.equal(server.arrivals.length, 400);
    assert.ok(b > 260 && b < 340, `weight 3 of 4 picked ${b} of 400`);
    assert.equal(out.snapshots[0].reduce((n, s) => n + (s.endpoints.b?.requests ?? 0), 0), b, 'recorded per request name');
  } finally {
    await server.close();
  }
});

test('the end of the plan cuts think time short instead of waiting it out', { timeout: 10_000 }, async () => {
  const server = await countingServer();
  try {
    const sc = scenario(server.url, { type: 'constant-vus', vus: 2, durationMs: 300 }, { thinkTime: { minMs: 5000, maxMs: 5000 }, gracefulStopMs: 3000 });
    const out = await runShares(sc, 1);
    assert.ok(out.doneAfterMs >= 300 && out.doneAfterMs < 400, `done ${out.doneAfterMs} ms after the start`);
    assert.equal(server.arrivals.length, 2);
    assert.deepEqual(out.results.map((r) => r.interrupted), [0]);
  } finally {
    await server.close();
  }
});

test('connections: a number is one pool per share, split across shares', { timeout: 10_000 }, async () => {
  const server = await countingServer(() => ({ delayMs: 10 }));
  try {
    const sc = scenario(server.url, { type: 'constant-vus', vus: 6, durationMs: 300 });
    sc.http.connections = 3;
    const out = await runShares(sc, 2);
    assert.equal(byConnection(server.arrivals).length, 3, '2 + 1 connections for 6 VUs');
    assert.equal(total(out, 'requests'), server.arrivals.length);
  } finally {
    await server.close();
  }
});

test("closed models on a VU's own keep-alive connection time latency from the write, except a request that had to connect first", { timeout: 10_000 }, async (t) => {
  const server = await countingServer();
  try {
    const http = { timeoutMs: 5000, connectTimeoutMs: 1000, headers: {}, pipelining: 1 };
    const own = await runShares(scenario(server.url, { type: 'constant-vus', vus: 4, durationMs: 400 }, { http: { ...http, connections: 'per-vu' } }), 1);
    const latency = merged(own, 'latency');
    const service = merged(own, 'serviceTime');
    assert.ok(latency.totalCount > 100, `${latency.totalCount} requests`);
    // Every request but each VU's first went out on an open connection: its latency is its service time. The two
    // histograms then differ by at most 4 values (the connects), each only upwards (latency ≥ service): the
    // latency at any rank lies between the service time at that rank and 4 ranks above it.
    const n = latency.totalCount;
    for (const q of [10, 25, 50, 75, 90]) {
      const at = latency.getValueAtPercentile(q);
      const low = service.getValueAtPercentile(q);
      const high = service.getValueAtPercentile(Math.min(100, q + (100 * 4) / n));
      assert.ok(at >= low && at <= high, `p${q}: latency ${at} µs outside service ${low}..${high} µs (${n} requests)`);
    }
    // The first request of each VU waited for its connection: that time counts.
    assert.ok(latency.mean > service.mean, `latency mean ${latency.mean} µs vs service ${service.mean} µs`);

    // On a shared pool a request may wait behind others: latency keeps counting from the dispatch.
    server.arrivals.length = 0;
    const pooled = await runShares(scenario(server.url, { type: 'constant-vus', vus: 4, durationMs: 400 }, { http: { ...http, connections: 2 } }), 1);
    const pl = merged(pooled, 'latency');
    const ps = merged(pooled, 'serviceTime');
    assert.ok(pl.getValueAtPercentile(50) > ps.getValueAtPercentile(50), `pool: latency p50 ${pl.getValueAtPercentile(50)} µs vs service p50 ${ps.getValueAtPercentile(50)} µs`);
    t.diagnostic(`own connection: latency p50 ${latency.getValueAtPercentile(50)} µs = service p50, means ${latency.mean.toFixed(1)} vs ${service.mean.toFixed(1)} µs; pool: p50 ${pl.getValueAtPercentile(50)} vs ${ps.getValueAtPercentile(50)} µs`);
  } finally {
    await server.close();
  }
});
