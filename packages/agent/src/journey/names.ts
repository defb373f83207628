/**
 * What a template's names may refer to, checked before anything is sent:
 * `validate` and `run` report a name nothing defines, or an env variable
 * that is not set and has no `??` default, at its JSON path. Messages name
 * the variable, never its value.
 */
import { FUNCTIONS, type Expr, type Template } from './ast.js';

/** Names every template may read. */
export const BUILT_INS = ['vu', 'iteration', 'scenario'] as const;

/** Roots with a second part (`env.NAME`, `data.COLUMN`, `setup.NAME`). */
export const NAMESPACES = ['env', 'data', 'setup'] as const;

/** What the scenario defines, for checking its templates. */
export interface NameScope {
  /** Names some request captures (`"as"`). */
  captures: ReadonlySet<string>;
  /** The controller's environment with --env on top; read only to see whether a name is set. */
  env: Readonly<Record<string, string | undefined>>;
  /** Columns of the data file, or null when the scenario has none. */
  data: ReadonlySet<string> | null;
  /** Names the setup captures, or null when the scenario has no setup. */
  setup: ReadonlySet<string> | null;
}

/** One problem with a template's names. */
export interface NameProblem {
  message: string;
  hint?: string;
}

/** Every name problem of a template, and the env variables it reads that are set (the plan carries only those). */
export function checkNames(t: Template, scope: NameScope): { problems: NameProblem[]; env: Set<string> } {
  const problems: NameProblem[] = [];
  const env = new Set<string>();
  const visit = (e: Expr, guarded: boolean): void => {
    switch (e.type) {
      case 'string':
      case 'number':
        return;
      case 'default':
        visit(e.left, true);
        visit(e.right, guarded);
        return;
      case 'call': {
        const arity = FUNCTIONS[e.fn];
        if (!Object.hasOwn(FUNCTIONS, e.fn)) problems.push({ message: `unknown function "${e.fn}"`, hint: `functions: ${Object.keys(FUNCTIONS).map((f) => `${f}()`).join(', ')}` });
        else if (e.args.length !== arity) problems.push({ message: `${e.fn}() takes ${arity} argument(s), not ${e.args.length}` });
        for (const a of e.args) visit(a, guarded);
        return;
      }
      case 'name':
        checkName(e.path, guarded, scope, problems, env);
    }
  };
  for (const p of t.parts) if (p.type === 'expr') visit(p.expr, false);
  return { problems, env };
}

function checkName(path: string[], guarded: boolean, scope: NameScope, problems: NameProblem[], env: Set<string>): void {
  const [root, key] = path;
  const shown = path.join('.');
  if ((NAMESPACES as readonly string[]).includes(root)) {
    if (path.length !== 2) {
      problems.push({ message: `"${shown}" is not a name: write ${root}.NAME`, hint: `one name after "${root}."` });
      return;
    }
    if (root === 'env') {
      if (scope.env[key] !== undefined) env.add(key);
      else if (!guarded) problems.push({ message: `env variable ${key} is not set`, hint: `export ${key}, pass --env ${key}=VALUE, or give a default: {{ env.${key} ?? "…" }}` });
    } else if (root === 'data') {
      if (scope.data === null) problems.push({ message: `"${shown}" needs a data file, and the scenario has no "data"`, hint: 'add "data": {"file": "users.csv"}' });
      else if (!scope.data.has(key)) problems.push({ message: `the data file has no column "${key}"`, hint: `its columns: ${[...scope.data].join(', ')}` });
    } else if (scope.setup === null) problems.push({ message: `"${shown}" needs a setup, and the scenario has no "setup"`, hint: 'capture it in "setup": {"requests": [...]}' });
    else if (!scope.setup.has(key)) problems.push({ message: `setup captures no "${key}"`, hint: `it captures: ${[...scope.setup].join(', ') || 'nothing'}` });
    return;
  }
  const defined = (BUILT_INS as readonly string[]).includes(root) || scope.captures.has(root);
  if (!defined) {
    const known = [...BUILT_INS, ...scope.captures];
    problems.push({ message: `undefined name "${root}"`, hint: `names: ${known.join(', ')}, env.NAME${scope.data ? ', data.COLUMN' : ''}${scope.setup ? ', setup.NAME' : ''}; a captured name needs a "capture" with "as": "${root}"` });
  } else if (path.length > 1) problems.push({ message: `"${shown}": "${root}" has no parts`, hint: `write {{ ${root} }}` });
}
