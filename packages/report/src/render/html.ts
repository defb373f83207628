/**
 * The HTML report (`--html`, `novaload report --format html`): one
 * self-contained file to attach to a CI run or mail around. CSS, data and
 * script are inline; a Content-Security-Policy allows nothing but that one
 * script (by its hash) and inline styles, so the page makes no network
 * request and injected markup could not run even if escaping ever failed.
 */
import { createHash } from 'node:crypto';
import type { Report } from '../types.js';
import { escapeMarkup as esc, jsonForScript } from './escape.js';
import { formatMs } from './format.js';
import { chartData, MIN_CHARTED_SECONDS, partialLastSecond } from './html-data.js';
import { measuresOf } from './measures.js';
import { PAGE_SCRIPT } from './html-script.js';
import { agentsHtml, checksHtml, phasesHtml, errorsHtml, figuresHtml, requestsHtml, statsHtml, thresholdsHtml, timingsHtml, type Heading } from './html-sections.js';
import { workloadsIndexHtml, workloadSectionsHtml } from './html-workloads.js';
import { PAGE_STYLE } from './html-style.js';
import { judgementHtml } from './html-judgement.js';
import { abortedLine } from './text-judgement.js';
import { resentLine } from './resent.js';
import { protocolsLine } from './protocols.js';
import { dataLine } from './data.js';
import { insecureWarning } from '../error-hints.js';
import { skippedLine } from './skipped.js';

/** The charts the page lays out for each report, as [element id, title, explanation]; html-script.ts draws one per id. */
const CHARTS: readonly [string, string, string][] = [
  ['chart-latency', 'Response time', 'p50, p95 and p99 of the requests completed in each second (log scale)'],
  ['chart-throughput', 'Throughput', 'requests completed per second, and those that failed'],
  ['chart-success', 'Success rate', 'share of each second’s requests that were ok'],
  ['chart-errors', 'Error rate', 'log scale, against the runbook’s bands: normal < 0.1 %, warning 0.1–1 %, critical > 1 %'],
  ['chart-load', 'Load', 'active virtual users, and iterations dropped per second (open models)'],
  ['chart-distribution', 'Latency by percentile', 'the whole run’s latency distribution; the x axis is 1/(1−p) on a log scale, as HdrHistogram plots it'],
];

const SCRIPT_HASH = `sha256-${createHash('sha256').update(PAGE_SCRIPT).digest('base64')}`;
const CSP = `default-src 'none'; style-src 'unsafe-inline'; script-src '${SCRIPT_HASH}'; img-src data:; base-uri 'none'; form-action 'none'`;

function notices(r: Report): string {
  const out: string[] = [];
  if (r.aborted) out.push(abortedLine(r.aborted));
  else if (r.interrupted) out.push('Interrupted: the run was stopped before its end; figures cover the part that ran.');
  if (r.generator.saturated) {
    const g = r.generator;
    out.push(`Warning: the load generator was saturated (event-loop utilisation up to ${(g.utilizationMax * 100).toFixed(0)}%, lag up to ${formatMs(g.lagMaxMs)}); latencies include its own delay. Use more threads or agents.`);
  }
  return out.map((n) => `<p class="notice" role="alert">${esc(n)}</p>`).join('\n');
}

/** What the charts do with a run's partial last second, or '' when the run ended on a whole second. */
function partialNote(r: Report): string {
  const p = partialLastSecond(r);
  if (!p) return '';
  const text = p.charted
    ? `The last second (${p.t} s) lasted ${p.seconds} s: its requests, failures and drops are drawn as rates per second, scaled to that length.`
    : `The last ${Math.round(p.seconds * 1000)} ms (second ${p.t}, ${p.requests} requests) are not drawn over time: too short to chart (under ${MIN_CHARTED_SECONDS * 1000} ms); they are in every figure and table.`;
  return `<p class="chart-note">${esc(text)}</p>\n`;
}

/** The protocol line under the figures, or nothing for an older report. */
function protocolsHtml(r: Report): string {
  const line = protocolsLine(r);
  return line === null ? '' : `<p class="meta">${esc(line)}</p>`;
}

