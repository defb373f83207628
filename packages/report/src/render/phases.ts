/**
 * The setup and teardown tables (request, status, ms, result), outside the
 * load figures, built once here so text, markdown and HTML agree.
 */
import type { PhaseEntry, Report } from '../types.js';

/** A phase's heading and its entries, for each phase the report has. */
export function phases(report: Report): { title: 'Setup' | 'Teardown'; entries: PhaseEntry[] }[] {
  const out: { title: 'Setup' | 'Teardown'; entries: PhaseEntry[] }[] = [];
  if (report.setup) out.push({ title: 'Setup', entries: report.setup });
  if (report.teardown) out.push({ title: 'Teardown', entries: report.teardown });
  return out;
}

/** One row per request sent: [request, status, ms, result] ("ok" or the error kind). */
export function phaseRows(entries: readonly PhaseEntry[]): [string, string, string, string][] {
  return entries.map((e) => [e.name, e.status === 0 ? '-' : String(e.status), String(e.ms), e.ok ? 'ok' : e.error ?? 'failed']);
}
