/**
 * The threshold language: metric keys (`latency.p95{request=list-tasks}`)
 * and conditions (`<200ms`, `>=99.9%`). Parsing is separate from evaluation
 * so the controller can reject a bad threshold before any request is sent.
 */
import { DURATION_HINT, parseDuration } from './duration.js';
import { didYouMean } from './suggest.js';
import { formatRequestTag, parseRequestTag } from './threshold-tag.js';
import type { ThresholdLevel, ThresholdSpec } from './types.js';

/** Metrics a threshold can name, and the unit its condition is written in. */
export const THRESHOLD_METRICS = {
  latency: 'duration',
  serviceTime: 'duration',
  ttfb: 'duration',
  /** Request phases (timing.ts), over every response: the connection ones are 0 on a reused connection. */
  dns: 'duration',
  connect: 'duration',
  tlsHandshake: 'duration',
  send: 'duration',
  wait: 'duration',
  receive: 'duration',
  errorRate: 'percent',
  successRate: 'percent',
  rps: 'number',
  dropped: 'number',
  /** Peak per-second event-loop utilisation of any generator thread: gates a run whose generator was saturated. */
  generatorUtilization: 'percent',
  /** Peak event-loop lag of any generator thread, ms. */
  generatorLag: 'ms',
  /** Percent of response checks that passed (k6's `checks` rate), overall or of one request. */
  checks: 'percent',
} as const;

/** Metrics of the run as a whole, which no request name can narrow. */
const RUN_WIDE: readonly ThresholdMetric[] = ['dropped', 'generatorUtilization', 'generatorLag'];

export type ThresholdMetric = keyof typeof THRESHOLD_METRICS;
export const LATENCY_STATS = ['min', 'mean', 'avg', 'stdev', 'max', 'p50', 'p90', 'p95', 'p99', 'p999'] as const;

export interface ThresholdKey {
  metric: ThresholdMetric;
  /** For duration metrics: 'min' | 'mean' | 'stdev' | 'max' | 'pNN' (avg is read as mean). */
  stat?: string;
  /** For pNN stats: the percentile, 0..100 (p999 = 99.9). */
  percentile?: number;
  /** Restricts the metric to one request name. */
  request?: string;
}

export type Operator = '<' | '<=' | '>' | '>=';

export interface ThresholdCondition {
  op: Operator;
  /** Bound in the metric's unit: ms for durations, percent 0..100 for rates, plain numbers else; for a relative condition, the change in percent. */
  value: number;
  /**
   * A relative condition (`<+5%`, `>-10%`: a sign, a number, %) bounds the
   * change from the baseline run's value of the same metric, so it needs --baseline.
   */
  relative?: true;
}

export interface ParseProblem {
  message: string;
  hint?: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: ParseProblem };

/** metric, optional .stat, optional tag: everything from the first `{` to the last `}` (a quoted name may hold braces). */
const KEY = /^([A-Za-z]+)(?:\.([A-Za-z0-9.]+))?(?:\{([^]*)\})?$/;

/** Parse a threshold key such as `latency.p99` or `errorRate{request=create-task}`. */
export function parseThresholdKey(key: string): Parsed<ThresholdKey> {
  const m = KEY.exec(key.trim());
  if (!m) return fail(`"${key}" is not a threshold metric`, 'write metric[.stat][{request=NAME}], e.g. "latency.p95{request=list-tasks}" or, for a name with "," or "}", "latency.p95{request=\\"GET /api/ratings/{id}\\"}"');
  const [, name, stat, tag] = m;
  if (!Object.hasOwn(THRESHOLD_METRICS, name!)) {
    const guess = didYouMean(name!, Object.keys(THRESHOLD_METRICS));
    return fail(`unknown metric "${name}"`, guess ? `did you mean "${guess}"?` : `metrics: ${Object.keys(THRESHOLD_METRICS).join(', ')}`);
  }
  const metric = name as ThresholdMetric;
  const out: ThresholdKey = { metric };
  if (THRESHOLD_METRICS[metric] === 'duration') {
    if (!stat) return fail(`"${key}" needs a statistic`, `write ${metric}.p95, ${metric}.p99, ${metric}.mean, …`);
    const parsedStat = parseStat(stat);
    if (!parsedStat) {
      const guess = didYouMean(stat, LATENCY_STATS);
      return fail(`unknown statistic "${stat}" in "${key}"`, guess ? `did you mean "${metric}.${guess}"?` : `use one of ${LATENCY_STATS.join(', ')} or pNN such as p75, p99.9`);
    }
    Object.assign(out, parsedStat);
  } else if (stat) {
    return fail(`"${metric}" takes no statistic ("${stat}")`, `write "${metric}"`);
  }
  if (tag !== undefined) {
    const t = parseRequestTag(tag);
    if (!t.ok && t.unquoted !== undefined) return fail(`${t.message} in "${key}"`, `quote it; in the JSON file write ${JSON.stringify(formatThresholdKey({ ...out, request: t.unquoted }))}`);
    if (!t.ok) return fail(`${t.message} in "${key}"`, t.hint);
    if (RUN_WIDE.includes(metric)) return fail(`"${metric}" cannot be restricted to one request`, `${metric} belongs to the run as a whole; remove the tag`);
    out.request = t.request;
  }
  return { ok: true, value: out };
}

