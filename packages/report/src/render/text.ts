/**
 * The console report: the runbook's "=== Load Test Report ===" summary that
 * operators already read, extended with what novaload adds (dropped
 * iterations, per-request figures, thresholds, verdict, generator health)
 * and, when given, the baseline comparison, history levels and an abort.
 */
import type { Report, ThresholdResult, Verdict } from '../types.js';
import { generatorErrorWarning, isGeneratorError } from '../generator-errors.js';
import { errorHint, insecureWarning, kindLabel } from '../error-hints.js';
import { formatMs, formatPercent, formatThresholdValue } from './format.js';
import { measuresOf } from './measures.js';
import { paint, table, type Cell } from './table.js';
import { abortedLine, baselineLines, expressionCell, historyLines, lostAgentsSentence } from './text-judgement.js';
import { resentLine } from './resent.js';
import { protocolsLine } from './protocols.js';
import { checkRows, checksLine } from './checks.js';
import { dataLine } from './data.js';
import { phaseRows, phases } from './phases.js';
import { skippedLine } from './skipped.js';
import { connectionsLine, timingHeadline, timingRows } from './timings.js';

const GREEN = '32';
const YELLOW = '33';
const RED = '31';
const VERDICT_COLOR: Record<Verdict, string> = { pass: GREEN, warn: YELLOW, fail: RED };

/** Render a report as text for a terminal; ANSI colours only when `color` is set. */
export function renderText(report: Report, opts: { color?: boolean } = {}): string {
  const color = opts.color ?? false;
  const { totals, latency } = report;
  const out = [
    '=== Load Test Report ===',
    '',
    `Scenario: ${report.scenario} (${report.executor}) against ${report.target}`,
    ...tlsLines(report, color),
    `Started: ${report.startedAt}`,
    `Test Duration: ${(report.durationMs / 1000).toFixed(2)} seconds`,
    `Total Requests: ${totals.requests}`,
    `Successful Requests: ${totals.ok}`,
    `Failed Requests: ${totals.failed}`,
    `Dropped Iterations: ${totals.dropped}`,
    ...(totals.iterations !== undefined ? [`Completed Iterations: ${totals.iterations}`] : []),
    ...protocolLines(report),
    '',
    'Performance Metrics:',
    `- Requests/Second: ${report.rps.toFixed(2)}`,
    `- Success Rate: ${formatPercent(report.successRate)}`,
    `- Avg Response Time: ${formatMs(latency.mean)}`,
    `- P50 Response Time: ${formatMs(latency.p50)}`,
    `- P95 Response Time: ${formatMs(latency.p95)}`,
    `- P99 Response Time: ${formatMs(latency.p99)}`,
    `- Max Response Time: ${formatMs(latency.max)}`,
    `- Response Time: counted ${measuresOf(report.executor).from}`,
    '',
    'Error Distribution:',
    ...errorLines(report),
    '',
    ...resentLines(report),
    ...remoteWriteLines(report),
    ...(report.data ? [dataLine(report.data), ''] : []),
    'Requests:',
    ...table(
      ['name', 'method', 'path', 'requests', 'failed', 'rps', 'p50', 'p95', 'p99'],
      report.endpoints.map((e) => [e.name, e.method, e.path, String(e.totals.requests), String(e.totals.failed), e.rps.toFixed(2), formatMs(e.latency.p50), formatMs(e.latency.p95), formatMs(e.latency.p99)]),
      [false, false, false, true, true, true, true, true, true],
      color,
    ).map((l) => `  ${l}`),
    '',
    ...timingLines(report, color),
    ...checkLines(report, color),
    ...phaseLines(report, color),
    ...thresholdLines(report.thresholds, color),
    ...baselineLines(report.baseline, color),
    ...historyLines(report.history, color),
    `Verdict: ${color ? paint(report.verdict.toUpperCase(), VERDICT_COLOR[report.verdict]) : report.verdict.toUpperCase()}`,
  ];
  if (report.aborted) out.push(abortedLine(report.aborted));
  else if (report.interrupted) out.push('Interrupted: the run was stopped before its end; figures cover the part that ran.');
  const lost = lostAgentsSentence(report.agents);
  if (lost !== null) out.push(color ? paint(`LOST: ${lost}`, RED) : `LOST: ${lost}`);
  for (const f of report.failures ?? []) out.push(`FAILED: share ${f.share}${f.agent ? ` on agent ${f.agent}` : ''} crashed (${f.message}); what it sent before is counted, the rest of its load is missing.`);
  if (report.generator.saturated) {
    const g = report.generator;
    const warning = `WARNING: the load generator was saturated (event-loop utilisation up to ${(g.utilizationMax * 100).toFixed(0)}%, lag up to ${formatMs(g.lagMaxMs)}); latencies include its own delay. Use more threads or agents.`;
    out.push(color ? paint(warning, YELLOW) : warning);
  }
  const generatorErrors = generatorErrorWarning(report.errors);
  if (generatorErrors !== null) out.push(color ? paint(generatorErrors, YELLOW) : generatorErrors);
  return `${out.join('\n')}\n`;
}

