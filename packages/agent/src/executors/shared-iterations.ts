/**
 * shared-iterations (k6): `iterations` in total shared by `vus` VUs, within
 * maxDuration; a VU that finishes one takes the next, so fast VUs run more.
 * The count is split across shares first (sharedIterations: 10 over 3 is
 * 4 + 3 + 3), then shared by the share's VUs, so the total is exact on any
 * number of threads or agents; iterations do not move between shares.
 */
import type { ExecutorConfig } from '../scenario.js';
import { sharedIterations as shareOfIterations, shareCount } from '../split.js';
import { IterationModel } from './iteration-model.js';
import type { Executor, ExecutorContext } from './types.js';

/** One counter for the share's VUs. */
export function sharedIterations(config: Extract<ExecutorConfig, { type: 'shared-iterations' }>, ctx: ExecutorContext): Executor {
  let left = shareOfIterations(config.iterations, config.vus, ctx.share, ctx.shares);
  const model = new IterationModel(ctx, shareCount(config.vus, ctx.share, ctx.shares), {
    take: () => {
      if (left === 0) return false;
      left--;
      return true;
    },
    left: () => left,
  });
  return { start: () => model.start(), end: () => model.end(), abort: () => {}, activeVus: () => model.active };
}
