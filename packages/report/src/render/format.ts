/**
 * Number formatting shared by the human-readable renderers (and the live
 * progress line), so a latency reads the same everywhere.
 */
import { parseThresholdKey, THRESHOLD_METRICS } from '../threshold-parse.js';

/** A duration in ms, readable at any scale: `0.042 ms`, `12.345 ms`, `1.204 s`, `2 min 3.500 s`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms.toFixed(3)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(3)} s`;
  return `${Math.floor(ms / 60_000)} min ${((ms % 60_000) / 1000).toFixed(3)} s`;
}

/**
 * A percentage with two decimals, or more when two would round a rate that is
 * not exactly 0 or 100 onto 0.00 or 100.00 (99.9995% must not read 100.00%).
 */
export function formatPercent(p: number): string {
  let digits = 2;
  while (digits < 6 && p !== 0 && p !== 100 && (p.toFixed(digits) === (0).toFixed(digits) || p.toFixed(digits) === (100).toFixed(digits))) digits++;
  return `${p.toFixed(digits)}%`;
}

/** A threshold's observed value with its unit, for the metric key it was measured for. */
export function formatThresholdValue(metricKey: string, value: number | null): string {
  if (value === null) return 'no data';
  const key = parseThresholdKey(metricKey);
  const metric = key.ok ? key.value.metric : undefined;
  if (metric !== undefined && THRESHOLD_METRICS[metric] === 'duration') return formatMs(value);
  if (metric !== undefined && THRESHOLD_METRICS[metric] === 'percent') return formatPercent(value);
  if (metric === 'rps') return `${value.toFixed(2)} req/s`;
  return String(value);
}
