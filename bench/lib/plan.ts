/**
 * What the bench measures (issue 5, point 2) and the target each figure is
 * held to (point 3). A measurement names its target server, the load, the
 * tools that can generate it and the metrics read from each run; a check
 * turns the medians and same-run ratios into a verdict.
 */
import type { ServerStats } from './targets.js';
import type { Load, Tool, ToolResult } from './tools.js';
import { stallTruth } from './stats.js';

/** Durations and sizes of one bench run (quick or full). */
export interface Settings {
  quick: boolean;
  rounds: number;
  durationS: number;
  /** The stall server stalls this long after the first request. */
  stallAfterMs: number;
  memory: { smallVus: number; smallS: number; bigVus: number; bigS: number };
}

/** Every figure the table can show. */
export type Metric = 'rps' | 'cpuUs' | 'netCpuUs' | 'delivered' | 'p50' | 'p95' | 'p99' | 'p50err' | 'startCpuMs' | 'startWallMs' | 'peakMb' | 'rssGrowth' | 'wakeUs' | 'rttP50' | 'ctlCpuPct' | 'ctlLagMs' | 'ctlRssMb';

/** How a metric is labelled and which way is better. */
export const METRICS: Record<Metric, { label: string; lowerIsBetter: boolean }> = {
  rps: { label: 'req/s', lowerIsBetter: false },
  cpuUs: { label: 'CPU µs/req (whole process)', lowerIsBetter: true },
  netCpuUs: { label: 'CPU µs/req net of start-up', lowerIsBetter: true },
  delivered: { label: 'rate delivered %', lowerIsBetter: false },
  p50: { label: 'latency p50 ms', lowerIsBetter: true },
  p95: { label: 'latency p95 ms', lowerIsBetter: true },
  p99: { label: 'latency p99 ms', lowerIsBetter: true },
  p50err: { label: 'p50 − server p50, ms', lowerIsBetter: true },
  startCpuMs: { label: 'start-up CPU ms', lowerIsBetter: true },
  startWallMs: { label: 'start-up wall ms', lowerIsBetter: true },
  peakMb: { label: 'peak RSS MB', lowerIsBetter: true },
  rssGrowth: { label: 'RSS late ÷ RSS at 10 s', lowerIsBetter: true },
  wakeUs: { label: 'CPU µs per wake-up', lowerIsBetter: true },
  rttP50: { label: 'round trip p50 ms', lowerIsBetter: true },
  ctlCpuPct: { label: 'controller CPU % of one core', lowerIsBetter: true },
  ctlLagMs: { label: 'lag p50 ms, second sent → merged', lowerIsBetter: true },
  ctlRssMb: { label: 'controller RSS MB', lowerIsBetter: true },
};

/** Medians of one row and its same-run ratios, for a verdict. */
export interface RowFigures {
  novaload: number;
  reference: number;
  ratios: Partial<Record<Tool['name'], number>>;
  saturated: boolean;
}

/** A target of issue 5 for one row: its wording and whether the figures meet it (null: cannot tell). */
export interface Check {
  text: string;
  met(f: RowFigures): boolean | null;
}

/** The bench's targets: the fast, JSON, delay and stall servers, and nginx over TLS with h2 (`tls`) or HTTP/1.1 only (`tls-h1`). */
export type TargetKind = 'fast' | 'json' | 'delay' | 'stall' | 'tls' | 'tls-h1';

/** One measurement of the table. */
export interface Measurement {
  id: string;
  title: string;
  target: TargetKind;
  uses(tool: Tool): boolean;
  /** The load against `url`; `caFile` is an HTTPS target's certificate. */
  load(url: string, s: Settings, caFile?: string): Load;
  metrics: Metric[];
  /** Figures of one run of one tool, with the target's own stats for that run. */
  read(r: ToolResult, stats: ServerStats | null, s: Settings, startCpuMs: number): Partial<Record<Metric, number>>;
  /** The reference column (server-side or schedule truth) for a metric. */
  reference?(metric: Metric, stats: ServerStats | null, s: Settings): number;
  checks?: Partial<Record<Metric, Check>>;
}