/** The resend and journey notes after the errors, or nothing. */
function resentHtml(r: Report): string {
  return [resentLine(r), skippedLine(r)].map((line) => (line === null ? '' : `<p class="notice">${esc(line)}</p>`)).join('');
}

/** Where report `n` (0: the run, k: a run file's k-th workload) keeps its chart data and chart ids, so several sections' charts share one page. */
function chartIds(n: number): { data: string; prefix: string } {
  return n === 0 ? { data: 'novaload-data', prefix: '' } : { data: `novaload-data-${n}`, prefix: `s${n}-` };
}

function chartsHtml(r: Report, n: number): string {
  const from = measuresOf(r.executor).from;
  const { data, prefix } = chartIds(n);
  const figures = CHARTS.map(([id, title, note]) => {
    const caption = id === 'chart-distribution' ? `${note} (${r.totals.requests} requests, max ${formatMs(r.latency.max)}; latency ${from})` : id === 'chart-latency' ? `${note}; latency ${from}` : note;
    return `<figure><figcaption>${esc(title)}<small>${esc(caption)}</small></figcaption><div class="chart" id="${prefix}${id}" data-title="${esc(title)}"></div></figure>`;
  });
  const block = n === 0 ? '' : `\n<script type="application/json" id="${data}">${jsonForScript(chartData(r))}</script>`;
  return `${partialNote(r)}<div class="charts" data-charts="${data}" data-prefix="${prefix}">\n${figures.join('\n')}\n</div>${block}\n<noscript><p class="notice">The charts need JavaScript; the tables below do not.</p></noscript>`;
}

/**
 * One report's figures, charts and tables: the whole page for a scenario, the
 * run's part and then each workload's section (n ≥ 1, headings one level
 * down) for a run file. The run's chart data goes at the page's end as before.
 */
function reportHtml(r: Report, n: number, h: Heading): string {
  const insecure = insecureWarning(r);
  return `${notices(r)}
${figuresHtml(r)}
${protocolsHtml(r)}
<${h}>Thresholds</${h}>
${thresholdsHtml(r.thresholds)}
<${h}>Charts</${h}>
${chartsHtml(r, n)}
<${h}>Latency</${h}>
${statsHtml(r)}
<${h}>Requests</${h}>
${requestsHtml(r)}
${timingsHtml(r, h)}
${checksHtml(r, h)}
${phasesHtml(r, h)}
<${h}>Errors</${h}>
${errorsHtml(r)}
${insecure === null ? '' : `<p class="notice">${esc(insecure)}</p>`}
${resentHtml(r)}
${r.data ? `<p class="notice">${esc(dataLine(r.data))}</p>` : ''}
${agentsHtml(r, h)}
${judgementHtml(r, h)}`;
}

/** Render a report as one self-contained HTML page (UTF-8, no external resources); a run file's report adds a section per workload. */
export function renderHtml(report: Report): string {
  const r = report;
  const title = `novaload: ${r.scenario} — ${r.verdict.toUpperCase()}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header>
<div>
<h1>${esc(r.scenario)}</h1>
<p class="meta">${esc(r.executor)} against ${esc(r.target)} · started ${esc(r.startedAt)} · ${esc((r.durationMs / 1000).toFixed(2))} s</p>
</div>
<p class="verdict ${esc(r.verdict)}" title="verdict">${esc(r.verdict.toUpperCase())}</p>
</header>
${workloadsIndexHtml(r)}${reportHtml(r, 0, 'h2')}
${workloadSectionsHtml(r, (w, n) => reportHtml(w, n, 'h3'))}<footer>Generator: event-loop lag up to ${esc(formatMs(r.generator.lagMaxMs))}, utilisation up to ${(r.generator.utilizationMax * 100).toFixed(0)}%. Report v${esc(String(r.version))} by novaload.</footer>
<script type="application/json" id="novaload-data">${jsonForScript(chartData(r))}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
