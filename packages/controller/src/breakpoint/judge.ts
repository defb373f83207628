/**
 * Reading a breakpoint search: from the steps measured, the sustainable rate,
 * the first failure and the knee of the latency curve. Pure, so the rules
 * are tested on figures without running load.
 */
import type { Report, ThresholdResult } from '@novaload/report';
import type { HistoryPoint } from './history.js';

/** One step as the breakpoint result shows it: what was asked, what happened. */
export interface StepResult {
  /** Offered arrival rate, per second. */
  rate: number;
  /** Completed requests per second over the step. */
  achievedRate: number;
  requests: number;
  /** Arrivals the open model could not start (every VU busy). */
  dropped: number;
  latency: { p50: number; p95: number; p99: number };
  /** Percent of completed requests that failed. */
  errorRate: number;
  /** The generator itself was saturated (report.generator.saturated): the step says nothing about the target. */
  generatorSaturated: boolean;
  /** Peak event-loop utilisation of any generator thread, 0..1. */
  utilizationMax: number;
  /** The step was cut short by a signal: shown, not judged (a step an abortOnFail threshold ended is judged: it failed). */
  interrupted: boolean;
  /** Critical levels that failed. */
  failed: ThresholdResult[];
  /** Set when the step was run twice (search.ts): its first run's requests and the critical levels that run failed; the figures above are the second run's. */
  firstRun?: { requests: number; errorRate: number; failed: ThresholdResult[] };
}

/**
 * The share of the offered rate a step must complete to hold: a target that
 * answers fewer is not keeping up, its queue grows for as long as the step
 * lasts, whatever its latency in a short hold (a hold of D cannot measure a
 * latency much above D, so a p99 level alone would pass a step whose queue
 * has no end). The runbook's KPIs name the throughput target beside p99
 * and the error rate.
 */
export const ACHIEVED_SHARE = 0.95;

/** The level a step fails when it completes less than ACHIEVED_SHARE of its offered rate. */
function achievedLevel(rate: number, achieved: number): ThresholdResult {
  return { metric: 'achievedRate', level: 'critical', expression: `>=${ACHIEVED_SHARE * 100}% of ${rate}/s offered`, value: achieved, ok: false };
}

/** A step's figures from its report; a target that completed less than ACHIEVED_SHARE of the offered rate fails it (unless the generator was the one saturated). */
export function stepOf(rate: number, report: Report): StepResult {
  const failed = report.thresholds.filter((t) => t.level === 'critical' && !t.ok);
  const achieved = round(report.rps);
  if (!report.generator.saturated && !report.interrupted && achieved < ACHIEVED_SHARE * rate) failed.push(achievedLevel(rate, achieved));
  return {
    rate,
    achievedRate: achieved,
    requests: report.totals.requests,
    dropped: report.totals.dropped,
    latency: { p50: report.latency.p50, p95: report.latency.p95, p99: report.latency.p99 },
    errorRate: report.errorRate,
    generatorSaturated: report.generator.saturated,
    utilizationMax: report.generator.utilizationMax,
    interrupted: report.interrupted && report.aborted === undefined,
    failed,
  };
}

/** Why the search stopped. */
export type StopReason = 'threshold' | 'max' | 'generator' | 'interrupted';

/**
 * The knee: the first step after which p99 rises faster than linearly, and
 * stays so. From the second step on, the line through steps i-1 and i
 * (never falling: a dip is noise) is extended to every later step; when each
 * later step's p99 lies above that line by more than half of step i's p99
 * (and by at least 1 ms, above timer noise), the curve bends up at step i.
 * Linear growth, however steep, and a spike that comes back down are no
 * knee. Null when no step bends within the steps run.
 */
export function kneeOf(steps: readonly Pick<StepResult, 'rate' | 'latency'>[]): number | null {
  for (let i = 1; i + 1 < steps.length; i++) {
    const here = steps[i]!;
    const before = steps[i - 1]!;
    const slope = Math.max(0, (here.latency.p99 - before.latency.p99) / (here.rate - before.rate));
    const margin = Math.max(0.5 * here.latency.p99, KNEE_FLOOR_MS);
    const above = (s: Pick<StepResult, 'rate' | 'latency'>): boolean => s.latency.p99 - (here.latency.p99 + slope * (s.rate - here.rate)) > margin;
    if (steps.slice(i + 1).every(above)) return here.rate;
  }
  return null;
}

/** Rises smaller than this are timer and scheduling noise on any host, not a bend. */
export const KNEE_FLOOR_MS = 1;

/** What `breakpoint` reports under `breakpoint` in its JSON. */
export interface BreakpointResult {
  /** Highest offered rate whose whole step held every critical threshold; null when even the first failed or none was judged. */
  sustainableRate: number | null;
  /** The first step whose critical thresholds failed, with the first threshold that failed. */
  failedAt: { rate: number; threshold: ThresholdResult } | null;
  /** Rate where p99 starts growing faster than linearly (kneeOf), over the judged steps including the failed one. */
  knee: number | null;
  stoppedBy: StopReason;
  /** Set when the generator saturated first: at which rate, and the threads (over all agents) an estimate says would carry --max. */
  generatorSaturated: { rate: number; threads: number; threadsNeeded: number } | null;
  steps: StepResult[];
  /** With --history: the earlier runs of this scenario, oldest first (history.ts). */
  history?: HistoryPoint[];
}

/**
 * Fold the measured steps into the result. Steps run in rising order and the
 * search stops at the first that fails, saturates or is interrupted, so
 * only the last step can be any of these.
 */
export function judge(steps: readonly StepResult[], opts: { max: number; threads: number }): BreakpointResult {
  const last = steps.at(-1);
  const judged = steps.filter((s) => !s.interrupted && !s.generatorSaturated);
  const held = judged.filter((s) => s.failed.length === 0);
  const failing = judged.find((s) => s.failed.length > 0);
  const stoppedBy: StopReason = last?.interrupted ? 'interrupted' : last?.generatorSaturated ? 'generator' : failing ? 'threshold' : 'max';
  return {
    sustainableRate: held.at(-1)?.rate ?? null,
    failedAt: failing ? { rate: failing.rate, threshold: failing.failed[0]! } : null,
    knee: kneeOf(judged),
    stoppedBy,
    generatorSaturated: stoppedBy === 'generator' ? { rate: last!.rate, threads: opts.threads, threadsNeeded: threadsFor(opts.max, held.at(-1)?.rate ?? last!.achievedRate, opts.threads) } : null,
    steps: [...steps],
  };
}

/** Threads that would carry `max` if each carries what these did at `carried` (at least one more than now). */
function threadsFor(max: number, carried: number, threads: number): number {
  if (!(carried > 0)) return threads + 1;
  return Math.max(threads + 1, Math.ceil((threads * max) / carried));
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
