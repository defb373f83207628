/**
 * A GitHub-flavoured markdown summary (`--markdown`, and appended to
 * $GITHUB_STEP_SUMMARY): what a reviewer needs on a pull request's checks
 * page — the verdict, key figures, requests and thresholds — in tables that
 * GitHub renders. Names from scenario files are escaped so they stay text.
 */
import type { Report, ThresholdResult, Verdict } from '../types.js';
import { escapeMarkdown as md } from './escape.js';
import { formatMs, formatPercent, formatThresholdValue } from './format.js';
import { measuresOf } from './measures.js';
import { abortedLine, expressionCell, lostAgentsSentence } from './text-judgement.js';
import { dataLine } from './data.js';
import { phaseRows, phases } from './phases.js';
import { resentLine } from './resent.js';
import { protocolsLine } from './protocols.js';
import { checkRows, checksLine } from './checks.js';
import { skippedLine } from './skipped.js';
import { errorHint, insecureWarning, kindLabel } from '../error-hints.js';
import { connectionsLine, timingHeadline, timingRows } from './timings.js';

const VERDICT_ICON: Record<Verdict, string> = { pass: '✅', warn: '⚠️', fail: '❌' };

/** ✅ passed, ⚠️ failed at warning level (does not fail the run), ❌ failed at critical level. */
export function thresholdIcon(t: ThresholdResult): string {
  return t.ok ? '✅' : t.level === 'critical' ? '❌' : '⚠️';
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function tableMd(header: readonly string[], align: readonly ('l' | 'r')[], rows: readonly (readonly string[])[]): string[] {
  return [row(header), row(align.map((a) => (a === 'r' ? '---:' : '---'))), ...rows.map(row)];
}

/** Render a report as a markdown section (starts with a level-2 heading, ends with a blank line, so several append cleanly); a run file's report is followed by one per workload. */
export function renderMarkdown(report: Report): string {
  const r = report;
  const verdict = VERDICT_ICON[r.verdict] ?? '';
  const out = [
    `## ${verdict} novaload: ${md(r.scenario)} — ${md(r.verdict.toUpperCase())}`,
    '',
    `${md(r.executor)} against ${md(r.target)} · started ${md(r.startedAt)} · ${(r.durationMs / 1000).toFixed(2)} s · latency ${md(measuresOf(r.executor).from)}${r.interrupted ? ' · **interrupted**: figures cover the part that ran' : ''}`,
    '',
    ...figuresMd(r),
    '',
  ];
  const protocols = protocolsLine(r);
  if (protocols !== null) out.push(md(protocols), '');
  const lost = lostAgentsSentence(r.agents);
  if (lost !== null) out.push(`> [!CAUTION]\n> **Agents lost.** ${md(lost)}`, '');
  if (r.aborted) out.push(`> [!CAUTION]\n> ${md(abortedLine(r.aborted))}`, '');
  if (r.generator.saturated) {
    out.push(`> [!WARNING]\n> The load generator was saturated (event-loop utilisation up to ${(r.generator.utilizationMax * 100).toFixed(0)}%, lag up to ${formatMs(r.generator.lagMaxMs)}): latencies include its own delay.`, '');
  }
  if (r.thresholds.length > 0) {
    out.push('### Thresholds', '', ...tableMd(['', 'metric', 'level', 'condition', 'observed'], ['l', 'l', 'l', 'l', 'r'], r.thresholds.map((t) => [thresholdIcon(t), md(t.metric), md(t.level), md(expressionCell(t)), md(formatThresholdValue(t.metric, t.value))])), '');
  }
  if (r.endpoints.length > 0) {
    const rows = r.endpoints.map((e) => [md(e.name), md(e.method), md(e.path), String(e.totals.requests), String(e.totals.failed), e.rps.toFixed(2), formatMs(e.latency.p50), formatMs(e.latency.p95), formatMs(e.latency.p99)]);
    out.push('### Requests', '', ...tableMd(['name', 'method', 'path', 'requests', 'failed', 'req/s', 'p50', 'p95', 'p99'], ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r'], rows), '');
  }
  const timings = timingRows(r);
  if (timings.length > 0) {
    out.push('### Phases', '', md(`${timingHeadline(r.phases) ?? 'No phase took 1% of the time'}. ${connectionsLine(r)}.`), '');
    out.push(...tableMd(['request', 'phase', 'p50', 'p95', 'p99', 'mean share'], ['l', 'l', 'r', 'r', 'r', 'r'], timings.map((row) => row.map((c) => md(c)))), '');
  }
  const checks = checksLine(r);
  if (checks !== null) {
    const rows = checkRows(r).map(([request, check, passes, fails]) => [md(request), md(check), String(passes), String(fails)]);
    out.push('### Checks', '', md(checks), '', ...tableMd(['request', 'check', 'passes', 'fails'], ['l', 'l', 'r', 'r'], rows), '');
  }
  for (const { title, entries } of phases(r)) {
    out.push(`### ${title}`, '', ...tableMd(['request', 'status', 'ms', 'result'], ['l', 'r', 'r', 'l'], phaseRows(entries).map((row) => row.map((c) => md(c)))), '');
  }
  const errors = Object.entries(r.errors).sort((a, b) => b[1] - a[1]);
  if (errors.length > 0) {
    const hints = errors.map(([kind]) => errorHint(kind, r.target) ?? '');
    const rows = errors.map(([kind, n], i) => [md(kindLabel(kind, r)), String(n), ...(hints.some((h) => h !== '') ? [md(hints[i]!)] : [])]);
    out.push('### Errors', '', ...(hints.some((h) => h !== '') ? tableMd(['kind', 'count', 'hint'], ['l', 'r', 'l'], rows) : tableMd(['kind', 'count'], ['l', 'r'], rows)), '');
  }
  const insecure = insecureWarning(r);
  if (insecure !== null) out.push(`> [!WARNING]\n> ${md(insecure)}`, '');
  const resent = resentLine(r);
  if (resent !== null) out.push(`> [!NOTE]\n> ${md(resent)}`, '');
  if (r.data) out.push(`> [!NOTE]\n> ${md(dataLine(r.data))}`, '');
  const skipped = skippedLine(r);
  if (skipped !== null) out.push(`> [!NOTE]\n> ${md(skipped)}`, '');
  if (r.generatorErrors) out.push(`> [!WARNING]\n> ${r.generatorErrors} error(s) were the generator's own (file descriptors, local ports), not the target's.`, '');
  out.push(...judgementSections(r));
  // A run file's report: each workload's section follows, as several reports append.
  return `${out.join('\n')}\n${Object.values(r.scenarios ?? {}).map(renderMarkdown).join('')}`;
}

/** The key figures' table; completed iterations follow the dropped ones, as in the text report (absent from older reports). */
function figuresMd(r: Report): string[] {
  const iterations = r.totals.iterations === undefined ? [] : [String(r.totals.iterations)];
  return tableMd(
    ['requests', 'req/s', 'success', 'errors', 'p50', 'p95', 'p99', 'max', 'dropped', ...(iterations.length > 0 ? ['iterations'] : [])],
    ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', ...(iterations.length > 0 ? ['r' as const] : [])],
    [[String(r.totals.requests), r.rps.toFixed(2), formatPercent(r.successRate), formatPercent(r.errorRate), formatMs(r.latency.p50), formatMs(r.latency.p95), formatMs(r.latency.p99), formatMs(r.latency.max), String(r.totals.dropped), ...iterations]],
  );
}

/** The comparison with --baseline and the levels from --history, when the run had them. */
function judgementSections(r: Report): string[] {
  const out: string[] = [];
  const value = (metric: string, v: number): string => md(formatThresholdValue(metric, v));
  if (r.baseline) {
    const rows = r.baseline.metrics.map((m) => [md(m.metric), value(m.metric, m.baseline), value(m.metric, m.current), m.changePercent === null ? '–' : `${m.changePercent >= 0 ? '+' : ''}${m.changePercent.toFixed(1)}%`]);
    out.push(`### Compared with ${md(r.baseline.file)} (${md(r.baseline.startedAt)})`, '', ...tableMd(['metric', 'baseline', 'now', 'change'], ['l', 'r', 'r', 'r'], rows), '');
  }
  if (r.history) {
    const rows = r.history.levels.map((l) => [md(l.metric), value(l.metric, l.baseline), value(l.metric, l.stdev), value(l.metric, l.warning), value(l.metric, l.critical)]);
    out.push(`### Levels from ${r.history.reports} earlier runs (sensitivity ${r.history.sensitivity})`, '', ...tableMd(['metric', 'baseline', 'σ', 'warning', 'critical'], ['l', 'r', 'r', 'r', 'r'], rows), '');
  }
  return out;
}
