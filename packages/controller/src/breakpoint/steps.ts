/**
 * What each breakpoint step runs: the user's scenario (a file, or a bare URL
 * with the runbook's KPI levels) with its load replaced by a
 * constant-arrival-rate at the step's rate for the hold. Each step is
 * resolved like a file, so its problems read like `run`'s.
 */
import type { ResolvedScenario } from '@novaload/agent';
import { CliError, EXIT } from '../exit-codes.js';
import { InputError, isRunFile, resolveScenario, type Overrides, type ResolveOptions } from '../scenario/index.js';
import { located, readParsed, type Parsed } from '../scenario/load.js';
import { jsonPath } from '../scenario/problems.js';
import { nameForUrl } from '../scenario/url-name.js';
import { RUNBOOK_KPI_THRESHOLDS } from '../scenario/kpi.js';

/**
 * The runbook's KPI table (section "Key Performance Indicators"): p99 critical
 * at 2 s (warning 1 s), error rate critical at 1% (warning 0.1%). A bare URL
 * is judged by these.
 */
export const KPI_THRESHOLDS = { 'latency.p99': RUNBOOK_KPI_THRESHOLDS['latency.p99'], errorRate: RUNBOOK_KPI_THRESHOLDS.errorRate } as const;

/** The fields that shape a file's load; a step replaces them all with its own. */
const LOAD_FIELDS = ['executor', 'vus', 'duration', 'startVUs', 'stages', 'rate', 'startRate', 'iterations', 'maxDuration'];

/** A parsed scenario (checked whole once) and where it came from, ready to be run at any rate. */
export interface StepSource {
  raw: Record<string, unknown>;
  /** The file, or "novaload breakpoint" for a URL: problems name it. */
  file: string;
  overrides: Overrides;
  options: ResolveOptions;
  /** The parsed file, so a step's problems name their YAML line and column. */
  parsed?: Parsed;
}

/** A URL (http or https) or a scenario file (its load fields may be left out: each step sets them); a run file is refused. */
export async function stepSource(input: string, file: string, overrides: Overrides, options: ResolveOptions): Promise<StepSource> {
  if (/^https?:\/\//i.test(input) && overrides.target !== undefined) throw new CliError(`--target replaces a scenario file's target; ${input} is already the target: drop --target`, EXIT.invalidInput);
  if (/^https?:\/\//i.test(input)) return { raw: urlScenario(input), file: 'novaload breakpoint', overrides, options };
  const parsed = await readParsed(file);
  const { raw } = parsed;
  if (isRunFile(raw)) {
    throw new InputError([{ file, path: jsonPath('scenarios'), message: 'a run file runs several workloads at once; breakpoint raises the rate of one scenario', hint: 'give one scenario file (a workload of the run file)' }]);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InputError([{ file, path: '', message: 'a scenario is a JSON object', hint: 'see scenarios/normal.json' }]);
  return { raw: raw as Record<string, unknown>, file, overrides, options, parsed };
}

/** A bare URL as a one-request scenario judged by the KPI levels. */
function urlScenario(input: string): Record<string, unknown> {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new CliError(`"${input}" is not a URL: write it whole, e.g. http://127.0.0.1:8080/path`, EXIT.invalidInput);
  }
  return {
    name: nameForUrl(url),
    target: url.origin,
    gracefulStop: '2s',
    requests: [{ name: `GET ${url.pathname}`, method: 'GET', path: `${url.pathname}${url.search}` }],
    thresholds: KPI_THRESHOLDS,
  };
}

/** The scenario of one step: the source's requests and thresholds at `rate` per second for `holdMs`. */
export function stepScenario(source: StepSource, rate: number, holdMs: number): ResolvedScenario {
  const raw: Record<string, unknown> = { ...source.raw };
  const open = raw.executor === 'constant-arrival-rate' || raw.executor === 'ramping-arrival-rate';
  for (const field of LOAD_FIELDS) delete raw[field];
  // maxVUs and maxQueue of a closed-model file mean nothing here; an open one's stay (the user's cap on VUs).
  if (!open) for (const field of ['maxVUs', 'maxQueue']) delete raw[field];
  Object.assign(raw, { executor: 'constant-arrival-rate', rate, duration: `${holdMs}ms` });
  const check = (): ResolvedScenario => resolveScenario(raw, source.file, { ...source.overrides, rate: undefined, vus: undefined, durationMs: undefined, scale: undefined }, source.options);
  return source.parsed ? located(source.parsed, check) : check();
}

/** The offered rates in order: start, start+step, … up to and including max (max itself is the last step when the steps jump past it). */
export function stepRates(start: number, step: number, max: number): number[] {
  const rates: number[] = [];
  for (let k = 0; k < MAX_STEPS; k++) {
    const rate = round(start + k * step);
    if (rate >= max) {
      rates.push(max);
      return rates;
    }
    rates.push(rate);
  }
  throw new CliError(`--start ${start} --step ${step} --max ${max} makes more than ${MAX_STEPS} steps: take a larger --step, or a smaller --max`, EXIT.invalidInput);
}

/** Steps one search may make: beyond this a run is hours long by mistake. */
export const MAX_STEPS = 200;

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
