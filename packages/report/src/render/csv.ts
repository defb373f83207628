/**
 * CSV for spreadsheets and plotting (`--csv`): a summary table per request
 * name plus the whole run, the per-second timeline, and the checks table
 * when the scenario has checks.
 */
import { stringify } from 'csv-stringify/sync';
import type { EndpointReport, Report } from '../types.js';
import { checkRows } from './checks.js';

/** The name of the summary row that covers every request. */
export const CSV_OVERALL_ROW = '(all)';

const SUMMARY_COLUMNS = ['name', 'requests', 'ok', 'failed', 'rps', 'error_rate_pct', 'min_ms', 'mean_ms', 'p50_ms', 'p90_ms', 'p95_ms', 'p99_ms', 'p999_ms', 'max_ms', 'resent'];
const TIMELINE_COLUMNS = ['t', 'requests', 'errors', 'vus', 'dropped', 'p50_ms', 'p95_ms', 'p99_ms'];
const CHECK_COLUMNS = ['request', 'check', 'passes', 'fails'];

/**
 * CSV documents with header rows: `summary` (one row per request name, then
 * `(all)`), `timeline` (one row per second) and, when the scenario has
 * checks, `checks` (one row per check).
 */
export function renderCsv(report: Report): { summary: string; timeline: string; checks?: string } {
  const overall: Pick<EndpointReport, 'name' | 'totals' | 'rps' | 'latency'> = { name: CSV_OVERALL_ROW, totals: report.totals, rps: report.rps, latency: report.latency };
  const summaryRows = [...report.endpoints, overall].map(({ name, totals, rps, latency: l }) => [
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
  ]);
  const timelineRows = report.timeline.map((p) => [p.t, p.requests, p.errors, p.vus, p.dropped, p.latency.p50, p.latency.p95, p.latency.p99]);
  return {
    summary: stringify([SUMMARY_COLUMNS, ...summaryRows]),
    timeline: stringify([TIMELINE_COLUMNS, ...timelineRows]),
    ...(report.checks !== undefined && { checks: stringify([CHECK_COLUMNS, ...checkRows(report)]) }),
  };
}
