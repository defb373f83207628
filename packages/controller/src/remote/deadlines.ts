/**
 * How long the controller waits for agents in each phase of a distributed
 * run, so that no agent, frozen or hostile, can hold it forever: the plan is
 * confirmed within 10 s, the clock sync answered within 5 s, the end-of-run
 * message (after the final snapshots) arrives within the plan plus
 * gracefulStop plus 3 s of the start, or within gracefulStop plus 1 s of a
 * stop. Joining has its own deadline, --agent-timeout.
 */
import { plannedDurationMs, wallNow, type ResolvedScenario } from '@novaload/agent';

/** From the plan sent to its `ready`. */
export const READY_TIMEOUT_MS = 10_000;
/** For all the clock-sync pings of one agent to be answered. */
export const CLOCK_SYNC_TIMEOUT_MS = 5_000;
/** After plan + gracefulStop, for the final snapshots and `done` to arrive (clock error, connection teardown, transit). */
export const RUN_MARGIN_MS = 3_000;
/** After gracefulStop following a stop (signal, abort threshold), for the final snapshots and `done`. */
export const STOP_MARGIN_MS = 1_000;

/** The run's deadline as first set: when and what an agent that misses it is told. */
export function runDeadline(startAt: number, scenario: ResolvedScenario): { at: number; reason: string } {
  const plan = plannedDurationMs(scenario.executor);
  const reason = `no end of run within ${seconds(plan + scenario.gracefulStopMs + RUN_MARGIN_MS)} of the start (plan ${seconds(plan)} + gracefulStop ${seconds(scenario.gracefulStopMs)} + ${seconds(RUN_MARGIN_MS)})`;
  return { at: startAt + plan + scenario.gracefulStopMs + RUN_MARGIN_MS, reason };
}

/** The deadline after a stop: gracefulStop plus STOP_MARGIN_MS from now; STOP_MARGIN_MS alone for a stop that skips gracefulStop. */
export function stopDeadline(scenario: ResolvedScenario, now = false): { at: number; reason: string } {
  if (now) return { at: wallNow() + STOP_MARGIN_MS, reason: `no end of run within ${seconds(STOP_MARGIN_MS)} of a stop that skips gracefulStop` };
  return {
    at: wallNow() + scenario.gracefulStopMs + STOP_MARGIN_MS,
    reason: `no end of run within ${seconds(scenario.gracefulStopMs + STOP_MARGIN_MS)} of the stop (gracefulStop ${seconds(scenario.gracefulStopMs)} + ${seconds(STOP_MARGIN_MS)})`,
  };
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/** One timer on the wall clock that can only move earlier; calls `expire` with its reason once, unless cleared. */
export class Deadline {
  #timer: NodeJS.Timeout | undefined;
  #at = Infinity;

  constructor(
    first: { at: number; reason: string },
    private readonly expire: (reason: string) => void,
  ) {
    this.bringForward(first);
  }

  /** Move the deadline to `next.at` if that is earlier than the current one. */
  bringForward(next: { at: number; reason: string }): void {
    if (next.at >= this.#at) return;
    this.clear();
    this.#at = next.at;
    this.#timer = setTimeout(() => this.expire(next.reason), Math.max(0, next.at - wallNow()));
  }

  clear(): void {
    clearTimeout(this.#timer);
  }
}
