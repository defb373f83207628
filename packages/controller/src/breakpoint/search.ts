/**
 * The breakpoint search: one `runScenario` per step on one runner (local
 * threads or remote agents, opened once), rising until a step's critical
 * thresholds fail, the generator saturates, a signal comes, or --max is run.
 */
import type { ShareRunner } from '../run/runner.js';
import type { RunControl } from '../run/control.js';
import { createProgress } from '../run/progress.js';
import { runScenario } from '../run/run-scenario.js';
import { ScenarioExtras } from '../run/extras.js';
import type { Io } from '../io.js';
import { judge, stepOf, type BreakpointResult, type StepResult } from './judge.js';
import { stepLine } from './render.js';
import { stepScenario, type StepSource } from './steps.js';

export interface SearchOptions {
  rates: readonly number[];
  holdMs: number;
  quiet: boolean;
  /** The threads the steps run on (over all agents), for the saturation hint. */
  threads: number;
}

/**
 * Run the steps in order and judge them; a step is printed as it ends. A
 * step whose critical thresholds fail is run once more, and the second run
 * is the step's result: the failure must repeat before the search stops,
 * so a cold start, a GC pause or a scheduling stall on a shared host is
 * not taken for the target's limit.
 */
export async function search(source: StepSource, runner: ShareRunner, control: RunControl, opts: SearchOptions, io: Io): Promise<BreakpointResult> {
  const steps: StepResult[] = [];
  for (const [k, rate] of opts.rates.entries()) {
    if (control.stopReason !== null) break;
    let step = await runStep(source, rate, `step ${k + 1}/${opts.rates.length}`, { runner, control, opts, io });
    if (!step.interrupted && !step.generatorSaturated && step.failed.length > 0 && control.stopReason === null) {
      io.stdout.write(`${stepLine(step)} (run again to confirm)\n`);
      step = { ...(await runStep(source, rate, `step ${k + 1}/${opts.rates.length} again`, { runner, control, opts, io })), firstRun: { requests: step.requests, errorRate: step.errorRate, failed: step.failed } };
    }
    steps.push(step);
    io.stdout.write(`${stepLine(step)}\n`);
    if (step.interrupted || step.generatorSaturated || step.failed.length > 0) break;
  }
  return judge(steps, { max: opts.rates.at(-1)!, threads: opts.threads });
}

/** One run of the scenario at `rate` for the hold. */
async function runStep(source: StepSource, rate: number, label: string, ctx: { runner: ShareRunner; control: RunControl; opts: SearchOptions; io: Io }): Promise<StepResult> {
  const { opts, io } = ctx;
  if (!opts.quiet) io.stderr.write(`${label}: ${rate}/s for ${opts.holdMs / 1000}s\n`);
  const progress = createProgress(io.stderr, { quiet: opts.quiet });
  const scenario = stepScenario(source, rate, opts.holdMs);
  // Windowed thresholds ("for") are judged on the step's seconds; an abortOnFail one ends the step, and the search with it.
  const extras = new ScenarioExtras(scenario, {}, undefined, ctx.control, io);
  const report = await runScenario(scenario, { runner: ctx.runner, control: ctx.control, progress, extras, warn: (line) => io.stderr.write(`${line}\n`) });
  return stepOf(rate, report);
}
