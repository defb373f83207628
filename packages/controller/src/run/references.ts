/**
 * The earlier runs a command judges its runs against, read before any load
 * starts: the --baseline report and the --history directory. Everything
 * wrong with them (a missing file, too short a history, a relative threshold
 * with no baseline to be relative to) is invalid input, exit 104, while
 * nothing has been sent yet.
 */
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { baselineValue, historyLevels, parseCondition, parseThresholdKey, specLevels, type HistoryLevels, type Report } from '@novaload/report';
import type { ResolvedScenario } from '@novaload/agent';
import { readReport } from '../commands/report.js';
import { CliError, EXIT } from '../exit-codes.js';
import { pathFor } from '../outputs.js';

/** The flags that name earlier runs. */
export interface ReferenceOptions {
  /** --baseline: an earlier JSON report (with several scenarios, `name.<scenario>.json` as --out writes them). */
  baseline?: string;
  /** --history: a directory of earlier JSON reports. */
  history?: string;
  /** --sensitivity: scales the history's σ (default 1). */
  sensitivity?: number;
}

/** What one scenario is judged against. */
export interface References {
  baseline?: { file: string; report: Report };
  history?: HistoryLevels;
}

/** A saved report as a baseline or history entry: it must hold the figures compared. */
async function readComparable(file: string): Promise<Report> {
  const report = await readReport(file);
  const figures = [report.rps, report.errorRate, report.latency?.p50, report.latency?.p95, report.latency?.p99, report.totals.requests];
  if (figures.some((v) => typeof v !== 'number') || !Array.isArray(report.endpoints)) {
    throw new CliError(`${file} lacks the figures a comparison needs (rps, errorRate, latency p50/p95/p99, endpoints)`, EXIT.invalidInput);
  }
  return report;
}

/** Every relative level of the scenario needs a baseline that has a value for its metric. */
function checkRelative(scenario: ResolvedScenario, baseline: References['baseline']): string[] {
  const problems: string[] = [];
  for (const [metric, spec] of Object.entries(scenario.thresholds)) {
    const key = parseThresholdKey(metric);
    if (!key.ok) continue;
    for (const [level, expression] of specLevels(spec)) {
      const cond = parseCondition(expression, key.value);
      if (!cond.ok || !cond.value.relative) continue;
      const what = `threshold "${metric}" (${level} "${expression}") of scenario "${scenario.name}" is relative`;
      if (!baseline) problems.push(`${what}: pass --baseline with an earlier report to compare with`);
      else if (baselineValue(key.value, baseline.report) === null) problems.push(`${what}, and the baseline ${baseline.file} has no value for "${metric}"`);
    }
  }
  return problems;
}

/** Earlier complete runs of `scenario` in the history: interrupted runs and runs without requests would skew the levels. */
function historyOf(scenario: string, reports: readonly Report[]): Report[] {
  return reports.filter((r) => r.scenario === scenario && !r.interrupted && r.totals.requests > 0);
}

async function readHistory(dir: string): Promise<Report[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch (err) {
    throw new CliError(`--history ${dir}: cannot read the directory: ${(err as Error).message}`, EXIT.invalidInput);
  }
  return Promise.all(names.map((n) => readComparable(join(dir, n))));
}

/** Read what the flags name, for each scenario in order; throws CliError (104) listing every problem. */
export async function loadReferences(scenarios: readonly ResolvedScenario[], opts: ReferenceOptions, cwd: string): Promise<References[]> {
  if (opts.sensitivity !== undefined && opts.history === undefined) throw new CliError('--sensitivity scales the levels of --history: pass --history DIR too', EXIT.invalidInput);
  const history = opts.history === undefined ? undefined : await readHistory(resolve(cwd, opts.history));
  const problems: string[] = [];
  const refs: References[] = [];
  for (const scenario of scenarios) {
    const ref: References = {};
    if (opts.baseline !== undefined) {
      const file = resolve(cwd, pathFor(opts.baseline, scenario.name, scenarios.length));
      ref.baseline = { file, report: await readComparable(file) };
    }
    problems.push(...checkRelative(scenario, ref.baseline));
    if (history) {
      const earlier = historyOf(scenario.name, history);
      if (earlier.length >= 2) ref.history = historyLevels(earlier, opts.sensitivity ?? 1);
      else problems.push(`--history ${opts.history} has ${earlier.length} complete earlier report(s) of scenario "${scenario.name}": dynamic thresholds need at least 2`);
    }
    refs.push(ref);
  }
  if (problems.length > 0) throw new CliError(`invalid input, nothing was sent:\n${problems.join('\n')}`, EXIT.invalidInput);
  return refs;
}
