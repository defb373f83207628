/** A run file's report in markdown, JUnit and text: the run, then each workload, each with its dropped and completed iterations. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderJunit, renderMarkdown, renderText, type Report } from '../src/index.js';
import { runReport } from './run-report.js';

/** The key-figure row under a markdown section's header `## … novaload: NAME — VERDICT`. */
function figuresOf(md: string, name: string): string[] {
  const lines = md.split('\n');
  const head = lines.findIndex((l) => l.startsWith('## ') && l.includes(`novaload: ${name} —`));
  assert.ok(head >= 0, name);
  const table = lines.indexOf('| requests | req/s | success | errors | p50 | p95 | p99 | max | dropped | iterations |', head);
  assert.ok(table > head, `${name} has the iterations column`);
  return lines[table + 2]!.replace(/^\| | \|$/g, '').split(' | ');
}

test('markdown: the run\'s section, then each workload\'s, each with its dropped and completed iterations; none for an older report', () => {
  const report = runReport();
  const md = renderMarkdown(report);
  assert.deepEqual([figuresOf(md, 'release-check'), figuresOf(md, 'browse'), figuresOf(md, 'api')].map((row) => [row[0], ...row.slice(-2)]), [['173', '0', '173'], ['123', '0', '123'], ['50', '0', '50']]);
  const { iterations: _iterations, ...totals } = report.totals;
  const older: Report = { ...report, totals, scenarios: {} };
  assert.ok(renderMarkdown(older).includes('| requests | req/s | success | errors | p50 | p95 | p99 | max | dropped |\n'), 'a report older than the count has no iterations column');
});

test('JUnit: a testsuite for the run and one per workload, each with dropped and iterations properties', () => {
  const xml = renderJunit(runReport());
  const suites = xml.split('<testsuite ').slice(1);
  assert.deepEqual(suites.map((s) => /^name="([^"]+)"/.exec(s)?.[1]), ['novaload.release-check', 'novaload.release-check.browse', 'novaload.release-check.api']);
  assert.deepEqual(suites.map((s) => [/<property name="dropped" value="(\d+)"\/>/.exec(s)?.[1], /<property name="iterations" value="(\d+)"\/>/.exec(s)?.[1]]), [['0', '173'], ['0', '123'], ['0', '50']]);
  assert.match(suites[2]!, /failures="1"/, 'api\'s errorRate threshold failed in its own suite');
});

test('text: each report says its dropped and completed iterations, one under the other', () => {
  const report = runReport();
  for (const r of [report, ...Object.values(report.scenarios!)]) assert.match(renderText(r), new RegExp(`^Dropped Iterations: 0\nCompleted Iterations: ${r.totals.iterations}$`, 'm'));
});
