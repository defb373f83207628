import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plannedDurationMs, type ResolvedScenario } from '@novaload/agent';
import { InputError, resolveScenario, type Overrides } from '../src/scenario/index.js';

const ramp = {
  target: 'http://127.0.0.1:3000/base/',
  executor: 'ramping-vus',
  startVUs: 3,
  stages: [{ duration: '10s', target: 100 }, { duration: '5m', target: 100 }, { duration: '7s', target: 0 }],
  requests: [{ path: '/api/tasks' }, { method: 'POST', path: '/api/tasks', json: { name: 'test' }, weight: 2 }],
};
const arrivals = {
  target: 'http://127.0.0.1:3000',
  executor: 'ramping-arrival-rate',
  startRate: 5,
  stages: [{ duration: '30s', target: 20 }, { duration: '1m', target: 7.5 }],
  requests: [{ path: '/' }],
};

const resolve = (raw: unknown, o?: Overrides): ResolvedScenario => resolveScenario(raw, 'inline.json', o);

test('defaults are filled in', () => {
  const s = resolve(ramp);
  assert.equal(s.name, 'inline');
  assert.equal(s.target, 'http://127.0.0.1:3000/base');
  assert.equal(s.gracefulStopMs, 30_000);
  assert.equal(s.flow, 'random');
  assert.equal(s.thinkTime, null);
  assert.deepEqual(s.http, { timeoutMs: 60_000, connectTimeoutMs: 10_000, headers: {}, connections: 'per-vu', pipelining: 1 });
  assert.deepEqual(s.requests[0], { name: 'GET /api/tasks', method: 'GET', path: '/api/tasks', headers: {}, body: null, weight: 1, expectStatus: null });
  assert.deepEqual(s.requests[1]!.headers, { 'content-type': 'application/json' });
  const open = resolve(arrivals);
  assert.deepEqual(open.executor, { type: 'ramping-arrival-rate', startRate: 5, stages: [{ durationMs: 30_000, target: 20 }, { durationMs: 60_000, target: 7.5 }], maxVUs: 20, maxQueue: 20, arrivalWindowMs: 2 });
  assert.equal(open.http.connections, 20);
});

test('--duration scales every stage so they total exactly the duration, in whole ms', () => {
  for (const durationMs of [15_000, 1_000, 12_345, 7]) {
    const { executor } = resolve(ramp, { durationMs });
    assert.ok(executor.type === 'ramping-vus');
    assert.equal(plannedDurationMs(executor), durationMs);
    assert.ok(executor.stages.every((s) => Number.isInteger(s.durationMs) && s.durationMs >= 0));
  }
  const { executor } = resolve(ramp, { durationMs: 15_000 });
  assert.ok(executor.type === 'ramping-vus');
  assert.deepEqual(executor.stages.map((s) => s.durationMs), [473, 14_195, 332]);
  assert.deepEqual(resolve({ ...arrivals, executor: 'constant-arrival-rate', startRate: undefined, stages: undefined, rate: 9, duration: '1m' }, { durationMs: 2500 }).executor, {
    type: 'constant-arrival-rate', rate: 9, durationMs: 2500, maxVUs: 9, maxQueue: 9, arrivalWindowMs: 2,
  });
});

test('--vus scales VU counts so the peak equals it', () => {
  const { executor } = resolve(ramp, { vus: 10 });
  assert.deepEqual(executor, { type: 'ramping-vus', startVUs: 0, stages: [{ durationMs: 10_000, target: 10 }, { durationMs: 300_000, target: 10 }, { durationMs: 7000, target: 0 }] });
  assert.deepEqual(resolve({ ...ramp, executor: 'constant-vus', startVUs: undefined, stages: undefined, vus: 4, duration: '1s' }, { vus: 50 }).executor, { type: 'constant-vus', vus: 50, durationMs: 1000 });
  const open = resolve(arrivals, { vus: 64 });
  assert.ok(open.executor.type === 'ramping-arrival-rate');
  assert.equal(open.executor.maxVUs, 64);
  assert.equal(open.executor.maxQueue, 64);
  assert.equal(open.http.connections, 64);
});

test('--rate scales arrival rates so the peak equals it, and moves the default maxVUs', () => {
  const { executor } = resolve(arrivals, { rate: 100 });
  assert.deepEqual(executor, { type: 'ramping-arrival-rate', startRate: 25, stages: [{ durationMs: 30_000, target: 100 }, { durationMs: 60_000, target: 37.5 }], maxVUs: 100, maxQueue: 100, arrivalWindowMs: 2 });
});

test('--target replaces the target; bad overrides are problems at the flag', () => {
  assert.equal(resolve(ramp, { target: 'https://example.invalid/' }).target, 'https://example.invalid');
  assert.equal(resolve({ ...ramp, target: undefined }, { target: 'http://127.0.0.1:9' }).target, 'http://127.0.0.1:9');
  assert.throws(() => resolve(ramp, { target: 'example.test', rate: 5, vus: 0, durationMs: 0 }), (err: unknown) => {
    assert.ok(err instanceof InputError);
    assert.deepEqual(err.problems.map((p) => p.path).sort(), ['--duration', '--rate', '--target', '--vus']);
    assert.match(err.problems.find((p) => p.path === '--rate')!.message, /applies to arrival-rate executors; this scenario uses ramping-vus/);
    return true;
  });
});

test('open models queue one second of arrivals by default, never fewer than maxVUs', () => {
  const base = { target: 'http://127.0.0.1:1', executor: 'constant-arrival-rate', duration: '1s', requests: [{ path: '/' }] };
  const fast = resolveScenario({ ...base, rate: 500, maxVUs: 10 }, 'q.json');
  assert.ok(fast.executor.type === 'constant-arrival-rate');
  assert.equal(fast.executor.maxQueue, 500);
  const slow = resolveScenario({ ...base, rate: 5, maxVUs: 40 }, 'q.json');
  assert.ok(slow.executor.type === 'constant-arrival-rate');
  assert.equal(slow.executor.maxQueue, 40);
});
