/**
 * Every statistic a report reads from one histogram in a single pass over
 * its counts: the percentiles, the mean and the standard deviation, with
 * exactly hdr-histogram-js's arithmetic (its rank rounding, equivalent-value
 * choices and summation order). The library walks the counts once per
 * percentile and three times more for mean and deviation, through an
 * iterator that allocates per step: ten walks of ~23,000 entries per
 * histogram, nine histograms per request name. A live view assembles a
 * report every second, so that cost is paid on the merging thread.
 */
import type * as hdr from 'hdr-histogram-js';
import ulpModule from 'hdr-histogram-js/dist/ulp.js';

const ulp = (ulpModule as unknown as { default?: (x: number) => number }).default ?? (ulpModule as unknown as (x: number) => number);

/** The parts of hdr-histogram-js's JsHistogram this pass reads (public in its JavaScript, not in its types). */
interface HdrInternals {
  totalCount: number;
  countsArrayLength: number;
  getCountAtIndex(index: number): number;
  valueFromIndex(index: number): number;
  lowestEquivalentValue(value: number): number;
  highestEquivalentValue(value: number): number;
  medianEquivalentValue(value: number): number;
}

/** Percentile values (in the histogram's unit, in the order asked), mean and standard deviation. */
export interface HistogramStats {
  values: number[];
  mean: number;
  stdev: number;
}

/** The count a percentile reaches, as getValueAtPercentile rounds it (up, guarding against 1-ulp errors, at least 1). */
function countAt(percentile: number, total: number): number {
  const fp = (Math.min(percentile, 100) / 100) * total;
  return Math.max(Math.ceil(fp - ulp(fp)), 1);
}

/**
 * `percentiles` (0–100, any order) in one pass; equal to
 * `h.getValueAtPercentile(p)`, `h.mean` and `h.stdDeviation` for a
 * non-empty histogram. An empty one gives zeros.
 */
export function histogramStats(h: hdr.Histogram, percentiles: readonly number[]): HistogramStats {
  const x = h as unknown as HdrInternals;
  const total = x.totalCount;
  const values = percentiles.map(() => 0);
  if (total === 0) return { values, mean: 0, stdev: 0 };
  const order = percentiles.map((p, i) => ({ p, i, count: countAt(p, total) })).sort((a, b) => a.count - b.count);
  let next = 0;
  let cumulative = 0;
  let sum = 0;
  // Nonzero indices in order (what the library's recorded-values iterator visits), with each one's
  // median equivalent value: the same for every value of its range, so for the one the iterator names.
  const medians: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < x.countsArrayLength && cumulative < total; i++) {
    const count = x.getCountAtIndex(i);
    if (count === 0) continue;
    cumulative += count;
    const value = x.valueFromIndex(i);
    const median = x.medianEquivalentValue(value);
    medians.push(median);
    counts.push(count);
    sum += median * count;
    while (next < order.length && cumulative >= order[next]!.count) {
      const o = order[next++]!;
      values[o.i] = o.p === 0 ? x.lowestEquivalentValue(value) : x.highestEquivalentValue(value);
    }
  }
  const mean = sum / total;
  let deviations = 0;
  for (let k = 0; k < medians.length; k++) {
    const d = medians[k]! - mean;
    deviations += d * d * counts[k]!;
  }
  return { values, mean, stdev: Math.sqrt(deviations / total) };
}
