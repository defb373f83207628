/**
 * Run files: several workloads in one file, k6's `scenarios` habit. Each
 * entry is a scenario of the usual format, resolved by the same checks
 * after the run file's defaults (target, http, allowHosts) are filled in, so
 * every problem of every entry is reported at once, at its path in the run
 * file (`$.scenarios.api.requests[0].path`); a problem in an inherited
 * default is reported once, at the top-level path it came from.
 */
import { basename, extname } from 'node:path';
import { plannedDurationMs, type ResolvedScenario } from '@novaload/agent';
import { didYouMean, type ThresholdSpec } from '@novaload/report';
import { isClosed, isExecutorType, isIterationCount } from './executor.js';
import { checkOverrides, type Overrides } from './overrides.js';
import { InputError, jsonPath, ProblemList, type Problem } from './problems.js';
import type { RawHttp, RawScenario } from './raw.js';
import { resolveScenario, type ResolveOptions } from './resolve.js';
import { checkSchema } from './schema-check.js';
import { checkThresholds } from './thresholds.js';
import { durationAt } from './values.js';
import { keepOutputs, resolveOutputs } from './outputs.js';

/** One workload of a run file: its resolved scenario (named by its key) and how long after the run's start it begins. */
export interface Workload {
  scenario: ResolvedScenario;
  startMs: number;
}

/** A resolved run file: the run's name, its workloads in file order, and the run-wide thresholds (over every workload). */
export interface ResolvedRun {
  name: string;
  workloads: Workload[];
  thresholds: Record<string, ThresholdSpec>;
}

/** Whether parsed JSON is a run file (an object with "scenarios") rather than a single scenario. */
export function isRunFile(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'scenarios' in raw;
}

