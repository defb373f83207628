/** Test helpers: a seeded random source and snapshot builders, so every test is reproducible. */
import { deflateSync } from 'node:zlib';
import assert from 'node:assert/strict';
import { checkSnapshot, createHistogram, encodeHistogram, recordMicros, SnapshotError, type EndpointSnapshot, type Histogram, type IntervalSnapshot } from '../src/index.js';

/** mulberry32: a small seeded PRNG returning floats in [0, 1). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A long-tailed latency in µs (mostly 1–50 ms, a few up to seconds). */
export function latencyMicros(rand: () => number): number {
  return Math.round(1000 * Math.exp(rand() * 4) * (rand() < 0.02 ? 40 : 1));
}

/** Samples of one endpoint over one interval: values per histogram, and error kinds of the failures. */
export interface Samples {
  latency: number[];
  serviceTime: number[];
  ttfb: number[];
  errors: string[];
  bytes?: number;
}

/** Encode samples as an EndpointSnapshot, recording them into `into` (reference histograms) too. */
export function endpoint(s: Samples, into?: { latency: Histogram; serviceTime: Histogram; ttfb: Histogram }): EndpointSnapshot {
  const enc = (values: number[], ref?: Histogram): string => {
    const h = createHistogram();
    for (const v of values) {
      recordMicros(h, v);
      if (ref) recordMicros(ref, v);
    }
    return encodeHistogram(h);
  };
  const errors: Record<string, number> = {};
  for (const kind of s.errors) errors[kind] = (errors[kind] ?? 0) + 1;
  return {
    requests: s.latency.length,
    ok: s.latency.length - s.errors.length,
    failed: s.errors.length,
    bytes: s.bytes ?? 0,
    errors,
    latency: enc(s.latency, into?.latency),
    serviceTime: enc(s.serviceTime, into?.serviceTime),
    ttfb: enc(s.ttfb, into?.ttfb),
  };
}

/** An interval snapshot with a healthy generator unless told otherwise. */
export function snapshot(fields: Partial<IntervalSnapshot> & Pick<IntervalSnapshot, 'share' | 'seq' | 'second'>): IntervalSnapshot {
  return { vus: 0, dropped: 0, endpoints: {}, generator: { lagMaxMs: 1, lagMeanMs: 0.5, utilization: 0.2 }, ...fields };
}

/** The run metadata most tests use: two declared requests. */
export const META = {
  scenario: 'normal',
  target: 'http://127.0.0.1:3000',
  executor: 'constant-vus',
  startedAt: new Date('2025-01-02T03:04:05.000Z'),
  requests: [
    { name: 'list-tasks', method: 'GET', path: '/api/tasks' },
    { name: 'create-task', method: 'POST', path: '/api/tasks' },
  ],
};

/** The header fields of a hand-made V2 histogram (novaload's configuration unless told otherwise). */
export interface V2Header {
  digits?: number;
  lowest?: number;
  highest?: number;
  /** The payload length the header claims (default: the real one). */
  payload?: number;
}

/** ZigZag LEB128 bytes of a safe integer, as V2 stores counts (negative: a run of zeros). */
export function zigzagBytes(v: number): number[] {
  let z = v >= 0 ? v * 2 : -v * 2 - 1;
  const out: number[] = [];
  for (let i = 0; i < 8 && z >= 0x80; i++) {
    out.push((z % 0x80) | 0x80);
    z = Math.floor(z / 0x80);
  }
  out.push(z);
  return out;
}

/** A hand-made compressed V2 histogram whose payload is exactly `payload`: how tests forge what a hostile peer sends. */
export function v2Histogram(payload: number[] | Buffer, header: V2Header = {}): string {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload.flatMap(zigzagBytes));
  const head = Buffer.alloc(40);
  head.writeInt32BE(0x1c849313, 0);
  head.writeInt32BE(header.payload ?? body.length, 4);
  head.writeInt32BE(1, 8);
  head.writeInt32BE(header.digits ?? 3, 12);
  head.writeBigUInt64BE(BigInt(header.lowest ?? 1), 16);
  head.writeBigUInt64BE(BigInt(header.highest ?? 3_600_000_000), 24);
  head.writeBigUInt64BE(1n, 32);
  return compressedBytes(Buffer.concat([head, body]));
}

/** Any bytes in the compressed-histogram wrapper (cookie, zlib length, zlib stream), base64. */
export function compressedBytes(raw: Buffer): string {
  const zlib = deflateSync(raw);
  const out = Buffer.alloc(8 + zlib.length);
  out.writeInt32BE(0x1c849314, 0);
  out.writeInt32BE(zlib.length, 4);
  zlib.copy(out, 8);
  return out.toString('base64');
}

/** The controller's snapshot rules for one share sending request "list-tasks". */
export const LIST_TASKS_RULES = { shares: 1, names: new Set(['list-tasks']), lastSecond: 10 };

/** The message checkSnapshot refuses `make()` with once `mutate` changed it, or 'accepted'. */
export function snapshotRefusal(make: () => IntervalSnapshot, mutate: (s: IntervalSnapshot) => void): string {
  const s = make();
  mutate(s);
  try {
    checkSnapshot(s, LIST_TASKS_RULES);
  } catch (err) {
    assert.ok(err instanceof SnapshotError, String(err));
    return err.message;
  }
  return 'accepted';
}
