/** The bench's own arithmetic: the truth of a stall, same-round ratios, and the verdicts against issue 5's targets. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MEASUREMENTS } from '../lib/plan.js';
import { markdownTable, toRow } from '../lib/report.js';
import { median, spread, stallTruth } from '../lib/stats.js';

test('median and spread ignore rounds that gave nothing', () => {
  assert.equal(median([3, NaN, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([NaN])));
  assert.equal(spread([90, 100, 110]), 0.1);
  assert.ok(Number.isNaN(spread([5])));
});

test('the stall truth: 200/s for 10 s, a 1 s stall once, comes from the schedule alone', () => {
  // 2,000 arrivals, 200 of them inside the stall, waiting 997.5, 992.5, … 2.5 ms; p95 is rank 1,900, p99 rank 1,980.
  assert.deepEqual(stallTruth(200, 10, 1000, 0, [50, 95, 99, 100]), [0, 497.5, 897.5, 997.5]);
  // A base service time adds to every value.
  assert.deepEqual(stallTruth(200, 10, 1000, 1, [50, 99]), [1, 898.5]);
});

test('a ratio is the median of the ratios taken in each round, not the ratio of the medians', () => {
  const row = toRow({ measurement: 'max-1', metric: 'rps', values: { novaload: [10, 20, 30], autocannon: [10, 10, 60] }, reference: [], saturated: false });
  assert.equal(row.medians.novaload, 20);
  assert.equal(row.medians.autocannon, 10);
  assert.equal(row.ratios.autocannon, 1); // rounds: 1, 2, 0.5
});

test('verdicts follow issue 5: max throughput needs both peers, a missing peer is not held against it', () => {
  const max = MEASUREMENTS.find((m) => m.id === 'max-1')!;
  const verdict = (wrk: number[] | undefined) =>
    toRow({ measurement: 'max-1', metric: 'rps', values: { novaload: [100], autocannon: [80], ...(wrk && { wrk }) }, reference: [], saturated: false, check: max.checks!.rps }).met;
  assert.equal(verdict([200]), true); // 1.25× autocannon, 0.5× wrk
  assert.equal(verdict([201]), false); // 0.4975× wrk
  assert.equal(verdict(undefined), true);
});

test('a fixed rate is delivered within 1%, or the shortfall is flagged as saturation', () => {
  const rate = MEASUREMENTS.find((m) => m.id === 'rate-2000')!;
  const met = (delivered: number, saturated: boolean) =>
    toRow({ measurement: 'rate-2000', metric: 'delivered', values: { novaload: [delivered] }, reference: [], saturated, check: rate.checks!.delivered }).met;
  assert.equal(met(99.5, false), true);
  assert.equal(met(97, false), false);
  assert.equal(met(97, true), true);
});

test('the stall rows hold novaload within 10% of the truth, and the table says so', () => {
  const stall = MEASUREMENTS.find((m) => m.id === 'stall')!;
  const row = (p99: number) => toRow({ measurement: 'stall', metric: 'p99', values: { novaload: [p99] }, reference: [897.5], saturated: false, check: stall.checks!.p99 });
  assert.equal(row(902).met, true);
  assert.equal(row(989).met, false);
  const table = markdownTable([row(989)], { stall: 'stall test' }, ['novaload']);
  assert.match(table, /\| stall test \| latency p99 ms \| 989 \| 898 \| novaload within 10% of the truth \| no \|/);
});
