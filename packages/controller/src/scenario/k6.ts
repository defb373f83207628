/**
 * Help for k6 users: where a scenario uses k6's spelling for something
 * novaload has under another name (preAllocatedVUs, http_req_duration,
 * "p(95)<500", …), the 104 message says the novaload way, written out, and
 * where novaload has no such thing (multi-workload scenarios, exec) it says so.
 */
import { formatRequestTag, formatThresholdKey, THRESHOLD_METRICS, type ThresholdKey } from '@novaload/report';
import type { Segment } from './problems.js';

/** k6 fields at a scenario's top level, with what novaload has instead. */
const FIELDS: Readonly<Record<string, string>> = {
  preAllocatedVUs: 'did you mean "maxVUs"? k6\'s preAllocatedVUs is novaload\'s maxVUs, the VUs an arrival-rate executor may use',
  exec: 'novaload runs no script: there is no function to name; list what to send in "requests", with "flow": "sequence" for a journey',
  timeUnit: 'novaload\'s "rate" and stage targets are always per second: divide by your timeUnit in seconds',
};

/** k6 executors novaload does not have. */
const EXECUTORS: Readonly<Record<string, string>> = {
  'externally-controlled': 'novaload has no externally controlled executor: use "ramping-vus" with "stages"',
};

/** Hint for an unknown field at `at` when it is k6's spelling; undefined otherwise. */
export function k6FieldHint(at: readonly Segment[], field: string): string | undefined {
  if (at.length === 0) return Object.hasOwn(FIELDS, field) ? FIELDS[field] : undefined;
  if (at.length === 2 && at[0] === 'thresholds') {
    if (field === 'threshold') return 'k6\'s { "threshold": "p(95)<500" }: novaload writes the condition as "critical" or "warning", e.g. { "critical": "<500ms" }';
    if (field === 'delayAbortEval') return 'novaload\'s "for" plays that part: a level fails, and abortOnFail stops the run, once violated in every second of that window';
  }
  return undefined;
}

/** Hint for an executor novaload does not have, when it is k6's. */
export function k6ExecutorHint(value: unknown): string | undefined {
  return typeof value === 'string' && Object.hasOwn(EXECUTORS, value) ? EXECUTORS[value] : undefined;
}

/** k6 metric → the novaload metric, or why there is none. `duration`: k6's values are ms; `fraction`: k6's rates are 0..1. */
type K6Metric = { metric: string; kind: 'duration' | 'fraction' | 'rate' | 'count' } | { none: string };
const METRICS: Readonly<Record<string, K6Metric>> = {
  http_req_duration: { metric: 'latency', kind: 'duration' },
  // k6's request phases are novaload's (report timing.ts): waiting is from the request written to its first byte.
  http_req_waiting: { metric: 'wait', kind: 'duration' },
  http_req_connecting: { metric: 'connect', kind: 'duration' },
  http_req_tls_handshaking: { metric: 'tlsHandshake', kind: 'duration' },
  http_req_sending: { metric: 'send', kind: 'duration' },
  http_req_receiving: { metric: 'receive', kind: 'duration' },
  http_req_failed: { metric: 'errorRate', kind: 'fraction' },
  checks: { metric: 'checks', kind: 'fraction' },
  http_reqs: { metric: 'rps', kind: 'rate' },
  dropped_iterations: { metric: 'dropped', kind: 'count' },
  iteration_duration: { none: 'novaload measures requests, not iterations: gate on latency.<stat>, for one request with {request=NAME}' },
  vus: { none: 'novaload has no threshold on VUs; the report\'s timeline has the VUs of every second' },
  vus_max: { none: 'an arrival-rate executor\'s VUs are capped by "maxVUs"; when all are busy iterations are dropped: gate on that with "dropped": "<1"' },
};

/** k6's aggregation and the novaload statistic or condition it becomes. */
const K6_CONDITION = /^\s*(p\((\d+(?:\.\d+)?)\)|avg|med|min|max|rate|count|value)\s*(<=|>=|<|>|===?|!=)\s*(-?\d+(?:\.\d+)?)\s*$/;

/** Metrics a windowed level (and so abortOnFail) can judge: overall latency statistics and the rates. */
const WINDOWED = /^(latency\.[a-z0-9.]+|errorRate|successRate)$/;

/** k6's aggregation as a novaload statistic: p(95) → p95, avg → mean, med → p50, min, max; undefined for rate, count, value. */
function statOf(agg: string, percentile: string | undefined): string | undefined {
  if (percentile !== undefined) return `p${percentile}`;
  return agg === 'avg' ? 'mean' : agg === 'med' ? 'p50' : agg === 'min' || agg === 'max' ? agg : undefined;
}

/** A k6 rate (a fraction, 0..1) as novaload's percent. */
function percentOf(fraction: string): string {
  return `${Number((Number(fraction) * 100).toPrecision(12))}%`;
}

/** The aggregation each kind of k6 metric is compared by, when it is not a duration statistic. */
const AGGREGATION = { fraction: 'rate', rate: 'rate', count: 'count' } as const;