/** Validate and resolve a parsed run file; throws InputError with every problem of the file and of all its entries. */
export function resolveRunFile(raw: unknown, file: string, overrides: Overrides = {}, options: ResolveOptions = {}): ResolvedRun {
  const problems = new ProblemList(file);
  const top = checkSchema(raw, problems, true);
  const entries = Object.entries(top?.scenarios ?? {});
  const tagged = scenarioTagged(top?.thresholds ?? {}, entries, problems);
  const workloads: Workload[] = [];
  // --duration sets the run's length, not each workload's (see runLengthScale): the workloads resolve first as written.
  const { durationMs: runDurationMs, ...perWorkload } = overrides;
  // Each entry's resolution with given overrides, its problems reported at their place in the run file.
  const resolvers = new Map<string, (o: Overrides) => ResolvedScenario | undefined>();
  for (const [key, entry] of entries) {
    const at = jsonPath('scenarios', key);
    if (!/^[A-Za-z0-9_.-]+$/.test(key)) problems.add(at, `"${key}" is not a workload name`, 'use letters, digits, "_", "-" and "." only: the name tags thresholds ({scenario=NAME}) and names report sections');
    const own = isObject(entry) ? (entry as RawScenario) : undefined;
    if (own?.name !== undefined && own.name !== key) problems.add(jsonPath('scenarios', key, 'name'), `a workload is named by its key ("${key}"), not by "name"`, `remove "name", or rename the key to ${JSON.stringify(own.name)}`);
    const startMs = wholeSeconds(problems, key, own?.startTime);
    if (own?.outputs !== undefined) problems.add(jsonPath('scenarios', key, 'outputs'), 'a workload cannot have outputs of its own: the run pushes every workload\'s figures', 'move "outputs" to the top of the run file');
    if (own?.scenarios !== undefined) problems.add(jsonPath('scenarios', key, 'scenarios'), 'a workload cannot hold "scenarios" of its own', 'list every workload in the run file\'s one "scenarios" block');
    const { startTime: _startTime, scenarios: _nested, ...rest } = own ?? {};
    const moved = tagged.get(key) ?? [];
    const thresholds = moved.length > 0 ? { ...rest.thresholds, ...Object.fromEntries(moved.map((m) => [m.key, m.spec])) } : rest.thresholds;
    const merged = own ? withDefaults({ ...rest, name: key, ...(thresholds && { thresholds }) }, top!) : entry;
    const resolve = (o: Overrides): ResolvedScenario | undefined => {
      try {
        return resolveScenario(merged, file, forWorkload(o, merged), options);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        for (const p of err.problems) {
          const from = moved.find((m) => p.path === jsonPath('thresholds', m.key) || p.path.startsWith(`${jsonPath('thresholds', m.key)}.`));
          const path = from ? jsonPath('thresholds', from.written) + p.path.slice(jsonPath('thresholds', from.key).length) : inherited(p, own, top!) ? p.path : p.path.startsWith('$') ? at + p.path.slice(1) : p.path;
          problems.add(path, p.message, p.hint);
        }
        return undefined;
      }
    };
    resolvers.set(key, resolve);
    const scenario = resolve(perWorkload);
    if (scenario !== undefined && startMs !== undefined) workloads.push({ scenario, startMs });
  }
  // Names of entries that failed their checks count too, so a run-wide threshold is not blamed for an entry's mistake.
  const written = entries.flatMap(([, e]) => (isObject(e) && Array.isArray(e.requests) ? e.requests.map((r) => (isObject(r) ? r.name : undefined)) : []));
  const names = [...new Set([...workloads.flatMap((w) => w.scenario.requests.map((r) => r.name)), ...written.filter((n): n is string => typeof n === 'string')])];
  const runWide = Object.fromEntries(Object.entries(top?.thresholds ?? {}).filter(([k]) => !SCENARIO_TAG.test(k)));
  const thresholds = top ? checkThresholds({ thresholds: runWide }, names, problems) : {};
  const outputs = top ? resolveOutputs(top, problems) : {};
  if (runDurationMs !== undefined) checkOverrides({ durationMs: runDurationMs }, undefined, problems);
  if (overrides.rate !== undefined && workloads.length === entries.length && workloads.every((w) => isClosed(w.scenario.executor.type))) {
    problems.add('--rate', 'applies to arrival-rate executors; no workload of this run file uses one', 'use --vus to change the number of users');
  }
  problems.throwIfAny();
  // The workloads again, each with its share of the run's length.
  const timed = runDurationMs === undefined ? workloads : runLengthScale(workloads, Math.round(runDurationMs)).flatMap(({ workload, startMs, durationMs }) => {
    const scenario = resolvers.get(workload.scenario.name)!({ ...perWorkload, durationMs });
    return scenario === undefined ? [] : [{ scenario, startMs }];
  });
  problems.throwIfAny();
  return keepOutputs({ name: top!.name ?? (basename(file, extname(file)) || 'run'), workloads: timed, thresholds }, outputs);
}

/**
 * The overrides for one workload: --rate sets the arrival-rate workloads'
 * peak and leaves the closed ones (which have no rate) as written; a run
 * file none of whose workloads has a rate is refused whole (see above).
 */
function forWorkload(overrides: Overrides, entry: unknown): Overrides {
  const type = isObject(entry) ? (entry as RawScenario).executor : undefined;
  // An unknown executor keeps the flag: its own resolution names what is wrong.
  if (overrides.rate === undefined || !isExecutorType(type) || !isClosed(type)) return overrides;
  const { rate: _rate, ...rest } = overrides;
  return rest;
}

/**
 * `--duration D` on a run file: the whole run is scaled to last D, so its
 * workloads keep their overlap. The run's length is the latest planned end
 * (startTime + load phase, gracefulStop aside) of its time-bound workloads;
 * each start and each load phase is multiplied by D / that length, starts
 * rounded to whole seconds (the timeline's unit). An iteration-count
 * workload keeps its scaled start and gets D as its maxDuration, as in a
 * scenario file; when every workload counts iterations, only that applies.
 */
export function runLengthScale(workloads: readonly Workload[], durationMs: number): { workload: Workload; startMs: number; durationMs: number }[] {
  const bounded = (w: Workload): boolean => !isIterationCount(w.scenario.executor.type);
  const length = Math.max(0, ...workloads.filter(bounded).map((w) => w.startMs + plannedDurationMs(w.scenario.executor)));
  const factor = length > 0 ? durationMs / length : 1;
  return workloads.map((workload) => {
    const startMs = Math.round((workload.startMs * factor) / 1000) * 1000;
    const own = bounded(workload) ? Math.max(1, Math.round(plannedDurationMs(workload.scenario.executor) * factor)) : durationMs;
    return { workload, startMs, durationMs: own };
  });
}

