/**
 * constant-vus (k6): a fixed number of VUs loop iterations for the whole
 * duration; this share runs the global VUs k < vus with k mod shares = share.
 */
import type { ExecutorConfig } from '../scenario.js';
import { globalIndex, shareCount } from '../split.js';
import { ClosedModel } from './closed-model.js';
import type { Executor, ExecutorContext } from './types.js';

/** All of this share's VUs start at second 0 and retire at the plan's end. */
export class ConstantVus implements Executor {
  readonly #model: ClosedModel;

  constructor(
    private readonly config: Extract<ExecutorConfig, { type: 'constant-vus' }>,
    private readonly ctx: ExecutorContext,
  ) {
    this.#model = new ClosedModel(ctx);
  }

  start(): void {
    const { share, shares } = this.ctx;
    const count = shareCount(this.config.vus, share, shares);
    for (let j = 0; j < count; j++) this.#model.activate(globalIndex(j, share, shares));
  }

  end(): void {
    this.#model.retireAll();
  }

  /** Closed models queue nothing. */
  abort(): void {}

  activeVus(): number {
    return this.#model.active;
  }
}
