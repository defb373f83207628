/**
 * CSV for spreadsheets and plotting (`--csv`): a summary table per request
 * name plus the whole run (with the connections opened and each request
 * phase's p50/p95/p99 and mean share), the per-second timeline, and the checks table
 * when the scenario has checks.
 */
import { stringify } from 'csv-stringify/sync';
import type { EndpointReport, Report } from '../types.js';
import { checkRows } from './checks.js';
import { PHASES, type PhasesReport } from '../timing.js';

/** The name of the summary row that covers every request. */
export const CSV_OVERALL_ROW = '(all)';

/** Each phase's p50/p95/p99 and mean share, after the columns older readers know (empty without phases). */
const PHASE_COLUMNS = PHASES.flatMap((p) => [`${p}_p50_ms`, `${p}_p95_ms`, `${p}_p99_ms`, `${p}_share_pct`]);
const SUMMARY_COLUMNS = ['name', 'requests', 'ok', 'failed', 'rps', 'error_rate_pct', 'min_ms', 'mean_ms', 'p50_ms', 'p90_ms', 'p95_ms', 'p99_ms', 'p999_ms', 'max_ms', 'resent', 'connections_opened', ...PHASE_COLUMNS];
const TIMELINE_COLUMNS = ['t', 'requests', 'errors', 'vus', 'dropped', 'p50_ms', 'p95_ms', 'p99_ms'];
const CHECK_COLUMNS = ['request', 'check', 'passes', 'fails'];

/** A summary row's phase cells: p50, p95, p99 (ms) and share (%) of each phase, or empty cells. */
function phaseCells(phases: PhasesReport | undefined): (number | string)[] {
  return PHASES.flatMap((p): (number | string)[] => (phases ? [phases[p].p50, phases[p].p95, phases[p].p99, phases[p].share] : ['', '', '', '']));
}

/**
 * CSV documents with header rows: `summary` (one row per request name, then
 * `(all)`), `timeline` (one row per second) and, when the scenario has
 * checks, `checks` (one row per check).
 */
export function renderCsv(report: Report): { summary: string; timeline: string; checks?: string } {
  const overall: Pick<EndpointReport, 'name' | 'totals' | 'rps' | 'latency' | 'phases'> = { name: CSV_OVERALL_ROW, totals: report.totals, rps: report.rps, latency: report.latency, ...(report.phases && { phases: report.phases }) };
  const summaryRows = [...report.endpoints, overall].map(({ name, totals, rps, latency: l, phases }) => [
    name,
    totals.requests,
    totals.ok,
    totals.failed,
    rps,
    totals.requests === 0 ? 0 : (totals.failed / totals.requests) * 100,
    l.min,
    l.mean,
    l.p50,
    l.p90,
    l.p95,
    l.p99,
    l.p999,
    l.max,
    totals.resent ?? 0,
    totals.connectionsOpened ?? 0,
    ...phaseCells(phases),
  ]);
  const timelineRows = report.timeline.map((p) => [p.t, p.requests, p.errors, p.vus, p.dropped, p.latency.p50, p.latency.p95, p.latency.p99]);
  return {
    summary: stringify([SUMMARY_COLUMNS, ...summaryRows]),
    timeline: stringify([TIMELINE_COLUMNS, ...timelineRows]),
    ...(report.checks !== undefined && { checks: stringify([CHECK_COLUMNS, ...checkRows(report)]) }),
  };
}