/** One k6 condition on a k6 metric: the novaload `"key": condition` pair to write, or why there is none. */
function translate(k6: K6Metric, tag: string, expression: string, abortOnFail: boolean): { key: string; write: string } | { note: string } {
  if ('none' in k6) return { note: k6.none };
  const m = K6_CONDITION.exec(expression);
  if (!m) return example(k6, tag);
  const [, agg, percentile, op, value] = m;
  if (!/^[<>]=?$/.test(op!)) return { note: `novaload compares with <, <=, > or >= only, not ${op}` };
  if (k6.kind === 'rate' && agg === 'count') return { note: 'novaload has no threshold on the count of requests: gate on their rate, e.g. "rps": ">100"' };
  const stat = statOf(agg!, percentile);
  if (k6.kind === 'duration' ? stat === undefined : agg !== AGGREGATION[k6.kind]) return example(k6, tag);
  const key = k6.kind === 'duration' ? `${k6.metric}.${stat}${tag}` : `${k6.metric}${tag}`;
  const condition = `"${op}${k6.kind === 'duration' ? `${value}ms` : k6.kind === 'fraction' ? percentOf(value!) : value}"`;
  const level = abortOnFail && WINDOWED.test(key) ? `{ "critical": ${condition}, "for": "10s", "abortOnFail": true }` : condition;
  return { key, write: `${JSON.stringify(key)}: ${level}` };
}

/** An example threshold on the metric, for a k6 condition with no direct counterpart. */
function example(k6: { metric: string; kind: string }, tag: string): { key: string; write: string } {
  const key = k6.kind === 'duration' ? `${k6.metric}.p95${tag}` : `${k6.metric}${tag}`;
  return { key, write: `${JSON.stringify(key)}: ${k6.kind === 'duration' ? '"<500ms"' : '"<…"'}` };
}

/** k6's `{name:X}` tag is novaload's `{request=X}`; other k6 tags have no counterpart and are left out. */
function tagOf(k6Tag: string | undefined): string {
  const name = k6Tag === undefined ? undefined : /^\s*name\s*:\s*(.+?)\s*$/.exec(k6Tag)?.[1];
  return name === undefined ? '' : formatRequestTag(name);
}

/**
 * A problem for a threshold written k6's way: a k6 metric name as the key, or
 * k6's array of conditions as the value; undefined when it is neither.
 */
export function k6Threshold(key: string, spec: unknown): { message: string; hint: string } | undefined {
  const m = /^([a-z_]+)(?:\{([^]*)\})?$/.exec(key.trim());
  const k6 = m && Object.hasOwn(METRICS, m[1]!) ? METRICS[m[1]!] : undefined;
  if (!k6) {
    if (!Array.isArray(spec)) return undefined;
    return { message: 'k6\'s array of conditions is not novaload\'s form', hint: 'write one condition string, or { "warning": "<500ms", "critical": "<1s" }; the statistic goes in the key: "latency.p95": "<500ms"' };
  }
  const items = (Array.isArray(spec) ? spec : [spec]).map((c: unknown) => {
    const o = typeof c === 'object' && c !== null ? (c as { threshold?: unknown; abortOnFail?: unknown }) : {};
    return translate(k6, tagOf(m![2]), typeof c === 'string' ? c : typeof o.threshold === 'string' ? o.threshold : '', o.abortOnFail === true);
  });
  const writes = [...new Set(items.flatMap((i) => ('write' in i ? [i.write] : [])))];
  const keys = [...new Set(items.flatMap((i) => ('key' in i ? [i.key] : [])))];
  const notes = [...new Set(items.flatMap((i) => ('note' in i ? [i.note] : [])))];
  const hint = [...(writes.length > 0 ? [`novaload calls it ${keys.length === 1 ? keys[0] : 'metric' in k6 ? k6.metric : ''}: write ${writes.join(', ')}`] : []), ...notes];
  if (writes.some((w) => w.includes('"for"'))) hint.push('"for" is the window the critical level must fail throughout before abortOnFail stops the run');
  // `checks` has the same name in both: only the form (k6's rate, a list) is k6's.
  const sameName = 'metric' in k6 && k6.metric === m![1];
  return { message: sameName ? `"${m![1]}" is written k6's way` : `"${m![1]}" is k6's name for a metric`, hint: sameName ? `write ${writes.join(', ')}` : hint.join('; ') };
}

/** For a novaload key whose condition is written k6's way (`"latency.p95": "p(95)<500"`): the problem, with the key and condition novaload reads. */
export function k6Condition(key: ThresholdKey, expression: string): { message: string; hint: string } | undefined {
  const m = K6_CONDITION.exec(expression);
  if (!m || !/^[<>]=?$/.test(m[3]!)) return undefined;
  const [, agg, percentile, op, value] = m;
  const unit = THRESHOLD_METRICS[key.metric];
  const stat = unit === 'duration' ? (statOf(agg!, percentile) ?? key.stat) : undefined;
  const written = formatThresholdKey({ ...key, ...(stat !== undefined && { stat }) });
  const bound = unit === 'duration' || unit === 'ms' ? `${value}ms` : unit === 'percent' && agg === 'rate' ? percentOf(value!) : value;
  return { message: `condition "${expression}" is written k6's way`, hint: `novaload names the statistic in the key: write ${JSON.stringify(written)}: "${op}${bound}"` };
}

/** What novaload does with abortOnFail, and how to write it: k6 checks the whole run so far, novaload a window of seconds. */
export const ABORT_WITHOUT_FOR_HINT =
  'without "for" a level is judged once, on the whole run, at its end; abortOnFail needs a window to judge during the run: add "for", e.g. { "critical": "<500ms", "for": "10s", "abortOnFail": true } stops the run once the critical level failed in every second of 10 s; windows apply to overall latency, errorRate and successRate';
