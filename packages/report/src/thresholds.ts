/**
 * Threshold evaluation: the figures a threshold key names, computed from the
 * merged histograms and counters (so `latency.p97` is as exact as `p99`),
 * compared with each level's condition, and the run's verdict. The report's
 * own rps and rates come from the same function, so a threshold never sees a
 * different number from the one printed beside it.
 */
import { latencyStats, percentileMs, type Histogram } from './histogram.js';
import { judgeRelative } from './baseline.js';
import { isPhase, type PhaseHistograms } from './timing.js';
import { holds, parseCondition, parseThresholdKey, specLevels, type ThresholdKey } from './threshold-parse.js';
import type { GeneratorReport, Report, ThresholdResult, ThresholdSpec, Verdict } from './types.js';

/** Merged counters and histograms of one set of requests: one request name, or all of them. */
export interface MetricData {
  requests: number;
  ok: number;
  failed: number;
  latency: Histogram;
  serviceTime: Histogram;
  ttfb: Histogram;
  /** Request phases, each counting every timed response; absent where none was recorded. */
  phases?: PhaseHistograms;
  /** Response checks passed and failed, summed over the checks. */
  checkPasses?: number;
  checkFails?: number;
}

/** Everything a threshold can name: overall and per-request data, the run's length and drops. */
export interface MetricSource {
  overall: MetricData;
  byRequest: ReadonlyMap<string, MetricData>;
  durationMs: number;
  dropped: number;
  /** The generator's own health; absent where it was not measured. */
  generator?: GeneratorReport;
}

/**
 * The value of a metric in its threshold unit: ms (µs precision) for
 * latency/serviceTime/ttfb and the phases (dns … receive), percent for errorRate/successRate, req/s for
 * rps, a count for dropped, percent passed for checks. Null when the requests it covers are none (an
 * unknown request name included); `dropped` always has a value, since every
 * iteration may have been dropped without a request completing.
 */
export function metricValue(key: ThresholdKey, source: MetricSource): number | null {
  if (key.metric === 'dropped') return source.dropped;
  if (key.metric === 'generatorUtilization') return source.generator ? source.generator.utilizationMax * 100 : null;
  if (key.metric === 'generatorLag') return source.generator?.lagMaxMs ?? null;
  const data = key.request === undefined ? source.overall : source.byRequest.get(key.request);
  if (!data || data.requests === 0) return null;
  switch (key.metric) {
    case 'errorRate':
      return (data.failed / data.requests) * 100;
    case 'successRate':
      return (data.ok / data.requests) * 100;
    case 'rps':
      return source.durationMs > 0 ? data.requests / (source.durationMs / 1000) : null;
    case 'checks': {
      const passes = data.checkPasses ?? 0;
      const runs = passes + (data.checkFails ?? 0);
      return runs > 0 ? (passes / runs) * 100 : null;
    }
    default: {
      const h = isPhase(key.metric) ? data.phases?.[key.metric] : data[key.metric];
      if (h === undefined || h.totalCount === 0) return null;
      if (key.percentile !== undefined) return percentileMs(h, key.percentile);
      return latencyStats(h)[key.stat as 'min' | 'mean' | 'stdev' | 'max'];
    }
  }
}

/**
 * Evaluate every threshold of a scenario: one result per level, warning
 * before critical; a bare string is a critical level. Windowed thresholds
 * (`for`) are left out: they are judged on the timeline (windows.ts).
 * Relative levels (`<+5%`) are judged against `baseline`. Keys and
 * conditions were validated before the run, so one that does not parse here,
 * or a relative level without a baseline, is a bug and throws an Error naming it.
 */
export function evaluateThresholds(specs: Readonly<Record<string, ThresholdSpec>>, source: MetricSource, baseline?: Report): ThresholdResult[] {
  const results: ThresholdResult[] = [];
  for (const [metric, spec] of Object.entries(specs)) {
    if (typeof spec !== 'string' && spec.for !== undefined) continue;
    const key = parseThresholdKey(metric);
    if (!key.ok) throw new Error(`threshold "${metric}": ${key.problem.message}`);
    const value = metricValue(key.value, source);
    for (const [level, expression] of specLevels(spec)) {
      const cond = parseCondition(expression, key.value);
      if (!cond.ok) throw new Error(`threshold "${metric}" (${level}): ${cond.problem.message}`);
      if (cond.value.relative) {
        if (!baseline) throw new Error(`threshold "${metric}" (${level}) is relative and there is no baseline`);
        results.push(judgeRelative(metric, level, expression, cond.value, key.value, value, baseline));
      } else results.push({ metric, level, expression, value, ok: value !== null && holds(cond.value, value) });
    }
  }
  return results;
}

/** The run's verdict: 'fail' if a critical level failed, 'warn' if only warnings did, else 'pass'. */
export function verdictOf(results: readonly ThresholdResult[]): Verdict {
  if (results.some((r) => !r.ok && r.level === 'critical')) return 'fail';
  return results.some((r) => !r.ok) ? 'warn' : 'pass';
}
