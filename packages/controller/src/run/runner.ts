/**
 * The seam between a scenario run and whatever executes its shares: local
 * worker threads, or remote agents each running a block of shares on their
 * own threads. A runner plans first (remote: plans sent and acknowledged),
 * then everyone starts at one agreed instant.
 */
import type { AgentReport, IntervalSnapshot, ShareFailure, SnapshotError } from '@novaload/report';
import { heapMbForVus, isLoaded, LocalPool, specFor, type ResolvedScenario, type RunShares, type ShareResult, type ShareRunHandle } from '@novaload/agent';
import { peakVus, sharesFor } from './shares.js';
import { unlessAborted, type SharedStart } from './start-clock.js';
import { CliError, EXIT } from '../exit-codes.js';

/** A run to start: its id, scenario, total share count and seed. */
export type RunPlan = RunShares;

/** Where a runner reports what its shares produce. */
export interface RunSink {
  /**
   * Merge a snapshot (or skip a repeat): null. A snapshot that fails the
   * checks is not merged at all and its SnapshotError comes back: the runner
   * drops its sender. `slackSeconds` widens the last second allowed (a remote
   * agent's clock offset).
   */
  snapshot(s: IntervalSnapshot, slackSeconds?: number): SnapshotError | null;
  /** A share finished or was lost: its seconds are no longer waited for. */
  shareEnded(share: number): void;
}

export interface RunOutcome {
  agents: AgentReport[];
  /** Agents lost during the run. */
  lost: number;
  /** Shares that crashed (a thread, or an agent's thread). */
  failures: ShareFailure[];
  /** What each share that finished handed back (lost and crashed shares are missing; absent: none). */
  results?: ShareResult[];
}

export interface RunHandle {
  /** Wall-clock instant (controller's Date.now()) at which second 0 begins. */
  startAt: number;
  /** End the plan early; `now` also skips gracefulStop (local threads, and remote agents told so in their stop message). */
  stop(now?: boolean): void;
  finished: Promise<RunOutcome>;
}

export interface ShareRunner {
  /** How many shares it can run at once (threads, over all agents). */
  readonly capacity: number;
  /**
   * Plan and start; `signal` aborting before the start rejects (exit 105)
   * with nothing sent. `shared`: a run file's workload, which starts its
   * startTime after the run's second 0, fixed once every workload is ready
   * (start-clock.ts).
   */
  start(plan: RunPlan, sink: RunSink, signal?: AbortSignal, shared?: SharedStart): Promise<RunHandle>;
  close(): Promise<void>;
}

/**
 * Old-generation heap per worker thread, MB: sized for the most VUs one
 * thread may run (see heapMbForVus), plus the largest share of a data file
 * one thread holds.
 */
export function workerHeapMb(scenarios: readonly ResolvedScenario[], threads: number): number {
  return heapMbForVus(Math.max(...scenarios.map((s) => Math.ceil(peakVus(s) / Math.min(threads, sharesFor(s, threads)))))) + Math.max(...scenarios.map((s) => dataMb(s, threads)));
}

/**
 * A thread's copy of its rows, MB: one string of their values (up to 2 B a
 * character, plus a separator) and a 4-byte offset per value, twice over
 * for room. per-vu rows may all go to every thread.
 */
function dataMb(scenario: ResolvedScenario, threads: number): number {
  const data = scenario.data;
  if (data === undefined || !isLoaded(data)) return 0;
  let chars = 0;
  for (const cell of data.cells) chars += cell.length;
  const part = data.mode === 'per-vu' ? 1 : 1 / Math.min(threads, sharesFor(scenario, threads));
  return Math.ceil((2 * part * (data.cells.length * 6 + chars * 2)) / 2 ** 20);
}

/** Shares on this machine's worker threads. */
export class LocalRunner implements ShareRunner {
  private constructor(private readonly pool: LocalPool) {}

  /**
   * Open `threads` threads with a heap sized for the largest of `scenarios`
   * (see workerHeapMb); `sharesPerThread`: the most workloads that run at
   * once (a run file's), each with a share on every thread.
   */
  static async open(threads: number, scenarios: readonly ResolvedScenario[] = [], sharesPerThread = 1): Promise<LocalRunner> {
    const heapMb = scenarios.length > 0 ? workerHeapMb(scenarios, threads) * sharesPerThread : undefined;
    return new LocalRunner(await LocalPool.open(threads, heapMb, sharesPerThread));
  }

  get capacity(): number {
    return this.pool.threads;
  }

  async start(plan: RunPlan, sink: RunSink, signal?: AbortSignal, shared?: SharedStart): Promise<RunHandle> {
    const startAt = shared ? (await unlessAborted(shared.clock.arrive(async () => Date.now() + 100), signal, () => interruptedBeforeStart(signal))) + shared.offsetMs : Date.now() + 50;
    const handles: ShareRunHandle[] = [];
    // A thread whose snapshot is refused is our own bug: it is stopped and counted as crashed.
    const refused = new Map<number, string>();
    for (let share = 0; share < plan.shares; share++) {
      handles.push(
        this.pool.runShare(specFor(plan, share, startAt), (msg) => {
          if (refused.has(share)) return;
          if (msg.type === 'done') return sink.shareEnded(msg.result.share);
          if (msg.type !== 'snapshot') return;
          const refusal = sink.snapshot(msg.snapshot);
          if (refusal === null) return;
          refused.set(share, `snapshot refused: ${refusal.message}`);
          sink.shareEnded(share);
          handles[share]!.stop();
        }),
      );
    }
    // A crashed thread keeps what it sent; its seconds are no longer waited for, and the crash is named.
    const finished = Promise.allSettled(handles.map((h) => h.finished)).then((settled) => {
      const failures: ShareFailure[] = [];
      const results: ShareResult[] = [];
      settled.forEach((s, share) => {
        const refusal = refused.get(share);
        if (refusal !== undefined) return failures.push({ share, message: refusal });
        if (s.status === 'fulfilled') return results.push(s.value);
        sink.shareEnded(share);
        failures.push({ share, message: (s.reason as Error)?.message ?? String(s.reason) });
      });
      return { agents: [], lost: 0, failures, results };
    });
    return { startAt, stop: (now) => handles.forEach((h) => h.stop(now)), finished };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** A stop before a run's start: nothing was sent (exit 105). */
export function interruptedBeforeStart(signal: AbortSignal | undefined): CliError {
  return new CliError(`interrupted (${String(signal?.reason)}) before the start; no request was sent`, EXIT.interrupted);
}
