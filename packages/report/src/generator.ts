/**
 * The generator's own health. A load generator whose event loop is busy or
 * late starts requests late and reads responses late, so its latencies
 * include its own delay: the report must say so instead of blaming the
 * target.
 */
import type { GeneratorReport, GeneratorSample } from './types.js';

/**
 * When a share-second counts as saturated, and how many of them make the run
 * saturated: event-loop utilisation ≥ 0.9, or mean event-loop lag ≥ 20 ms, in
 * more than 10% of all share-seconds. Single spikes (a GC pause, JIT warm-up)
 * show in `lagMaxMs` but do not flag the run; a sustained busy loop does.
 * Intervals shorter than `minIntervalMs` (the sliver of a second at a run's
 * start or end, a run of a few milliseconds) are too short to judge: a
 * thread is always busy for the first milliseconds of a share. They count
 * towards neither the rule nor `utilizationMax`, unless the run has no
 * longer interval at all (then `utilizationMax` is theirs, and the run is
 * never called saturated).
 */
export const SATURATION = { utilization: 0.9, lagMeanMs: 20, fraction: 0.1, minIntervalMs: 250 } as const;

/** Folds per-share-second generator samples into the report's generator figures. */
export class GeneratorWatch {
  #samples = 0;
  #saturated = 0;
  #lagMaxMs = 0;
  #utilizationMax = 0;
  /** Highest utilisation among the intervals too short to judge. */
  #shortUtilizationMax = 0;

  /** Take one share's sample for one second. */
  observe(sample: GeneratorSample): void {
    this.#lagMaxMs = Math.max(this.#lagMaxMs, sample.lagMaxMs);
    if ((sample.intervalMs ?? 1000) < SATURATION.minIntervalMs) {
      this.#shortUtilizationMax = Math.max(this.#shortUtilizationMax, sample.utilization);
      return;
    }
    this.#samples++;
    if (sample.utilization >= SATURATION.utilization || sample.lagMeanMs >= SATURATION.lagMeanMs) this.#saturated++;
    this.#utilizationMax = Math.max(this.#utilizationMax, sample.utilization);
  }

  /** The figures so far; never saturated without samples. */
  report(): GeneratorReport {
    return {
      lagMaxMs: this.#lagMaxMs,
      utilizationMax: this.#samples > 0 ? this.#utilizationMax : this.#shortUtilizationMax,
      saturated: this.#samples > 0 && this.#saturated > this.#samples * SATURATION.fraction,
    };
  }
}
