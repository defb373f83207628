/**
 * The checks table every report format shows (request, check, passes,
 * fails), and the one-line pass rate above it, built once here so the
 * formats agree on order and figures.
 */
import type { Report } from '../types.js';
import { formatPercent } from './format.js';

/** One row per check, in the scenario's order: [request, check, passes, fails]. */
export function checkRows(report: Report): [string, string, number, number][] {
  return (report.checks ?? []).map((c) => [c.request, c.check, c.passes, c.fails]);
}

/** "12 of 14 checks passed (85.71%)", or null when the scenario has no checks. */
export function checksLine(report: Report): string | null {
  const total = report.totals.checks;
  if (total === undefined) return null;
  const runs = total.passes + total.fails;
  return `${total.passes} of ${runs} checks passed${runs > 0 ? ` (${formatPercent((total.passes / runs) * 100)})` : ''}`;
}
