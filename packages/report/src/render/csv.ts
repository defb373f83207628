/**
 * CSV for spreadsheets and plotting (`--csv`): a summary table per request
 * name plus the whole run (with the connections opened, each request
 * phase's p50/p95/p99 and mean share, and the run's dropped and completed
 * iterations), the per-second timeline, and the checks table when the
 * scenario has checks. A run file's report has each workload's rows after
 * the run's, told apart by a last `scenario` column (empty on the run's).
 */
import { stringify } from 'csv-stringify/sync';
import type { EndpointReport, Report } from '../types.js';
import { checkRows } from './checks.js';
import { PHASES, type PhasesReport } from '../timing.js';

/** The name of the summary row that covers every request. */
export const CSV_OVERALL_ROW = '(all)';

/** Each phase's p50/p95/p99 and mean share, after the columns older readers know (empty without phases). */
const PHASE_COLUMNS = PHASES.flatMap((p) => [`${p}_p50_ms`, `${p}_p95_ms`, `${p}_p99_ms`, `${p}_share_pct`]);
/** The run's dropped and completed iterations come last, filled on the `(all)` row only (they are not counted per request). */
const SUMMARY_COLUMNS = ['name', 'requests', 'ok', 'failed', 'rps', 'error_rate_pct', 'min_ms', 'mean_ms', 'p50_ms', 'p90_ms', 'p95_ms', 'p99_ms', 'p999_ms', 'max_ms', 'resent', 'connections_opened', ...PHASE_COLUMNS, 'dropped', 'iterations'];
const TIMELINE_COLUMNS = ['t', 'requests', 'errors', 'vus', 'dropped', 'p50_ms', 'p95_ms', 'p99_ms'];
const CHECK_COLUMNS = ['request', 'check', 'passes', 'fails'];
/** Appended to every table of a run file's report: the workload a row belongs to, empty for the run's own rows. */
const SCENARIO_COLUMN = 'scenario';

/** A summary row's phase cells: p50, p95, p99 (ms) and share (%) of each phase, or empty cells. */
function phaseCells(phases: PhasesReport | undefined): (number | string)[] {
  return PHASES.flatMap((p): (number | string)[] => (phases ? [phases[p].p50, phases[p].p95, phases[p].p99, phases[p].share] : ['', '', '', '']));
}

/** One report's summary rows: each request name, then `(all)` with the run's iteration counts (empty for a report older than them). */
function summaryRows(report: Report): (number | string)[][] {
  const overall: Pick<EndpointReport, 'name' | 'totals' | 'rps' | 'latency' | 'phases'> = { name: CSV_OVERALL_ROW, totals: report.totals, rps: report.rps, latency: report.latency, ...(report.phases && { phases: report.phases }) };
  const iterations = [report.totals.dropped, report.totals.iterations ?? ''];
  return [...report.endpoints, overall].map(({ name, totals, rps, latency: l, phases }) => [
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
    ...(name === CSV_OVERALL_ROW ? iterations : ['', '']),
  ]);
}

function timelineRows(report: Report): (number | string)[][] {
  return report.timeline.map((p) => [p.t, p.requests, p.errors, p.vus, p.dropped, p.latency.p50, p.latency.p95, p.latency.p99]);
}

/**
 * A table over the run and its workloads: a scenario's report as it always
 * was; a run file's has the run's rows, then each workload's, each row
 * ending in its workload's name (the run's in an empty cell).
 */
function csvTable(report: Report, columns: readonly string[], rows: (r: Report) => (number | string)[][]): string {
  const workloads = Object.entries(report.scenarios ?? {});
  if (workloads.length === 0) return stringify([columns, ...rows(report)]);
  const tagged = [['', report] as const, ...workloads].flatMap(([name, r]) => rows(r).map((row) => [...row, name]));
  return stringify([[...columns, SCENARIO_COLUMN], ...tagged]);
}

/**
 * CSV documents with header rows: `summary` (one row per request name, then
 * `(all)`), `timeline` (one row per second) and, when the scenario (or a
 * workload) has checks, `checks` (one row per check). A run file's report
 * has the run's rows and then each workload's, with a `scenario` column.
 */
export function renderCsv(report: Report): { summary: string; timeline: string; checks?: string } {
  const checked = [report, ...Object.values(report.scenarios ?? {})].some((r) => r.checks !== undefined);
  return {
    summary: csvTable(report, SUMMARY_COLUMNS, summaryRows),
    timeline: csvTable(report, TIMELINE_COLUMNS, timelineRows),
    ...(checked && { checks: csvTable(report, CHECK_COLUMNS, checkRows) }),
  };
}
