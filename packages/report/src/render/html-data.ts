/**
 * The numbers the HTML report's charts draw, computed here in Node so the page
 * needs no HDR decoder: the per-second timeline as columns, and the latency
 * percentile distribution read from the report's compressed histogram.
 */
import { decodeHistogram, percentileMs } from '../histogram.js';
import type { Report, TimelinePoint } from '../types.js';

/**
 * Chart input embedded in the page as JSON; timeline arrays are aligned by
 * index (one entry per charted second). `requests`, `errors` and `dropped`
 * are per-second rates: a partial last second's counts are scaled to its
 * length. Percentiles are null for a second in which nothing completed.
 */
export interface ChartData {
  t: number[];
  requests: number[];
  errors: number[];
  vus: number[];
  dropped: number[];
  p50: (number | null)[];
  p95: (number | null)[];
  p99: (number | null)[];
  /** [percentile 0..100, latency ms] pairs, evenly spaced on a 1/(1-p) log axis. */
  distribution: [number, number][];
  /** The run's last second when the run ended inside it. */
  partial?: PartialSecond;
}

/** The last second of a run that ended inside it: how long it lasted, what completed in it, and whether the charts draw it. */
export interface PartialSecond {
  t: number;
  /** Its length in seconds (ms precision), 0 ≤ seconds < 1. */
  seconds: number;
  requests: number;
  /** False for a sliver shorter than MIN_CHARTED_SECONDS, left out of the over-time charts. */
  charted: boolean;
}

/**
 * A last second shorter than this is left out of the over-time charts: scaled
 * to per second, its few completions would draw a spike or a cliff that says
 * nothing about the run (generatorUtilization skips the same slivers).
 */
export const MIN_CHARTED_SECONDS = 0.25;

/** The last timeline second, when the run (durationMs) ended before that second did; undefined for a whole second. */
export function partialLastSecond(report: Pick<Report, 'durationMs' | 'timeline'>): PartialSecond | undefined {
  const last = report.timeline[report.timeline.length - 1];
  if (!last) return undefined;
  const seconds = Math.max(0, Math.round(report.durationMs - last.t * 1000) / 1000);
  if (seconds >= 1) return undefined;
  return { t: last.t, seconds, requests: last.requests, charted: seconds >= MIN_CHARTED_SECONDS };
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
  const partial = partialLastSecond(report);
  const tl = partial && !partial.charted ? report.timeline.slice(0, -1) : report.timeline;
  const perSecond = (p: TimelinePoint, n: number): number => (partial?.charted && p.t === partial.t ? Math.round((n / partial.seconds) * 1000) / 1000 : n);
  const percentile = (p: TimelinePoint, v: number): number | null => (p.requests === 0 ? null : v);
  return {
    t: tl.map((p) => p.t),
    requests: tl.map((p) => perSecond(p, p.requests)),
    errors: tl.map((p) => perSecond(p, p.errors)),
    vus: tl.map((p) => p.vus),
    dropped: tl.map((p) => perSecond(p, p.dropped)),
    p50: tl.map((p) => percentile(p, p.latency.p50)),
    p95: tl.map((p) => percentile(p, p.latency.p95)),
    p99: tl.map((p) => percentile(p, p.latency.p99)),
    distribution: latencyDistribution(report.histogram),
    ...(partial && { partial }),
  };
}
