/**
 * ramping-arrival-rate (k6): the rate starts at startRate and moves
 * linearly through the stages; arrival k happens when ∫rate reaches k.
 */
import { ArrivalSchedule } from '../arrivals.js';
import type { ExecutorConfig } from '../scenario.js';
import { OpenModel } from './open-model.js';
import type { Executor, ExecutorContext } from './types.js';

/** An open model over the piecewise-linear rate curve. */
export function rampingArrivalRate(config: Extract<ExecutorConfig, { type: 'ramping-arrival-rate' }>, ctx: ExecutorContext): Executor {
  return new OpenModel(new ArrivalSchedule(config.startRate, config.stages), config.maxVUs, config.maxQueue, config.arrivalWindowMs, ctx);
}
