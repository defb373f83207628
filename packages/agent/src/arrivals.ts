/**
 * The global arrival schedule of the arrival-rate executors as pure
 * arithmetic. The rate (per second) is piecewise linear through the stages;
 * arrival k happens when the cumulative count ∫rate reaches k, so arrival
 * times are exact and absolute: firing from them never accumulates drift,
 * and a constant 400/s for 3 s is exactly 1200 arrivals, 2.5 ms apart.
 */
import type { Stage } from './scenario.js';

/** A stretch of linear rate: count(τ) = b·τ + a·τ² arrivals τ ms after t0, n of them in all. */
interface Segment {
  t0: number;
  d: number;
  b: number;
  a: number;
  /** Arrivals before the segment, and in it. */
  n0: number;
  n: number;
}

/**
 * Arrival times of one global schedule: constant-arrival-rate is one flat
 * stage (startRate = rate); ramping-arrival-rate is startRate then the stages.
 */
export class ArrivalSchedule {
  /** Number of arrivals in the plan: every k with time(k) < the plan's end. */
  readonly count: number;
  readonly #segments: Segment[] = [];
  #cursor = 0;

  constructor(startRate: number, stages: readonly Stage[]) {
    let from = startRate;
    let t0 = 0;
    let n0 = 0;
    for (const { durationMs: d, target: to } of stages) {
      const n = ((from + to) / 2) * (d / 1000);
      if (n > 0) this.#segments.push({ t0, d, b: from / 1000, a: (to - from) / (2000 * d), n0, n });
      n0 += n;
      t0 += d;
      from = to;
    }
    // Arrival k is in the plan when k < ∫rate over the whole plan; the rounding forgives float noise only.
    this.count = Math.max(0, Math.ceil(Math.round(n0 * 1e6) / 1e6));
  }

  /** Time in ms from the start of global arrival k (0 ≤ k < count); cheapest for increasing k. */
  timeOf(k: number): number {
    const segs = this.#segments;
    let i = this.#cursor;
    while (i + 1 < segs.length && k >= segs[i].n0 + segs[i].n) i++;
    while (i > 0 && k < segs[i].n0) i--;
    this.#cursor = i;
    const { t0, d, b, a, n0 } = segs[i];
    const m = Math.max(0, k - n0);
    // Root of a·τ² + b·τ = m in the form that stays exact for a → 0 and for a < 0 (ramping down).
    const tau = m === 0 ? 0 : (2 * m) / (b + Math.sqrt(Math.max(0, b * b + 4 * a * m)));
    return t0 + Math.min(tau, d);
  }
}
