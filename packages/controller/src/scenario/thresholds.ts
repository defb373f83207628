/**
 * Threshold checks at load time, with the report package's parser, so a
 * misspelt metric or condition stops the run before any request is sent
 * rather than failing the gate after a long test.
 */
import { didYouMean, parseCondition, parseThresholdKey, type ThresholdSpec } from '@novaload/report';
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
      problems.add(at, parsed.problem.message, parsed.problem.hint);
      continue;
    }
    const request = parsed.value.request;
    if (request !== undefined && !requestNames.includes(request)) {
      const guess = didYouMean(request, requestNames);
      problems.add(at, `no request is named "${request}"`, guess ? `did you mean "${guess}"?` : `requests: ${requestNames.join(', ')}`);
    }
    const levels: [string, string | undefined][] = typeof spec === 'string' ? [[at, spec]] : [[jsonPath('thresholds', key, 'warning'), spec.warning], [jsonPath('thresholds', key, 'critical'), spec.critical]];
    for (const [path, expression] of levels) {
      if (expression === undefined) continue;
      const condition = parseCondition(expression, parsed.value);
      if (!condition.ok) problems.add(path, condition.problem.message, condition.problem.hint);
    }
    out[key] = spec;
  }
  return out;
}
