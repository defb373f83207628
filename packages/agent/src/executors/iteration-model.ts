/**
 * What per-vu-iterations and shared-iterations share: this share's VUs all
 * start at second 0 and loop iterations while their budget lasts; the last
 * VU to run out ends the plan at once (the executor's `finished`), so a
 * count-bound run takes as long as its iterations and no longer. When the
 * plan ends first (maxDuration, or a stop), the iterations never started
 * are counted as dropped, where a CI threshold on `dropped` sees them.
 */
import { Rng } from '../rng.js';
import { globalIndex } from '../split.js';
import type { Vu, VuOwner } from '../vu.js';
import type { ExecutorContext } from './types.js';

/** Which iterations a share's VUs may still start. */
export interface IterationBudget {
  /** Take one iteration for local VU j; false when there is none left for it. */
  take(j: number): boolean;
  /** Iterations not yet taken. */
  left(): number;
}

/** This share's VUs running a fixed budget of iterations. */
export class IterationModel implements VuOwner {
  readonly #local = new Map<Vu, number>();
  #running = 0;
  #ended = false;

  constructor(
    private readonly ctx: ExecutorContext,
    /** This share's VUs. */
    private readonly vus: number,
    private readonly budget: IterationBudget,
  ) {}

  /** VUs with an iteration under way. */
  get active(): number {
    return this.#running;
  }

  /** Create the share's VUs and start each on its first iteration; a share with none left ends the plan now. */
  start(): void {
    const { ctx } = this;
    for (let j = 0; j < this.vus; j++) {
      const k = globalIndex(j, ctx.share, ctx.shares);
      const vu = ctx.vus.create(k, this, new Rng(ctx.seed, k));
      // A closed model: the VU thinks between its requests, as constant-vus VUs do.
      vu.active = true;
      this.#local.set(vu, j);
      if (this.#next(vu)) this.#running++;
    }
    if (this.#running === 0) ctx.finished();
  }

  /** No more iterations start; those never started are dropped (unless the data rows ran out: not an error, not dropped). */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    const left = this.budget.left();
    if (left > 0 && this.ctx.vus.data?.exhausted !== true) this.ctx.recorder.drop(this.ctx.clock.now(), left);
  }

  iterationDone(vu: Vu): void {
    if (this.#next(vu)) return;
    vu.park();
    if (--this.#running === 0 && !this.#ended) this.ctx.finished();
  }

  /** Start the VU's next iteration when the plan runs and its budget allows; false when none started. */
  #next(vu: Vu): boolean {
    return !this.#ended && this.budget.take(this.#local.get(vu)!) && vu.begin(NaN);
  }
}
