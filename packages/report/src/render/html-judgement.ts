/**
 * The HTML report's judgement against earlier runs: the --baseline
 * comparison and the --history levels (baseline, σ, warning, critical), as
 * the text report shows them; generator errors are called out beside them.
 */
import type { Report } from '../types.js';
import { escapeMarkup as esc } from './escape.js';
import { formatThresholdValue } from './format.js';
import { table, type Heading } from './html-sections.js';

/** Sections for --baseline, --history and generator errors; empty when the run had none. */
export function judgementHtml(r: Report, h: Heading = 'h2'): string {
  const out: string[] = [];
  const value = (metric: string, v: number): string => esc(formatThresholdValue(metric, v));
  if (r.generatorErrors) out.push(`<p class="notice">${r.generatorErrors} error(s) were the generator's own (file descriptors, local ports), not the target's.</p>`);
  if (r.baseline) {
    const rows = r.baseline.metrics.map((m) => ({
      cells: [esc(m.metric), value(m.metric, m.baseline), value(m.metric, m.current), m.changePercent === null ? '–' : `${m.changePercent >= 0 ? '+' : ''}${m.changePercent.toFixed(1)}%`],
    }));
    out.push(`<${h}>Compared with ${esc(r.baseline.file)} (${esc(r.baseline.startedAt)})</${h}>`, table([['metric'], ['baseline', true], ['now', true], ['change', true]], rows));
  }
  if (r.history) {
    const rows = r.history.levels.map((l) => ({ cells: [esc(l.metric), value(l.metric, l.baseline), value(l.metric, l.stdev), value(l.metric, l.warning), value(l.metric, l.critical)] }));
    out.push(`<${h}>Levels from ${r.history.reports} earlier runs (sensitivity ${esc(String(r.history.sensitivity))})</${h}>`, table([['metric'], ['baseline', true], ['σ', true], ['warning', true], ['critical', true]], rows));
  }
  return out.join('\n');
}
