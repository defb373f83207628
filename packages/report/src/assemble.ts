/**
 * Turning merged state into the v1 report: endpoints in the scenario's
 * order, overall figures as the sum of the per-request ones, thresholds and
 * verdict. Kept apart from the merging so each reads on its own.
 */
import { compareWithBaseline } from './compare.js';
import { encodeHistogram } from './histogram.js';
import { generatorErrorCount } from './generator-errors.js';
import { evaluateHistory } from './history.js';
import { RequestTally } from './tally.js';
import { evaluateThresholds, metricValue, verdictOf, type MetricSource } from './thresholds.js';
import type { AgentReport, CheckResult, EndpointReport, GeneratorReport, Report, ThresholdResult, ThresholdSpec, TimelinePoint } from './types.js';
import type { AbortInfo, HistoryLevels } from './types-judgement.js';

/** What the report says about the run besides measurements; `requests` fixes the endpoints' order. */
export interface RunMeta {
  scenario: string;
  target: string;
  executor: string;
  startedAt: Date;
  /** `checkNames`: the request's check names (check-name.ts in the agent), absent or empty for none. */
  requests: { name: string; method: string; path: string; checkNames?: readonly string[] }[];
}

/** How the run ended, the thresholds to judge it by, and the agents to list. */
export interface FinishOptions {
  durationMs: number;
  interrupted: boolean;
  thresholds: Readonly<Record<string, ThresholdSpec>>;
  agents?: AgentReport[];
  /** The earlier run of --baseline: compared with, and what relative thresholds measure against. */
  baseline?: { file: string; report: Report };
  /** Levels from earlier runs (--history), judged like the scenario's thresholds. */
  history?: HistoryLevels;
  /** Results of the windowed thresholds, judged on the timeline during the run (WindowWatch). */
  windows?: ThresholdResult[];
  /** The abortOnFail threshold that stopped the run, if one did. */
  aborted?: AbortInfo;
}

/** The merged state of a run, as the aggregator holds it. */
export interface MergedRun {
  /** Per request name: declared names first, in order, then undeclared ones as they appeared. */
  byName: ReadonlyMap<string, RequestTally>;
  timeline: Iterable<TimelinePoint>;
  dropped: number;
  /** Iterations completed over every share. */
  iterations: number;
  generator: GeneratorReport;
}

/** The checks table: every declared check of every request, in the scenario's order, zeros included; undefined without checks. */
function checkTable(meta: RunMeta, byName: ReadonlyMap<string, RequestTally>): CheckResult[] | undefined {
  const rows: CheckResult[] = [];
  for (const r of meta.requests) {
    for (const check of r.checkNames ?? []) {
      const count = byName.get(r.name)?.checks.get(check);
      rows.push({ request: r.name, check, passes: count?.passes ?? 0, fails: count?.fails ?? 0 });
    }
  }
  return rows.length > 0 ? rows : undefined;
}

/** Build the v1 report. Zero requests give zero rates (as the runbook's report does), never NaN. */
export function assembleReport(meta: RunMeta, run: MergedRun, opts: FinishOptions): Report {
  const all = new RequestTally();
  for (const tally of run.byName.values()) all.add(tally, tally);
  const source: MetricSource = { overall: all, byRequest: run.byName, durationMs: opts.durationMs, dropped: run.dropped, generator: run.generator };
  const declared = new Map(meta.requests.map((r) => [r.name, r]));
  const endpoints: EndpointReport[] = [...run.byName].map(([name, tally]) => {
    const { totals, latency, serviceTime, ttfb, phases, errors, captureMisses } = tally.summary();
    const rps = metricValue({ metric: 'rps', request: name }, source) ?? 0;
    return { name, method: declared.get(name)?.method ?? '', path: declared.get(name)?.path ?? '', totals, ...(captureMisses && { captureMisses }), rps, latency, serviceTime, ttfb, ...(phases && { phases }), errors };
  });
  const overall = all.summary();
  const checks = checkTable(meta, run.byName);
  const thresholds = [
    ...evaluateThresholds(opts.thresholds, source, opts.baseline?.report),
    ...(opts.windows ?? []),
    ...(opts.history ? evaluateHistory(opts.history, source) : []),
  ];
  return {
    version: 1,
    scenario: meta.scenario,
    target: meta.target,
    executor: meta.executor,
    startedAt: meta.startedAt.toISOString(),
    durationMs: opts.durationMs,
    interrupted: opts.interrupted,
    totals: { ...overall.totals, dropped: run.dropped, iterations: run.iterations, ...(checks && { checks: { passes: all.checkPasses, fails: all.checkFails } }) },
    rps: metricValue({ metric: 'rps' }, source) ?? 0,
    successRate: metricValue({ metric: 'successRate' }, source) ?? 0,
    errorRate: metricValue({ metric: 'errorRate' }, source) ?? 0,
    latency: overall.latency,
    serviceTime: overall.serviceTime,
    ttfb: overall.ttfb,
    ...(overall.phases && { phases: overall.phases }),
    errors: overall.errors,
    ...(Object.keys(all.errorExamples).length > 0 && { errorExamples: { ...all.errorExamples } }),
    endpoints,
    ...(checks && { checks }),
    timeline: [...run.timeline].sort((a, b) => a.t - b.t),
    thresholds,
    verdict: verdictOf(thresholds),
    histogram: encodeHistogram(all.latency),
    generator: run.generator,
    agents: opts.agents ?? [],
    ...(generatorErrorCount(overall.errors) > 0 && { generatorErrors: generatorErrorCount(overall.errors) }),
    ...(opts.baseline && { baseline: compareWithBaseline(source, opts.baseline) }),
    ...(opts.history && { history: opts.history }),
    ...(opts.aborted && { aborted: opts.aborted }),
  };
}
