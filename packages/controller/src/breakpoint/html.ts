/**
 * The breakpoint result as a self-contained HTML page (--html): latency
 * against offered rate and achieved against offered rate, drawn as inline
 * SVG when the page is written, so it needs no script and no network.
 */
import type { BreakpointResult, StepResult } from './judge.js';

/** A named line of (x, y) points. */
export interface Series {
  name: string;
  color: string;
  points: [number, number][];
  dashed?: boolean;
}

const W = 640;
const H = 320;
const PAD = { left: 64, right: 16, top: 24, bottom: 44 };

/** A line chart of `series` on linear axes from 0, with the axes' extremes labelled and a legend. */
export function svgChart(title: string, xLabel: string, yLabel: string, series: readonly Series[]): string {
  const all = series.flatMap((s) => s.points);
  const xMax = Math.max(1e-9, ...all.map(([x]) => x));
  const yMax = Math.max(1e-9, ...all.map(([, y]) => y));
  const px = (x: number): number => PAD.left + (x / xMax) * (W - PAD.left - PAD.right);
  const py = (y: number): number => H - PAD.bottom - (y / yMax) * (H - PAD.top - PAD.bottom);
  const lines = series.map((s) => {
    const pts = s.points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ');
    const dots = s.dashed ? '' : s.points.map(([x, y]) => `<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${s.color}"/>`).join('');
    return `<polyline data-series="${escape(s.name)}" points="${pts}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>${dots}`;
  });
  const legend = series.map((s, i) => `<text x="${PAD.left + 8 + i * 110}" y="${PAD.top - 8}" fill="${s.color}">${escape(s.name)}</text>`).join('');
  return [
    `<figure><figcaption>${escape(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-size="12" font-family="sans-serif">`,
    `<line x1="${PAD.left}" y1="${H - PAD.bottom}" x2="${W - PAD.right}" y2="${H - PAD.bottom}" stroke="#888"/><line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${H - PAD.bottom}" stroke="#888"/>`,
    `<text x="${PAD.left}" y="${H - PAD.bottom + 16}">0</text><text x="${W - PAD.right}" y="${H - PAD.bottom + 16}" text-anchor="end">${fmt(xMax)}</text>`,
    `<text x="${PAD.left - 6}" y="${PAD.top + 4}" text-anchor="end">${fmt(yMax)}</text><text x="${PAD.left - 6}" y="${H - PAD.bottom}" text-anchor="end">0</text>`,
    `<text x="${(PAD.left + W - PAD.right) / 2}" y="${H - 8}" text-anchor="middle">${escape(xLabel)}</text>`,
    `<text transform="translate(14 ${(PAD.top + H - PAD.bottom) / 2}) rotate(-90)" text-anchor="middle">${escape(yLabel)}</text>`,
    legend,
    ...lines,
    '</svg></figure>',
  ].join('\n');
}

/** The judged steps' curves (a step cut short by a signal is left out of the charts, as of the judgement). */
function charted(steps: readonly StepResult[]): StepResult[] {
  return steps.filter((s) => !s.interrupted);
}

/** The whole page: the result, both charts, the steps table. */
export function breakpointHtml(meta: { scenario: string; target: string; startedAt: string }, r: BreakpointResult): string {
  const steps = charted(r.steps);
  const latency = svgChart('Latency against offered rate', 'offered rate (req/s)', 'latency (ms)', [
    { name: 'p50', color: '#2a7ab0', points: steps.map((s) => [s.rate, s.latency.p50]) },
    { name: 'p95', color: '#d68a00', points: steps.map((s) => [s.rate, s.latency.p95]) },
    { name: 'p99', color: '#c0392b', points: steps.map((s) => [s.rate, s.latency.p99]) },
  ]);
  const top = Math.max(0, ...steps.map((s) => s.rate));
  const throughput = svgChart('Achieved against offered rate', 'offered rate (req/s)', 'achieved rate (req/s)', [
    { name: 'achieved', color: '#2a7ab0', points: steps.map((s) => [s.rate, s.achievedRate]) },
    { name: 'offered (ideal)', color: '#999', points: [[0, 0], [top, top]], dashed: true },
  ]);
  const rows = r.steps.map((s) => `<tr><td>${fmt(s.rate)}</td><td>${fmt(s.achievedRate)}</td><td>${fmt(s.latency.p50)}</td><td>${fmt(s.latency.p95)}</td><td>${fmt(s.latency.p99)}</td><td>${s.errorRate.toFixed(2)}%</td><td>${verdict(s)}</td></tr>`).join('\n');
  const facts = [
    ['sustainable rate', r.sustainableRate === null ? 'none' : `${fmt(r.sustainableRate)}/s`],
    ['failed at', r.failedAt ? `${fmt(r.failedAt.rate)}/s (${r.failedAt.threshold.metric} ${r.failedAt.threshold.expression})` : '—'],
    ['knee', r.knee === null ? 'none within the steps run' : `${fmt(r.knee)}/s`],
    ['stopped by', r.stoppedBy],
    ...(r.history ?? []).map((h) => [`earlier run ${h.startedAt}`, h.sustainableRate === null ? 'none' : `${fmt(h.sustainableRate)}/s`]),
    ...(r.generatorSaturated ? [['generator', `SATURATED at ${fmt(r.generatorSaturated.rate)}/s: the generator's limit, not the target's; about ${r.generatorSaturated.threadsNeeded} threads would carry --max`]] : []),
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>breakpoint: ${escape(meta.scenario)}</title>
<style>body{font-family:sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:right}figure{margin:1em 0}figcaption{font-weight:bold}</style></head>
<body><h1>breakpoint: ${escape(meta.scenario)}</h1><p>${escape(meta.target)} · ${escape(meta.startedAt)}</p>
<table>${facts.map(([k, v]) => `<tr><th>${escape(k!)}</th><td>${escape(v!)}</td></tr>`).join('')}</table>
${latency}
${throughput}
<table><tr><th>offered /s</th><th>achieved /s</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>errors</th><th>step</th></tr>
${rows}</table></body></html>
`;
}

function verdict(s: StepResult): string {
  if (s.interrupted) return 'interrupted';
  if (s.generatorSaturated) return 'generator saturated';
  return s.failed.length > 0 ? `failed: ${escape(s.failed.map((t) => `${t.metric} ${t.expression}`).join(', '))}` : 'held';
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
