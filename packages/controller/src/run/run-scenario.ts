/**
 * Runs one scenario over a set of shares (local threads or remote agents):
 * everyone starts at one instant, snapshots are merged exactly as they
 * arrive, and the merged report is evaluated against the thresholds.
 */
import { randomUUID } from 'node:crypto';
import { RunAggregator, type Report } from '@novaload/report';
import { checkName, plannedDurationMs, type ResolvedScenario } from '@novaload/agent';
import type { RunHandle, RunOutcome, RunSink, ShareRunner } from './runner.js';
import type { RunControl } from './control.js';
import type { Progress } from './progress.js';
import type { RunExtras } from './extras.js';
import { sharesFor } from './shares.js';
import { dataReport } from './data-report.js';
import { runSetup, runTeardown } from './phases.js';
import { CliError, EXIT } from '../exit-codes.js';
import { aggregatorSink, lastSecondOf } from './snapshot-sink.js';
import { tlsReport } from '../scenario/tls.js';
import type { SharedStart } from './start-clock.js';
import type { LiveSink } from '../live/sink.js';
import type { LiveOutput } from '../live/prometheus-rw.js';

export interface ScenarioRunOptions {
  runner: ShareRunner;
  control: RunControl;
  progress: Progress;
  seed?: number;
  /** HDR log, windowed thresholds, baseline and history of this run (extras.ts). */
  extras?: RunExtras;
  /** Where a teardown failure is told (stderr); absent: nowhere. */
  warn?: (line: string) => void;
  /** A run file's workload: it starts its startTime after the run's second 0, once every workload is ready; absent: as soon as planned. */
  shared?: SharedStart;
  /** Where the snapshots go besides this scenario's report (a run file's run-wide merge, run-merge.ts). */
  tee?: (own: RunSink) => RunSink;
  /** A live view (--dashboard) of this scenario's report as it is built. */
  live?: LiveSink;
  /** Prometheus remote write: reads the figures as they merge, and takes the final report. */
  rw?: LiveOutput;
}

/**
 * Setup, then the load, then teardown (also when the load was stopped or
 * threw); setup and teardown go into the report's own sections.
 */
export async function runScenario(scenario: ResolvedScenario, opts: ScenarioRunOptions): Promise<Report> {
  const setup = await runSetup(scenario);
  let report: Report | undefined;
  try {
    // A signal during setup: no load, but teardown still undoes what setup made.
    const reason = opts.control.stopReason;
    if (setup.entries && reason !== null) throw new CliError(`interrupted (${reason}) during setup; no load was sent`, EXIT.interrupted);
    report = await runLoad(setup.load, opts);
  } finally {
    const teardown = await runTeardown(scenario, setup.load.setupValues ?? {}, opts.warn ?? (() => {}));
    if (report && setup.entries) report.setup = setup.entries;
    if (report && teardown) report.teardown = teardown;
    if (report && scenario.http.tls) report.tls = tlsReport(scenario.http.tls);
  }
  return report;
}

async function runLoad(scenario: ResolvedScenario, opts: ScenarioRunOptions): Promise<Report> {
  const shares = sharesFor(scenario, opts.runner.capacity);
  const aggregator = new RunAggregator(
    {
      scenario: scenario.name,
      target: scenario.target,
      executor: scenario.executor.type,
      startedAt: new Date(),
      requests: scenario.requests.map((r) => ({ name: r.name, method: r.method, path: r.path, checkNames: (r.checks ?? []).map(checkName) })),
    },
    shares,
    lastSecondOf(scenario),
  );
  const seed = opts.seed ?? (Date.now() & 0x7fffffff);
  let broken: Error | null = null;
  const own = aggregatorSink(aggregator, (err) => {
    broken ??= err;
    opts.control.stop('merging a snapshot failed');
  });
  const sink = opts.tee ? opts.tee(own) : own;
  // A stop before the start aborts the start; after it, it stops the shares (within the runner's deadline).
  const starting = new AbortController();
  let handle: RunHandle | null = null;
  const unsubscribers = [
    opts.control.onStop((reason) => (handle ? handle.stop() : starting.abort(reason))),
    opts.control.onHurry(() => handle?.stop(true)),
  ];
  try {
    handle = await opts.runner.start({ runId: randomUUID(), scenario, shares, seed }, sink, starting.signal, opts.shared);
  } catch (err) {
    unsubscribers.forEach((u) => u());
    throw err;
  }
  if (starting.signal.aborted) handle.stop();
  // The report's startedAt is second 0 (a run file's workload: its startTime into the run), not when the plan was made.
  aggregator.meta.startedAt = new Date(handle.startAt);
  opts.extras?.attach(aggregator, handle.startAt);
  opts.rw?.start(scenario.name, aggregator, handle.startAt);
  opts.progress.start(scenario.name, plannedDurationMs(scenario.executor), () => aggregator.live());
  const startAt = handle.startAt;
  const view = opts.live?.open({
    name: scenario.name, aggregator, startAt, plannedMs: plannedDurationMs(scenario.executor),
    options: () => ({ durationMs: Math.max(1, Date.now() - startAt), interrupted: opts.control.stopReason !== null, thresholds: scenario.thresholds, ...opts.extras?.finishOptions() }),
  });
  let outcome: RunOutcome;
  try {
    outcome = await handle.finished;
    if (broken) throw broken;
  } finally {
    unsubscribers.forEach((u) => u());
    opts.progress.end();
  }
  const report = aggregator.finish({
    durationMs: Math.max(1, Date.now() - handle.startAt),
    interrupted: opts.control.stopReason !== null,
    thresholds: scenario.thresholds,
    agents: outcome.agents,
    ...opts.extras?.finishOptions(),
  });
  if (outcome.failures.length > 0) report.failures = outcome.failures;
  const data = dataReport(scenario.data, shares, outcome.results ?? []);
  if (data) report.data = data;
  view?.close(report);
  opts.rw?.end(scenario.name, report);
  return report;
}
