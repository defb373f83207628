/**
 * The scenarios of the journey rows (issue 12, point 8): a static GET; a
 * journey whose two requests are templated, captured and checked; and the
 * same two requests written out literally (same methods, paths, headers and
 * body sizes, no templates, captures or checks), all closed-loop against
 * the bench's JSON target (targets/server.ts `json`), so the journey's CPU
 * per request divides by either from the same round. Against the literal
 * one the ratio is what templates, captures and checks cost; against the
 * GET it also holds what a POST body costs undici to write. The static one
 * is plain enough for a build from before journeys existed (the `baseline`
 * tool, --baseline-dir) to run it too.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Load } from './tools.js';

/** Which scenario a `run` of novaload sends. */
export type ScenarioKind = 'static' | 'journey' | 'literal';

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
  // What the journey sends for VU 1 (the target answers id 7 and this token), as fixed text: the prebuilt path.
  literal: [
    { name: 'login', method: 'POST', path: '/login', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'user1', iteration: 0 }) },
    { name: 'read', path: '/items/7?vu=1', headers: { authorization: 'Bearer tok-0123456789abcdef' } },
  ],
};

/**
 * The `http` block of an HTTPS load: the version novaload is to speak, and
 * for h2 streams a pool of `connections` each carrying `streams` (a VU per
 * stream), as h2load -c -m does; HTTP/1.1 keeps one connection per VU.
 */
function httpsBlock(https: NonNullable<Load['https']>, connections: number): Record<string, unknown> {
  const version = https.version ?? (https.protocol === 'h2' ? '2' : '1.1');
  return { version, ...(https.streams !== undefined && { connections, maxConcurrentStreams: https.streams }) };
}

/** Write the scenario of `kind` for `load` into `dir`; returns its path. */
export function writeBenchScenario(dir: string, kind: ScenarioKind, load: Load): string {
  const file = join(dir, `bench-${kind}.json`);
  const scenario = {
    name: `bench-${kind}`,
    target: load.url,
    executor: 'constant-vus',
    vus: load.connections * (load.https?.streams ?? 1),
    duration: `${load.durationS}s`,
    ...(kind !== 'static' && { flow: 'sequence' }),
    requests: REQUESTS[kind],
    ...(load.https !== undefined && { http: httpsBlock(load.https, load.connections) }),
  };
  writeFileSync(file, JSON.stringify(scenario));
  return file;
}
