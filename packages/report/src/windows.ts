/**
 * Windowed thresholds, the runbook's alert rules ("p99 > 1000ms for 5
 * minutes"): `{"critical": "<1s", "for": "30s"}` is judged on the per-second
 * timeline while the run goes, and a level fails once its condition has been
 * violated in every second of a window that long. A whole-run percentile
 * hides a slow minute in a long run; a window does not, and it can stop a
 * run that is already lost (`abortOnFail`) instead of letting it go on.
 */
import type { SecondListener } from './aggregate.js';
import { DURATION_HINT, parseDuration } from './duration.js';
import { latencyStats, percentileMs, type Histogram } from './histogram.js';
import { holds, parseCondition, parseThresholdKey, specLevels, type Parsed, type ParseProblem, type ThresholdCondition, type ThresholdKey } from './threshold-parse.js';
import type { ThresholdLevel, ThresholdResult, ThresholdSpec, TimelinePoint } from './types.js';
import type { AbortInfo } from './types-judgement.js';

/** Why a metric cannot be windowed, or null: one second of the timeline knows overall latency, errors and requests only. */
export function windowProblem(key: ThresholdKey): ParseProblem | null {
  if (key.request !== undefined) return { message: 'a windowed threshold ("for") covers all requests', hint: 'remove the {request=…} tag, or remove "for"' };
  if (key.metric === 'latency' || key.metric === 'errorRate' || key.metric === 'successRate') return null;
  return { message: `"${key.metric}" cannot have a window ("for")`, hint: 'windows apply to latency.<stat>, errorRate and successRate' };
}

/** The length of a window (`for`) in whole seconds, the timeline's resolution. */
export function parseWindow(text: string): Parsed<number> {
  const ms = parseDuration(text);
  if (ms === null) return { ok: false, problem: { message: `"${text}" is not a duration`, hint: DURATION_HINT } };
  if (ms < 1000 || ms % 1000 !== 0) return { ok: false, problem: { message: `"${text}" is not a whole number of seconds`, hint: 'the timeline has one point per second: write "30s", "2m", …' } };
  return { ok: true, value: ms / 1000 };
}

/** The metric's value in one second; null when nothing completed in it. */
function secondValue(key: ThresholdKey, point: TimelinePoint, latency: Histogram): number | null {
  if (key.metric === 'errorRate' || key.metric === 'successRate') {
    if (point.requests === 0) return null;
    return ((key.metric === 'errorRate' ? point.errors : point.requests - point.errors) / point.requests) * 100;
  }
  if (latency.totalCount === 0) return null;
  return key.percentile === undefined ? latencyStats(latency)[key.stat as 'min' | 'mean' | 'stdev' | 'max'] : percentileMs(latency, key.percentile);
}

interface WindowLevel {
  metric: string;
  key: ThresholdKey;
  level: ThresholdLevel;
  /** The condition with its window, as reports show it: `<1s for 30s`. */
  expression: string;
  cond: ThresholdCondition;
  seconds: number;
  abort: boolean;
  /** First second of the violation going on, null while the condition holds. */
  since: number | null;
  /** Worst per-second value so far (highest under `<`, lowest under `>`). */
  worst: number | null;
  failed?: { from: number; to: number };
}

/**
 * Watches the completed seconds of one run for the scenario's windowed
 * thresholds. A second in which nothing completed keeps the state of the one
 * before: a stalled server completes nothing, and is no better for it. The
 * first critical level with abortOnFail to fail calls `onAbort`, once.
 */
export class WindowWatch implements SecondListener {
  readonly #levels: WindowLevel[] = [];
  #aborted = false;

  constructor(specs: Readonly<Record<string, ThresholdSpec>>, private readonly onAbort: (info: AbortInfo) => void) {
    for (const [metric, spec] of Object.entries(specs)) {
      if (typeof spec === 'string' || spec.for === undefined) continue;
      const key = parseThresholdKey(metric);
      const window = parseWindow(spec.for);
      if (!key.ok || !window.ok) throw new Error(`windowed threshold "${metric}" was not validated`);
      for (const [level, expression] of specLevels(spec)) {
        const cond = parseCondition(expression, key.value);
        if (!cond.ok || cond.value.relative) throw new Error(`windowed threshold "${metric}" (${level}) was not validated`);
        const abort = spec.abortOnFail === true && level === 'critical';
        this.#levels.push({ metric, key: key.value, level, expression: `${expression} for ${spec.for}`, cond: cond.value, seconds: window.value, abort, since: null, worst: null });
      }
    }
  }

  onSecond(point: TimelinePoint, latency: Histogram): void {
    for (const w of this.#levels) {
      const value = secondValue(w.key, point, latency);
      if (value !== null) {
        const lower = w.cond.op === '>' || w.cond.op === '>=';
        w.worst = w.worst === null ? value : lower ? Math.min(w.worst, value) : Math.max(w.worst, value);
        if (holds(w.cond, value)) w.since = null;
        else w.since ??= point.t;
      }
      if (w.since === null || w.failed || point.t - w.since + 1 < w.seconds) continue;
      w.failed = { from: w.since, to: point.t };
      if (w.abort && !this.#aborted) {
        this.#aborted = true;
        this.onAbort({ metric: w.metric, level: w.level, expression: w.expression, second: point.t });
      }
    }
  }

  /** One result per windowed level; a level that never had data fails, as a threshold with no data does. */
  results(): ThresholdResult[] {
    return this.#levels.map((w) => ({
      metric: w.metric,
      level: w.level,
      expression: w.expression,
      value: w.worst,
      ok: w.failed === undefined && w.worst !== null,
      window: w.failed ? { seconds: w.seconds, failed: w.failed } : { seconds: w.seconds },
    }));
  }
}
