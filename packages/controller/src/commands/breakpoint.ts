/**
 * `novaload breakpoint <scenario.json | URL>`: raise a constant arrival rate
 * step by step and report the highest rate the target sustains within its
 * critical thresholds, where the search stopped and why, and the knee of
 * its latency curve (breakpoint/).
 */
import { resolve } from 'node:path';
import type { Args } from '../cli.js';
import type { Io } from '../io.js';
import { CliError, EXIT, type ExitCode } from '../exit-codes.js';
import { checkOutputs, writeFileAtomic } from '../outputs.js';
import { RunControl } from '../run/control.js';
import { LocalRunner, type ShareRunner } from '../run/runner.js';
import { sharesFor } from '../run/shares.js';
import { search } from '../breakpoint/search.js';
import { stepRates, stepScenario, stepSource } from '../breakpoint/steps.js';
import { breakpointJson, summaryText } from '../breakpoint/render.js';
import { breakpointHtml } from '../breakpoint/html.js';
import { historyText, readHistory } from '../breakpoint/history.js';
import type { BreakpointResult } from '../breakpoint/judge.js';
import { templateEnv } from './env-flag.js';
import { durationFlag, executeOptions, positiveFlag } from './flags.js';

/**
 * Defaults: 50/s up by 50/s to 1000/s, each held 10 s. A held step gives
 * every rate a whole window of its own (500+ samples for its p99, its own
 * threshold verdict and saturation flag), where a continuous ramp mixes
 * neighbouring rates in every second it judges.
 */
export const BREAKPOINT_DEFAULTS = { start: 50, max: 1000, holdMs: 10_000 } as const;

export async function breakpointCommand(args: Args, io: Io): Promise<ExitCode> {
  const start = positiveFlag(args, 'start') ?? BREAKPOINT_DEFAULTS.start;
  const step = positiveFlag(args, 'step') ?? start;
  const max = positiveFlag(args, 'max') ?? Math.max(start, BREAKPOINT_DEFAULTS.max);
  const holdMs = durationFlag(args, 'hold') ?? BREAKPOINT_DEFAULTS.holdMs;
  if (max < start) throw new CliError(`--max ${max} is below --start ${start}: the search rises from --start to --max`, EXIT.invalidInput);
  const rates = stepRates(start, step, max);
  const options = executeOptions(args, io.env);
  const input = String(args.input);
  const source = await stepSource(input, resolve(io.cwd, input), { target: args.target as string | undefined }, { env: templateEnv(args, io.env) });
  const top = stepScenario(source, max, holdMs);
  checkOutputs({ out: options.out, html: options.html }, [top.name], io.cwd);
  const history = args.history === undefined ? undefined : await readHistory(resolve(io.cwd, String(args.history)), top.name);
  const control = new RunControl();
  const unsubscribe = io.onSignal((signal, urgent) => {
    io.stderr.write(urgent ? `\n${signal} again: skipping gracefulStop\n` : `\n${signal}: stopping this step, then writing what was measured\n`);
    if (urgent) control.hurry(signal);
    else control.stop(signal);
  });
  let runner: ShareRunner;
  try {
    runner = options.remote
      ? await (await import('../remote/open.js')).openRemoteRunner(options.remote, { requestNames: top.requests.length }, io, control)
      : await LocalRunner.open(Math.max(1, sharesFor(top, options.threads)), [top]);
  } catch (err) {
    unsubscribe();
    throw err;
  }
  const startedAt = new Date().toISOString();
  let result: BreakpointResult;
  try {
    result = await search(source, runner, control, { rates, holdMs, quiet: options.quiet, threads: runner.capacity }, io);
  } finally {
    unsubscribe();
    await runner.close();
  }
  if (history) result.history = history;
  io.stdout.write(summaryText(result, max));
  if (history) io.stdout.write(historyText(history, result.sustainableRate));
  const meta = { scenario: top.name, target: top.target, startedAt };
  const files: [string | undefined, () => string][] = [[options.out, () => breakpointJson({ ...meta, holdMs }, result)], [options.html, () => breakpointHtml(meta, result)]];
  let unwritten = 0;
  for (const [file, render] of files) {
    if (file === undefined) continue;
    try {
      await writeFileAtomic(resolve(io.cwd, file), render());
    } catch (err) {
      unwritten++;
      io.stderr.write(`novaload: could not write the report ${file}: ${(err as Error).message}\n`);
    }
  }
  if (unwritten > 0) return EXIT.internal;
  return exitFor(result);
}

/** 105 interrupted, 112 generator saturated first, 99 when even the first step failed, else 0 (found, or held up to --max). */
export function exitFor(r: BreakpointResult): ExitCode {
  if (r.stoppedBy === 'interrupted') return EXIT.interrupted;
  if (r.stoppedBy === 'generator') return EXIT.generatorSaturated;
  if (r.stoppedBy === 'threshold' && r.sustainableRate === null) return EXIT.thresholdsFailed;
  return EXIT.ok;
}
