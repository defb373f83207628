/**
 * What a scenario's run gets besides its own thresholds: the HDR interval log
 * (--hdr-log) written as seconds complete, windowed thresholds watched on the
 * timeline (and the run stopped when an abortOnFail one fails), and the
 * baseline and history the report is judged against. Kept out of
 * run-scenario.ts, which only calls attach() and finishOptions().
 */
import { accessSync, appendFileSync, constants, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { HdrIntervalLog, WindowWatch, type AbortInfo, type FinishOptions, type RunAggregator } from '@novaload/report';
import type { ResolvedScenario } from '@novaload/agent';
import { CliError, EXIT } from '../exit-codes.js';
import type { Io } from '../io.js';
import { pathFor } from '../outputs.js';
import type { RunControl } from './control.js';
import type { References } from './references.js';

/** The hook run-scenario.ts calls: listeners once second 0's instant is known, and the extra finish options. */
export interface RunExtras {
  attach(aggregator: RunAggregator, startAt: number): void;
  finishOptions(): Pick<FinishOptions, 'baseline' | 'history' | 'windows' | 'aborted'>;
}

/** Where each scenario's HDR log goes (`log.<scenario>.hdr` with several); a directory that cannot be written is invalid input. */
export function hdrLogPaths(hdrLog: string | undefined, scenarios: readonly ResolvedScenario[], cwd: string): (string | undefined)[] {
  return scenarios.map((s) => {
    if (hdrLog === undefined) return undefined;
    const path = resolve(cwd, pathFor(hdrLog, s.name, scenarios.length));
    try {
      accessSync(dirname(path), constants.W_OK);
    } catch (err) {
      throw new CliError(`--hdr-log ${path}: cannot write there: ${(err as Error).message}`, EXIT.invalidInput);
    }
    return path;
  });
}

/**
 * Appends to `path`, truncating it at the first write. Synchronous on
 * purpose: one short line a second, and a process killed mid-run leaves a
 * log that is valid up to its last whole second. A failed write is reported
 * once and ends the log, not the run.
 */
function fileSink(path: string, io: Io): (text: string) => void {
  let started = false;
  let failed = false;
  return (text) => {
    if (failed) return;
    try {
      if (started) appendFileSync(path, text);
      else writeFileSync(path, text);
      started = true;
    } catch (err) {
      failed = true;
      io.stderr.write(`novaload: --hdr-log ${path}: ${(err as Error).message}; the log stops here\n`);
    }
  };
}

/**
 * One scenario's extras: made per scenario because the log file, the window
 * state and the references are per scenario. A run file's run has its own
 * (its run-wide thresholds, no log), which RunMerge watches on the run's
 * aggregator; `scope` names those thresholds in the abort message.
 */
export class ScenarioExtras implements RunExtras {
  readonly #watch: WindowWatch;
  #aborted: AbortInfo | undefined;

  constructor(
    judged: Pick<ResolvedScenario, 'thresholds'>,
    private readonly refs: References,
    private readonly hdrLog: string | undefined,
    private readonly control: RunControl,
    private readonly io: Io,
    private readonly scope = 'threshold',
  ) {
    this.#watch = new WindowWatch(judged.thresholds, (info) => this.#abort(info));
  }

  attach(aggregator: RunAggregator, startAt: number): void {
    this.watch(aggregator);
    if (this.hdrLog !== undefined) aggregator.listen(new HdrIntervalLog(fileSink(this.hdrLog, this.io), startAt));
  }

  /** Watch the windowed thresholds on an aggregator's seconds (without the HDR log, which needs second 0's instant). */
  watch(aggregator: RunAggregator): void {
    aggregator.listen(this.#watch);
  }

  /** Stop the run for a failed abortOnFail threshold; the report says so only if it was the first reason to stop. */
  #abort(info: AbortInfo): void {
    const reason = `${this.scope} ${info.metric} (${info.level} ${info.expression}) failed at second ${info.second}`;
    this.control.stop(reason);
    if (this.control.stopReason !== reason) return;
    this.#aborted = info;
    this.io.stderr.write(`\nnovaload: ${reason}, abortOnFail: stopping the load (gracefulStop), then writing the report\n`);
  }

  finishOptions(): Pick<FinishOptions, 'baseline' | 'history' | 'windows' | 'aborted'> {
    return { ...this.refs, windows: this.#watch.results(), ...(this.#aborted && { aborted: this.#aborted }) };
  }
}
