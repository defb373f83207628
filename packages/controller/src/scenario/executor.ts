/**
 * Executor-specific rules the schema leaves open: which fields each executor
 * takes (k6's names and meanings), what they require, and the load they
 * describe. Produces a draft whose derived defaults (maxVUs, maxQueue) are
 * filled only after CLI overrides, so `--rate` also moves the default maxVUs.
 */
import type { ExecutorConfig, ExecutorType, Stage } from '@novaload/agent';
import { jsonPath, type ProblemList } from './problems.js';
import type { RawScenario } from './raw.js';
import { durationAt } from './values.js';

type ExecutorField = 'vus' | 'duration' | 'startVUs' | 'stages' | 'rate' | 'startRate' | 'maxVUs' | 'maxQueue' | 'arrivalWindow' | 'iterations' | 'maxDuration';

/** maxDuration when not given: k6's 10m, the longest an iteration-count run may take before it ends with what it did. */
export const DEFAULT_MAX_DURATION_MS = 600_000;

/** Fields each executor takes; any other executor field is an error naming where it belongs. */
const FIELDS: Record<ExecutorType, { required: ExecutorField[]; optional: ExecutorField[] }> = {
  'constant-vus': { required: ['vus', 'duration'], optional: [] },
  'ramping-vus': { required: ['stages'], optional: ['startVUs'] },
  'constant-arrival-rate': { required: ['rate', 'duration'], optional: ['maxVUs', 'maxQueue', 'arrivalWindow'] },
  'ramping-arrival-rate': { required: ['stages'], optional: ['startRate', 'maxVUs', 'maxQueue', 'arrivalWindow'] },
  'per-vu-iterations': { required: [], optional: ['vus', 'iterations', 'maxDuration'] },
  'shared-iterations': { required: [], optional: ['vus', 'iterations', 'maxDuration'] },
};
const ALL_FIELDS: ExecutorField[] = ['vus', 'duration', 'startVUs', 'stages', 'rate', 'startRate', 'maxVUs', 'maxQueue', 'arrivalWindow', 'iterations', 'maxDuration'];

/**
 * Default arrival window (ms): arrivals due within 2 ms of each other go out
 * on one wake of the thread. Each wake costs 45–90 µs of CPU on a virtual
 * machine; a precise timer per arrival (window 0) spends ~1.5× the CPU of
 * this default at 2,000 req/s for spacing finer than any server can see.
 */
export const DEFAULT_ARRIVAL_WINDOW_MS = 2;

type OpenConfig = Extract<ExecutorConfig, { maxVUs: number }>;
type Draft<T> = T extends OpenConfig ? Omit<T, 'maxVUs' | 'maxQueue' | 'arrivalWindowMs'> & { maxVUs?: number; maxQueue?: number; arrivalWindowMs?: number } : T;

/** An executor as written plus overrides; maxVUs and maxQueue are filled by finishExecutor. */
export type ExecutorDraft = Draft<ExecutorConfig>;

/** Closed models (users wait for the response, then think) versus open models (arrivals on a clock). */
export function isClosed(type: ExecutorType): boolean {
  return type === 'constant-vus' || type === 'ramping-vus' || isIterationCount(type);
}

/** The executors bound by a count of iterations (and maxDuration) rather than by a duration. */
export function isIterationCount(type: ExecutorType): type is 'per-vu-iterations' | 'shared-iterations' {
  return type === 'per-vu-iterations' || type === 'shared-iterations';
}

/** Whether `type` names an executor (the schema reports it when not). */
export function isExecutorType(type: unknown): type is ExecutorType {
  return typeof type === 'string' && Object.hasOwn(FIELDS, type);
}

