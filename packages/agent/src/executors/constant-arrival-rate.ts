/**
 * constant-arrival-rate (k6): `rate` iterations per second for the
 * duration, arrival k at exactly k/rate, whatever the server does.
 */
import { ArrivalSchedule } from '../arrivals.js';
import type { ExecutorConfig } from '../scenario.js';
import { OpenModel } from './open-model.js';
import type { Executor, ExecutorContext } from './types.js';

/** An open model over one flat stage at `rate`. */
export function constantArrivalRate(config: Extract<ExecutorConfig, { type: 'constant-arrival-rate' }>, ctx: ExecutorContext): Executor {
  const schedule = new ArrivalSchedule(config.rate, [{ durationMs: config.durationMs, target: config.rate }]);
  return new OpenModel(schedule, config.maxVUs, config.maxQueue, config.arrivalWindowMs, ctx);
}
