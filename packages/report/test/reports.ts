/** Test helper: whole reports of small made-up runs, to serve as baselines and history. */
import { RunAggregator, type FinishOptions, type Report } from '../src/index.js';
import { endpoint, META, snapshot } from './fixtures.js';

/** A one-share run of `latencyMs` completions of list-tasks in second 0, the first `failed` of them failed (HTTP_503). */
export function reportOf(latencyMs: readonly number[], opts: { failed?: number; durationMs?: number; finish?: Partial<FinishOptions> } = {}): Report {
  const agg = new RunAggregator(META, 1);
  const micros = latencyMs.map((v) => v * 1000);
  const errors = Array.from({ length: opts.failed ?? 0 }, () => 'HTTP_503');
  agg.add(snapshot({ share: 0, seq: 0, second: 0, vus: 1, endpoints: { 'list-tasks': endpoint({ latency: micros, serviceTime: micros, ttfb: micros, errors }) } }));
  return agg.finish({ durationMs: opts.durationMs ?? 1000, interrupted: false, thresholds: {}, ...opts.finish });
}

/** 1, 2, …, n ms. */
export const oneTo = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);
