/**
 * Where runners deliver snapshots during a run: straight into the run's
 * aggregator, which checks each one against itself and the plan before
 * merging any of it. A refused snapshot comes back to the runner as its
 * SnapshotError, so the runner drops the agent (or thread) that sent it and
 * names it in `failures`; the run and every report go on with the others.
 */
import { SnapshotError, type RunAggregator } from '@novaload/report';
import type { ResolvedScenario } from '@novaload/agent';
import { plannedDurationMs } from '@novaload/agent';
import type { RunSink } from './runner.js';

/**
 * Seconds past plan + gracefulStop that an honest share may still report: the
 * final partial second, and a stop that lands a little late on a busy host.
 */
export const LATE_SECONDS = 2;

/** The last second of the run a share may report (before a remote agent's clock offset). */
export function lastSecondOf(scenario: ResolvedScenario): number {
  return Math.ceil((plannedDurationMs(scenario.executor) + scenario.gracefulStopMs) / 1000) + LATE_SECONDS;
}

/**
 * A RunSink over `aggregator`. Anything thrown that is not a SnapshotError is
 * a fault of our own code, not of the sender: `onFault` hears it (the run
 * then stops and fails as an internal error).
 */
export function aggregatorSink(aggregator: RunAggregator, onFault: (err: Error) => void): RunSink {
  return {
    snapshot(snapshot, slackSeconds = 0) {
      try {
        aggregator.add(snapshot, slackSeconds);
        return null;
      } catch (err) {
        if (err instanceof SnapshotError) return err;
        onFault(err as Error);
        return null;
      }
    },
    shareEnded: (share) => aggregator.shareEnded(share),
  };
}
