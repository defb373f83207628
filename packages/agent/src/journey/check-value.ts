/**
 * The expected values of checks (`equals`, `contains`, `notContains`) as
 * functions of the VU's variables, compiled once at load with the
 * request plan's RunScope: `"item-{{ vu }}"` renders per response, a
 * literal costs a constant. `undefined` means a value the template needs is
 * missing (a capture that failed): the check fails, it never compares
 * against an empty string.
 */
import { hasTemplate, soleExpr } from './ast.js';
import { compileExpr, compileTemplate, parseChecked, type RunScope } from './compile.js';
import type { ResolvedScenario } from '../scenario.js';
import type { VuState } from './state.js';

/** A check's expected string for one response (the VU's state is what its template reads); undefined: a value is missing. */
export type CheckValue = (s: VuState) => string | undefined;

/** A json `equals` check's expected JSON value for one response; undefined: a value is missing. */
export type CheckJsonValue = (s: VuState) => unknown;

/** Compile a string check value once, at load; a template in it renders as text. */
export function compileCheckValue(source: string, scope: RunScope): CheckValue {
  if (!hasTemplate(source)) return () => source;
  return compileTemplate(source, scope);
}

/**
 * Compile a json `equals` value: like a JSON body's string, one that is
 * exactly `{{ expr }}` keeps the value's own type (a captured number is
 * compared as a number), any other template renders as text.
 */
export function compileCheckJsonValue(source: string, scope: RunScope): CheckJsonValue {
  if (!hasTemplate(source)) return () => source;
  const sole = soleExpr(parseChecked(source));
  return sole !== null ? compileExpr(sole, scope) : compileTemplate(source, scope);
}

/**
 * The run's scope of a scenario as its requests see it: captured names to
 * slot numbers in order of first capture (a VU's values are an array),
 * with the env values the controller resolved. Shared by the request plan
 * and by the agent's plan check, so both compile checks the same way.
 */
export function runScopeOf(scenario: ResolvedScenario): RunScope {
  const slots = new Map<string, number>();
  for (const r of scenario.requests) for (const c of r.capture ?? []) if (!slots.has(c.as)) slots.set(c.as, slots.size);
  // Setup values: what the controller's setup run captured (journey/once.ts).
  return { scenario: scenario.name, env: scenario.env ?? {}, setup: scenario.setupValues ?? {}, slots };
}
