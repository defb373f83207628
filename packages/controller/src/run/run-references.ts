/**
 * A run file compared run to run and workload to workload: the run's figures
 * against the baseline report's top level and each workload against that
 * report's section of the same name (`scenarios[name]`); a history's
 * earlier reports of the run give levels for the run and, from their
 * sections, for each workload.
 */
import type { Report } from '@novaload/report';
import { CliError, EXIT } from '../exit-codes.js';
import type { ResolvedRun } from '../scenario/index.js';
import { checkComparable, complete, referencesFor, relativeLevels, type ReferenceContext } from './reference-checks.js';
import type { References } from './references.js';

/** The run's own references and its workloads', in the run file's order. */
export interface RunReferences {
  run: References;
  workloads: References[];
}

/**
 * The references of a run file. A baseline must be a report of a run file
 * (with `scenarios`); a workload it lacks is compared with nothing (a note
 * says so), which is an error only when that workload has relative levels.
 */
export function runReferences(run: ResolvedRun, baseline: References['baseline'], history: readonly Report[] | undefined, ctx: ReferenceContext): RunReferences {
  const sections = baseline?.report.scenarios;
  if (baseline && sections === undefined) {
    throw new CliError(`--baseline ${baseline.file} is a report of scenario "${baseline.report.scenario}", not of a run file: run "${run.name}" is compared with an earlier report of a run file (one with "scenarios", as --out writes it)`, EXIT.invalidInput);
  }
  const earlier = history?.filter((r) => r.scenario === run.name && r.scenarios !== undefined && complete(r));
  const refs: RunReferences = { run: referencesFor({ label: `run "${run.name}"`, thresholds: run.thresholds }, baseline, 'pass --baseline with an earlier report of the run to compare with', earlier, ctx), workloads: [] };
  for (const { scenario } of run.workloads) {
    const label = `workload "${scenario.name}" of run "${run.name}"`;
    const section = sections?.[scenario.name];
    const own = baseline && section ? { file: baseline.file, report: checkComparable(section, `${baseline.file} (section "${scenario.name}")`) } : undefined;
    let missing = 'pass --baseline with an earlier report of the run to compare with';
    if (baseline && !section) {
      const had = Object.keys(sections!).join(', ') || 'none';
      missing = `the baseline ${baseline.file} has no section "${scenario.name}" (its workloads: ${had}): compare with a report of a run that had it, or write an absolute bound such as "<1s"`;
      if (relativeLevels(scenario.thresholds).length === 0) ctx.note(`novaload: note: --baseline ${baseline.file} has no section "${scenario.name}" (its workloads: ${had}): ${label} is not compared`);
    }
    // History sections were checked as the directory was read.
    const sectionsOf = earlier?.map((r) => r.scenarios![scenario.name]).filter(complete);
    refs.workloads.push(referencesFor({ label, thresholds: scenario.thresholds }, own, missing, sectionsOf, ctx));
  }
  return refs;
}
