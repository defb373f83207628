/**
 * HDR histograms with novaload's one configuration (µs, 1 µs … 1 h, 3 digits),
 * their compressed base64 form for crossing threads and the network, and the
 * statistics a report shows. Merging is `add()`: exact, as if one histogram
 * had recorded every value.
 */
import * as hdr from 'hdr-histogram-js';
import { HISTOGRAM, type LatencyStats } from './types.js';

export type Histogram = hdr.Histogram;

/** A fresh, empty histogram in novaload's configuration. */
export function createHistogram(): Histogram {
  return hdr.build({ ...HISTOGRAM, bitBucketSize: 32, autoResize: false, useWebAssembly: false });
}

/** Record one value in µs, clamped into the trackable range so recording never throws. */
export function recordMicros(h: Histogram, micros: number): void {
  const v = micros < HISTOGRAM.lowestDiscernibleValue ? HISTOGRAM.lowestDiscernibleValue : micros > HISTOGRAM.highestTrackableValue ? HISTOGRAM.highestTrackableValue : Math.round(micros);
  h.recordValue(v);
}

/** Compressed base64 encoding; the empty string for an empty histogram. */
export function encodeHistogram(h: Histogram): string {
  return h.totalCount === 0 ? '' : hdr.encodeIntoCompressedBase64(h);
}

/** Decode a snapshot histogram; the empty string gives an empty histogram. */
export function decodeHistogram(encoded: string): Histogram {
  if (encoded === '') return createHistogram();
  const decoded = hdr.decodeFromCompressedBase64(encoded, 32, false);
  // Re-home into our configuration so every merge target has the same range.
  const h = createHistogram();
  h.add(decoded);
  return h;
}

/** Add an encoded histogram into `into` (exact merge). */
export function addEncoded(into: Histogram, encoded: string): void {
  if (encoded === '') return;
  into.add(hdr.decodeFromCompressedBase64(encoded, 32, false));
}

const ms = (micros: number): number => Math.round(micros) / 1000;

/**
 * Report statistics in ms (µs precision); all zero for an empty histogram.
 * min and max are read from the buckets (lowest value of the first, highest
 * of the last, as Java's HdrHistogram reports them): a recorder keeps the
 * exact extremes but a decoded snapshot only knows its buckets, and a merged
 * histogram must give the same figures as one that recorded every value.
 */
export function latencyStats(h: Histogram): LatencyStats {
  if (h.totalCount === 0) return { min: 0, mean: 0, stdev: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };
  return {
    min: ms(h.getValueAtPercentile(0)),
    mean: ms(h.mean),
    stdev: ms(h.stdDeviation),
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p95: ms(h.getValueAtPercentile(95)),
    p99: ms(h.getValueAtPercentile(99)),
    p999: ms(h.getValueAtPercentile(99.9)),
    max: ms(h.getValueAtPercentile(100)),
  };
}

/** The value at a percentile in ms (µs precision). */
export function percentileMs(h: Histogram, percentile: number): number {
  return h.totalCount === 0 ? 0 : ms(h.getValueAtPercentile(percentile));
}
