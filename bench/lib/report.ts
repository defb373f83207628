/**
 * The bench's one table: per measurement and metric, each tool's median
 * over the rounds with its spread (the noise), the reference figure (the
 * server's own or the schedule's truth), novaload ÷ each peer as the median
 * of ratios taken in the same round, and the issue-5 target with a verdict.
 */
import type { Tool } from './tools.js';
import { METRICS, type Check, type Metric } from './plan.js';
import { median, spread } from './stats.js';

const PEERS: Tool['name'][] = ['novaload-auto', 'novaload-live', 'autocannon', 'wrk', 'wrk2', 'h2load', 'undici', 'baseline'];
const TOOLS: Tool['name'][] = ['novaload', ...PEERS];

/** One row of the table, as written to JSON. */
export interface Row {
  measurement: string;
  metric: Metric;
  label: string;
  medians: Partial<Record<Tool['name'], number>>;
  spreads: Partial<Record<Tool['name'], number>>;
  reference: number | null;
  ratios: Partial<Record<Tool['name'], number>>;
  target: string | null;
  met: boolean | null;
}

/** Raw values of a row collected over the rounds. */
export interface RowInput {
  measurement: string;
  metric: Metric;
  /** Per tool, one value per round (NaN where a round gave none). */
  values: Partial<Record<Tool['name'], number[]>>;
  reference: number[];
  saturated: boolean;
  check?: Check;
}


/** Medians, spreads, same-round ratios and the verdict of one row. */
export function toRow(input: RowInput): Row {
  const medians: Row['medians'] = {};
  const spreads: Row['spreads'] = {};
  const ratios: Row['ratios'] = {};
  for (const tool of TOOLS) {
    const v = input.values[tool];
    if (!v || v.every((x) => !Number.isFinite(x))) continue;
    medians[tool] = median(v);
    spreads[tool] = spread(v);
  }
  const mine = input.values.novaload ?? [];
  for (const peer of PEERS) {
    const theirs = input.values[peer];
    if (!theirs) continue;
    const r = median(mine.map((x, i) => x / theirs[i]));
    if (Number.isFinite(r)) ratios[peer] = r;
  }
  const ref = median(input.reference);
  const reference = Number.isFinite(ref) ? ref : null;
  const met = input.check ? input.check.met({ novaload: medians.novaload ?? NaN, reference: reference ?? NaN, ratios, saturated: input.saturated }) : null;
  return { measurement: input.measurement, metric: input.metric, label: METRICS[input.metric].label, medians, spreads, reference, ratios, target: input.check?.text ?? null, met };
}

function fmt(x: number | undefined | null): string {
  if (x === undefined || x === null || !Number.isFinite(x)) return '–';
  const a = Math.abs(x);
  return a >= 1000 ? Math.round(x).toLocaleString('en-US') : a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : a >= 1 ? x.toFixed(2) : x.toFixed(3);
}

function cell(row: Row, tool: Tool['name']): string {
  const m = row.medians[tool];
  if (m === undefined) return '–';
  const s = row.spreads[tool];
  return s !== undefined && Number.isFinite(s) ? `${fmt(m)} ±${Math.round(s * 100)}%` : fmt(m);
}

/** The table as GitHub markdown, with the tools that ran as columns. */
export function markdownTable(rows: Row[], titles: Record<string, string>, present: Tool['name'][]): string {
  const peers = PEERS.filter((p) => present.includes(p));
  const head = ['measurement', 'metric', ...present, 'server / truth', ...peers.map((p) => `novaload ÷ ${p}`), 'target', 'met'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  let last = '';
  for (const row of rows) {
    const title = row.measurement === last ? '' : titles[row.measurement] ?? row.measurement;
    last = row.measurement;
    const verdict = row.met === null ? (row.target ? '?' : '') : row.met ? 'yes' : 'no';
    lines.push(
      `| ${[title, row.label, ...present.map((t) => cell(row, t)), fmt(row.reference), ...peers.map((p) => (row.ratios[p] === undefined ? '–' : `${fmt(row.ratios[p])}×`)), row.target ?? '', verdict].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}
