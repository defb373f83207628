/**
 * The checks of `capture` a schema cannot make: a JSONPath that starts at
 * the root and is whole (json-path.ts), a regex that compiles and has a group to take, a name that is
 * not one of the built-in names.
 */
import { BUILT_INS, jsonPathProblem, NAMESPACES, regexGroups, type CaptureSpec } from '@novaload/agent';
import { jsonPath, type ProblemList } from './problems.js';
import type { RawRequest } from './raw.js';

const RESERVED: readonly string[] = [...BUILT_INS, ...NAMESPACES];

/** Check request `i`'s captures; returns them as the plan carries them (absent when none). */
export function resolveCaptures(r: RawRequest, i: number, problems: ProblemList): CaptureSpec[] | undefined {
  if (r.capture === undefined || r.capture.length === 0) return undefined;
  r.capture.forEach((c, j) => {
    if (!c) return;
    const at = (...more: string[]) => jsonPath('requests', i, 'capture', j, ...more);
    if (RESERVED.includes(c.as)) problems.add(at('as'), `"${c.as}" is a built-in name`, `capture it under another name, e.g. "${c.as}Value"`);
    if ('json' in c) {
      const problem = jsonPathProblem(c.json);
      if (problem !== null) problems.add(at('json'), `JSONPath "${c.json}" ${problem}`, c.json.startsWith('$') ? undefined : `write "$.${c.json.replace(/^\.+/, '')}"`);
    }
    if ('regex' in c) {
      let compiles = true;
      try {
        new RegExp(c.regex);
      } catch (err) {
        compiles = false;
        problems.add(at('regex'), `invalid regular expression: ${(err as Error).message}`);
      }
      if (compiles && regexGroups(c.regex) < 1) problems.add(at('regex'), 'the regex has no group: the capture takes the first group', `wrap the part to take in parentheses, e.g. "id=(\\\\d+)"`);
    }
  });
  return r.capture.filter((c): c is CaptureSpec => c !== undefined);
}
