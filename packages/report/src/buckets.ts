/**
 * A snapshot histogram decoded as its non-empty buckets, not as a
 * histogram. A histogram of novaload's range is a counts array of tens of
 * thousands of entries: decoding each snapshot histogram into one, and
 * adding it with `Histogram.add()` (which walks the whole array), cost the
 * controller an allocation and a full scan per histogram, nine per request
 * name per share per second; one share's second fills tens of buckets.
 * Adding a bucket list does what `add()` does between histograms of one
 * configuration (counts by index, total, max and min), touching only those
 * buckets, so the merged histogram is the same.
 */
import type { Histogram } from './histogram.js';

/** The JsHistogram internals that `add()` uses on its target (hdr-histogram-js 3). */
interface AddTarget {
  countsArrayLength: number;
  maxValue: number;
  minNonZeroValue: number;
  totalCount: number;
  /**
   * The counts array (a Uint32Array in the Int32Histogram). `add()` adds
   * into it through addToCountAtIndex, whose only check (past 2^53) cannot
   * fail for 32-bit counts; adding into it directly is the same, without a
   * call per bucket.
   */
  _counts: Uint32Array;
  getCountAtIndex(index: number): number;
  setTotalCount(value: number): void;
  updatedMaxValue(value: number): void;
  updateMinNonZeroValue(value: number): void;
}

/** Non-empty buckets of one decoded histogram in novaload's configuration, with the extremes its histogram would have. */
export class BucketList {
  readonly indexes: number[] = [];
  readonly counts: number[] = [];
  /** Values of 0 added by addZeros, on top of any count the list has at index 0. */
  zeros = 0;
  totalCount = 0;

  /** `maxValue` and `minNonZeroValue` as the decoded histogram holds them (its tracking values). */
  constructor(
    public maxValue = 0,
    public minNonZeroValue = Number.MAX_VALUE,
  ) {}

  /** The buckets of `h` (novaload's configuration): for decodes that went through a histogram. */
  static of(h: Histogram): BucketList {
    const src = h as unknown as AddTarget;
    const list = new BucketList(src.maxValue, src.minNonZeroValue);
    for (let i = 0; i < src.countsArrayLength; i++) {
      const c = src.getCountAtIndex(i);
      if (c > 0) list.push(i, c);
    }
    return list;
  }

  push(index: number, count: number): void {
    this.indexes.push(index);
    this.counts.push(count);
    this.totalCount += count;
  }

  /**
   * `n` more values of 0 (index 0), as `recordValueWithCount(0, n)` would
   * add: the extremes do not move. Kept apart from the list (added to
   * bucket 0 by addTo), so the implied zeros of reused connections cost no
   * shift of the list.
   */
  addZeros(n: number): void {
    this.zeros += n;
    this.totalCount += n;
  }

  /** Add these buckets into `into` (novaload's configuration), as `into.add(histogram)` would. */
  addTo(into: Histogram): void {
    const t = into as unknown as AddTarget;
    const counts = t._counts;
    const { indexes, counts: add } = this;
    for (let i = 0; i < indexes.length; i++) counts[indexes[i]!] += add[i]!;
    counts[0] += this.zeros;
    t.setTotalCount(t.totalCount + this.totalCount);
    t.updatedMaxValue(Math.max(t.maxValue, this.maxValue));
    t.updateMinNonZeroValue(Math.min(t.minNonZeroValue, this.minNonZeroValue));
  }
}

/** What a merge adds: a histogram (another tally's) or a decoded snapshot's buckets. */
export type Mergeable = Histogram | BucketList;

/** Add `from` into `into`, exactly. */
export function mergeInto(into: Histogram, from: Mergeable): void {
  if (from instanceof BucketList) from.addTo(into);
  else into.add(from);
}
