/**
 * The shared back half of `run`, `bench` and `demo`: run resolved scenarios in
 * order on local threads, write every report (also when interrupted), and
 * turn the verdicts into the exit code CI reads.
 */
import type { Report } from '@novaload/report';
import type { ResolvedScenario } from '@novaload/agent';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Io } from '../io.js';
import { emitReport, type OutputOptions } from '../outputs.js';
import { RunControl } from './control.js';
import { createProgress } from './progress.js';
import { runScenario } from './run-scenario.js';
import { LocalRunner } from './runner.js';

export interface ExecuteOptions extends OutputOptions {
  threads: number;
  quiet: boolean;
}

/** Exit code for finished reports: interrupted beats a failed threshold, which beats pass/warn. */
export function exitCodeFor(reports: Report[], interrupted: boolean): ExitCode {
  if (interrupted) return EXIT.interrupted;
  return reports.some((r) => r.verdict === 'fail') ? EXIT.thresholdsFailed : EXIT.ok;
}

export async function executeScenarios(scenarios: ResolvedScenario[], opts: ExecuteOptions, io: Io): Promise<ExitCode> {
  const control = new RunControl();
  const unsubscribe = io.onSignal((signal) => {
    io.stderr.write(`\n${signal}: stopping the load (gracefulStop), then writing the report; a second signal exits at once\n`);
    control.stop(signal);
  });
  const runner = await LocalRunner.open(opts.threads);
  const reports: Report[] = [];
  try {
    for (const scenario of scenarios) {
      if (control.stopReason !== null) break;
      const progress = createProgress(io.stderr, { quiet: opts.quiet });
      const report = await runScenario(scenario, { runner, control, progress });
      reports.push(report);
      await emitReport(report, opts, io, scenarios.length);
    }
  } finally {
    unsubscribe();
    await runner.close();
  }
  return exitCodeFor(reports, control.stopReason !== null);
}
