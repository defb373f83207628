/**
 * A run file's workloads in the HTML report: an index of them under the
 * page's header (each row linking to its section), then one section per
 * workload with the same figures, charts and tables as the run's own, so a
 * reader sees which workload made the run's figures what they are.
 */
import type { Report } from '../types.js';
import { escapeMarkup as esc } from './escape.js';
import { formatMs, formatPercent } from './format.js';
import { errorRateBand, table, type Column } from './html-sections.js';

/** The workloads of a run file's report, numbered from 1 in the report's order (0 is the run itself). */
function workloads(r: Report): [name: string, report: Report, n: number][] {
  return Object.entries(r.scenarios ?? {}).map(([name, w], i) => [name, w, i + 1]);
}

/** The index of a run file's workloads with their key figures and verdicts; '' for a scenario's report. */
export function workloadsIndexHtml(r: Report): string {
  const rows = workloads(r).map(([name, w, n]) => ({
    cls: w.verdict === 'pass' ? undefined : w.verdict,
    cells: [
      `<a href="#scenario-${n}">${esc(name)}</a>`, esc(w.executor), String(w.totals.requests), w.totals.iterations === undefined ? '' : String(w.totals.iterations), String(w.totals.dropped),
      w.rps.toFixed(2), `<span class="band-${errorRateBand(w.errorRate)}">${esc(formatPercent(w.errorRate))}</span>`, esc(formatMs(w.latency.p95)), `<span class="result">${esc(w.verdict.toUpperCase())}</span>`,
    ],
  }));
  if (rows.length === 0) return '';
  const columns: Column[] = [['scenario'], ['executor'], ['requests', true], ['iterations', true], ['dropped', true], ['req/s', true], ['error rate', true], ['p95', true], ['verdict']];
  return `<h2>Scenarios</h2>\n<p>The run's figures below are over every scenario (their exact sum); each scenario's own follow in its section.</p>\n${table(columns, rows)}\n`;
}

/** One section per workload, headed by its name, executor and verdict, with `body` (html.ts) drawing its figures as the run's. */
export function workloadSectionsHtml(r: Report, body: (workload: Report, n: number) => string): string {
  return workloads(r)
    .map(([name, w, n]) => `<section class="workload" id="scenario-${n}">
<header>
<div>
<h2>Scenario: ${esc(name)}</h2>
<p class="meta">${esc(w.executor)} against ${esc(w.target)} · started ${esc(w.startedAt)} · ${esc((w.durationMs / 1000).toFixed(2))} s · ${w.startTimeMs === undefined ? 'its second 0 is its own start' : `starts ${esc(String(w.startTimeMs / 1000))} s into the run (its second 0 is its own start)`}</p>
</div>
<p class="verdict ${esc(w.verdict)}" title="verdict of ${esc(name)}">${esc(w.verdict.toUpperCase())}</p>
</header>
${body(w, n)}
</section>
`)
    .join('');
}
