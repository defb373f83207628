/**
 * The shared back half of `run`, `bench` and `demo`: run resolved scenarios in
 * order on local threads, write every report (also when interrupted), and
 * turn the verdicts into the exit code CI reads.
 */
import type { Report } from '@novaload/report';
import type { ResolvedScenario } from '@novaload/agent';
import { CliError, EXIT, type ExitCode } from '../exit-codes.js';
import type { ResolvedRun, Workload } from '../scenario/index.js';
import type { Io } from '../io.js';
import { checkOutputs, emitReport, type OutputOptions } from '../outputs.js';
import { RunControl } from './control.js';
import { createProgress } from './progress.js';
import { runScenario } from './run-scenario.js';
import { LocalRunner, type RunSink, type ShareRunner } from './runner.js';
import { RunMerge } from './run-merge.js';
import { sharesFor } from './shares.js';
import type { RemoteOptions } from '../remote/open.js';
import { hdrLogPaths, ScenarioExtras } from './extras.js';
import { loadReferences, type ReferenceOptions } from './references.js';
import { checkFileDescriptors } from './fd-limit.js';
import { insecureNotice } from '../scenario/tls.js';

export interface ExecuteOptions extends OutputOptions, ReferenceOptions {
  threads: number;
  quiet: boolean;
  /** --hdr-log: where to write the HdrHistogram interval log of overall latency. */
  hdrLog?: string;
  /** Distributed mode: run on remote agents instead of local threads. */
  remote?: RemoteOptions;
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
  const scenarios = items.flatMap(workloadsOf).map((w) => w.scenario);
  const together = Math.max(...items.map((i) => workloadsOf(i).length));
  if (items.some((i) => 'workloads' in i)) refuseForRunFiles(opts);
  checkOutputs(opts, items.map((i) => i.name), io.cwd);
  checkFileDescriptors(scenarios, opts, io.env);
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
      const merge = 'workloads' in item ? new RunMerge(item, workloads.map((w) => sharesFor(w.scenario, runner.capacity)), new ScenarioExtras(item, runReferences.get(item)!, undefined, control, io, 'run-wide threshold')) : null;
      // One clock for the workloads of a run file: each starts its startTime after the run's second 0.
      const startAt = Date.now() + 100;
      const runs = workloads.map((w, k) => {
        const at = i + k;
        // One live line: the first workload's (lines of several at once would overwrite each other).
        const progress = createProgress(io.stderr, { quiet: opts.quiet || k > 0 });
        const extras = new ScenarioExtras(w.scenario, references[at]!, hdrLogs[at], control, io);
        return runScenario(w.scenario, { runner, control, progress, extras, warn: (line) => io.stderr.write(`${line}\n`), ...(merge && { startAt: startAt + w.startMs, tee: (own: RunSink) => merge.sinkFor(k, own) }) });
      });
      i += workloads.length;
      const settled = await Promise.allSettled(runs.map((r) => r.catch((err: unknown) => {
        control.stop('a workload of the run failed');
        throw err;
      })));
      const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed) throw failed.reason;
      const sections = settled.map((s) => (s as PromiseFulfilledResult<Report>).value);
      const report = merge ? merge.finish(sections, Math.max(1, Date.now() - startAt), control.stopReason !== null) : sections[0]!;
      reports.push(report);
      unwritten += await emitReport(report, opts, io, items.length);
    }
  } finally {
    unsubscribe();
    await runner.close();
  }
  return finalCode(reports, control.stopReason !== null, unwritten, opts, io);
}

/**
 * What run files do not do yet, refused before anything is sent rather than
 * judged wrongly: remote agents.
 */
function refuseForRunFiles(opts: ExecuteOptions): void {
  if (opts.remote) throw new CliError('a run file\'s workloads run at once on local threads only in this build, not with --agents', EXIT.invalidInput);
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
