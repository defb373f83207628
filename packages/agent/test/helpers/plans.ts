/** A plan message as a controller sends it, around a small valid scenario: what tests of an agent's plan check start from. */
import type { ControllerMessage } from '../../src/remote/protocol.js';
import type { ResolvedScenario } from '../../src/scenario.js';

export type Plan = Extract<ControllerMessage, { type: 'plan' }>;

/** 4 VUs for 1 s against a loopback target, one GET. */
export const SCENARIO: ResolvedScenario = {
  name: 'p',
  target: 'http://127.0.0.1:8080',
  executor: { type: 'constant-vus', vus: 4, durationMs: 1000 },
  gracefulStopMs: 1000,
  thinkTime: null,
  flow: 'random',
  requests: [{ name: 'GET /', method: 'GET', path: '/', headers: {}, body: null, weight: 1, expectStatus: null }],
  http: { timeoutMs: 1000, connectTimeoutMs: 1000, headers: {}, connections: 'per-vu', pipelining: 1 },
  thresholds: {},
};

/** A plan for shares 0 and 1 of 2 carrying `scenario` (unchecked: tests hand in broken ones). */
export function plan(scenario: unknown, more: Partial<Plan> = {}): Plan {
  return { v: 1, type: 'plan', runId: 'r1', scenario: scenario as ResolvedScenario, shares: [0, 1], totalShares: 2, seed: 1, ...more };
}
