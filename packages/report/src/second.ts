/**
 * One second of the run while its snapshots arrive from the shares. Once
 * every share has reported it, it is boiled down to a timeline point and its
 * histogram is dropped, so memory follows the number of seconds in flight,
 * not the length of the run.
 */
import { mergeInto, type Mergeable } from './buckets.js';
import { createHistogram, percentileMs, type Histogram } from './histogram.js';
import type { IntervalSnapshot, TimelinePoint } from './types.js';

/** Counts and merged latency of one second, from the shares that have reported it so far. */
export class SecondBucket {
  readonly #vusByShare = new Map<number, number>();
  #requests = 0;
  #errors = 0;
  #dropped = 0;
  readonly #latency = createHistogram();

  constructor(readonly t: number) {}

  /** Whether `share` has reported this second. */
  has(share: number): boolean {
    return this.#vusByShare.has(share);
  }

  /** Merge one share's snapshot of this second; `latency` holds its decoded latency histograms. */
  add(snapshot: IntervalSnapshot, latency: readonly Mergeable[]): void {
    this.#vusByShare.set(snapshot.share, snapshot.vus);
    this.#dropped += snapshot.dropped;
    for (const ep of Object.values(snapshot.endpoints)) {
      this.#requests += ep.requests;
      this.#errors += ep.failed;
    }
    for (const h of latency) mergeInto(this.#latency, h);
  }

  /** This second's latency merged over the shares so far (µs), for listeners to read before it is dropped. */
  get latency(): Histogram {
    return this.#latency;
  }

  /** The timeline point: counts and VUs summed over shares, percentiles over all of them. */
  point(): TimelinePoint {
    let vus = 0;
    for (const v of this.#vusByShare.values()) vus += v;
    return {
      t: this.t,
      requests: this.#requests,
      errors: this.#errors,
      vus,
      dropped: this.#dropped,
      latency: { p50: percentileMs(this.#latency, 50), p95: percentileMs(this.#latency, 95), p99: percentileMs(this.#latency, 99) },
    };
  }
}
