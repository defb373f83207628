/**
 * Every `{{ expr }}` of a scenario checked before anything is sent: its
 * syntax, then its names against what the scenario defines (captures,
 * env, data, setup), each problem at its JSON path. The env variables the
 * templates read are resolved here, on the controller, and carried in the
 * plan; a problem names a variable, never its value.
 */
import { checkNames, hasTemplate, parseTemplate, type NameScope } from '@novaload/agent';
import { jsonPath, type ProblemList, type Segment } from './problems.js';
import type { RawExpect, RawRequest, RawScenario } from './raw.js';

/** Check one string at `at`; the env names it reads are added to `env`. */
function checkString(text: string, at: Segment[], scope: NameScope, problems: ProblemList, env: Set<string>): void {
  if (!hasTemplate(text)) return;
  const parsed = parseTemplate(text);
  if ('problem' in parsed) {
    problems.add(jsonPath(...at), `template: ${parsed.problem.message} (at character ${parsed.problem.offset + 1})`, 'write {{ name }}, {{ env.NAME ?? "default" }} or {{ uuid() }}; see README "Templates and captures"');
    return;
  }
  const checked = checkNames(parsed.template, scope);
  for (const p of checked.problems) problems.add(jsonPath(...at), p.message, p.hint);
  for (const name of checked.env) env.add(name);
}

/** Every string inside a JSON body (values, not keys). */
function checkJson(value: unknown, at: Segment[], scope: NameScope, problems: ProblemList, env: Set<string>): void {
  if (typeof value === 'string') checkString(value, at, scope, problems, env);
  else if (Array.isArray(value)) value.forEach((v, i) => checkJson(v, [...at, i], scope, problems, env));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) checkJson(v, [...at, k], scope, problems, env);
}

/** The check values that take templates: json and header `equals`, body `contains`/`notContains` (a `matches` regex is literal). */
function checkExpect(expect: RawExpect | undefined, at: Segment[], scope: NameScope, problems: ProblemList, env: Set<string>): void {
  for (const on of ['json', 'headers'] as const) {
    for (const [target, ops] of Object.entries(expect?.[on] ?? {})) {
      if (typeof ops?.equals === 'string') checkString(ops.equals, [...at, on, target, 'equals'], scope, problems, env);
    }
  }
  for (const op of ['contains', 'notContains'] as const) {
    const value = expect?.body?.[op];
    if (typeof value === 'string') checkString(value, [...at, 'body', op], scope, problems, env);
  }
}

/** Whether a JSON value holds a template in any of its strings (it is then rendered per request). */
export function jsonHasTemplate(value: unknown): boolean {
  if (typeof value === 'string') return hasTemplate(value);
  if (Array.isArray(value)) return value.some(jsonHasTemplate);
  if (value !== null && typeof value === 'object') return Object.values(value).some(jsonHasTemplate);
  return false;
}

/** Columns of a data file that failed to load (its problem is reported already): no column is reported missing as well. */
const ANY_COLUMN: ReadonlySet<string> = new (class extends Set<string> {
  override has(): boolean {
    return true;
  }
})();

/** Names the requests of a list capture. */
function capturedBy(requests: readonly (RawRequest | undefined)[] | undefined): Set<string> {
  const names = new Set<string>();
  for (const r of requests ?? []) for (const c of r?.capture ?? []) if (typeof c?.as === 'string') names.add(c.as);
  return names;
}

/** Check the path, headers, body and json of each request of a list at `at`. */
function checkRequests(requests: readonly (RawRequest | undefined)[] | undefined, at: Segment[], scope: NameScope, problems: ProblemList, used: Set<string>): void {
  (requests ?? []).forEach((r, i) => {
    if (!r) return;
    if (typeof r.path === 'string') checkString(r.path, [...at, i, 'path'], scope, problems, used);
    for (const [h, v] of Object.entries(r.headers ?? {})) if (typeof v === 'string') checkString(v, [...at, i, 'headers', h], scope, problems, used);
    if (typeof r.body === 'string') checkString(r.body, [...at, i, 'body'], scope, problems, used);
    if (r.json !== undefined) checkJson(r.json, [...at, i, 'json'], scope, problems, used);
    checkExpect(r.expect, [...at, i, 'expect'], scope, problems, used);
  });
}

/**
 * Check the templates of http.headers and of each request's path, headers,
 * body, json and check values, in the load, setup and teardown; `columns` are the data
 * file's (null: no data file, 'unloaded': it did not load). `setup.NAME`
 * is valid in the load and teardown when the setup captures NAME; inside
 * setup its captures are plain names. Returns the values of the env
 * variables they read that are set.
 */
export function checkTemplates(raw: RawScenario, env: Readonly<Record<string, string | undefined>>, columns: readonly string[] | null | 'unloaded', problems: ProblemList): Record<string, string> {
  const data = columns === 'unloaded' ? ANY_COLUMN : columns === null ? null : new Set(columns);
  const setup = raw.setup === undefined ? null : capturedBy(raw.setup.requests);
  const scope: NameScope = { captures: capturedBy(raw.requests), env, data, setup };
  const used = new Set<string>();
  for (const [h, v] of Object.entries(raw.http?.headers ?? {})) if (typeof v === 'string') checkString(v, ['http', 'headers', h], scope, problems, used);
  checkRequests(raw.requests, ['requests'], scope, problems, used);
  // Setup and teardown run on the controller, with no data row.
  if (setup !== null) checkRequests(raw.setup?.requests, ['setup', 'requests'], { captures: setup, env, data: null, setup: null }, problems, used);
  if (raw.teardown !== undefined) checkRequests(raw.teardown.requests, ['teardown', 'requests'], { captures: capturedBy(raw.teardown.requests), env, data: null, setup }, problems, used);
  return Object.fromEntries([...used].sort().map((name) => [name, env[name]!]));
}
