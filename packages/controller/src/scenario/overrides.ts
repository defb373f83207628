/**
 * CLI overrides (--target, --duration, --vus, --rate, --scale): change a
 * scenario without editing its file, keeping its shape — a ramp stays a ramp,
 * scaled; --scale keeps a suite's shape too (100 : 500 : 1000 → 10 : 50 : 100).
 * Checked like the file (problems at the flag's name) and applied to the
 * executor before its derived defaults are filled in.
 */
import type { ExecutorType, Stage } from '@novaload/agent';
import { isClosed, peak, type ExecutorDraft } from './executor.js';
import type { ProblemList } from './problems.js';
import { targetAt } from './values.js';

/** Values from the command line that replace or rescale the file's. */
export interface Overrides {
  /** Replaces `target`. */
  target?: string;
  /** Length of the load phase, ms: constant executors' duration, iteration-count executors' maxDuration; ramps are scaled to total exactly this. */
  durationMs?: number;
  /** Peak VUs: constant-vus' and the iteration-count executors' vus (iterations unchanged), ramping-vus' ramp scaled, arrival-rate executors' maxVUs. */
  vus?: number;
  /** Peak arrival rate per second (arrival-rate executors only); ramps are scaled. */
  rate?: number;
  /**
   * Factor for every VU count (vus, startVUs, stage targets, maxVUs, maxQueue) and arrival rate (rate, startRate,
   * stage targets) of the file. VU counts round to whole VUs and never drop below 1 unless they were 0; rates keep
   * fractions (to a millionth). Applied before `vus` and `rate`, which then set the peak (the CLI refuses that pair).
   */
  scale?: number;
}

/** Check the overrides against the file's executor (when known); returns the normalised target, if one is given and valid. */
export function checkOverrides(o: Overrides, type: ExecutorType | undefined, problems: ProblemList): string | undefined {
  if (o.durationMs !== undefined && !(Math.round(o.durationMs) >= 1)) {
    problems.add('--duration', `must be at least 1ms, not ${o.durationMs}ms`);
  }
  if (o.vus !== undefined && !(Number.isInteger(o.vus) && o.vus >= 1)) {
    problems.add('--vus', `must be a whole number of at least 1, not ${o.vus}`);
  }
  if (o.scale !== undefined && !(Number.isFinite(o.scale) && o.scale > 0)) {
    problems.add('--scale', `must be a number above 0, not ${o.scale}`);
  }
  if (o.rate !== undefined && !(Number.isFinite(o.rate) && o.rate > 0)) {
    problems.add('--rate', `must be a number above 0, not ${o.rate}`);
  } else if (o.rate !== undefined && type !== undefined && isClosed(type)) {
    problems.add('--rate', `applies to arrival-rate executors; this scenario uses ${type}`, 'use --vus to change the number of users');
  }
  return o.target === undefined ? undefined : targetAt(problems, '--target', o.target);
}

/** Apply checked overrides to the executor. */
export function applyOverrides(draft: ExecutorDraft, o: Overrides): ExecutorDraft {
  let d = draft;
  if (o.durationMs !== undefined) {
    const ms = Math.round(o.durationMs);
    if (d.type === 'per-vu-iterations' || d.type === 'shared-iterations') d = { ...d, maxDurationMs: ms };
    else d = d.type === 'constant-vus' || d.type === 'constant-arrival-rate' ? { ...d, durationMs: ms } : { ...d, stages: stretch(d.stages, ms) };
  }
  if (o.scale !== undefined) d = scaleLoad(d, o.scale);
  if (o.vus !== undefined) {
    const vus = o.vus;
    if (d.type === 'constant-vus' || d.type === 'per-vu-iterations' || d.type === 'shared-iterations') d = { ...d, vus };
    else if (d.type === 'ramping-vus') {
      const top = peak(d.startVUs, d.stages);
      const scale = (n: number): number => Math.round((n * vus) / top);
      d = { ...d, startVUs: scale(d.startVUs), stages: d.stages.map((s) => ({ ...s, target: scale(s.target) })) };
    } else d = { ...d, maxVUs: vus };
  }
  if (o.rate !== undefined) {
    const rate = o.rate;
    if (d.type === 'constant-arrival-rate') d = { ...d, rate };
    else if (d.type === 'ramping-arrival-rate') {
      const top = peak(d.startRate, d.stages);
      const scale = (r: number): number => (r === top ? rate : (r * rate) / top);
      d = { ...d, startRate: scale(d.startRate), stages: d.stages.map((s) => ({ ...s, target: scale(s.target) })) };
    }
  }
  return d;
}

/** Multiply every VU count and arrival rate by `factor` (see Overrides.scale for the rounding). */
function scaleLoad(d: ExecutorDraft, factor: number): ExecutorDraft {
  const count = (n: number): number => (n === 0 ? 0 : Math.max(1, Math.round(n * factor)));
  const rate = (r: number): number => (r === 0 ? 0 : Math.max(1e-6, Math.round(r * factor * 1e6) / 1e6));
  const stages = (scale: (n: number) => number): Stage[] => ('stages' in d ? d.stages.map((s) => ({ ...s, target: scale(s.target) })) : []);
  switch (d.type) {
    case 'constant-vus':
    case 'per-vu-iterations':
    case 'shared-iterations':
      return { ...d, vus: count(d.vus) };
    case 'ramping-vus':
      return { ...d, startVUs: count(d.startVUs), stages: stages(count) };
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate': {
      const limits = { ...(d.maxVUs !== undefined && { maxVUs: count(d.maxVUs) }), ...(d.maxQueue !== undefined && { maxQueue: count(d.maxQueue) }) };
      return d.type === 'constant-arrival-rate' ? { ...d, rate: rate(d.rate), ...limits } : { ...d, startRate: rate(d.startRate), stages: stages(rate), ...limits };
    }
  }
}

/** Scale stage durations to total exactly `totalMs`, in whole ms, the rounding remainder going to the last stage. */
function stretch(stages: readonly Stage[], totalMs: number): Stage[] {
  const before = stages.reduce((sum, s) => sum + s.durationMs, 0);
  let used = 0;
  return stages.map((s, i) => {
    const durationMs = i === stages.length - 1 ? totalMs - used : Math.floor((s.durationMs * totalMs) / before);
    used += durationMs;
    return { ...s, durationMs };
  });
}
