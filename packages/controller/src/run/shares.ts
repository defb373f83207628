/**
 * How many shares a scenario is split into: the threads asked for, but never
 * more than the scenario has VUs (or pool connections, or data rows dealt
 * between shares), so no share is left with nothing to run — an open-model share without a VU would drop every
 * arrival it is dealt.
 */
import { peakVus, type ResolvedScenario } from '@novaload/agent';

// The rule lives in the agent package (its plan check needs it too); re-exported for the controller's modules.
export { peakVus } from '@novaload/agent';

export function sharesFor(scenario: ResolvedScenario, threads: number): number {
  const connections = scenario.http.connections;
  // Sequential and random rows are dealt row r → share r mod N: no more shares than rows, so each has one.
  const rows = scenario.data && scenario.data.mode !== 'per-vu' ? scenario.data.rows : Infinity;
  const limit = Math.min(peakVus(scenario), connections === 'per-vu' ? Infinity : connections, rows);
  return Math.max(1, Math.min(threads, limit));
}
