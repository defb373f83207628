/**
 * An agent's own check of a plan's journey parts, before it answers
 * `ready`: every template (check values too) parses and every captured name it reads is
 * captured by some request, and every capture regex and JSONPath compiles — what
 * compiling the steps relies on, so a plan from a buggy or hostile
 * controller is refused with a reason instead of crashing a share.
 */
import type { Expr } from './ast.js';
import { hasTemplate } from './ast.js';
import { jsonPathProblem } from './json-path.js';
import { BUILT_INS, NAMESPACES } from './names.js';
import { parseTemplate } from './parse.js';
import type { ResolvedScenario } from '../scenario.js';

const ROOTS: readonly string[] = [...BUILT_INS, ...NAMESPACES];

function names(e: Expr, out: string[]): void {
  if (e.type === 'name') out.push(e.path[0]);
  else if (e.type === 'call') for (const a of e.args) names(a, out);
  else if (e.type === 'default') {
    names(e.left, out);
    names(e.right, out);
  }
}

function strings(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
}

/** Why the plan's templates or captures cannot be compiled, or null. */
export function journeyProblem(scenario: ResolvedScenario): string | null {
  const captured = new Set(scenario.requests.flatMap((r) => (r.capture ?? []).map((c) => c.as)));
  const common = Object.values(scenario.http.headers);
  for (const r of scenario.requests) {
    for (const c of r.capture ?? []) {
      if ('json' in c && jsonPathProblem(c.json) !== null) return `request "${r.name}": capture "${c.as}" has an invalid JSONPath`;
      if ('regex' in c) {
        try {
          new RegExp(c.regex);
        } catch {
          return `request "${r.name}": capture "${c.as}" has an invalid regex`;
        }
      }
    }
    const texts = [r.path, ...common, ...Object.values(r.headers), ...(r.body === null ? [] : [r.body])];
    strings(r.json, texts);
    // Check values that take templates (a regex of `matches` is literal).
    for (const c of r.checks ?? []) if (c.op !== 'matches' && typeof c.value === 'string') texts.push(c.value);
    for (const text of texts) {
      if (!hasTemplate(text)) continue;
      const parsed = parseTemplate(text);
      if ('problem' in parsed) return `request "${r.name}": a template does not parse (${parsed.problem.message})`;
      const used: string[] = [];
      for (const p of parsed.template.parts) if (p.type === 'expr') names(p.expr, used);
      const unknown = used.find((n) => !ROOTS.includes(n) && !captured.has(n));
      if (unknown !== undefined) return `request "${r.name}": a template reads "${unknown}", which no request captures`;
    }
  }
  return null;
}
