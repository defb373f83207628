/**
 * The numbers the HTML report's charts draw, computed here in Node so the page
 * needs no HDR decoder: the per-second timeline as columns, and the latency
 * percentile distribution read from the report's compressed histogram.
 */
import { decodeHistogram, percentileMs } from '../histogram.js';
import type { Report } from '../types.js';

/** Chart input embedded in the page as JSON; timeline arrays are aligned by index (one entry per second). */
export interface ChartData {
  t: number[];
  requests: number[];
  errors: number[];
  vus: number[];
  dropped: number[];
  p50: number[];
  p95: number[];
  p99: number[];
  /** [percentile 0..100, latency ms] pairs, evenly spaced on a 1/(1-p) log axis. */
  distribution: [number, number][];
}

/** Points per decade of the 1/(1-p) axis (HdrHistogram's plots use a similar density). */
const STEPS_PER_DECADE = 20;
/** The finest percentile plotted is 99.9999% (six nines), as HdrHistogram's plotter shows by default. */
const MAX_DECADES = 6;

/**
 * The latency at percentiles 0, …, 90, …, 99, …, 99.9, … up to the decade
 * where the tail is about one request (finer percentiles would all read the
 * max) or six nines. The grid always holds 90, 99, 99.9, … exactly, so those
 * points equal the report's own percentiles.
 */
export function latencyDistribution(encodedHistogram: string): [number, number][] {
  const h = decodeHistogram(encodedHistogram);
  if (h.totalCount === 0) return [];
  const decades = Math.min(MAX_DECADES, Math.max(1, Math.ceil(Math.log10(h.totalCount))));
  const points: [number, number][] = [];
  for (let k = 0; k <= decades * STEPS_PER_DECADE; k++) {
    const p = Math.round((100 - 100 * 10 ** (-k / STEPS_PER_DECADE)) * 1e6) / 1e6;
    points.push([p, percentileMs(h, p)]);
  }
  return points;
}

/** Everything the charts need, in compact column form (a 10-minute run is 600 entries per column). */
export function chartData(report: Report): ChartData {
  const tl = report.timeline;
  return {
    t: tl.map((p) => p.t),
    requests: tl.map((p) => p.requests),
    errors: tl.map((p) => p.errors),
    vus: tl.map((p) => p.vus),
    dropped: tl.map((p) => p.dropped),
    p50: tl.map((p) => p.latency.p50),
    p95: tl.map((p) => p.latency.p95),
    p99: tl.map((p) => p.latency.p99),
    distribution: latencyDistribution(report.histogram),
  };
}