/** A run-wide key tagged with a workload: `latency.p95{scenario=api}`, also `…{scenario=api,request=ping}`. */
const SCENARIO_TAG = /^([^{]+)\{scenario=([^,}]*)(?:,(.*))?\}$/;

/** A run-wide threshold that judges one workload: moved into its entry as `key` (the tag removed), reported at `written`. */
interface Moved {
  key: string;
  written: string;
  spec: NonNullable<RawScenario['thresholds']>[string];
}

/**
 * `{scenario=NAME}` thresholds, by workload: each is judged in that
 * workload's section, as if written in its entry (where a key it repeats is
 * refused: which one would count?).
 */
function scenarioTagged(thresholds: NonNullable<RawScenario['thresholds']>, entries: readonly [string, unknown][], problems: ProblemList): Map<string, Moved[]> {
  const out = new Map<string, Moved[]>();
  const names = entries.map(([k]) => k);
  for (const [written, spec] of Object.entries(thresholds)) {
    const m = SCENARIO_TAG.exec(written);
    if (!m || spec === undefined) continue;
    const [, metric, name, rest] = m as unknown as [string, string, string, string | undefined];
    const entry = entries.find(([k]) => k === name)?.[1];
    if (entry === undefined) {
      const guess = didYouMean(name, names);
      problems.add(jsonPath('thresholds', written), `no workload is named "${name}"`, guess ? `did you mean {scenario=${guess}}?` : `workloads: ${names.join(', ')}`);
      continue;
    }
    const key = rest === undefined ? metric : `${metric}{${rest}}`;
    if (isObject(entry) && isObject(entry.thresholds) && key in entry.thresholds) {
      problems.add(jsonPath('thresholds', written), `workload "${name}" has "${key}" in its own thresholds too`, 'keep one of them');
      continue;
    }
    out.set(name, [...(out.get(name) ?? []), { key, written, spec }]);
  }
  return out;
}

/** startTime in ms: whole seconds, since each workload's timeline is shifted by it into the run's one per-second timeline. */
function wholeSeconds(problems: ProblemList, key: string, text: string | undefined): number | undefined {
  const path = jsonPath('scenarios', key, 'startTime');
  const ms = durationAt(problems, path, text, 0);
  if (ms !== undefined && ms % 1000 !== 0) {
    problems.add(path, `startTime must be a whole number of seconds, not ${text}`, 'the report\'s timeline counts in seconds: write e.g. "30s"');
    return undefined;
  }
  return ms;
}

/** The entry with the run file's target, allowHosts and http under its own (http field by field, headers name by name). */
function withDefaults(entry: RawScenario, top: RawScenario): RawScenario {
  const http: RawHttp | undefined = top.http || entry.http ? { ...top.http, ...entry.http } : undefined;
  if (http && (top.http?.headers || entry.http?.headers)) http.headers = { ...top.http?.headers, ...entry.http?.headers };
  return {
    ...entry,
    ...(entry.target === undefined && top.target !== undefined && { target: top.target }),
    ...(entry.allowHosts === undefined && top.allowHosts !== undefined && { allowHosts: top.allowHosts }),
    ...(http && { http }),
  };
}

/** Whether a problem lies in a value the entry took from the run file's defaults (then it is reported once, at the top). */
function inherited(p: Problem, own: RawScenario | undefined, top: RawScenario): boolean {
  if (own === undefined) return false;
  const defaults: string[] = [];
  if (own.target === undefined) defaults.push(jsonPath('target'));
  if (own.allowHosts === undefined && top.allowHosts !== undefined) defaults.push(jsonPath('allowHosts'));
  for (const field of Object.keys(top.http ?? {})) {
    if (field !== 'headers' && own.http?.[field as keyof RawHttp] === undefined) defaults.push(jsonPath('http', field));
  }
  for (const name of Object.keys(top.http?.headers ?? {})) if (own.http?.headers?.[name] === undefined) defaults.push(jsonPath('http', 'headers', name));
  return defaults.some((d) => p.path === d || p.path.startsWith(`${d}.`) || p.path.startsWith(`${d}[`));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
