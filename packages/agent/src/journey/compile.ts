/**
 * Templates to closures, once per share when the scenario loads: a name
 * becomes a slot read or a constant (env, scenario, setup are the run's),
 * so rendering a request reads arrays and concatenates strings; nothing is
 * parsed per request. `undefined` means a value is missing: the request
 * that needs it is not sent.
 */
import { hasTemplate, soleExpr, type Expr, type Template } from './ast.js';
import { TEMPLATE_FUNCTIONS } from './functions.js';
import { parseTemplate } from './parse.js';
import type { VuState } from './state.js';

/** The run's values and where each captured name lives, shared by every VU of a share. */
export interface RunScope {
  scenario: string;
  /** Env values the controller resolved (only those the templates read). */
  env: Readonly<Record<string, string>>;
  /** Values the setup captured, by name (ResolvedScenario.setupValues). */
  setup: Readonly<Record<string, unknown>>;
  /** Slot number of each captured name. */
  slots: ReadonlyMap<string, number>;
}

/** A compiled expression: its value for one VU, undefined when missing. */
export type Evaluate = (s: VuState) => unknown;

/** A compiled template string: the text, or undefined when a value it needs is missing. */
export type Render = (s: VuState) => string | undefined;

function compileName(path: readonly string[], scope: RunScope): Evaluate {
  const [root, key] = path;
  switch (root) {
    case 'vu':
      return (s) => s.vu;
    case 'iteration':
      return (s) => s.iteration;
    case 'scenario': {
      const name = scope.scenario;
      return () => name;
    }
    case 'env': {
      const value = Object.hasOwn(scope.env, key) ? scope.env[key] : undefined;
      return () => value;
    }
    case 'setup': {
      const value = Object.hasOwn(scope.setup, key) ? scope.setup[key] : undefined;
      return () => value;
    }
    case 'data':
      return (s) => (s.row !== null && Object.hasOwn(s.row, key) ? s.row[key] : undefined);
  }
  const slot = scope.slots.get(root);
  if (slot === undefined) throw new Error(`template name "${root}" is not captured by any request (the controller checks names)`);
  return (s) => s.slots[slot];
}

/** One expression to a closure. */
export function compileExpr(e: Expr, scope: RunScope): Evaluate {
  switch (e.type) {
    case 'string': {
      const v = e.value;
      return () => v;
    }
    case 'number': {
      const v = Number(e.raw);
      return () => v;
    }
    case 'name':
      return compileName(e.path, scope);
    case 'default': {
      const left = compileExpr(e.left, scope);
      const right = compileExpr(e.right, scope);
      return (s) => left(s) ?? right(s);
    }
    case 'call': {
      const fn = TEMPLATE_FUNCTIONS[e.fn];
      const args = e.args.map((a) => compileExpr(a, scope));
      return (s) => {
        const values = args.map((a) => a(s));
        return values.includes(undefined) ? undefined : fn(s, values);
      };
    }
  }
}

/** A value as it appears inside text: strings as they are, anything else as JSON. */
export function textOf(v: unknown): string {
  // A finite number's text is the same either way (-0 too); String() is the cheaper, and vu and iteration are numbers.
  return typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : JSON.stringify(v);
}

/** Parse a template the controller has already checked; a syntax error here means the plan was not checked. */
export function parseChecked(source: string): Template {
  const parsed = parseTemplate(source);
  if ('problem' in parsed) throw new Error(`template ${JSON.stringify(source)}: ${parsed.problem.message} at ${parsed.problem.offset}`);
  return parsed.template;
}

/** A template string to a render function. */
export function compileTemplate(source: string, scope: RunScope): Render {
  const parts = parseChecked(source).parts.map((p) => (p.type === 'text' ? p.text : compileExpr(p.expr, scope)));
  return (s) => {
    let out = '';
    for (const p of parts) {
      if (typeof p === 'string') out += p;
      else {
        const v = p(s);
        if (v === undefined) return undefined;
        out += textOf(v);
      }
    }
    return out;
  };
}

/**
 * A JSON body to a closure giving its value: every string with a template
 * is rendered, and a string that is exactly one `{{ expr }}` takes the
 * value's own JSON type (a captured number stays a number).
 */
export function compileJson(value: unknown, scope: RunScope): Evaluate {
  if (typeof value === 'string') {
    if (!hasTemplate(value)) return () => value;
    const sole = soleExpr(parseChecked(value));
    return sole !== null ? compileExpr(sole, scope) : compileTemplate(value, scope);
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => compileJson(v, scope));
    return (s) => {
      const out: unknown[] = [];
      for (const item of items) {
        const v = item(s);
        if (v === undefined) return undefined;
        out.push(v);
      }
      return out;
    };
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => [k, compileJson(v, scope)] as const);
    return (s) => {
      const out: Record<string, unknown> = {};
      for (const [k, item] of entries) {
        const v = item(s);
        if (v === undefined) return undefined;
        out[k] = v;
      }
      return out;
    };
  }
  return () => value;
}
