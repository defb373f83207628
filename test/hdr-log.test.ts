/**
 * End to end: `--hdr-log` writes overall latency per second as an
 * HdrHistogram interval log which, read back with hdr-histogram-js's
 * HistogramLogReader, gives exactly the JSON report's percentiles.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './helpers/servers.js';
import { runCli, tempDir } from './helpers/cli.js';

/** The parts of hdr-histogram-js this test reads a log with. */
interface LoggedHistogram {
  totalCount: number;
  startTimeStampMsec: number;
  mean: number;
  stdDeviation: number;
  getValueAtPercentile(p: number): number;
  add(other: LoggedHistogram): void;
}
interface HdrJs {
  HistogramLogReader: new (log: string) => { nextIntervalHistogram(): LoggedHistogram | null };
  build(request: object): LoggedHistogram;
}

// The reader the report package depends on (the workspace root does not list it).
const hdr = createRequire(fileURLToPath(new URL('../../packages/report/package.json', import.meta.url)))('hdr-histogram-js') as HdrJs;

test('--hdr-log: read back with HistogramLogReader, the intervals add up to the JSON report\'s latency exactly', async () => {
  const server = await startServer((_req, i) => ({ delayMs: i % 7 === 0 ? 12 : i % 3 }));
  try {
    const dir = await tempDir();
    const r = await runCli(['bench', server.url, '-c', '4', '-d', '2s', '--threads', '2', '--quiet', '--hdr-log', join(dir, 'latency.hdr'), '--out', join(dir, 'r.json')]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
    const log = await readFile(join(dir, 'latency.hdr'), 'utf8');
    assert.match(log, /^#\[StartTime: \d+\.\d{3} \(seconds since epoch\), .*\]$/m);
    assert.match(log, /^#\[BaseTime: \d+\.\d{3} \(seconds since epoch\)\]$/m);
    assert.match(log, /^"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"$/m);
    const reader = new hdr.HistogramLogReader(log);
    const sum = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3, bitBucketSize: 32, autoResize: false, useWebAssembly: false });
    const starts: number[] = [];
    for (let h = reader.nextIntervalHistogram(); h !== null && starts.length < 1000; h = reader.nextIntervalHistogram()) {
      starts.push(h.startTimeStampMsec);
      sum.add(h);
    }
    assert.equal(starts.length, report.timeline.length, 'one interval per second of the timeline');
    assert.deepEqual(starts.map((s) => s - starts[0]!), starts.map((_, t) => t * 1000), 'consecutive one-second intervals');
    assert.equal(sum.totalCount, report.totals.requests);
    const ms = (micros: number): number => Math.round(micros) / 1000;
    const at = (p: number): number => ms(sum.getValueAtPercentile(p));
    assert.deepEqual(
      { min: at(0), mean: ms(sum.mean), stdev: ms(sum.stdDeviation), p50: at(50), p90: at(90), p95: at(95), p99: at(99), p999: at(99.9), max: at(100) },
      report.latency,
    );
  } finally {
    await server.close();
  }
});
