/**
 * Think time as written (a duration or a uniform {min, max}), at the
 * scenario level or on one request, checked the same way in both places:
 * it only applies to closed models, and min must not exceed max.
 */
import type { ThinkTime } from '@novaload/agent';
import { isClosed, isExecutorType } from './executor.js';
import { jsonPath, type ProblemList } from './problems.js';
import type { RawThinkTime } from './raw.js';
import { durationAt } from './values.js';

/** The think time at `at` (JSON path parts) in ms; undefined when not written. `executor` is the file's, as written. */
export function thinkTimeAt(problems: ProblemList, at: (string | number)[], think: RawThinkTime | undefined, executor: unknown): ThinkTime | undefined {
  if (think === undefined) return undefined;
  if (isExecutorType(executor) && !isClosed(executor)) {
    problems.add(jsonPath(...at), `does not apply to ${executor}: open models start iterations on a clock`, 'remove it, or use constant-vus or ramping-vus');
  }
  if (typeof think === 'string') {
    const ms = durationAt(problems, jsonPath(...at), think, 0) ?? 0;
    return { minMs: ms, maxMs: ms };
  }
  const minMs = durationAt(problems, jsonPath(...at, 'min'), think.min, 0) ?? 0;
  const maxMs = durationAt(problems, jsonPath(...at, 'max'), think.max, minMs) ?? minMs;
  if (minMs > maxMs) problems.add(jsonPath(...at), `min (${think.min}) is longer than max (${think.max})`, 'swap them');
  return { minMs, maxMs };
}
