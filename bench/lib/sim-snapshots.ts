/**
 * Snapshot bodies as real agents send them, made up front so that feeding
 * a controller costs the feeder almost nothing: per request name a few
 * variants of one second of one share, each honest (counts match the
 * histograms) and with a real spread of values (log-normal latencies with
 * a slow tail, per-name medians from 1 to 50 ms, phases that add up to the
 * latency, a new connection now and then), in the worker encoding
 * (`deflate: false`) agents use. The controller's merge cost depends on
 * how many buckets each histogram fills, so uniform or constant values
 * would flatter it.
 */
import { createHistogram, encodeHistogram, recordMicros, type EndpointSnapshot } from '@novaload/report';

/** A small deterministic generator (mulberry32): the same bodies on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One log-normal draw around `medianUs` (sigma 0.5), one in fifty ten times slower. */
function latencyUs(rnd: () => number, medianUs: number): number {
  const normal = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  return medianUs * Math.exp(0.5 * normal) * (rnd() < 0.02 ? 10 : 1);
}

/** One second of one share for one request name: `requests` responses, all ok. */
function endpoint(rnd: () => number, medianUs: number, requests: number): EndpointSnapshot {
  const latency = createHistogram();
  const ttfb = createHistogram();
  const phase = { dns: createHistogram(), connect: createHistogram(), tlsHandshake: createHistogram(), send: createHistogram(), wait: createHistogram(), receive: createHistogram() };
  const opened = rnd() < 0.3 ? 1 : 0;
  for (let i = 0; i < requests; i++) {
    const total = latencyUs(rnd, medianUs);
    const receive = total * (0.02 + 0.08 * rnd());
    const send = 10 + 40 * rnd();
    recordMicros(latency, total);
    recordMicros(ttfb, total - receive);
    recordMicros(phase.send, send);
    recordMicros(phase.wait, total - receive - send);
    recordMicros(phase.receive, receive);
    if (i < opened) {
      recordMicros(phase.dns, 20 + 30 * rnd());
      recordMicros(phase.connect, 60 + 80 * rnd());
    }
  }
  const enc = encodeHistogram(latency, { deflate: false });
  const phases = Object.fromEntries(Object.entries(phase).map(([k, h]) => [k, encodeHistogram(h, { deflate: false })])) as EndpointSnapshot['phases'];
  return { requests, ok: requests, failed: 0, bytes: requests * 512, errors: {}, protocols: { h1: requests, h2: 0 }, connectionsOpened: opened, latency: enc, serviceTime: enc, ttfb: encodeHistogram(ttfb, { deflate: false }), phases };
}

/** Request names `r0`…: what the scenario and the bodies both use. */
export function requestNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `r${i}`);
}

/**
 * `variants` JSON bodies of the `endpoints` object for `names` request
 * names, each name with `requestsPerSecond` responses (±25%) per share per
 * second; returns them with the requests each body counts.
 */
export function snapshotBodies(names: number, requestsPerSecond: number, variants = 8): { json: string; requests: number }[] {
  const rnd = random(names * 7919 + requestsPerSecond);
  return Array.from({ length: variants }, () => {
    let requests = 0;
    const parts = requestNames(names).map((name, i) => {
      const n = Math.max(1, Math.round(requestsPerSecond * (0.75 + 0.5 * rnd())));
      requests += n;
      return `${JSON.stringify(name)}:${JSON.stringify(endpoint(rnd, 1000 + (49_000 * i) / Math.max(1, names - 1), n))}`;
    });
    return { json: `{${parts.join(',')}}`, requests };
  });
}
