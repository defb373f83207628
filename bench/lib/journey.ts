/**
 * The scenarios of the journey rows (issue 12, point 8): a static GET, and a
 * journey whose two requests are templated, captured and checked, both
 * closed-loop against the bench's JSON target (targets/server.ts `json`),
 * so the journey's CPU per request divides by the static one's from the
 * same round. The static one is plain enough for a build from before
 * journeys existed (the `baseline` tool, --baseline-dir) to run it too.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Load } from './tools.js';

/** Which scenario a `run` of novaload sends. */
export type ScenarioKind = 'static' | 'journey';

/** The requests of each kind: the journey's read uses what its login captured, and both check the answer. */
const REQUESTS: Record<ScenarioKind, unknown[]> = {
  static: [{ name: 'get', path: '/' }],
  journey: [
    {
      name: 'login',
      method: 'POST',
      path: '/login',
      json: { user: 'user{{ vu }}', iteration: '{{ iteration }}' },
      capture: [{ json: '$.token', as: 'token' }, { json: '$.id', as: 'id' }],
      expect: { json: { '$.token': { exists: true } } },
    },
    {
      name: 'read',
      path: '/items/{{ id }}?vu={{ vu }}',
      headers: { authorization: 'Bearer {{ token }}' },
      expect: { json: { '$.id': { equals: '{{ id }}' }, '$.name': { matches: '^item' } }, body: { contains: '{{ token }}' } },
    },
  ],
};

/** Write the scenario of `kind` for `load` into `dir`; returns its path. */
export function writeBenchScenario(dir: string, kind: ScenarioKind, load: Load): string {
  const file = join(dir, `bench-${kind}.json`);
  const scenario = {
    name: `bench-${kind}`,
    target: load.url,
    executor: 'constant-vus',
    vus: load.connections,
    duration: `${load.durationS}s`,
    ...(kind === 'journey' && { flow: 'sequence' }),
    requests: REQUESTS[kind],
  };
  writeFileSync(file, JSON.stringify(scenario));
  return file;
}