/** Check the executor fields of the file and build the draft; undefined when any of them is wrong. */
export function resolveExecutor(raw: RawScenario, problems: ProblemList): ExecutorDraft | undefined {
  const type = raw.executor;
  if (!isExecutorType(type)) return undefined;
  const before = problems.items.length;
  const { required, optional } = FIELDS[type];
  for (const field of ALL_FIELDS) {
    const given = raw[field] !== undefined;
    if (given && !required.includes(field) && !optional.includes(field)) {
      const owners = (Object.keys(FIELDS) as ExecutorType[]).filter((t) => FIELDS[t].required.includes(field) || FIELDS[t].optional.includes(field));
      problems.add(jsonPath(field), `"${field}" does not apply to ${type}; it belongs to ${owners.join(', ')}`, 'remove it, or change the executor');
    }
    if (!given && required.includes(field) && !problems.has(jsonPath(field))) problems.add(jsonPath(field), `required by ${type}`);
  }
  const ramping = type === 'ramping-vus' || type === 'ramping-arrival-rate';
  const counted = isIterationCount(type);
  const maxDurationMs = counted ? maxDurationOf(raw, problems) : 0;
  if (type === 'shared-iterations' && (raw.iterations ?? 1) < (raw.vus ?? 1) && !problems.has(jsonPath('iterations'))) {
    problems.add(jsonPath('iterations'), `${raw.iterations ?? 1} iteration(s) cannot be shared by ${raw.vus} VUs: some would never run one`, `give at least ${raw.vus} iterations, or fewer VUs`);
  }
  const durationMs = ramping || counted ? 0 : durationAt(problems, jsonPath('duration'), raw.duration, 0, true) ?? 0;
  const stages = ramping ? resolveStages(raw, type, problems) : [];
  const arrivalWindowMs = raw.arrivalWindow === undefined ? undefined : durationAt(problems, jsonPath('arrivalWindow'), raw.arrivalWindow, undefined);
  if (arrivalWindowMs !== undefined && arrivalWindowMs > 1000) problems.add(jsonPath('arrivalWindow'), `${raw.arrivalWindow} is longer than 1s`, 'a window is a few milliseconds: "2ms" (the default), or "0" for a precise timer per arrival');
  if (problems.items.length > before) return undefined;
  const limits = {
    ...(raw.maxVUs !== undefined && { maxVUs: raw.maxVUs }),
    ...(raw.maxQueue !== undefined && { maxQueue: raw.maxQueue }),
    ...(arrivalWindowMs !== undefined && { arrivalWindowMs }),
  };
  switch (type) {
    case 'constant-vus':
      return { type, vus: raw.vus!, durationMs };
    case 'ramping-vus':
      return { type, startVUs: raw.startVUs ?? 0, stages };
    case 'constant-arrival-rate':
      return { type, rate: raw.rate!, durationMs, ...limits };
    case 'ramping-arrival-rate':
      return { type, startRate: raw.startRate ?? 0, stages, ...limits };
    case 'per-vu-iterations':
    case 'shared-iterations':
      return { type, vus: raw.vus ?? 1, iterations: raw.iterations ?? 1, maxDurationMs };
  }
}

/** maxDuration as given (longer than 0), or k6's 10m. */
function maxDurationOf(raw: RawScenario, problems: ProblemList): number {
  return durationAt(problems, jsonPath('maxDuration'), raw.maxDuration, DEFAULT_MAX_DURATION_MS, true) ?? 0;
}

function resolveStages(raw: RawScenario, type: 'ramping-vus' | 'ramping-arrival-rate', problems: ProblemList): Stage[] {
  const stages: Stage[] = [];
  (raw.stages ?? []).forEach((stage, i) => {
    if (!stage) return;
    const durationMs = durationAt(problems, jsonPath('stages', i, 'duration'), stage.duration, undefined);
    if (type === 'ramping-vus' && stage.target !== undefined && !Number.isInteger(stage.target)) {
      problems.add(jsonPath('stages', i, 'target'), `must be a whole number of VUs, not ${stage.target}`);
    }
    if (durationMs !== undefined && stage.target !== undefined) stages.push({ durationMs, target: stage.target });
  });
  if (stages.length === 0 || stages.length !== raw.stages?.length) return stages;
  if (stages.every((s) => s.durationMs === 0)) problems.add(jsonPath('stages'), 'the stages add up to no time', 'give at least one stage a duration, e.g. "30s"');
  const start = type === 'ramping-vus' ? raw.startVUs ?? 0 : raw.startRate ?? 0;
  if (peak(start, stages) <= 0) problems.add(jsonPath('stages'), type === 'ramping-vus' ? 'no stage has any VUs' : 'no stage has any arrivals', 'give a stage a target above 0');
  return stages;
}

/** Highest VU count or arrival rate a ramp reaches. */
export function peak(start: number, stages: readonly Stage[]): number {
  return stages.reduce((max, s) => Math.max(max, s.target), start);
}

/**
 * Fill open models' maxVUs (peak rate, rounded up, at least 1) and maxQueue
 * (one second of arrivals at the peak rate, at least maxVUs) when not given:
 * a queued arrival still counts from its schedule, so a short hiccup (a cold
 * start, a GC pause) shows in the latency instead of as dropped iterations.
 */
export function finishExecutor(draft: ExecutorDraft): ExecutorConfig {
  switch (draft.type) {
    case 'constant-vus':
    case 'ramping-vus':
    case 'per-vu-iterations':
    case 'shared-iterations':
      return draft;
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate': {
      const rate = draft.type === 'constant-arrival-rate' ? draft.rate : peak(draft.startRate, draft.stages);
      const maxVUs = draft.maxVUs ?? Math.max(1, Math.ceil(rate));
      return { ...draft, maxVUs, maxQueue: draft.maxQueue ?? Math.max(maxVUs, Math.ceil(rate)), arrivalWindowMs: draft.arrivalWindowMs ?? DEFAULT_ARRIVAL_WINDOW_MS };
    }
  }
}
