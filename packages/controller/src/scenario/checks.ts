/**
 * Response checks of `expect` (json, body, headers) checked and resolved at
 * load: every JSONPath parsed, every regex compiled, header names checked,
 * so a bad one is a 104 at its JSON path before anything is sent. Check
 * values may hold templates: templates.ts checks their names with the
 * rest of the scenario's.
 */
import { jsonPathProblem, type CheckOp, type ResolvedCheck, type ResolvedRequest } from '@novaload/agent';
import { parseThresholdKey, type ThresholdSpec } from '@novaload/report';
import { jsonPath, type ProblemList, type Segment } from './problems.js';
import type { RawExpect, RawValueCheck } from './raw.js';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const VALUE_OPS = ['exists', 'equals', 'matches'] as const;

/** Resolve the checks of request `index`; an empty list when it has none. */
export function resolveChecks(problems: ProblemList, index: number, expect: RawExpect | undefined): ResolvedCheck[] {
  const at = (...rest: Segment[]): string => jsonPath('requests', index, 'expect', ...rest);
  const out: ResolvedCheck[] = [];
  for (const [path, ops] of Object.entries(expect?.json ?? {})) {
    const problem = jsonPathProblem(path);
    if (problem !== null) problems.add(at('json', path), `JSONPath "${path}" ${problem}`, 'write a path from the root, e.g. "$.token" or "$.items[0].id"');
    else out.push(...valueChecks(problems, (op) => at('json', path, op), 'json', path, ops));
  }
  for (const op of ['contains', 'notContains'] as const) {
    const value = expect?.body?.[op];
    if (value !== undefined) out.push({ on: 'body', target: '', op, value });
  }
  const seen = new Map<string, string>();
  for (const [name, ops] of Object.entries(expect?.headers ?? {})) {
    const lower = name.toLowerCase();
    if (!TOKEN.test(name)) problems.add(at('headers', name), `"${name}" is not a valid header name`, 'use letters, digits and - only, e.g. "content-type"');
    else if (seen.has(lower)) problems.add(at('headers', name), `header "${name}" is checked twice (also as "${seen.get(lower)}")`, 'header names are case-insensitive: merge the two');
    else {
      seen.set(lower, name);
      out.push(...valueChecks(problems, (op) => at('headers', name, op), 'header', lower, ops));
    }
  }
  return out;
}

/**
 * A `checks` threshold on a run, or a request, without checks would only
 * ever fail for want of data: refused at load, naming what has checks.
 */
export function checkCheckThresholds(problems: ProblemList, thresholds: Readonly<Record<string, ThresholdSpec>>, requests: readonly ResolvedRequest[]): void {
  const checked = requests.filter((r) => (r.checks ?? []).length > 0).map((r) => r.name);
  for (const key of Object.keys(thresholds)) {
    const parsed = parseThresholdKey(key);
    if (!parsed.ok || parsed.value.metric !== 'checks') continue;
    const request = parsed.value.request;
    if (request === undefined ? checked.length > 0 : checked.includes(request) || !requests.some((r) => r.name === request)) continue;
    const hint = checked.length > 0 ? `requests with checks: ${checked.join(', ')}` : 'add checks to a request\'s "expect" ("json", "body" or "headers")';
    problems.add(jsonPath('thresholds', key), request === undefined ? 'no request has checks to judge' : `request "${request}" has no checks to judge`, hint);
  }
}

/** exists / equals / matches of one JSONPath or header, in that order. */
function valueChecks(problems: ProblemList, at: (op: CheckOp) => string, on: 'json' | 'header', target: string, ops: RawValueCheck | undefined): ResolvedCheck[] {
  const out: ResolvedCheck[] = [];
  for (const op of VALUE_OPS) {
    const value = ops?.[op];
    if (value === undefined) continue;
    if (op === 'matches' && !regexAt(problems, at(op), value as string)) continue;
    out.push({ on, target, op, value });
  }
  return out;
}

/** A regex that compiles; a problem naming the error otherwise. */
function regexAt(problems: ProblemList, path: string, source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch (err) {
    problems.add(path, `"${source}" is not a regular expression: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`, 'JavaScript syntax; escape \\ in JSON, e.g. "^\\\\d+$"');
    return false;
  }
}
