/**
 * End to end: a windowed threshold with abortOnFail stops a run against a
 * server that turns slow, well before its planned end; every report is
 * written, says it was aborted and by which threshold, and the exit code is 108.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer } from './helpers/servers.js';
import { runCli, tempDir, writeScenario } from './helpers/cli.js';

test('abortOnFail: p99 over its bound for the whole window stops the run, reports are written, exit 108', async () => {
  const server = await startServer((_req, i) => ({ delayMs: i < 200 ? 0 : 300 }));
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'slow.json', {
      name: 'turns-slow',
      target: server.url,
      executor: 'constant-vus',
      vus: 4,
      duration: '60s',
      gracefulStop: '2s',
      requests: [{ name: 'home', path: '/' }],
      thresholds: { 'latency.p99': { critical: '<100ms', for: '2s', abortOnFail: true }, errorRate: '<1%' },
    });
    const started = Date.now();
    const r = await runCli(['run', file, '--threads', '1', '--quiet', '--out', join(dir, 'r.json'), '--csv', join(dir, 'r.csv'), '--hdr-log', join(dir, 'r.hdr')], { timeoutMs: 60_000 });
    assert.equal(r.code, 108, r.stderr);
    assert.ok(Date.now() - started < 20_000, 'stopped well before the planned 60 s');
    assert.match(r.stderr, /threshold latency\.p99 \(critical <100ms for 2s\) failed at second \d+, abortOnFail: stopping the load/);
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
    assert.equal(report.interrupted, true);
    assert.equal(report.aborted.metric, 'latency.p99');
    assert.equal(report.aborted.expression, '<100ms for 2s');
    assert.ok(report.durationMs < 20_000);
    assert.equal(report.totals.requests, server.seen.length);
    const windowed = report.thresholds.find((t: { metric: string }) => t.metric === 'latency.p99');
    assert.equal(windowed.ok, false);
    assert.equal(windowed.window.failed.to, report.aborted.second);
    assert.equal(windowed.window.failed.to - windowed.window.failed.from + 1, 2);
    assert.equal(report.verdict, 'fail');
    assert.match(r.stdout, /Aborted: threshold latency\.p99 \(critical <100ms for 2s\) failed at second \d+/);
    for (const written of ['r.csv', 'r.timeline.csv', 'r.hdr']) assert.ok((await stat(join(dir, written))).size > 0, written);
  } finally {
    await server.close();
  }
});
