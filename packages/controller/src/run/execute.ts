/**
 * The shared back half of `run`, `bench` and `demo`: run resolved scenarios in
 * order on local threads, write every report (also when interrupted), and
 * turn the verdicts into the exit code CI reads.
 */
import type { Report } from '@novaload/report';
import { MAX_RUNS, plannedDurationMs, type ResolvedScenario } from '@novaload/agent';
import { CliError, EXIT, type ExitCode } from '../exit-codes.js';
import type { ResolvedRun, Workload } from '../scenario/index.js';
import type { Io } from '../io.js';
import { checkOutputs, emitReport, type OutputOptions } from '../outputs.js';
import { RunControl } from './control.js';
import { createProgress } from './progress.js';
import { runScenario } from './run-scenario.js';
import { LocalRunner, type RunSink, type ShareRunner } from './runner.js';
import { RunMerge } from './run-merge.js';
import { StartClock } from './start-clock.js';
import { sharesFor } from './shares.js';
import type { RemoteOptions } from '../remote/open.js';
import { hdrLogPaths, ScenarioExtras } from './extras.js';
import { loadReferences, type ReferenceOptions } from './references.js';
import { checkFileDescriptors } from './fd-limit.js';
import { insecureNotice } from '../scenario/tls.js';
import { sectionsOf, type LiveSink } from '../live/sink.js';
import type { DashboardOptions } from '../live/options.js';
import type { LiveOutput } from '../live/prometheus-rw.js';
import { remoteWriterFor, type RemoteWriteFlags } from '../live/prometheus-rw-config.js';

export interface ExecuteOptions extends OutputOptions, ReferenceOptions, RemoteWriteFlags {
  threads: number;
  quiet: boolean;
  /** --hdr-log: where to write the HdrHistogram interval log of overall latency. */
  hdrLog?: string;
  /** Distributed mode: run on remote agents instead of local threads. */
  remote?: RemoteOptions;
  /** --dashboard: serve the live view while the runs go (live/dashboard.ts). */
  dashboard?: DashboardOptions;
  /** Where the runs' reports are watched as they are built (the open dashboard). */
  live?: LiveSink;
}

/**
 * Exit code for finished reports. What stopped the run first decides: an
 * abortOnFail threshold (a report says `aborted`) 108, else a signal 105;
 * a run that was not stopped: a failed critical threshold 99, else 0.
 */
export function exitCodeFor(reports: Report[], interrupted: boolean): ExitCode {
  if (reports.some((r) => r.aborted)) return EXIT.aborted;
  if (interrupted) return EXIT.interrupted;
  return reports.some((r) => r.verdict === 'fail') ? EXIT.thresholdsFailed : EXIT.ok;
}

/**
 * What the command line runs, in order: scenarios one after another, and a
 * run file's workloads (`ResolvedRun`) all at once, on the same threads.
 */