const ratioAtLeast = (peer: Tool['name'], min: number, aim?: number): Check => ({
  text: `≥ ${min}× ${peer}${aim ? ` (aim ${aim}×)` : ''}`,
  met: (f) => (f.ratios[peer] === undefined || !Number.isFinite(f.ratios[peer]) ? null : f.ratios[peer]! >= min),
});
const ratioAtMost = (peer: Tool['name'], max: number): Check => ({
  text: `≤ ${max}× ${peer}`,
  met: (f) => (f.ratios[peer] === undefined || !Number.isFinite(f.ratios[peer]) ? null : f.ratios[peer]! <= max),
});
const both = (a: Check, b: Check): Check => ({
  text: `${a.text}, ${b.text}`,
  met: (f) => {
    const x = a.met(f);
    const y = b.met(f);
    return x === false || y === false ? false : x === null && y === null ? null : true;
  },
});

const cpu = (r: ToolResult): number => (r.cpuMs * 1000) / r.requests;
const throughput = (r: ToolResult, _s: ServerStats | null, _t: Settings, startCpuMs: number): Partial<Record<Metric, number>> => ({
  rps: r.rps,
  cpuUs: cpu(r),
  netCpuUs: ((r.cpuMs - startCpuMs) * 1000) / r.requests,
});

function fixedRate(rate: number): Measurement {
  return {
    id: `rate-${rate}`,
    title: `fixed ${rate} req/s, 50 connections, 1 core, fast target`,
    target: 'fast',
    uses: (t) => t.rates,
    load: (url, s) => ({ url, connections: 50, durationS: s.durationS, rate }),
    metrics: ['cpuUs', 'netCpuUs', 'delivered', 'p50'],
    read: (r, st, s, startCpuMs) => ({ ...throughput(r, st, s, startCpuMs), delivered: (100 * r.requests) / (rate * s.durationS), p50: r.p50 }),
    checks: {
      cpuUs: both(ratioAtMost('autocannon', 0.8), ratioAtMost('wrk2', 1)),
      netCpuUs: both(ratioAtMost('autocannon', 0.8), ratioAtMost('wrk2', 1)),
      delivered: { text: 'novaload ≥ 99%, or saturated flagged', met: (f) => f.novaload >= 99 || f.saturated },
    },
  };
}

const withinMs = (ms: number): Check => ({ text: `novaload within ${ms} ms of the server`, met: (f) => (Number.isFinite(f.novaload) ? Math.abs(f.novaload) <= ms : null) });
const withinTruth = (pct: number): Check => ({
  text: `novaload within ${pct}% of the truth`,
  met: (f) => (Number.isFinite(f.novaload) && f.reference > 0 ? Math.abs(f.novaload - f.reference) <= (pct / 100) * f.reference : null),
});

/**
 * The journey rows (issue 12, point 8), `run` of a scenario file against
 * the JSON target: a static GET by this build and by the baseline build
 * (--baseline-dir; without it the row has this build only), a journey, and
 * the journey's requests written literally; run.ts divides the journey's CPU
 * per request by each of the other two's in each round.
 */
const JOURNEY_ROWS: Measurement[] = [
  {
    id: 'static',
    title: 'static GET, run, closed loop, 50 VUs, 1 core, JSON target: this build against the baseline build',
    target: 'json',
    uses: (t) => t.name === 'novaload' || t.name === 'baseline',
    load: (url, s) => ({ url, connections: 50, durationS: s.durationS, scenario: 'static' }),
    metrics: ['rps', 'cpuUs', 'netCpuUs'],
    read: throughput,
    checks: { rps: ratioAtLeast('baseline', 0.97), netCpuUs: ratioAtMost('baseline', 1.03) },
  },
  {
    id: 'journey',
    title: 'journey: login captures token and id, read uses them; templates in path, header, json and checks; run, flow sequence, 50 VUs, 1 core, JSON target',
    target: 'json',
    uses: (t) => t.name === 'novaload',
    load: (url, s) => ({ url, connections: 50, durationS: s.durationS, scenario: 'journey' }),
    metrics: ['rps', 'cpuUs', 'netCpuUs'],
    read: throughput,
  },
  {
    id: 'literal',
    title: "the journey's two requests written literally (no templates, captures or checks): run, flow sequence, 50 VUs, 1 core, JSON target",
    target: 'json',
    uses: (t) => t.name === 'novaload',
    load: (url, s) => ({ url, connections: 50, durationS: s.durationS, scenario: 'literal' }),
    metrics: ['rps', 'cpuUs', 'netCpuUs'],
    read: throughput,
  },
];

