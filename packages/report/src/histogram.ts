/**
 * HDR histograms with novaload's one configuration (µs, 1 µs … 1 h, 3 digits),
 * their compressed base64 form for crossing threads and the network, and the
 * statistics a report shows. Merging is `add()`: exact, as if one histogram
 * had recorded every value.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import type * as hdr from 'hdr-histogram-js';
// Only the JavaScript histogram class: the package's index also loads its WebAssembly build (a large
// base64 blob) and pako, ~65 ms of start-up CPU on every thread. The V2 codec below is HdrHistogram's.
import Int32HistogramModule from 'hdr-histogram-js/dist/Int32Histogram.js';
import { BucketList } from './buckets.js';
import { histogramStats } from './stats.js';
import { HISTOGRAM, type LatencyStats } from './types.js';

export type Histogram = hdr.Histogram;

const Int32Histogram = Int32HistogramModule.default;

/** A fresh, empty histogram in novaload's configuration. */
export function createHistogram(): Histogram {
  return new Int32Histogram(HISTOGRAM.lowestDiscernibleValue, HISTOGRAM.highestTrackableValue, HISTOGRAM.numberOfSignificantValueDigits);
}

/** Record one value in µs, clamped into the trackable range so recording never throws. */
export function recordMicros(h: Histogram, micros: number): void {
  const v = micros < HISTOGRAM.lowestDiscernibleValue ? HISTOGRAM.lowestDiscernibleValue : micros > HISTOGRAM.highestTrackableValue ? HISTOGRAM.highestTrackableValue : Math.round(micros);
  h.recordValue(v);
}

/**
 * Compressed base64 encoding (HdrHistogram's V2 compressed form); the empty
 * string for an empty histogram.
 *
 * `deflate: false` writes the same format with the V2 payload in zlib
 * *stored* blocks, built in plain JavaScript: no native zlib handle. Worker
 * threads use it because Node 20 aborts the whole process ("close before
 * init", node_zlib.cc) when a thread is terminated between creating a zlib
 * handle and initialising it — which is what a thread stopped mid-snapshot
 * did. Every HdrHistogram decoder reads it (inflate accepts stored blocks);
 * it is also cheaper to make, and the V2 payload is already run-length and
 * LEB128 packed, so it is only modestly larger.
 */
export function encodeHistogram(h: Histogram, opts: { deflate?: boolean } = {}): string {
  if (h.totalCount === 0) return '';
  const raw = encodeV2(h as unknown as CountsView);
  return opts.deflate === false ? storedBase64(raw) : compressedBase64(deflateSync(raw));
}

/** The parts of hdr-histogram-js's JsHistogram the V2 encoder reads. */
interface CountsView {
  maxValue: number;
  numberOfSignificantValueDigits: number;
  lowestDiscernibleValue: number;
  highestTrackableValue: number;
  countsArrayIndex(value: number): number;
  getCountAtIndex(index: number): number;
}

const V2_COOKIE = 0x1c849303 | 0x10;
const V2_COMPRESSED_COOKIE = 0x1c849304 | 0x10;
const V2_HEADER = 40;

/** Grow-on-demand big-endian byte writer. */
class Bytes {
  buf = new Uint8Array(256);
  pos = 0;
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }
  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }
  u32(v: number): void {
    this.ensure(4);
    this.buf[this.pos++] = (v >>> 24) & 0xff;
    this.buf[this.pos++] = (v >>> 16) & 0xff;
    this.buf[this.pos++] = (v >>> 8) & 0xff;
    this.buf[this.pos++] = v & 0xff;
  }
  i64(v: number): void {
    this.u32(Math.floor(v / 2 ** 32) >>> 0);
    this.u32(v >>> 0);
  }
  /** ZigZag LEB128 of a safe integer, as HdrHistogram's V2 payload stores counts and zero runs. */
  zigzag(v: number): void {
    let z = v >= 0 ? v * 2 : -v * 2 - 1;
    this.ensure(9);
    for (let i = 0; i < 8 && z >= 0x80; i++) {
      this.buf[this.pos++] = (z % 0x80) | 0x80;
      z = Math.floor(z / 0x80);
    }
    this.buf[this.pos++] = z;
  }
}

