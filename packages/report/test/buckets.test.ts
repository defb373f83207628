/**
 * The controller merges snapshot histograms as bucket lists (buckets.ts)
 * and reads agents' stored-block streams without zlib: the merged
 * histograms must be exactly those of decoding each into a histogram and
 * adding it, and every stream zlib would refuse must still be refused.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import Int32HistogramModule from 'hdr-histogram-js/dist/Int32Histogram.js';
import { createHistogram, decodeBuckets, decodeHistogram, encodeHistogram, HistogramError, latencyStats, mergeInto, recordMicros, type Histogram } from '../src/index.js';

/** Values spread like latencies: 0 (a reused connection's dns), a few µs, up to past an hour (clamped). */
const value = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2_000 }), fc.integer({ min: 1, max: 4_000_000_000 }), fc.double({ min: 1, max: 60_000_000, noNaN: true }));
const histogram = fc.array(fc.tuple(value, fc.integer({ min: 1, max: 50 })), { maxLength: 60 }).map((pairs) => {
  const h = createHistogram();
  for (const [v, n] of pairs) for (let i = 0; i < n; i++) v === 0 ? h.recordValueWithCount(0, 1) : recordMicros(h, v);
  return h;
});

/** Everything a report, a threshold or an HDR log reads from a histogram. */
function state(h: Histogram): unknown {
  const raw = h as unknown as { maxValue: number; minNonZeroValue: number };
  return { total: h.totalCount, max: raw.maxValue, min: raw.minNonZeroValue, stats: latencyStats(h), p0: h.getValueAtPercentile(0), encoded: encodeHistogram(h), stored: encodeHistogram(h, { deflate: false }) };
}

test('merging bucket lists gives the histogram that decoding and add() give, in both encodings and with implied zeros', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(histogram, fc.boolean(), fc.nat({ max: 30 })), { minLength: 1, maxLength: 8 }), (parts) => {
      const viaAdd = createHistogram();
      const viaBuckets = createHistogram();
      for (const [h, deflate, zeros] of parts) {
        const encoded = encodeHistogram(h, { deflate });
        const decoded = decodeHistogram(encoded);
        if (zeros > 0) decoded.recordValueWithCount(0, zeros);
        viaAdd.add(decoded);
        const buckets = decodeBuckets(encoded);
        if (zeros > 0) buckets.addZeros(zeros);
        assert.equal(buckets.totalCount, decoded.totalCount);
        mergeInto(viaBuckets, buckets);
      }
      assert.deepEqual(state(viaBuckets), state(viaAdd));
    }),
    { numRuns: 300 },
  );
});

test('a histogram of another configuration (2 digits, other range) merges as decodeHistogram re-homes it', () => {
  const Int32Histogram = Int32HistogramModule.default;
  const foreign = new Int32Histogram(1, 60_000_000, 2);
  for (const v of [3, 150, 151, 9_999, 2_500_000]) foreign.recordValueWithCount(v, 7);
  const encoded = encodeHistogram(foreign as unknown as Histogram);
  const viaAdd = createHistogram();
  viaAdd.add(decodeHistogram(encoded));
  const viaBuckets = createHistogram();
  mergeInto(viaBuckets, decodeBuckets(encoded));
  assert.deepEqual(state(viaBuckets), state(viaAdd));
  assert.equal(viaBuckets.totalCount, 35);
});

test('a stored-block stream read without zlib is refused as zlib refuses it when its checksum, lengths or size are wrong', () => {
  const h = createHistogram();
  for (let v = 1; v < 5000; v += 7) recordMicros(h, v);
  const good = Buffer.from(encodeHistogram(h, { deflate: false }), 'base64');
  assert.equal(decodeBuckets(good.toString('base64')).totalCount, h.totalCount);
  const broken = (at: number, xor: number): string => {
    const b = Buffer.from(good);
    b[at] = b[at]! ^ xor;
    return b.toString('base64');
  };
  const refused = (encoded: string, why: RegExp): void => {
    assert.throws(() => decodeBuckets(encoded), (err: unknown) => err instanceof HistogramError && why.test(err.message));
    assert.throws(() => decodeHistogram(encoded), (err: unknown) => err instanceof HistogramError && why.test(err.message));
  };
  refused(broken(good.length - 1, 0x01), /zlib stream is corrupt/); // Adler-32
  refused(broken(8 + 2 + 3, 0x01), /zlib stream is corrupt/); // NLEN no longer the complement of LEN
  refused(broken(8 + 2 + 5 + 60, 0x40), /zlib stream is corrupt/); // a payload byte: the checksum no longer matches
  const truncated = Buffer.from(good.subarray(0, good.length - 4));
  truncated.writeInt32BE(truncated.length - 8, 4);
  refused(truncated.toString('base64'), /zlib stream is corrupt|truncated/);
});

test('a stored stream of several blocks (a histogram past 64 KiB) decodes as its deflated form does', () => {
  const h = createHistogram();
  const counts = (h as unknown as { countsArrayLength: number }).countsArrayLength;
  for (let i = 0; i < counts; i++) (h as unknown as { addToCountAtIndex(i: number, n: number): void }).addToCountAtIndex(i, 2 ** 31 + i);
  (h as unknown as { setTotalCount(n: number): void }).setTotalCount(counts * 2 ** 31);
  (h as unknown as { establishInternalTackingValues(n: number): void }).establishInternalTackingValues(counts);
  const stored = encodeHistogram(h, { deflate: false });
  const blocks = Buffer.from(stored, 'base64');
  assert.ok(blocks.readInt32BE(4) > 0xffff, `${blocks.readInt32BE(4)} bytes of zlib: more than one stored block`);
  const viaBuckets = createHistogram();
  mergeInto(viaBuckets, decodeBuckets(stored));
  assert.deepEqual(state(viaBuckets), state(decodeHistogram(encodeHistogram(h))));
});
