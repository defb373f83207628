/**
 * What constant-vus and ramping-vus share: VUs identified by their global
 * index that loop iterations (response, think, next) while active, and
 * finish their current iteration when retired.
 */
import { Rng } from '../rng.js';
import type { Vu, VuOwner } from '../vu.js';
import type { ExecutorContext } from './types.js';

/** This share's closed-model VUs, by local index (global k = share + j·shares). */
export class ClosedModel implements VuOwner {
  readonly #vus: (Vu | undefined)[] = [];
  #active = 0;

  constructor(private readonly ctx: ExecutorContext) {}

  /** VUs currently active (retired ones finishing an iteration are not counted). */
  get active(): number {
    return this.#active;
  }

  /** Start global VU k looping, or keep it looping if it is still finishing a retired iteration. */
  activate(k: number): void {
    const { ctx } = this;
    const j = (k - ctx.share) / ctx.shares;
    const vu = (this.#vus[j] ??= ctx.vus.create(k, this, new Rng(ctx.seed, k)));
    if (vu.active) return;
    vu.active = true;
    this.#active++;
    // Without a row (the data ran out) it stays active, idle, until the plan's end retires it.
    if (!vu.running) vu.begin(NaN);
  }

  /** Global VU k stops after its current iteration. */
  retire(k: number): void {
    const vu = this.#vus[(k - this.ctx.share) / this.ctx.shares];
    if (!vu?.active) return;
    this.#active--;
    vu.retire();
  }

  /** The plan is over: every VU stops after its current iteration. */
  retireAll(): void {
    for (const vu of this.#vus) if (vu) this.retire(vu.index);
  }

  iterationDone(vu: Vu): void {
    if (!vu.active || !vu.begin(NaN)) vu.park();
  }
}
