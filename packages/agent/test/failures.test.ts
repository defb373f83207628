import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closedPort, countingServer } from './helpers/server.js';
import { errors, merged, runShares, scenario, total } from './helpers/run.js';

const tenArrivals = { type: 'constant-arrival-rate', rate: 20, durationMs: 500, maxVUs: 5, maxQueue: 10, arrivalWindowMs: 2 } as const;

test('a refused connection is ECONNREFUSED, recorded in latency but without ttfb', { timeout: 10_000 }, async () => {
  const port = await closedPort();
  const out = await runShares(scenario(`http://127.0.0.1:${port}`, tenArrivals), 1);
  assert.deepEqual(errors(out), { ECONNREFUSED: 10 });
  assert.equal(total(out, 'failed'), 10);
  assert.equal(merged(out, 'latency').totalCount, 10, 'failed requests took that time too');
  assert.equal(merged(out, 'ttfb').totalCount, 0);
});

test('a closed model against a refused port loops on ECONNREFUSED without tripping undici', { timeout: 10_000 }, async () => {
  const port = await closedPort();
  const out = await runShares(scenario(`http://127.0.0.1:${port}`, { type: 'constant-vus', vus: 2, durationMs: 300 }), 1);
  const kinds = errors(out);
  assert.deepEqual(Object.keys(kinds), ['ECONNREFUSED']);
  assert.ok(kinds.ECONNREFUSED > 10, `${kinds.ECONNREFUSED} refused`);
  assert.equal(total(out, 'ok'), 0);
});

test('statuses outside expectStatus are HTTP_<status>; any 2xx is ok by default', { timeout: 10_000 }, async () => {
  const server = await countingServer((_a, i) => ({ status: i % 2 === 0 ? 200 : 500 }));
  try {
    const out = await runShares(scenario(server.url, tenArrivals), 1);
    assert.deepEqual(errors(out), { HTTP_500: 5 });
    assert.equal(total(out, 'ok'), 5);

    server.arrivals.length = 0;
    const sc = scenario(server.url, tenArrivals);
    sc.requests[0].expectStatus = [500];
    const expect500 = await runShares(sc, 1);
    assert.deepEqual(errors(expect500), { HTTP_200: 5 });
    assert.equal(merged(expect500, 'ttfb').totalCount, 10);
  } finally {
    await server.close();
  }
});

test('no headers within timeoutMs is TIMEOUT', { timeout: 10_000 }, async () => {
  const server = await countingServer(() => 'hang');
  try {
    const sc = scenario(server.url, { type: 'constant-vus', vus: 2, durationMs: 250 }, { http: { timeoutMs: 100, connectTimeoutMs: 1000, headers: {}, connections: 'per-vu', pipelining: 1 } });
    const out = await runShares(sc, 1);
    const kinds = errors(out);
    assert.deepEqual(Object.keys(kinds), ['TIMEOUT']);
    assert.ok(kinds.TIMEOUT >= 2 && kinds.TIMEOUT <= 6, `${kinds.TIMEOUT} timeouts`);
    assert.equal(total(out, 'requests'), kinds.TIMEOUT);
  } finally {
    await server.close();
  }
});

test('gracefulStop: a request that never answers is interrupted and done resolves within gracefulStop', { timeout: 10_000 }, async (t) => {
  const server = await countingServer(() => 'hang');
  try {
    const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const sc = scenario(server.url, { type: 'constant-vus', vus: 1, durationMs: 300 }, { gracefulStopMs: 400 });
    const out = await runShares(sc, 1);
    assert.ok(out.doneAfterMs >= 700 && out.doneAfterMs < 850, `done ${out.doneAfterMs} ms after the start`);
    assert.deepEqual(out.results, [{ share: 0, lastSeq: 0, interrupted: 1, stoppedEarly: false }]);
    assert.deepEqual(out.snapshots[0].map((s) => [s.second, s.endpoints]), [[0, {}]], 'interrupted requests are not counted');
    assert.equal(server.arrivals.length, 1);
    assert.equal(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length, timersBefore, 'no timer left behind');
    t.diagnostic(`done ${out.doneAfterMs.toFixed(1)} ms after the start (plan 300 + gracefulStop 400)`);
  } finally {
    await server.close();
  }
});

test('stop() ends the plan early: in-flight requests get gracefulStop, then stoppedEarly', { timeout: 10_000 }, async () => {
  const server = await countingServer(() => ({ delayMs: 100 }));
  try {
    const sc = scenario(server.url, { type: 'constant-vus', vus: 2, durationMs: 60_000 }, { gracefulStopMs: 1000 });
    const out = await runShares(sc, 2, { stopAtMs: 1250 });
    assert.ok(out.doneAfterMs >= 1250 && out.doneAfterMs < 1500, `done ${out.doneAfterMs} ms after the start`);
    assert.deepEqual(out.results.map((r) => [r.lastSeq, r.interrupted, r.stoppedEarly]), [[1, 0, true], [1, 0, true]]);
    assert.equal(total(out, 'requests'), server.arrivals.length, 'the requests in flight at stop() finished and were counted');
  } finally {
    await server.close();
  }
});

test('stop(true) skips gracefulStop: in-flight requests are interrupted at once, what completed is still sent', { timeout: 10_000 }, async () => {
  const server = await countingServer((_a, i) => (i < 6 ? {} : 'hang'));
  try {
    const sc = scenario(server.url, { type: 'constant-vus', vus: 2, durationMs: 60_000 }, { gracefulStopMs: 30_000 });
    const out = await runShares(sc, 2, { stopAtMs: 300, stopNow: true });
    assert.ok(out.doneAfterMs >= 300 && out.doneAfterMs < 800, `done ${out.doneAfterMs} ms after the start, not after gracefulStop's 30 s`);
    assert.deepEqual(out.results.map((r) => [r.lastSeq, r.interrupted, r.stoppedEarly]), [[0, 1, true], [0, 1, true]]);
    assert.equal(total(out, 'requests'), 6, 'the requests answered before the stop are in the snapshots');
    assert.equal(server.arrivals.length, 8);
  } finally {
    await server.close();
  }
});

test('stop() before the start sends nothing', { timeout: 10_000 }, async () => {
  const server = await countingServer();
  try {
    const out = await runShares(scenario(server.url, { type: 'constant-vus', vus: 1, durationMs: 1000 }), 1, { stopAtMs: -50 });
    assert.deepEqual(out.results, [{ share: 0, lastSeq: -1, interrupted: 0, stoppedEarly: true }]);
    assert.deepEqual(out.snapshots, [[]]);
    assert.equal(server.arrivals.length, 0);
  } finally {
    await server.close();
  }
});