export async function executeScenarios(items: (ResolvedScenario | ResolvedRun)[], opts: ExecuteOptions, io: Io): Promise<ExitCode> {
  if (opts.dashboard) {
    // The dashboard (http server, prom-client, uPlot) loads only when asked for.
    const { dashboard, ...rest } = opts;
    return (await import('../live/dashboard.js')).withDashboard(dashboard, io, (live) => executeScenarios(items, { ...rest, live }, io));
  }
  const scenarios = items.flatMap(workloadsOf).map((w) => w.scenario);
  const together = Math.max(...items.map((i) => workloadsOf(i).length));
  if (opts.remote && together > MAX_RUNS) throw new CliError(`a run file runs at most ${MAX_RUNS} workloads at once on remote agents; this one has ${together}: split it, or run it on local threads`, EXIT.invalidInput);
  checkOutputs(opts, items.map((i) => i.name), io.cwd);
  checkFileDescriptors(items.map(workloadsOf), opts, io.env);
  const { workloads: references, runs: runReferences } = await loadReferences(items, opts, io.cwd, (line) => io.stderr.write(`${line}\n`));
  const hdrLogs = hdrLogPaths(opts.hdrLog, scenarios, io.cwd);
  for (const line of scenarios.map(insecureNotice)) if (line !== null) io.stderr.write(`${line}\n`);
  const control = new RunControl();
  const unsubscribe = io.onSignal((signal, urgent) => {
    if (urgent) {
      io.stderr.write(`\n${signal} again: skipping gracefulStop, writing the report of what arrived; a third signal exits at once\n`);
      control.hurry(signal);
      return;
    }
    io.stderr.write(`\n${signal}: stopping the load (gracefulStop), then writing the report; a second signal skips gracefulStop\n`);
    control.stop(signal);
  });
  let runner: ShareRunner;
  try {
    // The distributed side (ws, the agent server) loads only for --agents runs.
    runner = opts.remote
      ? await (await import('../remote/open.js')).openRemoteRunner(opts.remote, { requestNames: Math.max(...scenarios.map((s) => s.requests.length)) }, io, control)
      : await LocalRunner.open(threadsNeeded(scenarios, opts.threads), scenarios, together);
  } catch (err) {
    unsubscribe();
    throw err;
  }
  const reports: Report[] = [];
  let unwritten = 0;
  try {
    let i = 0;
    for (const item of items) {
      if (control.stopReason !== null) break;
      const workloads = workloadsOf(item);
      const rw = await remoteWriterFor(item, opts, warnTo(io));
      const ctx: RunContext = { runner, control, references, runReferences, hdrLogs, opts, io, ...(rw && { rw }) };
      let report: Report;
      try {
        report = 'workloads' in item ? await runRunFile(item, i, ctx) : await runOne(item, i, ctx);
      } catch (err) {
        await rw?.close();
        throw err;
      }
      // The last figures go out (a bounded wait), also after an interrupt; the report says what arrived.
      const pushed = await rw?.close();
      if (pushed) report.outputs = { ...report.outputs, prometheusRW: pushed };
      i += workloads.length;
      reports.push(report);
      unwritten += await emitReport(report, opts, io, items.length);
    }
  } finally {
    unsubscribe();
    await runner.close();
  }
  return finalCode(reports, control.stopReason !== null, unwritten, opts, io);
}

/** What every workload of a command shares, and where its own references and HDR log are (by its index over all workloads). */
interface RunContext {
  runner: ShareRunner;
  control: RunControl;
  references: Awaited<ReturnType<typeof loadReferences>>['workloads'];
  runReferences: Awaited<ReturnType<typeof loadReferences>>['runs'];
  hdrLogs: (string | undefined)[];
  opts: ExecuteOptions;
  io: Io;
  /** The item's remote write, when on (the dashboard is opts.live). */
  rw?: LiveOutput;
}

function extrasFor(scenario: ResolvedScenario, at: number, ctx: RunContext): ScenarioExtras {
  return new ScenarioExtras(scenario, ctx.references[at]!, ctx.hdrLogs[at], ctx.control, ctx.io);
}

const warnTo = (io: Io) => (line: string): void => void io.stderr.write(`${line}\n`);

/** A scenario file: one workload, started as soon as it is planned, with its own progress line. */
function runOne(scenario: ResolvedScenario, at: number, ctx: RunContext): Promise<Report> {
  const progress = createProgress(ctx.io.stderr, { quiet: ctx.opts.quiet });
  return runScenario(scenario, { runner: ctx.runner, control: ctx.control, progress, extras: extrasFor(scenario, at, ctx), warn: warnTo(ctx.io), live: ctx.opts.live, rw: ctx.rw });
}

/**
 * A run file: every workload at once, each its startTime after one second 0
 * fixed when all are ready (setups done, plans confirmed: start-clock.ts),
 * their snapshots merged into the run's report as well as their own, and
 * one progress line of the run's figures. The first workload to fail stops
 * the others, and its error is the one reported.
 */
