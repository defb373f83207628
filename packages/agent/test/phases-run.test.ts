/**
 * Phases as shares record them: one phase value per response (as ttfb),
 * connection phases and connectionsOpened only for requests that opened a
 * connection, nothing for a request that never got one; every snapshot
 * passes the report's own check.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addEncoded, checkSnapshot, createHistogram, PHASES, type Histogram, type IntervalSnapshot, type Phase } from '@novaload/report';
import { closedPort, countingServer } from './helpers/server.js';
import { merged, runShares, scenario, total } from './helpers/run.js';

/** Each phase's histogram over every share and second, as agents sent it (connection phases without their zeros). */
function mergedPhases(snapshots: IntervalSnapshot[][]): Record<Phase, Histogram> {
  const out = Object.fromEntries(PHASES.map((p) => [p, createHistogram()])) as Record<Phase, Histogram>;
  for (const list of snapshots) for (const s of list) for (const ep of Object.values(s.endpoints)) if (ep.phases) for (const p of PHASES) addEncoded(out[p], ep.phases[p]);
  return out;
}

const opened = (snapshots: IntervalSnapshot[][]): number => snapshots.flat().reduce((n, s) => n + Object.values(s.endpoints).reduce((m, ep) => m + (ep.connectionsOpened ?? 0), 0), 0);

test('per-VU keep-alive over 2 shares: one connection per VU, each timed once; send, wait and receive for every response', { timeout: 10_000 }, async () => {
  const server = await countingServer(() => ({ delayMs: 5 }));
  try {
    const out = await runShares(scenario(server.url, { type: 'constant-vus', vus: 4, durationMs: 400 }), 2);
    const requests = total(out, 'requests');
    assert.equal(requests, server.arrivals.length);
    assert.ok(requests > 20, `${requests} requests`);
    assert.equal(opened(out.snapshots), 4);
    const phases = mergedPhases(out.snapshots);
    assert.equal(phases.connect.totalCount, 4, 'the first request of each VU, and only it');
    assert.equal(phases.dns.totalCount, 0, '127.0.0.1 is not looked up');
    assert.equal(phases.tlsHandshake.totalCount, 0);
    for (const p of ['send', 'wait', 'receive'] as const) assert.equal(phases[p].totalCount, merged(out, 'ttfb').totalCount, p);
    assert.ok(phases.wait.getValueAtPercentile(50) >= 4900, `wait p50 ${phases.wait.getValueAtPercentile(50)} µs against a 5 ms server`);
    const rules = { shares: 2, names: new Set(['hello']), lastSecond: 2 };
    for (const s of out.snapshots.flat()) assert.doesNotThrow(() => checkSnapshot(s, rules));
  } finally {
    await server.close();
  }
});

test('a refused connection opens nothing and has no phases', { timeout: 10_000 }, async () => {
  const port = await closedPort();
  const out = await runShares(scenario(`http://127.0.0.1:${port}`, { type: 'constant-arrival-rate', rate: 20, durationMs: 300, maxVUs: 2, maxQueue: 10, arrivalWindowMs: 2 }), 1);
  assert.ok(total(out, 'failed') > 0);
  assert.equal(opened(out.snapshots), 0);
  assert.ok(out.snapshots.flat().every((s) => Object.values(s.endpoints).every((ep) => ep.phases === undefined)));
});
