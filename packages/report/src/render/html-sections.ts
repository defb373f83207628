/**
 * The HTML report's figures and tables (key figures, latency statistics,
 * thresholds, requests, errors, agents) as markup strings. Every value that
 * comes from a scenario file, a server or an agent passes through
 * escapeMarkup here; numbers are formatted as in the text report.
 */
import type { LatencyStats, Report, ThresholdResult } from '../types.js';
import { escapeMarkup as esc } from './escape.js';
import { formatMs, formatPercent, formatThresholdValue } from './format.js';
import { measuresOf } from './measures.js';
import { expressionCell } from './text-judgement.js';
import { checkRows, checksLine } from './checks.js';
import { phaseRows, phases } from './phases.js';
import { errorHint, kindLabel } from '../error-hints.js';
import { connectionsLine, timingHeadline, timingRows } from './timings.js';

/** A header cell: its label and whether the column holds numbers (right-aligned). */
export type Column = [label: string, numeric?: boolean];

/** The heading level of a report's sections: h2 for the run, h3 inside a run file's workload section (its h2 names the workload). */
export type Heading = 'h2' | 'h3';

/** A table of already-escaped cells; numeric columns are right-aligned. */
export function table(columns: readonly Column[], rows: readonly { cells: readonly string[]; cls?: string }[]): string {
  const head = columns.map(([label, n]) => `<th${n ? ' class="n"' : ''}>${esc(label)}</th>`).join('');
  const body = rows.map((r) => `<tr${r.cls ? ` class="${r.cls}"` : ''}>${r.cells.map((c, i) => `<td${columns[i]?.[1] ? ' class="n"' : ''}>${c}</td>`).join('')}</tr>`);
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body.join('\n')}\n</tbody></table>`;
}

/** The runbook's error-rate bands, in percent: normal below `warning`, warning up to `critical`, critical above (the live dashboard draws them too). */
export const ERROR_RATE_BANDS = { warning: 0.1, critical: 1 } as const;

/** The runbook's error-rate bands: normal < 0.1 %, warning 0.1–1 %, critical > 1 %. */
export function errorRateBand(percent: number): 'normal' | 'warning' | 'critical' {
  return percent < ERROR_RATE_BANDS.warning ? 'normal' : percent <= ERROR_RATE_BANDS.critical ? 'warning' : 'critical';
}

function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}

/** The key figures as cards (completed iterations beside the dropped, as in the text report; absent from older reports); the error rate is coloured by its runbook band. */
export function figuresHtml(r: Report): string {
  const cards: [string, string, string?][] = [
    ['Requests', String(r.totals.requests)],
    ['Throughput', `${r.rps.toFixed(2)} req/s`],
    ['Success rate', formatPercent(r.successRate)],
    ['Error rate', formatPercent(r.errorRate), errorRateBand(r.errorRate)],
    ['p50', formatMs(r.latency.p50)],
    ['p95', formatMs(r.latency.p95)],
    ['p99', formatMs(r.latency.p99)],
    ['Max', formatMs(r.latency.max)],
    ['Dropped iterations', String(r.totals.dropped)],
    ...(r.totals.iterations !== undefined ? [['Completed iterations', String(r.totals.iterations)] as [string, string]] : []),
    ['Received', bytes(r.totals.bytesReceived)],
  ];
  return `<dl class="figures">${cards.map(([k, v, cls]) => `<div class="figure${cls ? ` ${cls}` : ''}"><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('')}</dl>`;
}

/** Latency, service time and TTFB statistics side by side, each named by what it counts from for the run's executor. */
export function statsHtml(r: Report): string {
  const m = measuresOf(r.executor);
  const stats: [string, LatencyStats][] = [[m.latency, r.latency], [m.serviceTime, r.serviceTime], [m.ttfb, r.ttfb]];
  const keys = ['min', 'mean', 'stdev', 'p50', 'p90', 'p95', 'p99', 'p999', 'max'] as const;
  return table(
    [['measure'], ...keys.map((k): Column => [k === 'p999' ? 'p99.9' : k, true])],
    stats.map(([name, s]) => ({ cells: [esc(name), ...keys.map((k) => esc(formatMs(s[k])))] })),
  );
}

/** Row class of a threshold: a failed critical is `fail` (red), a failed warning `warn` (amber). */
export function thresholdClass(t: ThresholdResult): 'pass' | 'warn' | 'fail' {
  return t.ok ? 'pass' : t.level === 'critical' ? 'fail' : 'warn';
}

/** The thresholds with their observed values and results. */
export function thresholdsHtml(results: readonly ThresholdResult[]): string {
  if (results.length === 0) return '<p>No thresholds were set.</p>';
  return table(
    [['metric'], ['level'], ['condition'], ['observed', true], ['result']],
    results.map((t) => ({
      cls: thresholdClass(t),
      cells: [`<code>${esc(t.metric)}</code>`, `<span class="level-${esc(t.level)}">${esc(t.level)}</span>`, `<code>${esc(expressionCell(t))}</code>`, esc(formatThresholdValue(t.metric, t.value)), `<span class="result">${t.ok ? 'PASS' : 'FAIL'}</span>`],
    })),
  );
}

function errorList(errors: Record<string, number>): string {
  return Object.entries(errors)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, n]) => `${esc(kind)}: ${n}`)
    .join(', ');
}

