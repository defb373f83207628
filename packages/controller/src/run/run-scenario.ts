/**
 * Runs one scenario over a set of shares (local threads now, remote agents
 * later): everyone starts at one instant, snapshots are merged exactly as
 * they arrive, and the merged report is evaluated against the thresholds.
 */
import { randomUUID } from 'node:crypto';
import { RunAggregator, type Report } from '@novaload/report';
import { plannedDurationMs, type FromWorker, type ResolvedScenario, type ShareSpec } from '@novaload/agent';
import type { ShareRunHandle } from './local-pool.js';
import type { RunControl } from './control.js';
import type { Progress } from './progress.js';
import { sharesFor } from './shares.js';

/** Anything that can run shares: the local thread pool, later a set of agents. */
export interface ShareRunner {
  readonly threads: number;
  runShare(spec: ShareSpec, onMessage: (msg: FromWorker) => void): ShareRunHandle;
}

export interface ScenarioRunOptions {
  runner: ShareRunner;
  control: RunControl;
  progress: Progress;
  /** Lead time between planning and the common start instant, ms. */
  startDelayMs?: number;
  seed?: number;
}

export async function runScenario(scenario: ResolvedScenario, opts: ScenarioRunOptions): Promise<Report> {
  const shares = sharesFor(scenario, opts.runner.threads);
  const aggregator = new RunAggregator(
    {
      scenario: scenario.name,
      target: scenario.target,
      executor: scenario.executor.type,
      startedAt: new Date(),
      requests: scenario.requests.map((r) => ({ name: r.name, method: r.method, path: r.path })),
    },
    shares,
  );
  const runId = randomUUID();
  const startAt = Date.now() + (opts.startDelayMs ?? 50);
  const seed = opts.seed ?? (Date.now() & 0x7fffffff);
  let broken: Error | null = null;
  const onMessage = (msg: FromWorker): void => {
    if (msg.type === 'snapshot') {
      try {
        aggregator.add(msg.snapshot);
      } catch (err) {
        broken ??= err as Error;
        opts.control.stop('a share sent a malformed snapshot');
      }
    } else if (msg.type === 'done') {
      aggregator.shareEnded(msg.result.share);
    }
  };
  const handles = Array.from({ length: shares }, (_, share) =>
    opts.runner.runShare({ runId, scenario, share, shares, startAt, seed: seed + share * 7919 }, onMessage),
  );
  const unsubscribe = opts.control.onStop(() => handles.forEach((h) => h.stop()));
  opts.progress.start(scenario.name, plannedDurationMs(scenario.executor), () => aggregator.live());
  try {
    const settled = await Promise.allSettled(handles.map((h) => h.finished));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    if (broken) throw broken;
  } finally {
    unsubscribe();
    opts.progress.end();
  }
  return aggregator.finish({
    durationMs: Math.max(1, Date.now() - startAt),
    interrupted: opts.control.stopReason !== null,
    thresholds: scenario.thresholds,
  });
}
