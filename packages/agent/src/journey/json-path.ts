/**
 * JSONPath for checks (and captures), evaluated by jsonpath-plus. The
 * library accepts nearly any string (`$.a[` reads as `$.a`), so a path is
 * first checked here for what would silently mean something else: a path
 * that does not start at `$`, an unclosed bracket, parenthesis or quote, a
 * trailing dot. Paths are parsed once, at load, into the library's path
 * arrays; filters run in its safe evaluator, never in `eval`. The library
 * (~17 ms of CPU to load) is loaded when the first path is compiled, so a
 * scenario without JSONPath never loads it, on the controller or in a share.
 */
import { createRequire } from 'node:module';
import type { JSONPath as JSONPathType } from 'jsonpath-plus';

const require = createRequire(import.meta.url);

/** Why `path` is not a JSONPath we accept, or null: for the controller's 104 and the agent's load-time check. */
export function jsonPathProblem(path: string): string | null {
  if (!path.startsWith('$')) return 'does not start with "$" (the document root)';
  const open: string[] = [];
  let quote: string | null = null;
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!;
    if (quote !== null) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '[' || c === '(') open.push(c);
    else if (c === ']' || c === ')') {
      if (open.pop() !== (c === ']' ? '[' : '(')) return `has an unmatched "${c}" at character ${i + 1}`;
    }
  }
  if (quote !== null) return `has an unclosed ${quote} quote`;
  if (open.length > 0) return `has an unclosed "${open[open.length - 1]}"`;
  if (path.endsWith('.')) return 'ends with "."';
  return null;
}

/** One compiled JSONPath: the values it selects in a parsed document. */
export type JsonSelector = (doc: unknown) => unknown[];

type Library = { JSONPath: typeof JSONPathType };
/** What of a JSONPath instance made with `autostart: false` is used here. */
type Evaluator = { evaluate(path: string[], json: object, callback: undefined, otherTypeCallback: undefined): unknown };

/** The library and one evaluator for every path (options are fixed, only the path and document change), once loaded. */
let loaded: { JSONPath: typeof JSONPathType; evaluator: Evaluator } | null = null;

function library(): NonNullable<typeof loaded> {
  if (loaded === null) {
    const { JSONPath } = require('jsonpath-plus') as Library;
    loaded = { JSONPath, evaluator: JSONPath({ autostart: false, path: '$', json: null, wrap: true, eval: 'safe', ignoreEvalErrors: true }) as Evaluator };
  }
  return loaded;
}

/** Compile `path` once (throws on a path jsonPathProblem refuses; the controller reports those first). */
export function compileJsonPath(path: string): JsonSelector {
  const problem = jsonPathProblem(path);
  if (problem !== null) throw new Error(`JSONPath ${JSON.stringify(path)} ${problem}`);
  const { JSONPath, evaluator } = library();
  const parts = JSONPath.toPathArray(path).slice();
  // The library reads a falsy document (0, false, "", null) as none: the root alone is the document itself.
  if (parts.length === 1) return (doc) => [doc];
  const names = parts.slice(1);
  if (names.every(isPlainName)) return walk(names);
  return (doc) => {
    const found: unknown = evaluator.evaluate(parts, doc as object, undefined, undefined);
    return Array.isArray(found) ? found : [];
  };
}

/**
 * Whether a part of the library's path array (toPathArray) is a plain
 * member name or index, which its evaluator follows with one own-property
 * step: not a wildcard, descent, parent, property-name, root, slice,
 * filter, script, type selector, escape or union.
 */
function isPlainName(part: string): boolean {
  return part !== '' && part !== '..' && !/[*^~$@`(),?:]/.test(part);
}

/**
 * A path of plain names only ($.a.b[0]): the library's own rule for them,
 * step by step (follow a name while the value is truthy and has it as its
 * own property), without its general tracer. The profile of a journey put
 * that tracer at ~5 µs per response; test/json-path.test.ts checks this
 * walk against the library on random documents and paths.
 */
function walk(names: readonly string[]): JsonSelector {
  return (doc) => {
    let value: unknown = doc;
    for (const name of names) {
      if (!value || !Object.hasOwn(value as object, name)) return [];
      value = (value as Record<string, unknown>)[name];
    }
    return [value];
  };
}
