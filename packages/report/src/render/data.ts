/**
 * The data-file line of the text and markdown reports: rows in the file,
 * rows taken, and whether (and when) sequential rows with `stop` ran out,
 * so a run that ended early for that reason is not mistaken for a failure.
 */
import type { DataReport } from '../types.js';

/** One sentence about the run's data rows. */
export function dataLine(data: DataReport): string {
  const what = `Data: ${data.file} (${data.mode}${data.mode === 'sequential' ? `, ${data.onExhausted}` : ''}): ${data.rows} row(s), ${data.taken} taken by iterations`;
  const ran = data.exhausted ? `; the rows ran out at ${((data.exhaustedAtMs ?? 0) / 1000).toFixed(2)} s and no more iterations were started (not an error)` : '';
  const missing = data.missingShares ? `; ${data.missingShares} share(s) sent no figures` : '';
  return `${what}${ran}${missing}.`;
}
