import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createHistogram, latencyStats, recordMicros, type Histogram } from '../src/index.js';
import { histogramStats } from '../src/stats.js';

const ms = (micros: number): number => Math.round(micros) / 1000;

/** latencyStats as it was: one library walk per statistic. */
function byLibrary(h: Histogram) {
  return {
    min: ms(h.getValueAtPercentile(0)), mean: ms(h.mean), stdev: ms(h.stdDeviation),
    p50: ms(h.getValueAtPercentile(50)), p90: ms(h.getValueAtPercentile(90)), p95: ms(h.getValueAtPercentile(95)),
    p99: ms(h.getValueAtPercentile(99)), p999: ms(h.getValueAtPercentile(99.9)), max: ms(h.getValueAtPercentile(100)),
  };
}

const latencies = fc.array(fc.oneof(fc.integer({ min: 1, max: 2_000 }), fc.integer({ min: 1, max: 60_000_000 })), { minLength: 1, maxLength: 400 });

test('one pass gives exactly the library\'s percentiles, mean and deviation (any values, any percentiles)', () => {
  fc.assert(
    fc.property(latencies, fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 8 }), (values, percentiles) => {
      const h = createHistogram();
      for (const v of values) recordMicros(h, v);
      const got = histogramStats(h, percentiles);
      assert.deepEqual(got.values, percentiles.map((p) => h.getValueAtPercentile(p)));
      assert.equal(got.mean, h.mean);
      assert.equal(got.stdev, h.stdDeviation);
      assert.deepEqual(latencyStats(h), byLibrary(h));
    }),
    { numRuns: 300 },
  );
});

test('counts recorded many times over (large totals, rank rounding at the edges) and an empty histogram', () => {
  const h = createHistogram();
  for (let i = 1; i <= 1000; i++) h.recordValueWithCount(i * 37, 1 + (i % 7) * 1000);
  assert.deepEqual(latencyStats(h), byLibrary(h));
  assert.deepEqual(histogramStats(createHistogram(), [50, 99]), { values: [0, 0], mean: 0, stdev: 0 });
});
