/**
 * ramping-vus (k6): startVUs, then linear stages up and down. Each of this
 * share's VUs starts and stops at the exact instant the global count
 * crosses its index (see vuChanges); one timer wakes for the next change.
 */
import { Alarm } from '../clock.js';
import { vuChanges, type VuChange } from '../ramp.js';
import type { ExecutorConfig } from '../scenario.js';
import { ClosedModel } from './closed-model.js';
import type { Executor, ExecutorContext } from './types.js';

/** Applies this share's VU changes on time; a VU removed by a ramp down finishes its iteration. */
export class RampingVus implements Executor {
  readonly #model: ClosedModel;
  readonly #changes: VuChange[];
  readonly #alarm: Alarm;
  #next = 0;

  constructor(
    config: Extract<ExecutorConfig, { type: 'ramping-vus' }>,
    private readonly ctx: ExecutorContext,
  ) {
    this.#model = new ClosedModel(ctx);
    this.#changes = vuChanges(config.startVUs, config.stages, ctx.share, ctx.shares);
    this.#alarm = new Alarm(ctx.clock, this.#apply);
  }

  start(): void {
    this.#apply();
  }

  end(): void {
    this.#alarm.clear();
    this.#model.retireAll();
  }

  /** Closed models queue nothing. */
  abort(): void {}

  activeVus(): number {
    return this.#model.active;
  }

  /** Apply every change that is due, then sleep until the next one. */
  readonly #apply = (): void => {
    const now = this.ctx.clock.now();
    const changes = this.#changes;
    for (; this.#next < changes.length && changes[this.#next].atMs <= now; this.#next++) {
      const { vu, up } = changes[this.#next];
      if (up) this.#model.activate(vu);
      else this.#model.retire(vu);
    }
    if (this.#next < changes.length) this.#alarm.set(changes[this.#next].atMs);
  };
}
