/**
 * The open-file pre-flight: how the limit is read, what a scenario needs,
 * and the message that says how much to ask for.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResolvedScenario } from '@novaload/agent';
import { baseDescriptors, checkFileDescriptors, fdProblem, parseOpenFilesLimit, peakConnections, peakConnectionsTogether } from '../src/run/fd-limit.js';
import { CliError } from '../src/exit-codes.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max processes             63704                63704                processes
Max open files            256                  4096                 files
Max locked memory         8388608              8388608              bytes
`;

/** A scenario file as the check sees it: a group of one workload, from 0 s. */
const alone = (s: ResolvedScenario) => [{ scenario: s, startMs: 0 }];

function scenario(executor: ResolvedScenario['executor'], connections: ResolvedScenario['http']['connections'] = 'per-vu'): ResolvedScenario {
  return {
    name: 's',
    target: 'http://127.0.0.1:1',
    executor,
    gracefulStopMs: 1000,
    thinkTime: null,
    flow: 'random',
    requests: [],
    http: { timeoutMs: 1000, connectTimeoutMs: 1000, headers: {}, connections, pipelining: 1 },
    thresholds: {},
  };
}

test('the soft "Max open files" limit is read from /proc/<pid>/limits; unlimited or absent is no limit', () => {
  assert.equal(parseOpenFilesLimit(LIMITS), 256);
  assert.equal(parseOpenFilesLimit(LIMITS.replace('256 ', 'unlimited ')), null);
  assert.equal(parseOpenFilesLimit('Max processes 1 1 processes\n'), null);
});

test('peak connections: one per VU at the peak (closed or open model), or the pool size', () => {
  assert.equal(peakConnections(scenario({ type: 'constant-vus', vus: 1000, durationMs: 1 })), 1000);
  assert.equal(peakConnections(scenario({ type: 'ramping-vus', startVUs: 5, stages: [{ durationMs: 1, target: 700 }, { durationMs: 1, target: 0 }] })), 700);
  assert.equal(peakConnections(scenario({ type: 'constant-arrival-rate', rate: 10, durationMs: 1, maxVUs: 300, maxQueue: 0, arrivalWindowMs: 2 })), 300);
  assert.equal(peakConnections(scenario({ type: 'constant-vus', vus: 1000, durationMs: 1 }, 50)), 50);
});

test('a scenario that does not fit names what it needs and how to raise the limit; one that fits passes', () => {
  const big = scenario({ type: 'constant-vus', vus: 1000, durationMs: 1 });
  const needed = 1000 + baseDescriptors(2);
  const problem = fdProblem([alone(scenario({ type: 'constant-vus', vus: 1, durationMs: 1 })), alone(big)], 2, 256);
  assert.ok(problem);
  assert.match(problem, new RegExp(`needs about ${needed} file descriptors \\(1000 connections`));
  assert.match(problem, new RegExp(`ulimit -n ${needed}`));
  assert.match(problem, /NOVALOAD_SKIP_FD_CHECK=1/);
  assert.equal(fdProblem([alone(big)], 2, needed), null);
  assert.equal(fdProblem([alone(big)], 2, null), null, 'no known limit, no check');
});

test("a run file's workloads that run at once add up their connections; one that starts after another's end (plus gracefulStop) does not", () => {
  const vus = (n: number, durationMs = 10_000) => scenario({ type: 'constant-vus', vus: n, durationMs });
  // Two workloads of 600 VUs each, together: 1,200 connections, over a limit of 1,024 that each alone fits.
  const together = [{ scenario: vus(600), startMs: 0 }, { scenario: vus(600), startMs: 0 }];
  assert.equal(peakConnectionsTogether(together), 1200);
  const problem = fdProblem([together], 2, 1024);
  assert.ok(problem);
  assert.match(problem, new RegExp(`needs about ${1200 + baseDescriptors(2)} file descriptors \\(1200 connections at the peak, the run file's workloads that run at once added up`));
  assert.equal(fdProblem([alone(vus(600)), alone(vus(600))], 2, 1024), null, 'two scenario files run one after the other');
  // gracefulStop is 1 s: a start at 11 s is after the first one's end; at 10.5 s it still overlaps; at exactly 11 s it counts as overlapping.
  assert.equal(peakConnectionsTogether([{ scenario: vus(600), startMs: 0 }, { scenario: vus(500), startMs: 11_001 }]), 600);
  assert.equal(peakConnectionsTogether([{ scenario: vus(600), startMs: 0 }, { scenario: vus(500), startMs: 10_500 }]), 1100);
  assert.equal(peakConnectionsTogether([{ scenario: vus(600), startMs: 0 }, { scenario: vus(500), startMs: 11_000 }]), 1100);
  // Three staggered: A 0–11 s, B 5–16 s, C 12–23 s: at most two at once.
  assert.equal(peakConnectionsTogether([{ scenario: vus(100), startMs: 0 }, { scenario: vus(200), startMs: 5000 }, { scenario: vus(400), startMs: 12_000 }]), 600);
});

test('the check throws exit 104 for a local run, and is skipped for remote runs or when asked to', { skip: process.platform !== 'linux' && 'reads /proc/self/limits' }, () => {
  const big = [alone(scenario({ type: 'constant-vus', vus: 10_000_000, durationMs: 1 }))];
  assert.throws(() => checkFileDescriptors(big, { threads: 1 }, {}), (e: unknown) => e instanceof CliError && e.exitCode === 104);
  checkFileDescriptors(big, { threads: 1, remote: {} }, {});
  checkFileDescriptors(big, { threads: 1 }, { NOVALOAD_SKIP_FD_CHECK: '1' });
  assert.throws(() => checkFileDescriptors(big, { threads: 1 }, { NOVALOAD_SKIP_FD_CHECK: '0' }), CliError);
});