/** One row per request name. */
export function requestsHtml(r: Report): string {
  if (r.endpoints.length === 0) return '<p>No requests.</p>';
  return table(
    [['name'], ['method'], ['path'], ['requests', true], ['failed', true], ['error rate', true], ['req/s', true], ['p50', true], ['p95', true], ['p99', true], ['max', true], ['errors']],
    r.endpoints.map((e) => ({
      cells: [
        esc(e.name), esc(e.method), `<span class="path">${esc(e.path)}</span>`, String(e.totals.requests), String(e.totals.failed),
        esc(formatPercent(e.totals.requests === 0 ? 0 : (e.totals.failed / e.totals.requests) * 100)), e.rps.toFixed(2),
        ...[e.latency.p50, e.latency.p95, e.latency.p99, e.latency.max].map((v) => esc(formatMs(v))), errorList(e.errors),
      ],
    })),
  );
}

/** The checks table under its heading, a failing check's row in red; empty string when the scenario has no checks. */
export function checksHtml(r: Report, h: Heading = 'h2'): string {
  const line = checksLine(r);
  if (line === null) return '';
  const rows = checkRows(r).map(([request, check, passes, fails]) => ({ cls: fails > 0 ? 'fail' : undefined, cells: [esc(request), `<code>${esc(check)}</code>`, String(passes), String(fails)] }));
  return `<${h}>Checks</${h}>\n<p>${esc(line)}</p>\n${table([['request'], ['check'], ['passes', true], ['fails', true]], rows)}`;
}

/** Where the responses' time went, overall then by request, under its heading; empty string without phases. */
export function timingsHtml(r: Report, h: Heading = 'h2'): string {
  const rows = timingRows(r);
  if (rows.length === 0) return '';
  const line = `${timingHeadline(r.phases) ?? 'No phase took 1% of the time'}. ${connectionsLine(r)}.`;
  return `<${h}>Phases</${h}>\n<p>${esc(line)}</p>\n${table([['request'], ['phase'], ['p50', true], ['p95', true], ['p99', true], ['mean share', true]], rows.map((row) => ({ cells: row.map((c) => esc(c)) })))}`;
}

/** The setup and teardown tables under their headings, a failed request's row in red; empty string when the scenario has neither. */
export function phasesHtml(r: Report, h: Heading = 'h2'): string {
  return phases(r)
    .map(({ title, entries }) => `<${h}>${title}</${h}>\n${table([['request'], ['status', true], ['ms', true], ['result']], phaseRows(entries).map((row) => ({ cls: row[3] === 'ok' ? undefined : 'fail', cells: row.map((c) => esc(c)) })))}`)
    .join('\n');
}

/** The error kinds of the whole run with their share of all requests. */
export function errorsHtml(r: Report): string {
  const entries = Object.entries(r.errors).sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) return '<p>No errors.</p>';
  const hints = entries.map(([kind]) => errorHint(kind, r.target));
  const withHints = hints.some((h) => h !== null);
  return table(
    [['kind'], ['count', true], ['of all requests', true], ...(withHints ? [['hint'] as Column] : [])],
    entries.map(([kind, n], i) => ({ cells: [esc(kindLabel(kind, r)), String(n), esc(formatPercent(r.totals.requests === 0 ? 0 : (n / r.totals.requests) * 100)), ...(withHints ? [esc(hints[i] ?? '')] : [])] })),
  );
}

/** The agents that carried the load (distributed runs); empty string when there were none. */
export function agentsHtml(r: Report, h: Heading = 'h2'): string {
  if (r.agents.length === 0) return '';
  const rows = r.agents.map((a) => {
    const status = a.status === 'lost' && a.lostAtSeconds !== undefined ? `lost at ${a.lostAtSeconds} s` : a.status;
    return { cls: a.status === 'ok' ? undefined : 'fail', cells: [esc(a.name), String(a.share), esc(a.shares.join(', ')), String(a.requests), esc(formatMs(a.clockOffsetMs)), `<span class="result">${esc(status)}</span>`] };
  });
  return `<${h}>Agents</${h}>\n${table([['agent'], ['index', true], ['shares (threads)'], ['requests', true], ['clock offset', true], ['status']], rows)}`;
}
