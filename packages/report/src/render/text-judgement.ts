/**
 * The console report's sections on what a run was judged against besides its
 * own thresholds: the baseline run's figures and their change, the levels
 * from earlier runs with their σ, and an abort. Apart from text.ts so the
 * summary itself stays one screen of code.
 */
import type { AgentReport, ThresholdResult } from '../types.js';
import type { AbortInfo, BaselineComparison, HistoryLevels } from '../types-judgement.js';
import { formatThresholdValue } from './format.js';
import { table } from './table.js';

/** A change with its sign and the metric's unit: `+1.250 ms`, `-3.00 req/s`. */
function signed(metric: string, v: number): string {
  return `${v < 0 ? '-' : '+'}${formatThresholdValue(metric, Math.abs(v))}`;
}

/** The expression column of the thresholds table: where a level's bound came from, and when a window failed. */
export function expressionCell(r: ThresholdResult): string {
  if (r.source === 'history') return `${r.expression} (history)`;
  if (r.baseline !== undefined) return `${r.expression} of ${formatThresholdValue(r.metric, r.baseline)}`;
  if (r.window?.failed) return `${r.expression}: violated in seconds ${r.window.failed.from}–${r.window.failed.to}`;
  return r.expression;
}

/** "Baseline:" and a table of p50/p95/p99, errorRate and rps then and now; nothing without a baseline. */
export function baselineLines(b: BaselineComparison | undefined, color: boolean): string[] {
  if (!b) return [];
  const rows = b.metrics.map((m) => [
    m.metric,
    formatThresholdValue(m.metric, m.baseline),
    formatThresholdValue(m.metric, m.current),
    `${signed(m.metric, m.change)} (${m.changePercent === null ? 'from 0' : `${m.changePercent < 0 ? '' : '+'}${m.changePercent.toFixed(2)}%`})`,
  ]);
  return [
    `Baseline: ${b.file} (${b.scenario}, started ${b.startedAt})`,
    ...table(['metric', 'baseline', 'current', 'change'], rows, [false, true, true, true], color).map((l) => `  ${l}`),
    '',
  ];
}

/** "History:" and a table of each metric's baseline, σ and levels; nothing without --history. */
export function historyLines(h: HistoryLevels | undefined, color: boolean): string[] {
  if (!h) return [];
  const rows = h.levels.map((l) => {
    const op = l.lowerIsWorse ? '>=' : '<=';
    const show = (v: number): string => formatThresholdValue(l.metric, v);
    return [l.metric, show(l.baseline), show(l.stdev), `${op} ${show(l.warning)}`, `${op} ${show(l.critical)}`];
  });
  return [
    `History: levels from ${h.reports} earlier runs (baseline = mean, warning at 2σ, critical at 3σ, sensitivity ${h.sensitivity})`,
    ...table(['metric', 'baseline', 'σ', 'warning', 'critical'], rows, [false, true, true, true, true], color).map((l) => `  ${l}`),
    '',
  ];
}

/** The line that says which threshold stopped the run. */
export function abortedLine(a: AbortInfo): string {
  return `Aborted: threshold ${a.metric} (${a.level} ${a.expression}) failed at second ${a.second} with abortOnFail; the load was stopped and figures cover the part that ran.`;
}

/**
 * One sentence naming every agent lost during the run, when, and what it sent
 * before, and saying that the figures cover only what arrived; null when no
 * agent was lost. Every format shows it, since the verdict alone would read
 * as a full run.
 */
export function lostAgentsSentence(agents: readonly AgentReport[]): string | null {
  const lost = agents.filter((a) => a.status === 'lost');
  if (lost.length === 0) return null;
  const each = lost.map((a) => `${a.name} ${a.lostAtSeconds === undefined ? 'during the run' : `at ${a.lostAtSeconds} s into the run`} (${a.requests} requests reported before)`);
  return `${lost.length} of ${agents.length} agent(s) lost: ${each.join(', ')}; figures cover what arrived, the rest of their load is missing.`;
}
