/** The CSV of a run file's report: the run's rows, then each workload's, told apart by a last `scenario` column. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CSV_OVERALL_ROW, renderCsv } from '../src/index.js';
import { runReport } from './run-report.js';

/** Rows of a CSV document without quoted commas (the fixture's names have none). */
const rowsOf = (csv: string): string[][] => csv.trimEnd().split('\n').map((l) => l.split(','));

test('a run file\'s CSV summary: the run\'s rows (scenario empty), then each workload\'s, each (all) row with its iteration counts', () => {
  const report = runReport();
  const [header, ...rows] = rowsOf(renderCsv(report).summary);
  assert.equal(header!.at(-1), 'scenario');
  assert.deepEqual(header!.slice(-3), ['dropped', 'iterations', 'scenario']);
  assert.deepEqual(rows.map((r) => [r[0], r.at(-1), r[1]]), [
    ['home', '', '123'],
    ['ping', '', '50'],
    [CSV_OVERALL_ROW, '', '173'],
    ['home', 'browse', '123'],
    [CSV_OVERALL_ROW, 'browse', '123'],
    ['ping', 'api', '50'],
    [CSV_OVERALL_ROW, 'api', '50'],
  ]);
  const overall = (scenario: string): string[] => rows.find((r) => r[0] === CSV_OVERALL_ROW && r.at(-1) === scenario)!;
  assert.deepEqual(['', 'browse', 'api'].map((s) => overall(s).slice(-3, -1)), [['0', '173'], ['0', '123'], ['0', '50']], 'dropped and completed iterations of the run and of each workload');
  assert.equal(overall('api')[3], '3', 'api\'s failures are its own');
  assert.ok(rows.every((r) => r.length === header!.length));
});

test('a run file\'s CSV timeline: the run\'s seconds, then each workload\'s on its own clock; a scenario\'s CSV has no scenario column', () => {
  const report = runReport();
  const [header, ...rows] = rowsOf(renderCsv(report).timeline);
  assert.deepEqual(header, ['t', 'requests', 'errors', 'vus', 'dropped', 'p50_ms', 'p95_ms', 'p99_ms', 'scenario']);
  assert.deepEqual(rows.map((r) => [r[0], r[1], r.at(-1)]), [
    ['0', '40', ''], ['1', '72', ''], ['2', '61', ''],
    ['0', '40', 'browse'], ['1', '42', 'browse'], ['2', '41', 'browse'],
    ['0', '30', 'api'], ['1', '20', 'api'],
  ]);
  const { scenarios: _scenarios, ...scenario } = report;
  const single = renderCsv(scenario);
  assert.ok(!single.summary.split('\n')[0]!.includes('scenario'));
  assert.equal(single.timeline.split('\n')[0], 't,requests,errors,vus,dropped,p50_ms,p95_ms,p99_ms', 'today\'s header');
});

test('a run file\'s CSV checks: the run\'s rows, then each workload\'s that has checks', () => {
  const [header, ...rows] = rowsOf(renderCsv(runReport()).checks!);
  assert.deepEqual(header, ['request', 'check', 'passes', 'fails', 'scenario']);
  assert.deepEqual(rows, [['ping', 'status 200', '47', '3', ''], ['ping', 'status 200', '47', '3', 'api']]);
});
