/**
 * Test helper: a run file's report built as the controller builds one
 * (run-merge.ts): each workload's snapshots go to its own aggregator and,
 * shifted onto the run's clock, to the run's, so every figure is real
 * aggregator output and the run's is the exact sum of its workloads'.
 */
import { RunAggregator, type IntervalSnapshot, type Report } from '../src/index.js';
import { endpoint, META, seeded, snapshot } from './fixtures.js';

/** A workload of the fixture: its request, executor, start on the run's clock, and per-second completions. */
interface Workload {
  name: string;
  executor: string;
  /** With a check (`status 200`), failed by exactly the failed requests. */
  request: { name: string; method: string; path: string; checkNames?: string[] };
  startSecond: number;
  /** Per second of its own clock: [requests, failed (HTTP_503), iterations]. */
  seconds: [number, number, number][];
  thresholds: Record<string, string>;
}

const WORKLOADS: Workload[] = [
  { name: 'browse', executor: 'constant-vus', request: { name: 'home', method: 'GET', path: '/browse' }, startSecond: 0, seconds: [[40, 0, 40], [42, 1, 42], [41, 0, 41]], thresholds: { 'latency.p95': '<10s' } },
  { name: 'api', executor: 'shared-iterations', request: { name: 'ping', method: 'POST', path: '/api', checkNames: ['status 200'] }, startSecond: 1, seconds: [[30, 3, 30], [20, 0, 20]], thresholds: { errorRate: '<1%' } },
];

const IDLE = { lagMaxMs: 0, lagMeanMs: 0, utilization: 0, intervalMs: 0 };

/**
 * release-check: browse (constant-vus, 3 s from 0 s, 123 requests and
 * iterations, 1 failed) and api (shared-iterations, 2 s from 1 s, 50
 * iterations, 3 failed, as is its check `status 200`: its errorRate
 * threshold fails); the run-wide
 * `latency.p99 <10s` passes.
 */
export function runReport(): Report {
  const rand = seeded(11);
  const run = new RunAggregator({ ...META, scenario: 'release-check', executor: 'run-file', requests: WORKLOADS.map((w) => w.request) }, WORKLOADS.length, 3);
  const sections = WORKLOADS.map((w, share) => {
    const own = new RunAggregator({ ...META, scenario: w.name, executor: w.executor, requests: [w.request] }, 1, w.seconds.length - 1);
    for (let second = 0; second < w.startSecond; second++) run.add({ share, seq: second, second, vus: 0, dropped: 0, endpoints: {}, generator: IDLE });
    w.seconds.forEach(([requests, failed, iterations], second) => {
      const latency = Array.from({ length: requests }, () => Math.round(2000 + rand() * 30_000));
      const measured = endpoint({ latency, serviceTime: latency, ttfb: latency, errors: Array.from({ length: failed }, () => 'HTTP_503') });
      const checks = w.request.checkNames && { checks: Object.fromEntries(w.request.checkNames.map((c) => [c, { passes: requests - failed, fails: failed }])) };
      const s: IntervalSnapshot = snapshot({ share: 0, seq: second, second, vus: 2, iterations, endpoints: { [w.request.name]: { ...measured, ...checks } } });
      own.add(s);
      run.add({ ...s, share, seq: second + w.startSecond, second: second + w.startSecond });
    });
    return own.finish({ durationMs: w.seconds.length * 1000, interrupted: false, thresholds: w.thresholds });
  });
  const report = run.finish({ durationMs: 3000, interrupted: false, thresholds: { 'latency.p99': '<10s' } });
  report.scenarios = Object.fromEntries(sections.map((r) => [r.scenario, r]));
  report.verdict = sections.some((r) => r.verdict === 'fail') ? 'fail' : report.verdict;
  return report;
}
