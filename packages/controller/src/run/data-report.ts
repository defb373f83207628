/**
 * The report's `data` section from what the shares handed back: rows taken
 * summed over shares, and the rows counted as run out (sequential, stop)
 * only when every share ran out of its own, at the last share's moment.
 */
import type { DataReport } from '@novaload/report';
import type { DataSettings, ShareResult } from '@novaload/agent';

/** The data section for a run of `shares` shares; undefined without a data file. */
export function dataReport(data: DataSettings | undefined, shares: number, results: readonly ShareResult[]): DataReport | undefined {
  if (data === undefined) return undefined;
  const stats = results.flatMap((r) => (r.data ? [r.data] : []));
  const taken = stats.reduce((n, s) => n + s.taken, 0);
  const exhausted = stats.length === shares && stats.every((s) => s.exhaustedAtMs !== null);
  const report: DataReport = {
    file: data.file,
    mode: data.mode,
    onExhausted: data.onExhausted,
    rows: data.rows,
    taken,
    exhausted,
    exhaustedAtMs: exhausted ? Math.round(Math.max(...stats.map((s) => s.exhaustedAtMs!))) : null,
  };
  if (stats.length < shares) report.missingShares = shares - stats.length;
  return report;
}
