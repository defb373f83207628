import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shareCount, sharedIterations } from '../src/index.js';
import { checkPlan } from '../src/remote/plan-check.js';
import { countingServer, type Arrival } from './helpers/server.js';
import { runShares, scenario, total, type RunOutcome } from './helpers/run.js';

/** Iterations the shares counted, summed over every snapshot. */
function iterations(out: RunOutcome): number {
  return out.snapshots.flat().reduce((sum, s) => sum + (s.iterations ?? 0), 0);
}

/** Dropped iterations summed over every snapshot. */
function dropped(out: RunOutcome): number {
  return out.snapshots.flat().reduce((sum, s) => sum + s.dropped, 0);
}

/** Requests per connection (one per VU with per-VU connections). */
function perConnection(arrivals: Arrival[]): number[] {
  const counts = new Map<number, number>();
  for (const a of arrivals) counts.set(a.remotePort, (counts.get(a.remotePort) ?? 0) + 1);
  return [...counts.values()].sort((a, b) => a - b);
}

test('sharedIterations: 10 over 3 shares is 4 + 3 + 3; only shares with a VU get any; the slices always sum to the count', () => {
  assert.deepEqual([0, 1, 2].map((s) => sharedIterations(10, 5, s, 3)), [4, 3, 3]);
  assert.deepEqual([0, 1, 2].map((s) => sharedIterations(10, 2, s, 3)), [5, 5, 0]);
  for (let shares = 1; shares <= 7; shares++) {
    for (let vus = 1; vus <= 9; vus++) {
      for (let count = 0; count <= 40; count++) {
        const slices = Array.from({ length: shares }, (_, s) => sharedIterations(count, vus, s, shares));
        assert.equal(slices.reduce((a, b) => a + b, 0), count, `${count} iterations, ${vus} VUs, ${shares} shares`);
        slices.forEach((n, s) => assert.ok(n === 0 || shareCount(vus, s, shares) > 0, `share ${s} has iterations but no VU`));
      }
    }
  }
});

test('per-vu-iterations over 3 shares: each of 5 VUs sends exactly 3 iterations, the shares end as soon as they are done', { timeout: 10_000 }, async () => {
  const server = await countingServer(() => ({ delayMs: 5 }));
  try {
    const out = await runShares(scenario(server.url, { type: 'per-vu-iterations', vus: 5, iterations: 3, maxDurationMs: 60_000 }), 3);
    assert.deepEqual(perConnection(server.arrivals), [3, 3, 3, 3, 3], 'one connection per VU, 3 requests each');
    assert.equal(total(out, 'requests'), 15);
    assert.equal(iterations(out), 15);
    assert.equal(dropped(out), 0);
    assert.deepEqual(out.results.map((r) => r.stoppedEarly), [false, false, false]);
    assert.ok(out.doneAfterMs < 3000, `done after ${out.doneAfterMs.toFixed(0)} ms, not at maxDuration`);
  } finally {
    await server.close();
  }
});

test('per-vu-iterations VUs think: 1 VU × 3 iterations with a 150 ms think time leaves at least 150 ms between its requests', { timeout: 10_000 }, async () => {
  const server = await countingServer();
  try {
    const out = await runShares({ ...scenario(server.url, { type: 'per-vu-iterations', vus: 1, iterations: 3, maxDurationMs: 60_000 }), thinkTime: { minMs: 150, maxMs: 150 } }, 1);
    assert.equal(iterations(out), 3);
    const at = server.arrivals.map((a) => a.at);
    assert.equal(at.length, 3);
    for (let i = 1; i < at.length; i++) assert.ok(at[i]! - at[i - 1]! >= 145, `request ${i} came ${(at[i]! - at[i - 1]!).toFixed(0)} ms after the one before`);
  } finally {
    await server.close();
  }
});

const sequence = { flow: 'sequence' as const, requests: ['a', 'b'].map((name) => ({ name, method: 'GET', path: `/${name}`, headers: {}, body: null, weight: 1, expectStatus: null })) };