/** HdrHistogram's V2 uncompressed encoding: header, then counts with runs of zeros as negatives. */
function encodeV2(h: CountsView): Uint8Array {
  const v2 = new Bytes();
  v2.u32(V2_COOKIE);
  v2.u32(0); // payload length, filled in below
  v2.u32(1); // normalizing index offset (unused)
  v2.u32(h.numberOfSignificantValueDigits);
  v2.i64(h.lowestDiscernibleValue);
  v2.i64(h.highestTrackableValue);
  v2.i64(1); // integer-to-double conversion ratio
  const limit = h.countsArrayIndex(h.maxValue) + 1;
  for (let i = 0; i < limit; ) {
    const count = h.getCountAtIndex(i++);
    if (count !== 0) {
      v2.zigzag(count);
      continue;
    }
    let zeros = 1;
    while (i < limit && h.getCountAtIndex(i) === 0) {
      zeros++;
      i++;
    }
    v2.zigzag(zeros > 1 ? -zeros : 0);
  }
  const payload = v2.pos - V2_HEADER;
  v2.buf[4] = (payload >>> 24) & 0xff;
  v2.buf[5] = (payload >>> 16) & 0xff;
  v2.buf[6] = (payload >>> 8) & 0xff;
  v2.buf[7] = payload & 0xff;
  return v2.buf.subarray(0, v2.pos);
}

/** The compressed form's wrapper around a zlib stream: cookie, length, stream; base64. */
function compressedBase64(zlib: Uint8Array): string {
  const out = Buffer.allocUnsafe(8 + zlib.length);
  out.writeInt32BE(V2_COMPRESSED_COOKIE, 0);
  out.writeInt32BE(zlib.length, 4);
  out.set(zlib, 8);
  return out.toString('base64');
}

function storedBase64(raw: Uint8Array): string {
  // zlib stream of stored blocks (RFC 1950/1951): header, blocks of ≤ 65,535 bytes, Adler-32.
  const blocks = Math.max(1, Math.ceil(raw.length / 0xffff));
  const zlibLength = 2 + blocks * 5 + raw.length + 4;
  const out = new Bytes();
  out.ensure(8 + zlibLength);
  out.u32(V2_COMPRESSED_COOKIE);
  out.u32(zlibLength);
  out.u8(0x78);
  out.u8(0x01);
  for (let b = 0; b < blocks; b++) {
    const start = b * 0xffff;
    const len = Math.min(0xffff, raw.length - start);
    out.u8(b === blocks - 1 ? 1 : 0);
    out.u8(len & 0xff);
    out.u8(len >>> 8);
    out.u8(~len & 0xff);
    out.u8((~len >>> 8) & 0xff);
    out.buf.set(raw.subarray(start, start + len), out.pos);
    out.pos += len;
  }
  out.u32(adler32(raw));
  return Buffer.from(out.buf.buffer, out.buf.byteOffset, out.pos).toString('base64');
}

