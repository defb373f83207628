/**
 * The few statistics the bench reports: medians over rounds, how far the
 * rounds spread around them (the noise), and the coordinated-omission truth
 * of a stall computed from the schedule alone.
 */

/** Median of the finite values, NaN when there are none. */
export function median(values: number[]): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** Half the range of the finite values relative to their median (0.08 = ±8%); NaN with fewer than two. */
export function spread(values: number[]): number {
  const v = values.filter(Number.isFinite);
  if (v.length < 2) return NaN;
  const m = median(v);
  return m === 0 ? NaN : (Math.max(...v) - Math.min(...v)) / 2 / Math.abs(m);
}

/**
 * What a generator that never omits should report for a stall: `rate`/s
 * for `durationS`, and the server holds everything for `stallMs` once. An
 * arrival scheduled `x` ms into the stall waits `stallMs − x`; every other
 * one only the base service time. Arrivals are assumed mid-way between the
 * schedule's ticks (the phase is unknown; it moves values by < 1/rate).
 * Percentiles as HdrHistogram reads them: the value at rank ⌈p·N⌉.
 */
export function stallTruth(rate: number, durationS: number, stallMs: number, baseMs: number, percentiles: number[]): number[] {
  const n = Math.round(rate * durationS);
  const stalled = Math.min(n, Math.round((rate * stallMs) / 1000));
  const values: number[] = [];
  for (let j = 0; j < stalled; j++) values.push(stallMs - ((j + 0.5) * 1000) / rate + baseMs);
  for (let j = stalled; j < n; j++) values.push(baseMs);
  values.sort((a, b) => a - b);
  return percentiles.map((p) => values[Math.max(0, Math.ceil((p / 100) * n) - 1)]);
}