test('shared-iterations: 10 iterations over 4 VUs on 3 shares are sent exactly once each (4 + 3 + 3)', { timeout: 10_000 }, async () => {
  const server = await countingServer(() => ({ delayMs: 2 }));
  try {
    const out = await runShares(scenario(server.url, { type: 'shared-iterations', vus: 4, iterations: 10, maxDurationMs: 60_000 }, sequence), 3);
    assert.equal(server.arrivals.length, 20, 'two requests per iteration');
    assert.equal(iterations(out), 10);
    assert.equal(total(out, 'requests'), 20);
    assert.deepEqual(out.snapshots.map((list) => list.reduce((n, s) => n + (s.iterations ?? 0), 0)), [4, 3, 3], 'the split');
    assert.equal(perConnection(server.arrivals).length, 4, 'every VU ran');
  } finally {
    await server.close();
  }
});

test('shared-iterations: a VU that finishes takes the next iteration, so a slow VU leaves its share to the fast one', { timeout: 10_000 }, async () => {
  let slowPort = -1;
  const server = await countingServer((a, i) => {
    if (i === 0) slowPort = a.remotePort;
    return { delayMs: a.remotePort === slowPort ? 200 : 2 };
  });
  try {
    const out = await runShares(scenario(server.url, { type: 'shared-iterations', vus: 2, iterations: 10, maxDurationMs: 60_000 }, sequence), 1);
    assert.equal(iterations(out), 10);
    assert.deepEqual(perConnection(server.arrivals), [2, 18], 'the slow VU ran one iteration, the fast one the other nine');
  } finally {
    await server.close();
  }
});

test('maxDuration cuts a slow run short: what completed is counted, the iterations never started are dropped', { timeout: 10_000 }, async () => {
  const server = await countingServer(() => ({ delayMs: 100 }));
  try {
    const out = await runShares(scenario(server.url, { type: 'per-vu-iterations', vus: 2, iterations: 50, maxDurationMs: 450 }), 2);
    const done = iterations(out);
    assert.ok(done >= 6 && done <= 10, `${done} iterations in 450 ms at 100 ms each over 2 VUs`);
    assert.equal(total(out, 'requests'), server.arrivals.length);
    assert.equal(done, server.arrivals.length, 'the iteration under way at maxDuration finished within gracefulStop');
    assert.equal(done + dropped(out), 100, 'every planned iteration either ran or was dropped');
    assert.ok(out.doneAfterMs < 1500, `done after ${out.doneAfterMs.toFixed(0)} ms`);
  } finally {
    await server.close();
  }
});

test('an agent\'s plan check takes the iteration executors with exactly their fields', () => {
  const base = scenario('http://127.0.0.1:8080', { type: 'per-vu-iterations', vus: 2, iterations: 3, maxDurationMs: 60_000 });
  const plan = (executor: unknown) => ({ v: 1 as const, type: 'plan' as const, runId: 'r', scenario: { ...base, executor } as typeof base, shares: [0], totalShares: 1, seed: 1 });
  const limits = { threads: 1, openFiles: 1024, memoryMb: 4096 };
  for (const type of ['per-vu-iterations', 'shared-iterations']) {
    const ok = checkPlan(plan({ type, vus: 2, iterations: 3, maxDurationMs: 60_000 }), limits);
    assert.ok(ok.ok, type);
    const missing = checkPlan(plan({ type, vus: 2, maxDurationMs: 60_000 }), limits);
    assert.ok(!missing.ok && /\/executor must have required property 'iterations'/.test(missing.message), `${type}: ${!missing.ok && missing.message}`);
    const extra = checkPlan(plan({ type, vus: 2, iterations: 3, maxDurationMs: 1000, durationMs: 1000 }), limits);
    assert.ok(!extra.ok && /\/executor has unknown field "durationMs"/.test(extra.message), `${type}: ${!extra.ok && extra.message}`);
  }
});
