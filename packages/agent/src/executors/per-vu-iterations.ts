/**
 * per-vu-iterations (k6): each of `vus` VUs runs exactly `iterations`
 * iterations, within maxDuration. VUs are split across shares (VU k runs
 * on share k mod N) and each keeps its full count, so the run's total is
 * vus × iterations on any number of threads or agents.
 */
import type { ExecutorConfig } from '../scenario.js';
import { shareCount } from '../split.js';
import { IterationModel } from './iteration-model.js';
import type { Executor, ExecutorContext } from './types.js';

/** One count per local VU. */
export function perVuIterations(config: Extract<ExecutorConfig, { type: 'per-vu-iterations' }>, ctx: ExecutorContext): Executor {
  const vus = shareCount(config.vus, ctx.share, ctx.shares);
  const left = new Array<number>(vus).fill(config.iterations);
  const model = new IterationModel(ctx, vus, {
    take: (j) => {
      if (left[j] === 0) return false;
      left[j]--;
      return true;
    },
    left: () => left.reduce((sum, n) => sum + n, 0),
  });
  return { start: () => model.start(), end: () => model.end(), abort: () => {}, activeVus: () => model.active };
}
