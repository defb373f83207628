/**
 * The journey rows measure what they say: each scenario runs clean against
 * the JSON target (every request ok, every check passing, nothing skipped),
 * so the journey's CPU is that of templates, captures and checks doing
 * their work, not of failures; and the static row is judged against the
 * baseline build by same-round ratios.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeBenchScenario } from '../lib/journey.js';
import { MEASUREMENTS } from '../lib/plan.js';
import { toRow } from '../lib/report.js';
import { startNodeTarget } from '../lib/targets.js';
import { repoRoot } from '../lib/tools.js';

test('the static, journey and literal scenarios run clean against the JSON target: all ok, all checks pass, none skipped', async () => {
  const target = await startNodeTarget('json');
  const dir = mkdtempSync(join(tmpdir(), 'novaload-bench-journey-'));
  try {
    for (const kind of ['static', 'journey', 'literal'] as const) {
      const file = writeBenchScenario(dir, kind, { url: target.url, connections: 2, durationS: 1 });
      const out = join(dir, `${kind}.out.json`);
      execFileSync(process.execPath, [join(repoRoot, 'packages/controller/bin/novaload.js'), 'run', file, '--threads', '1', '--quiet', '--out', out], { timeout: 30_000 });
      const report = JSON.parse(readFileSync(out, 'utf8'));
      assert.ok(report.totals.requests > 50, `${kind}: only ${report.totals.requests} requests`);
      assert.deepEqual([report.totals.failed, report.totals.skipped], [0, 0], kind);
      if (kind !== 'static') assert.deepEqual(report.endpoints.map((e: { name: string }) => e.name), ['login', 'read']);
      if (kind === 'journey') {
        assert.deepEqual(report.totals.checks, { passes: 4 * report.endpoints[1].totals.requests + (report.endpoints[0].totals.requests - report.endpoints[1].totals.requests), fails: 0 });
      }
    }
  } finally {
    await target.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the static row is judged against the baseline build: ≥ 0.97× its req/s, ≤ 1.03× its CPU per request', () => {
  const row = MEASUREMENTS.find((m) => m.id === 'static')!;
  const judge = (metric: 'rps' | 'netCpuUs', mine: number[], base: number[]) =>
    toRow({ measurement: 'static', metric, values: { novaload: mine, baseline: base }, reference: [], saturated: false, check: row.checks![metric] });
  assert.deepEqual([judge('rps', [98, 97], [100, 100]).met, judge('rps', [96, 96], [100, 100]).met], [true, false]);
  assert.deepEqual([judge('netCpuUs', [103, 100], [100, 100]).met, judge('netCpuUs', [104, 105], [100, 100]).met], [true, false]);
  // Without --baseline-dir the row has this build only, and no verdict.
  assert.equal(toRow({ measurement: 'static', metric: 'rps', values: { novaload: [1] }, reference: [], saturated: false, check: row.checks!.rps }).met, null);
});
