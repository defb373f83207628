/**
 * The earlier runs a command judges its runs against, read before any load
 * starts: the --baseline report and the --history directory. Everything
 * wrong with them (a missing file, too short a history, a relative threshold
 * with no baseline to be relative to) is invalid input, exit 104, while
 * nothing has been sent yet. A run file is judged run to run and workload to
 * workload (run-references.ts).
 */
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { HistoryLevels, Report } from '@novaload/report';
import type { ResolvedScenario } from '@novaload/agent';
import { readReport } from '../commands/report.js';
import { CliError, EXIT } from '../exit-codes.js';
import { pathFor } from '../outputs.js';
import type { ResolvedRun } from '../scenario/index.js';
import { checkComparable, complete, referencesFor, type ReferenceContext } from './reference-checks.js';
import { runReferences } from './run-references.js';

/** The flags that name earlier runs. */
export interface ReferenceOptions {
  /** --baseline: an earlier JSON report (with several files to run, `name.<scenario>.json` as --out writes them). */
  baseline?: string;
  /** --history: a directory of earlier JSON reports. */
  history?: string;
  /** --sensitivity: scales the history's σ (default 1). */
  sensitivity?: number;
}

/** What one scenario, workload or run is judged against. */
export interface References {
  baseline?: { file: string; report: Report };
  history?: HistoryLevels;
}

/** What loadReferences read: per scenario run (each scenario file, each workload of a run file, in order), and per run file for the run's own figures. */
export interface LoadedReferences {
  workloads: References[];
  runs: Map<ResolvedRun, References>;
}

async function readHistory(dir: string): Promise<Report[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch (err) {
    throw new CliError(`--history ${dir}: cannot read the directory: ${(err as Error).message}`, EXIT.invalidInput);
  }
  return Promise.all(names.map(async (n) => {
    const file = join(dir, n);
    const report = checkComparable(await readReport(file), file);
    for (const [name, section] of Object.entries(report.scenarios ?? {})) checkComparable(section, `${file} (section "${name}")`);
    return report;
  }));
}

/**
 * Read what the flags name for each file to run, in order; throws CliError
 * (104) listing every problem. `note` gets what is worth saying but is no
 * error (a workload the baseline run did not have).
 */
export async function loadReferences(items: readonly (ResolvedScenario | ResolvedRun)[], opts: ReferenceOptions, cwd: string, note: (line: string) => void): Promise<LoadedReferences> {
  if (opts.sensitivity !== undefined && opts.history === undefined) throw new CliError('--sensitivity scales the levels of --history: pass --history DIR too', EXIT.invalidInput);
  const history = opts.history === undefined ? undefined : await readHistory(resolve(cwd, opts.history));
  const ctx: ReferenceContext = { opts, problems: [], note };
  const loaded: LoadedReferences = { workloads: [], runs: new Map() };
  for (const item of items) {
    const file = opts.baseline === undefined ? undefined : resolve(cwd, pathFor(opts.baseline, item.name, items.length));
    const baseline = file === undefined ? undefined : { file, report: checkComparable(await readReport(file), file) };
    if ('workloads' in item) {
      const refs = runReferences(item, baseline, history, ctx);
      loaded.runs.set(item, refs.run);
      loaded.workloads.push(...refs.workloads);
      continue;
    }
    // A run file's report of the same name is a different thing to compare with: its sections are judged by workload.
    const earlier = history?.filter((r) => r.scenario === item.name && r.scenarios === undefined && complete(r));
    loaded.workloads.push(referencesFor({ label: `scenario "${item.name}"`, thresholds: item.thresholds }, baseline, 'pass --baseline with an earlier report to compare with', earlier, ctx));
  }
  if (ctx.problems.length > 0) throw new CliError(`invalid input, nothing was sent:\n${ctx.problems.join('\n')}`, EXIT.invalidInput);
  return loaded;
}
