/** The report documents in-process: `emitReport` writing --html/--junit/--markdown and the step summary, and `novaload report --format … [--out]`. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderCsv, renderHtml, renderJson, renderJunit, renderMarkdown, RunAggregator, type Report } from '@novaload/report';
import { main } from '../src/main.js';
import type { Io } from '../src/io.js';
import { emitReport } from '../src/outputs.js';

function io(cwd: string, env: Record<string, string> = {}): Io & { out: string; err: string } {
  const o = {
    out: '',
    err: '',
    stdout: { write: (s: string) => void (o.out += s) },
    stderr: { write: (s: string) => void (o.err += s) },
    env,
    cwd,
    onSignal: () => () => {},
  };
  return o;
}

/** A one-second report of scenario `name` whose only threshold has no data (verdict fail). */
function report(name: string): Report {
  const meta = { scenario: name, target: 'http://127.0.0.1:9', executor: 'constant-vus', startedAt: new Date('2025-01-02T03:04:05Z'), requests: [{ name: 'home', method: 'GET', path: '/' }] };
  return new RunAggregator(meta, 1).finish({ durationMs: 1000, interrupted: false, thresholds: { 'latency.p99': '<1s' } });
}

test('emitReport writes --html, --junit and --markdown, one file per scenario when there are several', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'novaload-out-'));
  const x = io(dir);
  assert.equal(await emitReport(report('peak'), { html: 'r.html', junit: 'r.xml', markdown: 'r.md' }, x, 2), 0, 'no file failed');
  assert.equal(await readFile(join(dir, 'r.peak.html'), 'utf8'), renderHtml(report('peak')));
  assert.equal(await readFile(join(dir, 'r.peak.xml'), 'utf8'), renderJunit(report('peak')));
  assert.equal(await readFile(join(dir, 'r.peak.md'), 'utf8'), renderMarkdown(report('peak')));
  assert.match(x.out, /=== Load Test Report ===/);
});

test('with GITHUB_STEP_SUMMARY set, every report appends its markdown summary to that file, --markdown or not', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'novaload-out-'));
  const summary = join(dir, 'step-summary.md');
  await writeFile(summary, '# earlier step\n\n');
  const x = io(dir, { GITHUB_STEP_SUMMARY: summary });
  await emitReport(report('normal'), {}, x, 2);
  await emitReport(report('peak'), {}, x, 2);
  assert.equal(await readFile(summary, 'utf8'), `# earlier step\n\n${renderMarkdown(report('normal'))}${renderMarkdown(report('peak'))}`);
  assert.equal(x.err, '');
});

test('a GITHUB_STEP_SUMMARY that cannot be written is reported on stderr and does not fail the run', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'novaload-out-'));
  const x = io(dir, { GITHUB_STEP_SUMMARY: join(dir, 'missing-dir', 'summary.md') });
  await emitReport(report('normal'), {}, x, 1);
  assert.match(x.err, /cannot append the summary to GITHUB_STEP_SUMMARY \(.*missing-dir/);
});

test('report --format html|junit|markdown|csv|json prints each document; --out writes it instead', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'novaload-out-'));
  const saved = report('normal');
  await writeFile(join(dir, 'r.json'), renderJson(saved));
  const expected: Record<string, string> = { html: renderHtml(saved), junit: renderJunit(saved), markdown: renderMarkdown(saved), csv: renderCsv(saved).summary, json: renderJson(saved) };
  for (const [format, text] of Object.entries(expected)) {
    const x = io(dir);
    assert.equal(await main(['report', 'r.json', '--format', format], x), 0, x.err);
    assert.equal(x.out, text, format);
  }
  const x = io(dir);
  assert.equal(await main(['report', 'r.json', '--format', 'csv', '--out', 'again.csv'], x), 0, x.err);
  assert.equal(x.out, '');
  assert.equal(await readFile(join(dir, 'again.csv'), 'utf8'), renderCsv(saved).summary);
  assert.equal(await readFile(join(dir, 'again.timeline.csv'), 'utf8'), renderCsv(saved).timeline);
  assert.equal(await main(['report', 'r.json', '--format', 'text', '--out', 'r.txt'], x), 0, x.err);
  assert.match(await readFile(join(dir, 'r.txt'), 'utf8'), /^=== Load Test Report ===\n[^\u001b]*Verdict: FAIL\n/);
});

test('report: an unknown format is invalid input that lists the formats', async () => {
  const x = io(process.cwd());
  assert.equal(await main(['report', 'r.json', '--format', 'pdf'], x), 104);
  assert.match(x.err, /html.*junit.*markdown/);
});
