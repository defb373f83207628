/**
 * The explicit map from executor name to implementation (k6's
 * lib/executor registry): adding an executor is one file and one line here,
 * and the compiler checks every ExecutorType has an entry.
 */
import type { ExecutorConfig, ExecutorType } from '../scenario.js';
import { constantArrivalRate } from './constant-arrival-rate.js';
import { ConstantVus } from './constant-vus.js';
import { perVuIterations } from './per-vu-iterations.js';
import { rampingArrivalRate } from './ramping-arrival-rate.js';
import { RampingVus } from './ramping-vus.js';
import { sharedIterations } from './shared-iterations.js';
import type { Executor, ExecutorContext } from './types.js';

type Factory<T extends ExecutorType> = (config: Extract<ExecutorConfig, { type: T }>, ctx: ExecutorContext) => Executor;

/** Every executor, by the name used in scenario files. */
export const EXECUTORS: { readonly [T in ExecutorType]: Factory<T> } = {
  'constant-vus': (config, ctx) => new ConstantVus(config, ctx),
  'ramping-vus': (config, ctx) => new RampingVus(config, ctx),
  'constant-arrival-rate': constantArrivalRate,
  'ramping-arrival-rate': rampingArrivalRate,
  'per-vu-iterations': perVuIterations,
  'shared-iterations': sharedIterations,
};

/** The executor for a scenario's config, for one share. */
export function createExecutor(config: ExecutorConfig, ctx: ExecutorContext): Executor {
  return (EXECUTORS[config.type] as Factory<ExecutorType>)(config, ctx);
}
