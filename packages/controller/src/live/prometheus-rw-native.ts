/**
 * Latency as a Prometheus native histogram (`--prometheus-rw-native`), so
 * `histogram_quantile` works on it, also across runs and scenarios: each
 * second's merged HDR histogram (the aggregator's SecondListener) is added
 * into exponential buckets of schema 8 (each bucket 0.27 % wide, as close as
 * Prometheus goes to HDR's 3 digits), cumulative from second 0, in seconds.
 * Each HDR bucket lands whole in the exponential bucket of its highest value.
 */
import type { Histogram, SecondListener } from '@novaload/report';

/** Buckets of base 2^(2^-8): bucket i holds (base^(i-1), base^i]. */
export const SCHEMA = 8;

/** The fields of a remote-write Histogram that novaload sets (prometheus-rw-proto.ts). */
export interface NativeHistogram {
  countInt: number;
  sum: number;
  schema: number;
  zeroThreshold: number;
  zeroCountInt: number;
  positiveSpans: { offset: number; length: number }[];
  positiveDeltas: number[];
  timestamp: number;
}

/** What hdr-histogram-js histograms have beyond their typed interface: the bucket walk. */
interface Walkable {
  countsArrayLength: number;
  getCountAtIndex(index: number): number;
  valueFromIndex(index: number): number;
  highestEquivalentValue(value: number): number;
}

/** One scenario's overall latency, cumulative, as exponential buckets. */
export class NativeLatency implements SecondListener {
  readonly #buckets = new Map<number, number>();
  #zero = 0;
  #count = 0;
  #sum = 0;

  onSecond(_point: unknown, latency: Histogram): void {
    this.#add(latency);
  }

  onLate(_t: number, latency: Histogram): void {
    this.#add(latency);
  }

  /** The histogram so far, stamped `timestamp` (ms); null before any value. */
  sample(timestamp: number): NativeHistogram | null {
    if (this.#count === 0) return null;
    const indexes = [...this.#buckets.keys()].sort((a, b) => a - b);
    const spans: NativeHistogram['positiveSpans'] = [];
    const deltas: number[] = [];
    let previousIndex = 0;
    let previousCount = 0;
    for (const [k, index] of indexes.entries()) {
      const gap = k === 0 ? index : index - previousIndex - 1;
      if (k === 0 || gap > 0) spans.push({ offset: gap, length: 1 });
      else spans[spans.length - 1]!.length++;
      const count = this.#buckets.get(index)!;
      deltas.push(count - previousCount);
      previousIndex = index;
      previousCount = count;
    }
    return { countInt: this.#count, sum: this.#sum, schema: SCHEMA, zeroThreshold: 0, zeroCountInt: this.#zero, positiveSpans: spans, positiveDeltas: deltas, timestamp };
  }

  #add(latency: Histogram): void {
    const h = latency as unknown as Walkable;
    for (let i = 0; i < h.countsArrayLength; i++) {
      const n = h.getCountAtIndex(i);
      if (n === 0) continue;
      const seconds = h.highestEquivalentValue(h.valueFromIndex(i)) / 1e6;
      this.#count += n;
      this.#sum += n * seconds;
      if (seconds <= 0) {
        this.#zero += n;
        continue;
      }
      const index = Math.ceil(Math.log2(seconds) * 2 ** SCHEMA);
      this.#buckets.set(index, (this.#buckets.get(index) ?? 0) + n);
    }
  }
}
