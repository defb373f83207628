/**
 * Dynamic thresholds from earlier runs (--history), as the runbook's
 * ThresholdManager computes them: per metric, baseline = mean of the earlier
 * values, σ = their standard deviation, warning at 2σ and critical at 3σ
 * from the baseline, scaled by a sensitivity. Lets a team gate on "no worse
 * than usual" before it knows what absolute numbers to write. The runbook's
 * time-of-day adjustments are left out: a load test's target is not live traffic.
 */
import { baselineValue, keyOf } from './baseline.js';
import { metricValue, type MetricSource } from './thresholds.js';
import { THRESHOLD_METRICS } from './threshold-parse.js';
import type { Report, ThresholdLevel, ThresholdResult } from './types.js';
import type { HistoryLevel, HistoryLevels } from './types-judgement.js';

/** The metrics given levels, and whether lower is worse (throughput) rather than higher (latency, errors). */
export const HISTORY_METRICS: readonly { metric: string; lowerIsWorse: boolean }[] = [
  { metric: 'latency.p50', lowerIsWorse: false },
  { metric: 'latency.p95', lowerIsWorse: false },
  { metric: 'latency.p99', lowerIsWorse: false },
  { metric: 'errorRate', lowerIsWorse: false },
  { metric: 'rps', lowerIsWorse: true },
];

/** Mean and sample standard deviation (n − 1: a handful of runs should widen the levels, not narrow them). */
function meanAndStdev(values: readonly number[]): { mean: number; stdev: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean, stdev: Math.sqrt(variance) };
}

/**
 * Levels from at least two earlier reports of the scenario; a metric only
 * some reports can tell (one ran no request) uses those that can, and is
 * left out below two values.
 */
export function historyLevels(reports: readonly Report[], sensitivity: number): HistoryLevels {
  if (reports.length < 2) throw new RangeError(`history levels need at least 2 earlier reports, got ${reports.length}`);
  const levels: HistoryLevel[] = [];
  for (const { metric, lowerIsWorse } of HISTORY_METRICS) {
    const key = keyOf(metric);
    const values = reports.map((r) => baselineValue(key, r)).filter((v): v is number => v !== null);
    if (values.length < 2) continue;
    const { mean, stdev } = meanAndStdev(values);
    const sign = lowerIsWorse ? -1 : 1;
    levels.push({ metric, baseline: mean, stdev, warning: mean + sign * 2 * stdev * sensitivity, critical: mean + sign * 3 * stdev * sensitivity, lowerIsWorse });
  }
  return { reports: reports.length, sensitivity, levels };
}

/** A level as a condition users could have written: `<=12.345ms`, `<=0.5%`, `>=950.25`. */
function expressionOf(metric: string, level: HistoryLevel, bound: number): string {
  const op = level.lowerIsWorse ? '>=' : '<=';
  const unit = THRESHOLD_METRICS[keyOf(metric).metric];
  return `${op}${Number(bound.toFixed(3))}${unit === 'duration' ? 'ms' : unit === 'percent' ? '%' : ''}`;
}

/** Judge this run by the history's levels: warning and critical per metric, marked `source: 'history'`. */
export function evaluateHistory(history: HistoryLevels, source: MetricSource): ThresholdResult[] {
  return history.levels.flatMap((level) => {
    const value = metricValue(keyOf(level.metric), source);
    return (['warning', 'critical'] as ThresholdLevel[]).map((name): ThresholdResult => {
      const limit = level[name];
      const ok = value !== null && (level.lowerIsWorse ? value >= limit : value <= limit);
      return { metric: level.metric, level: name, expression: expressionOf(level.metric, level, limit), value, ok, baseline: level.baseline, limit, source: 'history' };
    });
  });
}