const https = (caFile: string | undefined, protocol: 'h1' | 'h2', streams?: number): Load['https'] => ({ caFile: caFile ?? '', protocol, ...(streams !== undefined && { streams }) });

/**
 * The HTTPS rows (issue 13, point 5), against nginx over TLS on one core:
 * HTTP/1.1 keep-alive next to wrk and `h2load --h1`; h2 with 10 connections
 * × 10 streams next to `h2load -m 10`; and the two that decide whether
 * `http.version: "auto"` may be the https default, novaload with "1.1"
 * beside novaload with "auto" in the same round: against a server without
 * h2 (what auto's ALPN offer costs HTTP/1.1) and against one with it (auto
 * then moves a closed model's 50 VUs from HTTP/1.1 to h2 connections).
 */
const HTTPS_ROWS: Measurement[] = [
  {
    id: 'https-1',
    title: 'HTTPS keep-alive, HTTP/1.1, closed loop, 50 connections, 1 core, nginx with TLS',
    target: 'tls',
    uses: (t) => t.name === 'novaload' || t.name === 'wrk' || t.name === 'h2load',
    load: (url, s, caFile) => ({ url, connections: 50, durationS: s.durationS, https: https(caFile, 'h1') }),
    metrics: ['rps', 'cpuUs', 'netCpuUs'],
    read: throughput,
  },
  {
    id: 'h2-10x10',
    title: 'h2, 10 connections × 10 streams, closed loop (100 VUs), 1 core, nginx with TLS',
    target: 'tls',
    uses: (t) => t.name === 'novaload' || t.name === 'h2load',
    load: (url, s, caFile) => ({ url, connections: 10, durationS: s.durationS, https: https(caFile, 'h2', 10) }),
    metrics: ['rps', 'cpuUs', 'netCpuUs'],
    read: throughput,
  },
  {
    id: 'https-auto-h1',
    title: 'http.version "1.1" (novaload) against "auto" (novaload-auto), HTTPS server without h2, 50 VUs, 1 core',
    target: 'tls-h1',
    uses: (t) => t.name === 'novaload' || t.name === 'novaload-auto',
    load: (url, s, caFile) => ({ url, connections: 50, durationS: s.durationS, https: https(caFile, 'h1') }),
    metrics: ['rps', 'cpuUs'],
    read: throughput,
    checks: { rps: ratioAtMost('novaload-auto', 1.03), cpuUs: ratioAtLeast('novaload-auto', 0.97) },
  },
  {
    id: 'https-auto-h2',
    title: 'http.version "1.1" (novaload) against "auto" (novaload-auto, negotiates h2), HTTPS server with h2, 50 VUs on their own connections, 1 core',
    target: 'tls',
    uses: (t) => t.name === 'novaload' || t.name === 'novaload-auto',
    load: (url, s, caFile) => ({ url, connections: 50, durationS: s.durationS, https: https(caFile, 'h1') }),
    metrics: ['rps', 'cpuUs'],
    read: throughput,
    checks: { rps: ratioAtMost('novaload-auto', 1.03), cpuUs: ratioAtLeast('novaload-auto', 0.97) },
  },
];

