/**
 * What a scenario costs the machine that runs it, and what the machine
 * allows: file descriptors (one per connection) and memory (per VU). The
 * local run's pre-flight and a remote agent's plan check apply the same
 * rules, so a plan an agent cannot hold is refused before anything is sent
 * instead of failing with EMFILE or growing until the kernel kills it.
 */
import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import type { ResolvedScenario } from './scenario.js';
import { shareCount } from './split.js';

/** The largest number of VUs the scenario ever runs at once. */
export function peakVus(scenario: ResolvedScenario): number {
  const e = scenario.executor;
  switch (e.type) {
    case 'constant-vus':
    case 'per-vu-iterations':
    case 'shared-iterations':
      return e.vus;
    case 'ramping-vus':
      return Math.max(e.startVUs, ...e.stages.map((s) => s.target));
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate':
      return e.maxVUs;
  }
}

/** Connections a scenario holds at its peak: one per VU (`per-vu`), or the pool's size. */
export function peakConnections(scenario: ResolvedScenario): number {
  const c = scenario.http.connections;
  return c === 'per-vu' ? peakVus(scenario) : c;
}

/** Connections the given shares of a scenario open at their peak (a share's pool has at least one, see Connections). */
export function shareConnections(scenario: ResolvedScenario, shares: readonly number[], totalShares: number): number {
  const c = scenario.http.connections;
  const of = (share: number): number => (c === 'per-vu' ? shareCount(peakVus(scenario), share, totalShares) : Math.max(1, shareCount(c, share, totalShares)));
  return shares.reduce((sum, share) => sum + of(share), 0);
}

/**
 * Descriptors novaload needs besides connections: ~60 for Node itself
 * (stdio, its event loop, the report files) and ~14 per worker thread
 * (its loop, message ports, the warm-up server), measured, rounded up.
 */
export function baseDescriptors(threads: number): number {
  return 64 + 16 * threads;
}

/** The soft "Max open files" limit from a /proc/<pid>/limits text; null when absent or unlimited. */
export function parseOpenFilesLimit(limits: string): number | null {
  const m = /^Max open files\s+(\d+|unlimited)\s/m.exec(limits);
  return m && m[1] !== 'unlimited' ? Number(m[1]) : null;
}

/** This process's soft open-file limit, or null where /proc is not there (not Linux) or says unlimited. */
export function openFilesLimit(): number | null {
  try {
    return parseOpenFilesLimit(readFileSync('/proc/self/limits', 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Old-generation heap for a thread running `vus` VUs, MB: 128 plus 16 KB
 * per VU (measured: ~10 KB live per VU with its connection). Roomy enough
 * never to run out, tight enough that V8 collects before RSS balloons.
 */
export function heapMbForVus(vus: number): number {
  return 128 + Math.ceil((vus * 16) / 1024);
}

/** Memory this process may use, MB: the machine's, or its cgroup's limit when that is lower. */
export function memoryLimitMb(): number {
  const constrained = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.() ?? 0;
  const bytes = constrained > 0 ? Math.min(constrained, totalmem()) : totalmem();
  return Math.floor(bytes / 2 ** 20);
}
