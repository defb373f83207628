/**
 * The breakpoint result for people (a line per step as it ends, a summary)
 * and for CI (the JSON document `--out` writes).
 */
import type { ThresholdResult } from '@novaload/report';
import type { BreakpointResult, StepResult } from './judge.js';

/** One step's line, printed as soon as the step ends. */
export function stepLine(s: StepResult): string {
  const verdict = s.interrupted ? 'interrupted' : s.generatorSaturated ? 'GENERATOR SATURATED' : s.failed.length > 0 ? `FAILED ${s.failed.map(thresholdText).join(', ')}` : 'held';
  const dropped = s.dropped > 0 ? `, ${s.dropped} dropped` : '';
  const again = s.firstRun ? ' (second run)' : '';
  return `  ${fmt(s.rate)}/s offered: ${fmt(s.achievedRate)}/s achieved, p50 ${ms(s.latency.p50)} p95 ${ms(s.latency.p95)} p99 ${ms(s.latency.p99)}, errors ${s.errorRate.toFixed(2)}%${dropped} — ${verdict}${again}`;
}

/** The summary after the last step. */
export function summaryText(r: BreakpointResult, max: number): string {
  const lines = ['', 'breakpoint'];
  const held = r.sustainableRate === null ? 'none (the first step already failed or was not judged)' : `${fmt(r.sustainableRate)}/s`;
  // A generator that saturated first leaves the target's limit unknown: what held is a lower bound, not the breakpoint.
  lines.push(`  sustainable rate: ${held}${r.stoppedBy === 'generator' ? ' (at least: the target\'s limit was not reached)' : ''}`);
  if (r.failedAt) lines.push(`  failed at:        ${fmt(r.failedAt.rate)}/s (${thresholdText(r.failedAt.threshold)})`);
  lines.push(`  knee:             ${r.knee === null ? 'none within the steps run (p99 never grew faster than linearly)' : `${fmt(r.knee)}/s (p99 grows faster than linearly above it)`}`);
  if (r.stoppedBy === 'max') lines.push(`  every step up to --max ${fmt(max)}/s held: the breakpoint is above it`);
  const g = r.generatorSaturated;
  if (g) {
    lines.push(`  GENERATOR SATURATED at ${fmt(g.rate)}/s: this is the generator's limit, not the target's`);
    lines.push(`  about ${g.threadsNeeded} threads (now ${g.threads}) would carry --max ${fmt(max)}/s: add --threads or agents`);
  }
  if (r.stoppedBy === 'interrupted') lines.push('  interrupted: the last step was cut short and is not judged');
  return `${lines.join('\n')}\n`;
}

/** The JSON document for CI: `breakpoint.sustainableRate`, `.failedAt`, `.knee`, `.steps`. */
export function breakpointJson(meta: { scenario: string; target: string; startedAt: string; holdMs: number }, r: BreakpointResult): string {
  return `${JSON.stringify({ version: 1, kind: 'breakpoint', ...meta, breakpoint: r }, null, 2)}\n`;
}

function thresholdText(t: ThresholdResult): string {
  return `${t.metric} ${t.expression}, was ${t.value === null ? 'no data' : fmt(t.value)}`;
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

function ms(n: number): string {
  return `${n < 10 ? n.toFixed(2) : n.toFixed(1)}ms`;
}
