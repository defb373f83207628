/**
 * Report sections that judge a run against something besides its own
 * thresholds: an earlier run (--baseline), the history of earlier runs
 * (--history) and the abort threshold that stopped it. Optional fields of
 * report v1, so a report without them reads as before.
 */
import type { ThresholdLevel } from './types.js';

/** How one figure changed from the baseline run to this one. */
export interface BaselineDelta {
  /** Threshold key of the figure: `latency.p50`, `latency.p95`, `latency.p99`, `errorRate`, `rps`. */
  metric: string;
  /** The baseline's value and this run's, in the metric's unit (ms, %, req/s). */
  baseline: number;
  current: number;
  /** current − baseline. */
  change: number;
  /** The change in percent of the baseline; null when the baseline is 0. */
  changePercent: number | null;
}

/** The earlier run given with --baseline, and the main figures compared with it. */
export interface BaselineComparison {
  /** The baseline report's file, as it was opened. */
  file: string;
  scenario: string;
  startedAt: string;
  metrics: BaselineDelta[];
}

/**
 * One metric's levels from earlier runs, as the runbook's ThresholdManager
 * computes them: baseline = mean, σ = sample standard deviation, warning =
 * baseline ± 2σ·sensitivity, critical = baseline ± 3σ·sensitivity (− for a
 * metric where lower is worse, such as rps).
 */
export interface HistoryLevel {
  metric: string;
  baseline: number;
  stdev: number;
  warning: number;
  critical: number;
  /** True for rps: the levels lie below the baseline and a run fails under them. */
  lowerIsWorse: boolean;
}

/** The --history section: how many earlier runs, the sensitivity, and the levels (their verdicts are in `thresholds`). */
export interface HistoryLevels {
  /** Earlier reports of this scenario the levels were computed from. */
  reports: number;
  sensitivity: number;
  levels: HistoryLevel[];
}

/** The abortOnFail threshold that stopped the run. */
export interface AbortInfo {
  /** Threshold key, e.g. `latency.p99`. */
  metric: string;
  level: ThresholdLevel;
  /** The condition with its window, e.g. `<1s for 30s`. */
  expression: string;
  /** Second of the run (0-based) at the end of the first window violated throughout. */
  second: number;
}
