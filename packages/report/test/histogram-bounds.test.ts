/**
 * The V2 decoder trusts nothing a peer sends: every field is bounded before
 * a loop runs over it, inflating stops at the largest valid histogram, and
 * whatever fails is a HistogramError naming what is wrong, within
 * milliseconds. The bounds still take the largest histogram novaload can
 * make.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHistogram, decodeHistogram, encodeHistogram, HistogramError, MAX_ENCODED_HISTOGRAM, MAX_HISTOGRAM_BYTES } from '../src/index.js';
import { compressedBytes, v2Histogram } from './fixtures.js';

/** Decoding `encoded` fails with a HistogramError matching `problem`, fast. */
function refused(encoded: string, problem: RegExp): void {
  const t0 = performance.now();
  assert.throws(() => decodeHistogram(encoded), (err: unknown) => err instanceof HistogramError && err.code === 'BAD_HISTOGRAM' && problem.test(err.message));
  assert.ok(performance.now() - t0 < 500, `refused within 500 ms, took ${(performance.now() - t0).toFixed(0)} ms`);
}

test('a zero run past the counts array is refused at once (it used to loop 2^50 times)', () => {
  refused(v2Histogram([-(2 ** 50)]), /entry at byte 40 is truncated or longer than 5 bytes/);
  refused(v2Histogram([-(2 ** 33)]), /zero run of 8589934592 at index 0 passes the 23552 buckets/);
  refused(v2Histogram([7, -23552]), /zero run of 23552 at index 1 passes/);
  refused(v2Histogram([5, -23551, 1]), /count at index 23552 passes the 23552 buckets/);
  assert.equal(decodeHistogram(v2Histogram([0, 5, -23549, 1])).totalCount, 6, 'a run that ends at the last bucket is fine');
});

test('counts, entries and lengths are bounded', () => {
  refused(v2Histogram([2 ** 32]), /count 4294967296 at index 0 does not fit a bucket/);
  refused(v2Histogram(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01])), /entry at byte 40 is truncated or longer than 5 bytes/);
  refused(v2Histogram(Buffer.from([0x80])), /entry at byte 40 is truncated/);
  refused(v2Histogram([1, 2], { payload: 1000 }), /payload length 1000 does not fit the 2 bytes/);
  refused(v2Histogram([1], { digits: 5 }), /configuration \(1 … 3600000000, 5 digits\) does not fit novaload's/);
  refused(v2Histogram([1], { highest: 2 ** 40 }), /does not fit novaload's/);
  refused(v2Histogram([1], { lowest: 0 }), /does not fit novaload's/);
  refused('not base64 at all!!', /not base64/);
  refused('A'.repeat(MAX_ENCODED_HISTOGRAM + 4), /longer than any valid histogram/);
  refused(Buffer.from('hello, not a histogram').toString('base64'), /only V2 is supported/);
  const wrapped = Buffer.from(v2Histogram([1]), 'base64');
  wrapped.writeInt32BE(-5, 4);
  refused(wrapped.toString('base64'), /zlib length -5 does not fit/);
  wrapped.writeInt32BE(wrapped.length - 8, 4);
  wrapped[wrapped.length - 1] ^= 0xff;
  refused(wrapped.toString('base64'), /zlib stream is corrupt/);
});

test('a decompression bomb stops at the output limit instead of inflating 64 MiB', () => {
  const bomb = compressedBytes(Buffer.alloc(64 * 1024 * 1024));
  assert.ok(bomb.length < MAX_ENCODED_HISTOGRAM, 'short enough to pass the length check');
  const before = process.memoryUsage().arrayBuffers;
  refused(bomb, new RegExp(`inflates past ${MAX_HISTOGRAM_BYTES} bytes`));
  assert.ok(process.memoryUsage().arrayBuffers - before < 16 * 1024 * 1024);
});

test('the limits are those of the largest valid histogram: every bucket at its largest count', () => {
  const h = createHistogram();
  const view = h as unknown as { countsArrayLength: number; setCountAtIndex(i: number, v: number): void; establishInternalTackingValues(): void };
  for (let i = 0; i < view.countsArrayLength; i++) view.setCountAtIndex(i, 2 ** 32 - 1);
  view.establishInternalTackingValues();
  for (const deflate of [true, false]) {
    const encoded = encodeHistogram(h, { deflate });
    assert.ok(encoded.length <= MAX_ENCODED_HISTOGRAM, `${encoded.length} ≤ ${MAX_ENCODED_HISTOGRAM}`);
    assert.equal(decodeHistogram(encoded).totalCount, h.totalCount);
  }
  assert.equal(MAX_HISTOGRAM_BYTES, 40 + 23_552 * 5, 'header plus one 5-byte entry per bucket');
});

test('only strict base64 is read: a two-byte letter (Node reads its low byte), URL-safe letters, a = inside or a stray character is refused', () => {
  const h = createHistogram();
  for (let v = 1; v < 5000; v += 7) h.recordValue(v);
  const good = encodeHistogram(h, { deflate: false });
  assert.equal(decodeHistogram(good).totalCount, h.totalCount);
  const at = good.search(/[A-Za-z]/) + 4;
  const forge = (c: string): string => good.slice(0, at) + c + good.slice(at + 1);
  const wide = forge(String.fromCharCode(0x100 + good.charCodeAt(at)));
  assert.deepEqual(Buffer.from(wide, 'base64'), Buffer.from(good, 'base64'), 'Node decodes the two-byte letter as the letter');
  for (const forged of [wide, forge('-'), forge('_'), forge('='), forge('.')]) refused(forged, /not base64/);
});
