/**
 * The baseline section of a report: how this run's main figures changed from
 * the earlier run named with --baseline, so a regression reads at a glance.
 */
import { baselineValue, keyOf, relativeChange } from './baseline.js';
import { metricValue, type MetricSource } from './thresholds.js';
import type { Report } from './types.js';
import type { BaselineComparison } from './types-judgement.js';

/** The figures compared: the runbook's p50/p95/p99, error rate and throughput. */
export const COMPARED_METRICS = ['latency.p50', 'latency.p95', 'latency.p99', 'errorRate', 'rps'] as const;

/** This run's figures beside the baseline's (a figure either side lacks is left out). */
export function compareWithBaseline(source: MetricSource, baseline: { file: string; report: Report }): BaselineComparison {
  const metrics = COMPARED_METRICS.flatMap((metric) => {
    const key = keyOf(metric);
    const current = metricValue(key, source);
    const base = baselineValue(key, baseline.report);
    if (current === null || base === null) return [];
    return [{ metric, baseline: base, current, change: current - base, changePercent: base === 0 ? null : relativeChange(current, base) }];
  });
  return { file: baseline.file, scenario: baseline.report.scenario, startedAt: baseline.report.startedAt, metrics };
}