/** A key as text that parses back to the same key (`latency.p95{request="GET /api/ratings/{id}"}`): for messages and hints. */
export function formatThresholdKey(key: ThresholdKey): string {
  return `${key.metric}${key.stat !== undefined ? `.${key.stat}` : ''}${key.request !== undefined ? formatRequestTag(key.request) : ''}`;
}

function parseStat(stat: string): { stat: string; percentile?: number } | null {
  if (stat === 'avg' || stat === 'mean') return { stat: 'mean' };
  if (stat === 'min' || stat === 'max' || stat === 'stdev') return { stat };
  if (stat === 'p999') return { stat, percentile: 99.9 };
  const p = /^p(\d{1,2}(?:\.\d+)?|100)$/.exec(stat);
  if (!p) return null;
  const percentile = Number(p[1]);
  return percentile > 0 && percentile <= 100 ? { stat, percentile } : null;
}

const CONDITION = /^\s*(<=|>=|<|>)\s*(\S.*?)\s*$/;

/** Parse a condition such as `<200ms`, `>=99.9%`, `>100` for the given metric key. */
export function parseCondition(expression: string, key: ThresholdKey): Parsed<ThresholdCondition> {
  const m = CONDITION.exec(expression);
  if (!m) return fail(`condition "${expression}" has no comparison`, 'start it with <, <=, > or >=, e.g. "<500ms"');
  const op = m[1] as Operator;
  const text = m[2]!;
  const relative = /^([+-]\d+(?:\.\d+)?)%$/.exec(text);
  if (relative) return finite(Number(relative[1]), expression) ?? { ok: true, value: { op, value: Number(relative[1]), relative: true } };
  const unit = THRESHOLD_METRICS[key.metric];
  if (unit === 'duration' || unit === 'ms') {
    // A plain number is ms, parsed like "<n>ms" so both spellings give the same value.
    const ms = parseDuration(/^\d+(\.\d+)?$/.test(text) ? `${text}ms` : text);
    if (ms === null) return fail(`"${text}" in "${expression}" is not a duration`, DURATION_HINT);
    return { ok: true, value: { op, value: ms } };
  }
  if (unit === 'percent') {
    const p = /^(\d+(?:\.\d+)?)%$/.exec(text);
    if (!p) return fail(`"${text}" in "${expression}" is not a percentage`, `write it with %, e.g. "${op}${key.metric === 'successRate' ? '99.9' : '0.1'}%"`);
    const value = Number(p[1]);
    if (value > 100) return fail(`${value}% in "${expression}" is more than 100%`, 'a rate is between 0% and 100%');
    return { ok: true, value: { op, value } };
  }
  if (!/^\d+(\.\d+)?$/.test(text)) return fail(`"${text}" in "${expression}" is not a number`, `write a plain number, e.g. "${op}100"`);
  return finite(Number(text), expression) ?? { ok: true, value: { op, value: Number(text) } };
}

/** A problem when a bound is too large to be a number (it would read as Infinity). */
function finite(value: number, expression: string): Parsed<ThresholdCondition> | undefined {
  return Number.isFinite(value) ? undefined : fail(`the number in "${expression}" is too large`, 'write a smaller number');
}

/** The levels of a threshold, warning before critical, with their conditions; a bare string is a critical level. */
export function specLevels(spec: ThresholdSpec): [ThresholdLevel, string][] {
  if (typeof spec === 'string') return [['critical', spec]];
  const levels: [ThresholdLevel, string | undefined][] = [['warning', spec.warning], ['critical', spec.critical]];
  return levels.filter((l): l is [ThresholdLevel, string] => l[1] !== undefined);
}

/** Whether `observed` satisfies the condition. */
export function holds(cond: ThresholdCondition, observed: number): boolean {
  switch (cond.op) {
    case '<':
      return observed < cond.value;
    case '<=':
      return observed <= cond.value;
    case '>':
      return observed > cond.value;
    case '>=':
      return observed >= cond.value;
  }
}

function fail<T>(message: string, hint?: string): Parsed<T> {
  return { ok: false, problem: hint ? { message, hint } : { message } };
}