/** The protocol line under the totals, or nothing for an older report. */
function protocolLines(report: Report): string[] {
  const line = protocolsLine(report);
  return line === null ? [] : [line];
}

/** The resend and journey notes, each with a blank line, or nothing. */
function resentLines(report: Report): string[] {
  return [resentLine(report), skippedLine(report)].flatMap((line) => (line === null ? [] : [line, '']));
}

/** The setup and teardown tables, a failed request in red, or nothing. */
function phaseLines(report: Report, color: boolean): string[] {
  return phases(report).flatMap(({ title, entries }) => [
    `${title} (once, outside the load figures):`,
    ...table(['request', 'status', 'ms', 'result'], phaseRows(entries).map(([n, st, ms, res]): Cell[] => [n, st, ms, res === 'ok' ? res : { text: res, color: RED }]), [false, true, true, false], color).map((l) => `  ${l}`),
    '',
  ]);
}

/** Where the responses' time went (dns … receive), overall then by request, and the connections opened; nothing without phases. */
function timingLines(report: Report, color: boolean): string[] {
  const rows = timingRows(report);
  if (rows.length === 0) return [];
  return [
    `Phases: ${timingHeadline(report.phases) ?? 'no phase took 1% of the time'}`,
    connectionsLine(report),
    ...table(['request', 'phase', 'p50', 'p95', 'p99', 'mean share'], rows, [false, false, true, true, true, true], color).map((l) => `  ${l}`),
    '',
  ];
}

/** The checks table with its pass rate, or nothing when the scenario has no checks. */
function checkLines(report: Report, color: boolean): string[] {
  const line = checksLine(report);
  if (line === null) return [];
  const rows = checkRows(report).map(([request, check, passes, fails]): Cell[] => [request, check, String(passes), fails > 0 ? { text: String(fails), color: RED } : String(fails)]);
  return [`Checks: ${line}`, ...table(['request', 'check', 'passes', 'fails'], rows, [false, false, true, true], color).map((l) => `  ${l}`), ''];
}

/** One line per kind, most frequent first; a kind with a hint (error-hints.ts) has it on the next line. */
function errorLines(report: Report): string[] {
  const entries = Object.entries(report.errors).sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) return ['  (none)'];
  return entries.flatMap(([kind, count]) => {
    const hint = errorHint(kind, report.target);
    return [`  - ${kindLabel(kind, report)}: ${count}${isGeneratorError(kind) ? ' (generator error, not the target)' : ''}`, ...(hint === null ? [] : [`    hint: ${hint}`])];
  });
}

/** The insecure warning under the scenario line, or nothing. */
function tlsLines(report: Report, color: boolean): string[] {
  const warning = insecureWarning(report);
  return warning === null ? [] : [color ? paint(warning, YELLOW) : warning];
}

function thresholdLines(results: readonly ThresholdResult[], color: boolean): string[] {
  if (results.length === 0) return [];
  const rows = results.map((r): Cell[] => [
    r.metric,
    r.level,
    expressionCell(r),
    formatThresholdValue(r.metric, r.value),
    { text: r.ok ? 'PASS' : 'FAIL', color: r.ok ? GREEN : r.level === 'critical' ? RED : YELLOW },
  ]);
  return ['Thresholds:', ...table(['metric', 'level', 'expression', 'value', 'result'], rows, [false, false, false, true, false], color).map((l) => `  ${l}`), ''];
}

/** One line on Prometheus remote write, when it was on: what arrived and what was given up. */
function remoteWriteLines(report: Report): string[] {
  const rw = report.outputs?.prometheusRW;
  if (!rw) return [];
  const failed = rw.lastError === undefined ? '' : `; last error: ${rw.lastError}`;
  return [`Prometheus remote write: ${rw.samples} samples in ${rw.pushes} pushes to ${rw.url}, ${rw.dropped} dropped${failed}`, ''];
}
