/** The report as the JSON file CI scripts read (`--out`), and the input `novaload report` re-renders. */
import type { Report } from '../types.js';

/** Pretty-printed JSON with a trailing newline, so the file diffs and cats cleanly. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
