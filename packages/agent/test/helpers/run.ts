/**
 * Scenario builders and an in-process runner for the agent's tests: shares
 * started together in this process, their snapshots collected, and the
 * figures tests compare (counts, merged histograms).
 */
import { performance } from 'node:perf_hooks';
import { addEncoded, createHistogram, type Histogram, type IntervalSnapshot } from '@novaload/report';
import { Clock } from '../../src/clock.js';
import { isLoaded, peakVus, rowsOf, settingsOf, type ExecutorConfig, type ResolvedScenario, type ShareResult, type ShareSpec } from '../../src/index.js';
// Not exported by the package: only worker threads run shares (and loading undici there keeps it off the controller's thread).
import { startShare } from '../../src/run-share.js';

/** A scenario against `target` with one GET /hello and short, test-friendly defaults. */
export function scenario(target: string, executor: ExecutorConfig, extra: Partial<ResolvedScenario> = {}): ResolvedScenario {
  return {
    name: 'test',
    target,
    executor,
    gracefulStopMs: 1000,
    thinkTime: null,
    flow: 'random',
    requests: [{ name: 'hello', method: 'GET', path: '/hello', headers: {}, body: null, weight: 1, expectStatus: null }],
    http: { timeoutMs: 5000, connectTimeoutMs: 1000, headers: {}, connections: 'per-vu', pipelining: 1 },
    thresholds: {},
    ...extra,
  };
}

/** An agreed start `aheadMs` from now: wall clock for the shares, performance.now() for comparing with the server. */
export interface Start {
  startAt: number;
  startPerf: number;
}

/** A start instant `aheadMs` ahead, mapped onto performance.now() the way the agent maps it. */
export function startIn(aheadMs = 100): Start {
  const startAt = Date.now() + aheadMs;
  return { startAt, startPerf: new Clock(startAt).anchor };
}

/** What a run of several shares produced. */
export interface RunOutcome {
  /** Snapshots per share, in the order they were sent. */
  snapshots: IntervalSnapshot[][];
  results: ShareResult[];
  /** Milliseconds from the start until every share's `done` resolved. */
  doneAfterMs: number;
}

/**
 * Run `shares` shares of `sc` in this process from one start instant, optionally calling stop() on all at `stopAtMs`
 * (with `stopNow`, then also stop(true), as the controller does on a second signal).
 */
export async function runShares(sc: ResolvedScenario, shares: number, opts: { start?: Start; stopAtMs?: number; stopNow?: boolean } = {}): Promise<RunOutcome> {
  const { startAt, startPerf } = opts.start ?? startIn();
  const snapshots: IntervalSnapshot[][] = Array.from({ length: shares }, () => []);
  const handles = snapshots.map((list, share) => startShare({ runId: 'test', ...withRows(sc, share, shares), share, shares, startAt, seed: 42 + share }, (s) => list.push(s)));
  const stopper = opts.stopAtMs === undefined ? undefined : setTimeout(() => handles.forEach((h) => (h.stop(), opts.stopNow && h.stop(true))), startPerf + opts.stopAtMs - performance.now());
  const results = await Promise.all(handles.map((h) => h.done));
  clearTimeout(stopper);
  return { snapshots, results, doneAfterMs: performance.now() - startPerf };
}

/** The scenario a share runs and, with a loaded data file, the share's rows (as the controller deals them). */
function withRows(sc: ResolvedScenario, share: number, shares: number): Pick<ShareSpec, 'scenario' | 'rows'> {
  if (sc.data === undefined || !isLoaded(sc.data)) return { scenario: sc };
  return { scenario: { ...sc, data: settingsOf(sc.data) }, rows: rowsOf(sc.data, peakVus(sc), share, shares) };
}

/** Sum of a field of every endpoint over every snapshot. */
export function total(outcome: RunOutcome, field: 'requests' | 'ok' | 'failed' | 'bytes'): number {
  let sum = 0;
  for (const list of outcome.snapshots) for (const s of list) for (const ep of Object.values(s.endpoints)) sum += ep[field];
  return sum;
}

/** Error kinds summed over the run. */
export function errors(outcome: RunOutcome): Record<string, number> {
  const out: Record<string, number> = {};
  for (const list of outcome.snapshots) for (const s of list) for (const ep of Object.values(s.endpoints)) for (const [k, n] of Object.entries(ep.errors)) out[k] = (out[k] ?? 0) + n;
  return out;
}

/** One histogram of every share and second (the exact merge the controller does). */
export function merged(outcome: RunOutcome, which: 'latency' | 'serviceTime' | 'ttfb'): Histogram {
  const h = createHistogram();
  for (const list of outcome.snapshots) for (const s of list) for (const ep of Object.values(s.endpoints)) addEncoded(h, ep[which]);
  return h;
}