function adler32(data: Uint8Array, from = 0, to = data.length): number {
  let a = 1;
  let b = 0;
  for (let i = from; i < to; ) {
    const end = Math.min(to, i + 5552);
    for (; i < end; i++) {
      a += data[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** Decode a snapshot histogram; the empty string gives an empty histogram. Throws a HistogramError on anything else. */
export function decodeHistogram(encoded: string): Histogram {
  if (encoded === '') return createHistogram();
  // Re-home into our configuration so every merge target has the same range.
  const h = createHistogram();
  addDecoded(h, decodeCompressed(encoded));
  return h;
}

/** Add an encoded histogram into `into` (exact merge). Throws a HistogramError as decodeHistogram does. */
export function addEncoded(into: Histogram, encoded: string): void {
  if (encoded === '') return;
  addDecoded(into, decodeCompressed(encoded));
}

/** hdr-histogram-js throws a plain Error (or a string) for values past the target's range: say which. */
function addDecoded(into: Histogram, decoded: Histogram): void {
  try {
    into.add(decoded);
  } catch (err) {
    refuse(`values up to ${decoded.maxValue} do not fit novaload's range (${String((err as Error)?.message ?? err)})`);
  }
}

/** Why an encoded histogram was refused: a stable code for callers, a message naming the bad field. */
export class HistogramError extends Error {
  readonly code = 'BAD_HISTOGRAM';
}

/** The parts of JsHistogram a decoder fills. */
interface CountsSink {
  countsArrayLength: number;
  setCountAtIndex(index: number, value: number): void;
  establishInternalTackingValues(lengthToCover?: number): void;
}

/**
 * Bounds of a valid histogram in novaload's configuration, computed from it:
 * a counts array of COUNTS_LENGTH entries (a finer or narrower configuration
 * has fewer), each bucket a 32-bit count (the Int32Histogram's), so each V2
 * entry is at most 5 LEB128 bytes (zigzag of 2^32 − 1 is 33 bits) and the
 * payload at most one entry per bucket. zlib's worst case adds compressBound's
 * overhead; base64 adds a third. Nothing larger is decoded or inflated.
 */
const COUNTS_LENGTH = (createHistogram() as unknown as CountsSink).countsArrayLength;
const MAX_COUNT = 2 ** 32 - 1;
const MAX_ENTRY_BYTES = 5;
/** Largest inflated V2 form of a valid histogram: the limit handed to zlib (maxOutputLength). */
export const MAX_HISTOGRAM_BYTES = V2_HEADER + COUNTS_LENGTH * MAX_ENTRY_BYTES;
const MAX_ZLIB_BYTES = MAX_HISTOGRAM_BYTES + (MAX_HISTOGRAM_BYTES >> 12) + (MAX_HISTOGRAM_BYTES >> 14) + 13;
/** Longest compressed base64 form of a valid histogram (characters). */
export const MAX_ENCODED_HISTOGRAM = 4 * Math.ceil((8 + MAX_ZLIB_BYTES) / 3);

/** Each base64 letter's 6 bits by its character code, −1 for every other code below 128. */
const BASE64_BITS = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) BASE64_BITS['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;

/** The 6 bits of the letter at `i` of `text`, −1 if it is not a base64 letter. */
function bits(text: string, i: number): number {
  const code = text.charCodeAt(i);
  return code < 128 ? BASE64_BITS[code]! : -1;
}

/**
 * Decode strict base64 (A–Z a–z 0–9 + /, a multiple of 4 with at most two =
 * at the end) into SCRATCH, returning its length; refused otherwise. Read
 * here in JavaScript, not by Node's decoder: that one skips what is not
 * base64, stops at =, takes - and _ and reads a two-byte character by its
 * low byte, so it needed a check over every character first, and the two
 * together were a fifth of the controller's snapshot intake at 200 shares.
 */
function base64Bytes(text: string): number {
  const n = text.length;
  if (n % 4 !== 0) refuse('not base64');
  const pad = n === 0 || text.charCodeAt(n - 1) !== 61 ? 0 : text.charCodeAt(n - 2) === 61 ? 2 : 1;
  const whole = pad === 0 ? n : n - 4;
  let o = 0;
  for (let i = 0; i < whole; i += 4) {
    const a = bits(text, i);
    const b = bits(text, i + 1);
    const c = bits(text, i + 2);
    const d = bits(text, i + 3);
    if ((a | b | c | d) < 0) refuse('not base64');
    SCRATCH[o++] = (a << 2) | (b >> 4);
    SCRATCH[o++] = ((b & 15) << 4) | (c >> 2);
    SCRATCH[o++] = ((c & 3) << 6) | d;
  }
  if (pad > 0) {
    const a = bits(text, whole);
    const b = bits(text, whole + 1);
    const c = pad === 1 ? bits(text, whole + 2) : 0;
    if ((a | b | c) < 0) refuse('not base64');
    SCRATCH[o++] = (a << 2) | (b >> 4);
    if (pad === 1) SCRATCH[o++] = ((b & 15) << 4) | (c >> 2);
  }
  return o;
}

/**
 * Where each histogram's base64 is decoded: one buffer for the process, so
 * the controller allocates nothing per histogram for its bytes. What is read
 * from it is used before the next decode (decoding is synchronous), and what
 * is kept (bucket lists, histograms) is copied out of it.
 */
const SCRATCH = Buffer.alloc((MAX_ENCODED_HISTOGRAM / 4) * 3);

function refuse(message: string): never {
  throw new HistogramError(message);
}

/** Big-endian 32-bit reads at `at`, which callers have checked lies inside `b` (Buffer's own readers check again, per call). */
const i32 = (b: Uint8Array, at: number): number => (b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!;
const u32 = (b: Uint8Array, at: number): number => i32(b, at) >>> 0;

/** Bytes `start`..`end` of `buf`: where a histogram's bytes are read, without a Buffer view per step. */
interface Span {
  buf: Buffer;
  start: number;
  end: number;
}

/**
 * The data of a zlib stream (`z` from `start` to `end`) made only of stored
 * blocks, as agents write them (`deflate: false`), read without a zlib
 * handle: creating one per histogram was the controller's largest cost
 * after the merge itself. One block (what agents' histograms fit in) is
 * read where it lies. Null for anything else, or anything not exactly right
 * (header, block lengths, size, Adler-32, trailing bytes), which then goes
 * to zlib and is refused or inflated as before.
 */
function storedPayload(z: Buffer, start: number, end: number): Span | null {
  if (end - start < 11 || (z[start]! & 0x0f) !== 8 || ((z[start]! << 8) | z[start + 1]!) % 31 !== 0 || (z[start + 1]! & 0x20) !== 0) return null;
  const parts: Span[] = [];
  let total = 0;
  let pos = start + 2;
  for (let last = false; !last; ) {
    if (pos + 5 > end || (z[pos]! & 0x06) !== 0) return null;
    last = (z[pos]! & 1) === 1;
    const len = z[pos + 1]! | (z[pos + 2]! << 8);
    if ((len ^ 0xffff) !== (z[pos + 3]! | (z[pos + 4]! << 8)) || pos + 5 + len > end) return null;
    parts.push({ buf: z, start: pos + 5, end: pos + 5 + len });
    total += len;
    if (total > MAX_HISTOGRAM_BYTES) return null;
    pos += 5 + len;
  }
  if (pos + 4 !== end) return null;
  const data = parts.length === 1 ? parts[0]! : { buf: Buffer.concat(parts.map((p) => z.subarray(p.start, p.end)), total), start: 0, end: total };
  return u32(z, pos) === adler32(data.buf, data.start, data.end) ? data : null;
}

/** Inflate the zlib stream of a compressed histogram, at most MAX_HISTOGRAM_BYTES of output. */
function inflateBounded(encoded: string): Span {
  // Whitespace around the text is allowed, as Node's decoder allowed it; trimming only when there is some.
  const last = encoded.charCodeAt(encoded.length - 1);
  const text = bits(encoded, 0) < 0 || (bits(encoded, encoded.length - 1) < 0 && last !== 61) ? encoded.trim() : encoded;
  if (text.length > MAX_ENCODED_HISTOGRAM) refuse(`${text.length} characters is longer than any valid histogram (${MAX_ENCODED_HISTOGRAM})`);
  const length = base64Bytes(text);
  if (length < 8 || (i32(SCRATCH, 0) & ~0xf0) !== (V2_COMPRESSED_COOKIE & ~0xf0)) refuse('not an HdrHistogram (only V2 is supported)');
  const zlibLength = i32(SCRATCH, 4);
  if (zlibLength <= 0 || zlibLength > length - 8) refuse(`zlib length ${zlibLength} does not fit the ${length - 8} bytes that follow`);
  const stored = storedPayload(SCRATCH, 8, 8 + zlibLength);
  if (stored !== null) return stored;
  try {
    const raw = inflateSync(SCRATCH.subarray(8, 8 + zlibLength), { maxOutputLength: MAX_HISTOGRAM_BYTES });
    return { buf: raw, start: 0, end: raw.length };
  } catch (err) {
    const code = (err as { code?: string }).code;
    return refuse(code === 'ERR_BUFFER_TOO_LARGE' ? `inflates past ${MAX_HISTOGRAM_BYTES} bytes, the largest valid histogram` : `zlib stream is corrupt (${code ?? (err as Error).message})`);
  }
}

/** A V2 form's header, checked to fit inside novaload's configuration; its payload is `raw.buf` from `raw.start + V2_HEADER`. */
interface V2Form {
  raw: Span;
  payload: number;
  digits: number;
  lowest: number;
  highest: number;
}

function readV2(encoded: string): V2Form {
  const raw = inflateBounded(encoded);
  const { buf, start } = raw;
  const size = raw.end - start;
  if (size < V2_HEADER || (i32(buf, start) & ~0xf0) !== (V2_COOKIE & ~0xf0)) refuse('not an HdrHistogram (no valid V2 encoding cookie found)');
  const payload = i32(buf, start + 4);
  const digits = i32(buf, start + 12);
  const lowest = u32(buf, start + 16) * 2 ** 32 + u32(buf, start + 20);
  const highest = u32(buf, start + 24) * 2 ** 32 + u32(buf, start + 28);
  if (payload < 0 || payload > size - V2_HEADER) refuse(`payload length ${payload} does not fit the ${size - V2_HEADER} bytes that follow`);
  if (digits < 0 || digits > HISTOGRAM.numberOfSignificantValueDigits || lowest < 1 || highest < 2 * lowest || highest > HISTOGRAM.highestTrackableValue) {
    refuse(`configuration (${lowest} … ${highest}, ${digits} digits) does not fit novaload's (${HISTOGRAM.lowestDiscernibleValue} … ${HISTOGRAM.highestTrackableValue}, ${HISTOGRAM.numberOfSignificantValueDigits} digits)`);
  }
  return { raw, payload, digits, lowest, highest };
}

/**
 * Push each non-zero count of a V2 payload into `list` with its index in a
 * counts array of `length` entries; returns the index past the last entry.
 * Every count must fit a bucket, every zero run end inside the array, and
 * no loop runs past the bytes inflated.
 */
function readCounts({ raw, payload }: V2Form, length: number, list: BucketList): number {
  const bytes = raw.buf;
  const first = raw.start + V2_HEADER;
  const end = first + payload;
  let index = 0;
  for (let pos = first; pos < end; ) {
    // ZigZag LEB128, in floating point as counts may pass 2^31; a bucket holds at most 2^32 − 1.
    const start = pos;
    let value = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      if (i === MAX_ENTRY_BYTES || pos === end) refuse(`entry at byte ${start - raw.start} is truncated or longer than ${MAX_ENTRY_BYTES} bytes`);
      const b = bytes[pos++]!;
      value += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) break;
      scale *= 0x80;
    }
    const n = value % 2 === 0 ? value / 2 : -(value + 1) / 2;
    if (n > MAX_COUNT) refuse(`count ${n} at index ${index} does not fit a bucket`);
    if (n < 0) {
      if (-n > length - index) refuse(`zero run of ${-n} at index ${index} passes the ${length} buckets`);
      index += -n;
    } else {
      if (index >= length) refuse(`count at index ${index} passes the ${length} buckets`);
      if (n > 0) list.push(index, n);
      index++;
    }
  }
  return index;
}

/**
 * Decode HdrHistogram's compressed V2 form (any HdrHistogram tool's, or
 * ours) into a histogram of the configuration it carries. Trusts nothing
 * (readV2, readCounts). Throws a HistogramError naming what is wrong.
 */
function decodeCompressed(encoded: string, form = readV2(encoded)): Histogram {
  const h = new Int32Histogram(form.lowest, form.highest, form.digits);
  const sink = h as unknown as CountsSink;
  const list = new BucketList();
  const end = readCounts(form, sink.countsArrayLength, list);
  for (let i = 0; i < list.indexes.length; i++) sink.setCountAtIndex(list.indexes[i]!, list.counts[i]!);
  sink.establishInternalTackingValues(end);
  return h;
}

/** A histogram of novaload's configuration, only to map bucket indexes to values (never recorded into). */
const REFERENCE = createHistogram() as unknown as { valueFromIndex(index: number): number; highestEquivalentValue(value: number): number };
/** Each bucket's lowest and highest value, computed on first use: hdr-histogram-js computes them with pow() on every call. */
const LOWEST = new Float64Array(COUNTS_LENGTH).fill(NaN);
const HIGHEST = new Float64Array(COUNTS_LENGTH).fill(NaN);
const lowestAt = (i: number): number => (Number.isNaN(LOWEST[i]!) ? (LOWEST[i] = REFERENCE.valueFromIndex(i)) : LOWEST[i]!);
const highestAt = (i: number): number => (Number.isNaN(HIGHEST[i]!) ? (HIGHEST[i] = REFERENCE.highestEquivalentValue(REFERENCE.valueFromIndex(i))) : HIGHEST[i]!);

/**
 * Decode a snapshot histogram as its non-empty buckets (buckets.ts): what
 * the controller's merge adds, with the same checks as decodeHistogram and
 * the same result once added. A histogram of novaload's configuration (what
 * agents send) is read straight into the list; any other goes through a
 * histogram, as decodeHistogram does.
 */
export function decodeBuckets(encoded: string): BucketList {
  if (encoded === '') return new BucketList();
  const form = readV2(encoded);
  const ours = form.digits === HISTOGRAM.numberOfSignificantValueDigits && form.lowest === HISTOGRAM.lowestDiscernibleValue && form.highest === HISTOGRAM.highestTrackableValue;
  if (!ours) {
    const h = createHistogram();
    addDecoded(h, decodeCompressed(encoded, form));
    return BucketList.of(h);
  }
  const list = new BucketList();
  readCounts(form, COUNTS_LENGTH, list);
  // The tracking values establishInternalTackingValues gives the decoded histogram: max from the top bucket, min from the first above 0.
  const top = list.indexes.at(-1);
  if (top !== undefined) list.maxValue = highestAt(top);
  const low = list.indexes[0] === 0 ? list.indexes[1] : list.indexes[0];
  if (low !== undefined) list.minNonZeroValue = lowestAt(low);
  return list;
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
  // One pass over the counts (stats.ts), the same figures as the library's one walk per statistic.
  const { values, mean, stdev } = histogramStats(h, STAT_PERCENTILES);
  const [min, p50, p90, p95, p99, p999, max] = values.map(ms) as [number, number, number, number, number, number, number];
  return { min, mean: ms(mean), stdev: ms(stdev), p50, p90, p95, p99, p999, max };
}

const STAT_PERCENTILES = [0, 50, 90, 95, 99, 99.9, 100] as const;

/** The value at a percentile in ms (µs precision). */
export function percentileMs(h: Histogram, percentile: number): number {
  return h.totalCount === 0 ? 0 : ms(h.getValueAtPercentile(percentile));
}
