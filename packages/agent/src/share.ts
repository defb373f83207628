/**
 * The contract between a controller and one share of the load: what a share
 * is told (ShareSpec) and what it hands back (snapshots while it runs, a
 * ShareResult when done). A share is one worker thread; later one agent thread.
 */
import { isLoaded, rowsOf, settingsOf, type ShareRows } from './data.js';
import type { DataStats } from './data-source.js';
import { peakVus } from './limits.js';
import type { ResolvedScenario } from './scenario.js';

export interface ShareSpec {
  /** Identifies the run; carried so late messages of another run are ignored. */
  runId: string;
  scenario: ResolvedScenario;
  /** This share's index, 0 ≤ share < shares. VU k and arrival k belong to share k mod shares. */
  share: number;
  shares: number;
  /** Wall-clock instant (Date.now() epoch ms) at which second 0 of the run begins. */
  startAt: number;
  /** Seed for this share's random choices (request weights, think time). */
  seed: number;
  /** This share's rows of the scenario's data file (data.ts), when it has one. */
  rows?: ShareRows;
}

export interface ShareResult {
  share: number;
  /** Sequence number of the last snapshot sent (−1 if none). */
  lastSeq: number;
  /** Requests still in flight when gracefulStop ran out, aborted and not counted. */
  interrupted: number;
  /** Whether stop() was called before the plan ended. */
  stoppedEarly: boolean;
  /** How the share used its data rows, when the scenario has a data file. */
  data?: DataStats;
}

/** What a whole run hands to each share: the same for local threads and remote agents. */
export interface RunShares {
  runId: string;
  scenario: ResolvedScenario;
  shares: number;
  seed: number;
}

/**
 * The spec of one share of a run, so every runner derives seeds and rows the
 * same way. On the controller the scenario holds the whole data table and
 * the share's rows are cut from it here; an agent passes the rows its plan
 * brought. Either way the spec carries the share's rows only.
 */
export function specFor(run: RunShares, share: number, startAt: number, rows?: ShareRows): ShareSpec {
  const spec: ShareSpec = { runId: run.runId, scenario: run.scenario, share, shares: run.shares, startAt, seed: (run.seed + share * 7919) >>> 0 };
  const data = run.scenario.data;
  if (data === undefined) return spec;
  const own = rows ?? (isLoaded(data) ? rowsOf(data, peakVus(run.scenario), share, run.shares) : undefined);
  if (own === undefined) throw new Error(`share ${share}: the scenario reads ${data.file} but no rows were given for this share`);
  return { ...spec, scenario: { ...run.scenario, data: settingsOf(data) }, rows: own };
}
