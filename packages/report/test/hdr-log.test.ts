import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as hdr from 'hdr-histogram-js';
import { createHistogram, HdrIntervalLog, latencyStats, RunAggregator, type Histogram, type IntervalSnapshot, type TimelinePoint } from '../src/index.js';
import { endpoint, latencyMicros, META, seeded, snapshot } from './fixtures.js';

const START = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
const finishOpts = { durationMs: 4000, interrupted: false, thresholds: {} };

/** Every interval of a log, read back with hdr-histogram-js's reader (the library's own round trip). */
function readLog(text: string): Histogram[] {
  const reader = new hdr.HistogramLogReader(text);
  const out: Histogram[] = [];
  for (let h = reader.nextIntervalHistogram(); h !== null && out.length < 10_000; h = reader.nextIntervalHistogram()) out.push(h);
  return out;
}

/** A 2-share, 4-second run of seeded latencies, logged as it completes. */
function loggedRun(): { log: string; report: ReturnType<RunAggregator['finish']>; seen: { point: TimelinePoint; count: number }[] } {
  const rand = seeded(7);
  let log = '';
  const seen: { point: TimelinePoint; count: number }[] = [];
  const agg = new RunAggregator(META, 2);
  agg.listen(new HdrIntervalLog((text) => (log += text), START));
  agg.listen({ onSecond: (point, latency) => seen.push({ point, count: latency.totalCount }) });
  for (let second = 0; second < 4; second++) {
    for (let share = 0; share < 2; share++) {
      const n = second === 2 ? 0 : 50 + Math.floor(rand() * 100);
      const lat = Array.from({ length: n }, () => latencyMicros(rand));
      const endpoints: IntervalSnapshot['endpoints'] = n === 0 ? {} : { 'list-tasks': endpoint({ latency: lat, serviceTime: lat, ttfb: lat, errors: [] }) };
      agg.add(snapshot({ share, seq: second, second, vus: 1, endpoints }));
    }
  }
  return { log, report: agg.finish(finishOpts), seen };
}

test('the interval log has the standard header and one line per second, written as seconds complete', () => {
  const { log, seen } = loggedRun();
  const lines = log.trimEnd().split('\n');
  assert.equal(lines[1], '#[Histogram log format version 1.3]');
  assert.match(lines[2]!, /^#\[StartTime: 1735787045\.678 \(seconds since epoch\), .+\]$/);
  assert.equal(lines[3], '#[BaseTime: 1735787045.678 (seconds since epoch)]');
  assert.equal(lines[4], '"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"');
  const intervals = lines.slice(5);
  assert.deepEqual(intervals.map((l) => l.split(',').slice(0, 2).join(',')), ['0.000,1.000', '1.000,1.000', '2.000,1.000', '3.000,1.000']);
  assert.ok(intervals.every((l) => /^\d+\.000,1\.000,\d+\.\d{3},HISTF[A-Za-z0-9+/=]+$/.test(l)), 'four fields: start, length, max in ms, compressed histogram');
  assert.ok(!log.includes('\n\n'), 'no blank line (hdr-histogram-js\'s outputStartTime writes one)');
  assert.deepEqual(seen.map((s) => s.point.t), [0, 1, 2, 3], 'seconds reach listeners in order');
  assert.ok(seen.every((s) => s.count === s.point.requests), 'the listener gets the second\'s histogram before it is dropped');
});

test('read back with HistogramLogReader, the intervals add up to the report\'s latency exactly', () => {
  const { log, report } = loggedRun();
  const intervals = readLog(log);
  assert.equal(intervals.length, 4);
  assert.deepEqual(intervals.map((h) => h.startTimeStampMsec), [0, 1, 2, 3].map((t) => START + t * 1000));
  assert.deepEqual(intervals.map((h) => h.totalCount), report.timeline.map((p) => p.requests));
  const sum = createHistogram();
  for (const h of intervals) sum.add(h);
  assert.deepEqual(latencyStats(sum), report.latency);
});

test('latency arriving after its second completed becomes one more interval of that second', () => {
  let log = '';
  const agg = new RunAggregator(META, 1);
  agg.listen(new HdrIntervalLog((text) => (log += text), START));
  const ep = (ms: number) => ({ 'list-tasks': endpoint({ latency: [ms * 1000], serviceTime: [ms * 1000], ttfb: [ms * 1000], errors: [] }) });
  agg.add(snapshot({ share: 0, seq: 0, second: 0, endpoints: ep(10) }));
  agg.add(snapshot({ share: 0, seq: 1, second: 0, endpoints: ep(900) }));
  const report = agg.finish(finishOpts);
  const intervals = readLog(log);
  assert.deepEqual(intervals.map((h) => h.startTimeStampMsec), [START, START]);
  const sum = createHistogram();
  for (const h of intervals) sum.add(h);
  assert.deepEqual(latencyStats(sum), report.latency);
});
