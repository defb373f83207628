/**
 * Figures of earlier runs, read back from their saved reports: the value a
 * baseline run (--baseline) or a history run (--history) had for a metric,
 * and relative thresholds (`<+5%`) judged on the change from it.
 */
import { decodeHistogram, percentileMs } from './histogram.js';
import { isPhase } from './timing.js';
import { holds, parseThresholdKey, type ThresholdCondition, type ThresholdKey } from './threshold-parse.js';
import type { LatencyStats, Report, ThresholdLevel, ThresholdResult } from './types.js';

/** The parsed key of a known-good metric name (the constants above and the history's). */
export function keyOf(metric: string): ThresholdKey {
  const key = parseThresholdKey(metric);
  if (!key.ok) throw new Error(`"${metric}": ${key.problem.message}`);
  return key.value;
}

const STAT_AT: Record<number, keyof LatencyStats> = { 50: 'p50', 90: 'p90', 95: 'p95', 99: 'p99', 99.9: 'p999', 100: 'max' };

/**
 * A metric's value as a saved report records it, in the threshold unit; null
 * when the report cannot tell (no requests, or a statistic it does not keep:
 * any overall latency percentile comes from its histogram, other percentiles
 * only as the fixed p50/p90/p95/p99/p999).
 */
export function baselineValue(key: ThresholdKey, report: Report): number | null {
  if (key.metric === 'dropped') return report.totals.dropped;
  if (key.metric === 'generatorUtilization') return report.generator.utilizationMax * 100;
  if (key.metric === 'generatorLag') return report.generator.lagMaxMs;
  const ep = key.request === undefined ? undefined : report.endpoints.find((e) => e.name === key.request);
  const part = key.request === undefined ? { totals: report.totals, rps: report.rps, latency: report.latency, serviceTime: report.serviceTime, ttfb: report.ttfb, phases: report.phases } : ep;
  if (!part || part.totals.requests === 0) return null;
  switch (key.metric) {
    case 'errorRate':
      return (part.totals.failed / part.totals.requests) * 100;
    case 'successRate':
      return (part.totals.ok / part.totals.requests) * 100;
    case 'rps':
      return part.rps;
    case 'checks':
      return checkRate(key.request, report);
    default: {
      const stats = isPhase(key.metric) ? part.phases?.[key.metric] : part[key.metric];
      if (stats === undefined) return null;
      if (key.percentile === undefined) return stats[key.stat as 'min' | 'mean' | 'stdev' | 'max'];
      const stat = STAT_AT[key.percentile];
      if (stat) return stats[stat];
      const exact = key.metric === 'latency' && key.request === undefined && report.histogram !== '';
      return exact ? percentileMs(decodeHistogram(report.histogram), key.percentile) : null;
    }
  }
}

/** A saved report's check pass rate, overall or of one request, in percent; null without checks. */
function checkRate(request: string | undefined, report: Report): number | null {
  const rows = (report.checks ?? []).filter((c) => request === undefined || c.request === request);
  const passes = rows.reduce((sum, c) => sum + c.passes, 0);
  const runs = rows.reduce((sum, c) => sum + c.passes + c.fails, 0);
  return runs > 0 ? (passes / runs) * 100 : null;
}

/** The change from `base` to `current` in percent of `base`; from 0 it is 0 when still 0, else +∞. */
export function relativeChange(current: number, base: number): number {
  if (base === 0) return current === 0 ? 0 : Infinity;
  return ((current - base) / base) * 100;
}

/**
 * Judge a relative level: the change from the baseline's value must satisfy
 * the condition (`<+5%`: grew by less than 5 %). `limit` is the value the
 * change condition amounts to. No data on either side fails, as it does for
 * absolute levels.
 */
export function judgeRelative(metric: string, level: ThresholdLevel, expression: string, cond: ThresholdCondition, key: ThresholdKey, value: number | null, baseline: Report): ThresholdResult {
  const base = baselineValue(key, baseline);
  if (base === null) return { metric, level, expression, value, ok: false };
  const limit = base * (1 + cond.value / 100);
  return { metric, level, expression, value, ok: value !== null && holds(cond, relativeChange(value, base)), baseline: base, limit };
}
