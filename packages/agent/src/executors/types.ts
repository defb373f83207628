/**
 * The one interface every executor implements (k6's lib/executor idea):
 * an executor decides when iterations start; VUs, HTTP, recording and the
 * share's lifecycle (start instant, plan end, gracefulStop) are shared.
 */
import type { Clock } from '../clock.js';
import type { Recorder } from '../recorder.js';
import type { VuSet } from '../vu-set.js';

/** What a share gives its executor. */
export interface ExecutorContext {
  readonly clock: Clock;
  readonly vus: VuSet;
  readonly recorder: Recorder;
  readonly share: number;
  readonly shares: number;
  readonly seed: number;
  /**
   * The executor has no more iterations to start and none under way (its
   * count is done): end the plan now rather than at its planned end.
   */
  readonly finished: () => void;
}

/** An executor of one share: started at second 0, ended at the plan's end or by stop(). */
export interface Executor {
  /** Begin the plan; the clock is at or past 0 (a late start catches up from the schedule). */
  start(): void;
  /** Start no new iterations; those under way run on (queued arrivals are still served). */
  end(): void;
  /** gracefulStop ran out: discard work that never started (queued arrivals count as dropped). */
  abort(): void;
  /** VUs active now, for the snapshots. */
  activeVus(): number;
}
