import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inflateSync } from 'node:zlib';
import * as hdr from 'hdr-histogram-js';
import fc from 'fast-check';
import { createHistogram, decodeHistogram, encodeHistogram, latencyStats, recordMicros } from '../src/index.js';

const counts = (h: hdr.Histogram): string => {
  const out: string[] = [];
  const view = h as unknown as { countsArrayIndex(v: number): number; getCountAtIndex(i: number): number; maxValue: number };
  const limit = view.countsArrayIndex(view.maxValue) + 1;
  for (let i = 0; i < limit; i++) if (view.getCountAtIndex(i) !== 0) out.push(`${i}:${view.getCountAtIndex(i)}`);
  return out.join(',');
};

test('both encodings (deflate and worker-safe stored blocks) decode to the same histogram, here and in hdr-histogram-js; the library\'s own encoding decodes here', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 1, max: 3_600_000_000 }), fc.integer({ min: 1, max: 100_000 })), { minLength: 1, maxLength: 200 }),
      (values) => {
        const h = createHistogram();
        for (const [v, n] of values) h.recordValueWithCount(Math.min(v, h.highestTrackableValue), n);
        const stored = encodeHistogram(h, { deflate: false });
        const deflated = encodeHistogram(h);
        const a = decodeHistogram(stored);
        const b = decodeHistogram(deflated);
        assert.equal(a.totalCount, h.totalCount);
        assert.equal(counts(a), counts(h));
        assert.equal(counts(a), counts(b));
        assert.deepEqual(latencyStats(a), latencyStats(h));
        // The library's own reader takes both of ours, and ours takes the library's (any HdrHistogram producer's).
        assert.equal(counts(hdr.decodeFromCompressedBase64(stored, 32, false)), counts(h));
        assert.equal(counts(hdr.decodeFromCompressedBase64(deflated, 32, false)), counts(h));
        const theirs = hdr.build({ bitBucketSize: 32, autoResize: false, lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });
        theirs.add(h);
        const fromLibrary = decodeHistogram(hdr.encodeIntoCompressedBase64(theirs));
        assert.equal(counts(fromLibrary), counts(h));
        assert.equal(fromLibrary.totalCount, h.totalCount);
        // A decoded histogram knows buckets, not the exact extremes: compare with the library's own decoding.
        const libDecoded = hdr.decodeFromCompressedBase64(deflated, 32, false);
        assert.equal(fromLibrary.maxValue, libDecoded.maxValue);
        assert.equal(a.maxValue, libDecoded.maxValue);
        assert.equal(fromLibrary.minNonZeroValue, libDecoded.minNonZeroValue);
        // The zlib stream is valid (Adler-32 checked by inflate).
        const bytes = Buffer.from(stored, 'base64');
        assert.equal(bytes.readUInt32BE(0), 0x1c849314);
        const inflated = inflateSync(bytes.subarray(8, 8 + bytes.readUInt32BE(4)));
        assert.equal(inflated.readUInt32BE(0), 0x1c849313);
        assert.equal(inflated.readUInt32BE(4), inflated.length - 40);
      },
    ),
    { numRuns: 60 },
  );
});

test('worker-safe encoding splits payloads past one stored block (65,535 bytes)', () => {
  const h = createHistogram();
  // Every bucket filled with large counts: a long payload without zero runs to shorten it.
  const view = h as unknown as { valueFromIndex(i: number): number; countsArrayLength: number };
  for (let i = 0; i < view.countsArrayLength; i++) {
    const v = view.valueFromIndex(i);
    if (v >= 1 && v <= h.highestTrackableValue) h.recordValueWithCount(v, 1_000_000_007);
  }
  const stored = encodeHistogram(h, { deflate: false });
  const bytes = Buffer.from(stored, 'base64');
  assert.ok(bytes.readUInt32BE(4) > 0xffff + 11, `payload ${bytes.readUInt32BE(4)} bytes spans several blocks`);
  assert.equal(counts(decodeHistogram(stored)), counts(h));
});

test('an empty histogram encodes as the empty string either way', () => {
  const h = createHistogram();
  assert.equal(encodeHistogram(h, { deflate: false }), '');
  recordMicros(h, 0);
  assert.notEqual(encodeHistogram(h, { deflate: false }), '');
});

test('a histogram of another configuration (another HdrHistogram tool) decodes and merges into ours', () => {
  const other = hdr.build({ bitBucketSize: 32, autoResize: false, lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 2 });
  for (let v = 1; v < 60_000_000; v = Math.ceil(v * 1.7)) other.recordValueWithCount(v, 3);
  const mine = decodeHistogram(hdr.encodeIntoCompressedBase64(other));
  assert.equal(mine.totalCount, other.totalCount);
  assert.equal(mine.highestTrackableValue, 3_600_000_000, 're-homed into our configuration');
  const viaLibrary = createHistogram();
  viaLibrary.add(hdr.decodeFromCompressedBase64(hdr.encodeIntoCompressedBase64(other), 32, false));
  assert.equal(counts(mine), counts(viaLibrary));
  assert.deepEqual(latencyStats(mine), latencyStats(viaLibrary));
  assert.throws(() => decodeHistogram(Buffer.from('not a histogram at all').toString('base64')), /only V2 is supported/);
});
