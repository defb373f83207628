/**
 * How many shares a scenario is split into: the threads asked for, but never
 * more than the scenario has VUs (or pool connections), so no share is left
 * with nothing to run — an open-model share without a VU would drop every
 * arrival it is dealt.
 */
import type { ResolvedScenario } from '@novaload/agent';

/** The largest number of VUs the scenario ever runs at once. */
export function peakVus(scenario: ResolvedScenario): number {
  const e = scenario.executor;
  switch (e.type) {
    case 'constant-vus':
      return e.vus;
    case 'ramping-vus':
      return Math.max(e.startVUs, ...e.stages.map((s) => s.target));
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate':
      return e.maxVUs;
  }
}

export function sharesFor(scenario: ResolvedScenario, threads: number): number {
  const connections = scenario.http.connections;
  const limit = Math.min(peakVus(scenario), connections === 'per-vu' ? Infinity : connections);
  return Math.max(1, Math.min(threads, limit));
}
