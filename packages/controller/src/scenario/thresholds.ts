/**
 * Threshold checks at load time, with the report package's parser, so a
 * misspelt metric or condition stops the run before any request is sent
 * rather than failing the gate after a long test.
 */
import { didYouMean, formatRequestTag, parseCondition, parseThresholdKey, parseWindow, windowProblem, type ThresholdKey, type ThresholdSpec } from '@novaload/report';
import { k6Condition, k6Threshold } from './k6.js';
import { jsonPath, type ProblemList } from './problems.js';
import type { RawScenario } from './raw.js';

/** Check every key and condition; `requestNames` are the declared names a `{request=NAME}` tag may use. */
export function checkThresholds(raw: RawScenario, requestNames: readonly string[], problems: ProblemList): Record<string, ThresholdSpec> {
  const out: Record<string, ThresholdSpec> = {};
  for (const [key, spec] of Object.entries(raw.thresholds ?? {})) {
    if (spec === undefined) continue;
    const at = jsonPath('thresholds', key);
    const parsed = parseThresholdKey(key);
    if (!parsed.ok) {
      const k6 = k6Threshold(key, spec);
      problems.add(at, k6?.message ?? parsed.problem.message, k6?.hint ?? parsed.problem.hint);
      continue;
    }
    const request = parsed.value.request;
    if (request !== undefined && !requestNames.includes(request)) {
      const guess = didYouMean(request, requestNames);
      problems.add(at, `no request is named "${request}"`, guess ? `did you mean ${quotedTag(guess) ?? `"${guess}"`}?` : `requests: ${requestNames.join(', ')}`);
    }
    const levels: [string, string | undefined][] = typeof spec === 'string' ? [[at, spec]] : [[jsonPath('thresholds', key, 'warning'), spec.warning], [jsonPath('thresholds', key, 'critical'), spec.critical]];
    const windowed = typeof spec !== 'string' && spec.for !== undefined;
    for (const [path, expression] of levels) {
      if (expression === undefined) continue;
      const condition = parseCondition(expression, parsed.value);
      if (!condition.ok) {
        const k6 = k6Condition(parsed.value, expression);
        problems.add(path, k6?.message ?? condition.problem.message, k6?.hint ?? condition.problem.hint);
      }
      else if (windowed && condition.value.relative) problems.add(path, 'a windowed level takes an absolute condition', 'relative conditions ("<+5%") compare whole runs: remove "for", or write a bound such as "<1s"');
    }
    if (typeof spec !== 'string') checkWindow(key, spec, parsed.value, problems);
    out[key] = spec;
  }
  return out;
}

/** The tag for a name that must be quoted in it (`{request="GET /api/ratings/{id}"}`), else undefined. */
function quotedTag(name: string): string | undefined {
  const tag = formatRequestTag(name);
  return tag === `{request=${name}}` ? undefined : tag;
}

/** `for` is a whole number of seconds on a metric the timeline has; abortOnFail needs a critical level. */
function checkWindow(key: string, spec: Exclude<ThresholdSpec, string>, parsed: ThresholdKey, problems: ProblemList): void {
  const hasWindowFields = spec.for !== undefined || spec.abortOnFail !== undefined;
  if (hasWindowFields && spec.warning === undefined && spec.critical === undefined) {
    problems.add(jsonPath('thresholds', key), 'no level to judge', 'give "warning" or "critical", e.g. { "critical": "<1s", "for": "30s" }');
  }
  if (spec.for !== undefined) {
    const window = parseWindow(spec.for);
    if (!window.ok) problems.add(jsonPath('thresholds', key, 'for'), window.problem.message, window.problem.hint);
    const unfit = windowProblem(parsed);
    if (unfit) problems.add(jsonPath('thresholds', key), unfit.message, unfit.hint);
  }
  // abortOnFail without "for" is the schema's to report (its "dependencies").
  if (spec.abortOnFail === true && spec.for !== undefined && spec.critical === undefined) {
    problems.add(jsonPath('thresholds', key, 'abortOnFail'), 'abortOnFail acts on the critical level and there is none', 'add "critical": warnings never stop a run');
  }
}
