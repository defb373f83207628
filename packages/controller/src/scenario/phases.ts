/**
 * `setup` and `teardown`: request lists resolved like `requests` (defaults,
 * json bodies, checks, captures), their problems reported at their own JSON
 * paths (`$.setup.requests[0].path`).
 */
import type { ResolvedRequest } from '@novaload/agent';
import { ProblemList } from './problems.js';
import type { RawScenario } from './raw.js';
import { resolveRequests } from './requests.js';

/** Problems of a request list found by resolveRequests (which writes `$.requests…`), moved under `$.<phase>.requests…`. */
class PhaseProblems extends ProblemList {
  constructor(
    private readonly parent: ProblemList,
    private readonly phase: 'setup' | 'teardown',
  ) {
    super(parent.file);
  }

  #moved(path: string): string {
    return path.replace(/^\$\.requests/, `$.${this.phase}.requests`);
  }

  override add(path: string, message: string, hint?: string): void {
    this.parent.add(this.#moved(path), message, hint);
  }

  override has(path: string): boolean {
    return this.parent.has(this.#moved(path));
  }
}

/** The resolved `setup` and `teardown` requests (absent when the file has none). */
export function resolvePhases(raw: RawScenario, problems: ProblemList): { setup?: ResolvedRequest[]; teardown?: ResolvedRequest[] } {
  const out: { setup?: ResolvedRequest[]; teardown?: ResolvedRequest[] } = {};
  for (const phase of ['setup', 'teardown'] as const) {
    const requests = raw[phase]?.requests;
    if (requests !== undefined) out[phase] = resolveRequests({ ...raw, requests }, new PhaseProblems(problems, phase));
  }
  return out;
}