/** The measurements run every round, in order. */
export const MEASUREMENTS: Measurement[] = [
  ...JOURNEY_ROWS,
  ...HTTPS_ROWS,
  {
    id: 'max-1',
    title: 'max throughput, closed loop, 50 connections, 1 core, fast target',
    target: 'fast',
    uses: (t) => t.closed,
    load: (url, s) => ({ url, connections: 50, durationS: s.durationS }),
    metrics: ['rps', 'cpuUs', 'netCpuUs'],
    read: throughput,
    checks: { rps: both(ratioAtLeast('autocannon', 1, 1.3), ratioAtLeast('wrk', 0.5)) },
  },
  {
    id: 'max-all',
    title: 'max throughput, closed loop, 50 connections, all cores (target shares core 0)',
    target: 'fast',
    uses: (t) => t.closed,
    load: (url, s) => ({ url, connections: 50, durationS: s.durationS, allCores: true }),
    metrics: ['rps', 'cpuUs'],
    read: throughput,
  },
  fixedRate(2000),
  fixedRate(10000),
  {
    id: 'live',
    title: 'fixed 10000 req/s with the live views (novaload-live: --dashboard and --prometheus-rw to a loopback sink) against without (novaload), 50 connections, 1 core, fast target',
    target: 'fast',
    uses: (t) => t.name === 'novaload' || t.name === 'novaload-live',
    load: (url, s) => ({ url, connections: 50, durationS: s.durationS, rate: 10_000 }),
    metrics: ['cpuUs', 'delivered', 'p50'],
    read: (r, st, s, startCpuMs) => ({ ...throughput(r, st, s, startCpuMs), delivered: (100 * r.requests) / (10_000 * s.durationS), p50: r.p50 }),
    checks: { cpuUs: ratioAtLeast('novaload-live', 0.97) },
  },
  {
    id: 'accuracy-closed',
    title: 'accuracy, 10 ms server, closed loop, 10 connections',
    target: 'delay',
    uses: (t) => t.closed,
    load: (url, s) => ({ url, connections: 10, durationS: s.durationS }),
    metrics: ['p50', 'p99', 'p50err'],
    read: (r, st) => ({ p50: r.p50, p99: r.p99, p50err: st ? r.p50 - st.p50 : NaN }),
    reference: (m, st) => (st ? (m === 'p50' ? st.p50 : m === 'p99' ? st.p99 : 0) : NaN),
    checks: { p50err: withinMs(0.2) },
  },
  {
    id: 'accuracy-open',
    title: 'accuracy, 10 ms server, fixed 500 req/s, 50 connections',
    target: 'delay',
    uses: (t) => t.rates,
    load: (url, s) => ({ url, connections: 50, durationS: s.durationS, rate: 500 }),
    metrics: ['p50', 'p99', 'p50err'],
    read: (r, st) => ({ p50: r.p50, p99: r.p99, p50err: st ? r.p50 - st.p50 : NaN }),
    reference: (m, st) => (st ? (m === 'p50' ? st.p50 : m === 'p99' ? st.p99 : 0) : NaN),
    checks: { p50err: withinMs(0.2) },
  },
  {
    id: 'stall',
    title: 'coordinated omission: 1 s stall once, fixed 200 req/s, 10 connections',
    target: 'stall',
    uses: (t) => t.rates,
    load: (url, s) => ({ url, connections: 10, durationS: s.durationS, rate: 200 }),
    metrics: ['p95', 'p99'],
    read: (r, st) => (st && st.stallMs > 0 ? { p95: r.p95, p99: r.p99 } : {}),
    reference: (m, _st, s) => stallTruth(200, s.durationS, 1000, 0, [m === 'p95' ? 95 : 99])[0],
    checks: { p95: withinTruth(10), p99: withinTruth(10) },
  },
];

const atMost = (max: number, unit: string): Check => ({ text: `≤ ${max}${unit}`, met: (f) => (Number.isFinite(f.novaload) ? f.novaload <= max : null) });

/**
 * The controller-scale row (issue 14 point 5): a short run of what `pnpm
 * bench:controller` measures in full (lib/controller-scale.ts), the
 * controller merging 200 shares × 50 request names from simulated agents
 * over the real protocol, held to the issue's targets. Not pinned: the
 * controller and the feeder share the machine.
 */
export const CONTROLLER_SCALE = {
  id: 'controller-scale',
  shares: 200,
  names: 50,
  rps: 20,
  /** Simulated seconds per round: the round's duration, at least 10 (the merge is compiled during the first second, which would weigh on a 4 s quick row). */
  seconds: (s: Settings): number => Math.max(10, s.durationS),
  title: (s: Settings): string => `controller merging 200 shares × 50 request names (100 simulated agents, real protocol, ${CONTROLLER_SCALE.seconds(s)} s per round), not pinned`,
  metrics: ['ctlCpuPct', 'ctlLagMs', 'ctlRssMb'] as Metric[],
  checks: { ctlCpuPct: atMost(50, '% of one core'), ctlRssMb: atMost(500, ' MB') } as Partial<Record<Metric, Check>>,
};
