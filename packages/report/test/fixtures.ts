/** Test helpers: a seeded random source and snapshot builders, so every test is reproducible. */
import { createHistogram, encodeHistogram, recordMicros, type EndpointSnapshot, type Histogram, type IntervalSnapshot } from '../src/index.js';

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