async function runRunFile(run: ResolvedRun, first: number, ctx: RunContext): Promise<Report> {
  const runExtras = new ScenarioExtras(run, ctx.runReferences.get(run)!, undefined, ctx.control, ctx.io, 'run-wide threshold');
  const merge = new RunMerge(run, run.workloads.map((w) => sharesFor(w.scenario, ctx.runner.capacity)), runExtras);
  const clock = new StartClock(run.workloads.length);
  const progress = createProgress(ctx.io.stderr, { quiet: ctx.opts.quiet });
  const silent = createProgress(ctx.io.stderr, { quiet: true });
  const planned = Math.max(...run.workloads.map((w) => w.startMs + plannedDurationMs(w.scenario.executor)));
  clock.started.then(() => progress.start(run.name, planned, () => merge.live()), () => {});
  const view = ctx.opts.live?.open(merge.liveSource(() => clock.startedAt ?? Date.now(), planned));
  let firstError: { err: unknown } | null = null;
  const runs = run.workloads.map((w, k) =>
    runScenario(w.scenario, {
      runner: ctx.runner,
      control: ctx.control,
      progress: silent,
      extras: extrasFor(w.scenario, first + k, ctx),
      warn: warnTo(ctx.io),
      shared: { clock, offsetMs: w.startMs },
      tee: (own: RunSink) => merge.sinkFor(k, own),
      live: ctx.opts.live && sectionsOf(ctx.opts.live, run.name),
      rw: ctx.rw,
    }).catch((err: unknown) => {
      firstError ??= { err };
      ctx.control.stop(`workload "${w.scenario.name}" of the run failed`);
      throw err;
    }),
  );
  const settled = await Promise.allSettled(runs);
  progress.end();
  if (firstError !== null) throw (firstError as { err: unknown }).err;
  const sections = settled.map((s) => (s as PromiseFulfilledResult<Report>).value);
  const startedAt = clock.startedAt ?? Date.now();
  const report = merge.finish(sections, Math.max(1, Date.now() - startedAt), ctx.control.stopReason !== null, clock.startedAt ?? undefined);
  view?.close(report);
  return report;
}

/** A scenario file is one workload that starts at once; a run file is its workloads. */
function workloadsOf(item: ResolvedScenario | ResolvedRun): readonly Workload[] {
  return 'workloads' in item ? item.workloads : [{ scenario: item, startMs: 0 }];
}

/** Threads worth starting: no more than the largest number of shares any scenario splits into (a 1-VU run needs one). */
function threadsNeeded(scenarios: readonly ResolvedScenario[], threads: number): number {
  return Math.max(1, ...scenarios.map((s) => sharesFor(s, threads)));
}

/**
 * The command's exit code: a report file that could not be written (1) beats
 * everything, since CI would read nothing; then what stopped the run; then
 * lost agents or crashed threads beyond tolerance (111) over a plain 0 or 99.
 */
function finalCode(reports: Report[], stopped: boolean, unwritten: number, opts: ExecuteOptions, io: Io): ExitCode {
  if (unwritten > 0) return EXIT.internal;
  const code = exitCodeFor(reports, stopped);
  if (code !== EXIT.ok && code !== EXIT.thresholdsFailed) return code;
  const lost = reports.reduce((n, r) => n + r.agents.filter((a) => a.status !== 'ok').length, 0);
  if (opts.remote && lost > opts.remote.maxAgentLoss) {
    io.stderr.write(`novaload: degraded: ${lost} agent(s) lost, more than --max-agent-loss ${opts.remote.maxAgentLoss}\n`);
    return EXIT.degraded;
  }
  const crashed = opts.remote ? 0 : reports.reduce((n, r) => n + (r.failures?.length ?? 0), 0);
  if (crashed > 0) {
    io.stderr.write(`novaload: degraded: ${crashed} thread(s) crashed; the report keeps what they sent\n`);
    return EXIT.degraded;
  }
  return code;
}
