/**
 * Property-based test (fast-check) of the controller's receiving code: the
 * sink every runner hands snapshots to (aggregatorSink over the run's
 * RunAggregator). Honest snapshots and snapshots with one thing forged or
 * garbled — any field, a histogram's base64, its inflated V2 bytes, its zero
 * runs — never throw out of it and never take long (each has a time budget a
 * hang would break): a valid snapshot is merged, count for count, and any
 * other is refused with a SnapshotError, nothing of it merged, so the runner
 * drops its sender.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deflateSync, inflateSync } from 'node:zlib';
import fc from 'fast-check';
import { createHistogram, encodeHistogram, recordMicros, RunAggregator, SnapshotError, type EndpointSnapshot, type IntervalSnapshot } from '@novaload/report';
import { aggregatorSink, lastSecondOf } from '../src/run/snapshot-sink.js';
import { resolveScenario } from '../src/scenario/index.js';

/** NOVALOAD_FC_SCALE=10 runs every property ten times as often (a deeper local search). */
const SCALE = Number(process.env.NOVALOAD_FC_SCALE ?? 1);
const RUNS = Math.max(1, Math.round(400 * SCALE));
const SHARES = 3;
const NAMES = ['a', 'b'];
const scenario = resolveScenario({ name: 'p', target: 'http://127.0.0.1:9', executor: 'constant-vus', vus: 3, duration: '3s', requests: NAMES.map((name) => ({ name, path: `/${name}` })) }, 'p.json');
const LAST = lastSecondOf(scenario);

const encode = (values: number[]): string => {
  const h = createHistogram();
  for (const v of values) recordMicros(h, v);
  return encodeHistogram(h);
};

const latencies = fc.array(fc.integer({ min: 1, max: 3_600_000_000 }), { minLength: 1, maxLength: 40 });
const endpoint: fc.Arbitrary<EndpointSnapshot> = fc.tuple(latencies, fc.nat({ max: 40 }), fc.boolean()).map(([values, f, headers]) => {
  const failed = Math.min(f, values.length);
  const errors: Record<string, number> = failed > 0 ? { HTTP_503: failed } : {};
  const h = encode(values);
  return { requests: values.length, ok: values.length - failed, failed, bytes: values.length * 10, errors, latency: h, serviceTime: h, ttfb: headers ? h : '' };
});
const honest = fc
  .record({
    share: fc.integer({ min: 0, max: SHARES - 1 }),
    second: fc.integer({ min: 0, max: LAST }),
    vus: fc.nat({ max: 3 }),
    dropped: fc.nat({ max: 5 }),
    endpoints: fc.dictionary(fc.constantFrom(...NAMES), endpoint, { maxKeys: 2 }),
  })
  .map((r): IntervalSnapshot => ({ ...r, seq: 0, generator: { lagMaxMs: 1, lagMeanMs: 0.5, utilization: 0.2 } }));

/** A number a forger might send: huge, negative, fractional, unsafe. */
const forgedNumber = fc.oneof(fc.constantFrom(1e12, 1e300, -1, 0.5, 2 ** 53, 2 ** 32, Number.MAX_VALUE), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));

/** The histogram's inflated V2 bytes with some bytes overwritten, cut or appended: deep garbage the wrapper hides. */
function garbleV2(encoded: string, edits: [number, number][], cut: number): string {
  const bytes = Buffer.from(encoded, 'base64');
  const raw = Buffer.from(inflateSync(bytes.subarray(8)));
  for (const [at, v] of edits) raw[at % raw.length] = v;
  const zlib = deflateSync(raw.subarray(0, Math.max(0, raw.length - cut)));
  const out = Buffer.alloc(8 + zlib.length);
  bytes.copy(out, 0, 0, 4);
  out.writeInt32BE(zlib.length, 4);
  zlib.copy(out, 8);
  return out.toString('base64');
}

type Mutation = (s: IntervalSnapshot) => void;
const firstEndpoint = (s: IntervalSnapshot): EndpointSnapshot | undefined => Object.values(s.endpoints)[0];
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.constantFrom('share', 'second', 'vus', 'dropped'), forgedNumber).map(([k, v]): Mutation => (s) => void ((s as unknown as Record<string, number>)[k] = v)),
  fc.tuple(fc.constantFrom('requests', 'ok', 'failed', 'bytes'), forgedNumber).map(([k, v]): Mutation => (s) => {
    const ep = firstEndpoint(s);
    if (ep) (ep as unknown as Record<string, number>)[k] = v;
  }),
  fc.tuple(fc.constantFrom('latency', 'serviceTime', 'ttfb'), fc.oneof(fc.string(), fc.base64String(), fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('base64')))).map(([k, v]): Mutation => (s) => {
    const ep = firstEndpoint(s);
    if (ep) ep[k as 'latency'] = v;
  }),
  fc.tuple(fc.constantFrom('latency', 'serviceTime'), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), fc.nat({ max: 8 })).map(([k, edits, cut]): Mutation => (s) => {
    const ep = firstEndpoint(s);
    if (ep) ep[k as 'latency'] = garbleV2(ep[k as 'latency'], edits, cut);
  }),
  fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), endpoint).map(([name, ep]): Mutation => (s) => void (s.endpoints[name] = ep)),
  fc.tuple(fc.string({ maxLength: 12 }), forgedNumber).map(([kind, n]): Mutation => (s) => {
    const ep = firstEndpoint(s);
    if (ep) ep.errors[kind] = n;
  }),
);

/** Budget per snapshot: generous for a loaded CI host, far below what any unbounded loop over a forged length costs. */
const BUDGET_MS = 1000;

test('random and mutated snapshots: never a throw or a hang; a valid one is merged count for count, any other refused and nothing of it merged', { timeout: 120_000 }, () => {
  const aggregator = new RunAggregator({ scenario: 'p', target: scenario.target, executor: 'constant-vus', startedAt: new Date(), requests: scenario.requests }, SHARES, LAST);
  const faults: Error[] = [];
  const sink = aggregatorSink(aggregator, (err) => faults.push(err));
  let seq = 0;
  let refused = 0;
  fc.assert(
    fc.property(honest, fc.option(mutation, { freq: 3 }), (snapshot, mutate) => {
      snapshot.seq = seq++;
      mutate?.(snapshot);
      const before = aggregator.live().requests;
      const claimed = Object.values(snapshot.endpoints).reduce((n, ep) => n + ep.requests, 0);
      const t0 = performance.now();
      const result = sink.snapshot(snapshot);
      const ms = performance.now() - t0;
      assert.ok(ms < BUDGET_MS, `took ${ms.toFixed(0)} ms`);
      assert.deepEqual(faults, [], 'nothing but a SnapshotError comes out of the merge');
      if (result === null) {
        assert.equal(aggregator.live().requests, before + claimed, 'merged count for count');
      } else {
        refused++;
        assert.ok(result instanceof SnapshotError && result.code === 'BAD_SNAPSHOT' && result.problem.length > 0);
        assert.equal(aggregator.live().requests, before, 'nothing of a refused snapshot is merged');
        assert.ok(mutate !== null, `an honest snapshot was refused: ${result.message}`);
      }
    }),
    { numRuns: RUNS },
  );
  assert.ok(refused > RUNS / 10, `the mutations reached the checks (${refused} of ${RUNS} refused)`);
  const report = aggregator.finish({ durationMs: 3000, interrupted: false, thresholds: {} });
  assert.ok(report.timeline.every((p) => p.t <= LAST), 'no second past the run');
  assert.deepEqual(report.endpoints.map((e) => e.name), NAMES, 'no request name the scenario lacks');
});
