/**
 * The checks every judged subject (a scenario, a run file's run or one of its
 * workloads) goes through when its references are read: a saved report holds
 * the figures compared, relative levels have a baseline value, a history has
 * enough earlier runs. Problems are collected, so one 104 lists them all.
 */
import { baselineValue, historyLevels, parseCondition, parseThresholdKey, specLevels, type Report, type ThresholdKey, type ThresholdSpec } from '@novaload/report';
import { CliError, EXIT } from '../exit-codes.js';
import type { ReferenceOptions, References } from './references.js';

/** What is judged and how messages name it: `scenario "checkout"`, `run "release-check"`, `workload "api" of run "release-check"`. */
export interface Judged {
  label: string;
  thresholds: Readonly<Record<string, ThresholdSpec>>;
}

/** Where problems and notes go while references are read, and the flags read. */
export interface ReferenceContext {
  opts: ReferenceOptions;
  problems: string[];
  note: (line: string) => void;
}

/** The figures a comparison reads, checked on a saved report or one of its sections (`where` names it in the error). */
export function checkComparable(report: Report, where: string): Report {
  const figures = [report.rps, report.errorRate, report.latency?.p50, report.latency?.p95, report.latency?.p99, report.totals?.requests];
  if (figures.some((v) => typeof v !== 'number') || !Array.isArray(report.endpoints)) {
    throw new CliError(`${where} lacks the figures a comparison needs (rps, errorRate, latency p50/p95/p99, endpoints)`, EXIT.invalidInput);
  }
  return report;
}

/** A complete earlier run: interrupted runs and runs without requests would skew the levels. */
export function complete(report: Report | undefined): report is Report {
  return report !== undefined && !report.interrupted && report.totals.requests > 0;
}

/**
 * The references of one judged subject: every relative level needs a
 * baseline with a value for its metric (`missing` says why there is none),
 * and a history needs 2 complete earlier reports of it.
 */
export function referencesFor(subject: Judged, baseline: References['baseline'], missing: string, earlier: readonly Report[] | undefined, ctx: ReferenceContext): References {
  for (const { metric, level, expression, key } of relativeLevels(subject.thresholds)) {
    const what = `threshold "${metric}" (${level} "${expression}") of ${subject.label} is relative`;
    if (!baseline) ctx.problems.push(`${what}: ${missing}`);
    else if (baselineValue(key, baseline.report) === null) ctx.problems.push(`${what}, and the baseline ${baseline.file} has no value for "${metric}"`);
  }
  const refs: References = baseline ? { baseline } : {};
  if (earlier === undefined) return refs;
  if (earlier.length >= 2) refs.history = historyLevels(earlier, ctx.opts.sensitivity ?? 1);
  else ctx.problems.push(`--history ${ctx.opts.history} has ${earlier.length} complete earlier report(s) of ${subject.label}: dynamic thresholds need at least 2`);
  return refs;
}

/** The relative levels (`<+5%`) among thresholds, which need a baseline. */
export function relativeLevels(thresholds: Readonly<Record<string, ThresholdSpec>>): { metric: string; level: string; expression: string; key: ThresholdKey }[] {
  return Object.entries(thresholds).flatMap(([metric, spec]) => {
    const key = parseThresholdKey(metric);
    if (!key.ok) return [];
    return specLevels(spec).flatMap(([level, expression]) => {
      const cond = parseCondition(expression, key.value);
      return cond.ok && cond.value.relative ? [{ metric, level, expression, key: key.value }] : [];
    });
  });
}
