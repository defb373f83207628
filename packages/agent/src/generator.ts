/**
 * The generator's view of itself, sampled once per snapshot: a busy or
 * late event loop sends late and reads late, so its own delay would show
 * up as target latency unless the report can tell.
 */
import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { GeneratorSample } from '@novaload/report';
import { threadLoad } from './precise-alarm.js';

/** Sampling period of the delay monitor; its samples include this period, which is subtracted. */
const RESOLUTION_MS = 10;

const ms = (nanos: number): number => Math.max(0, Math.round(nanos / 1000 - RESOLUTION_MS * 1000) / 1000);

/** Event-loop delay (perf_hooks monitorEventLoopDelay) and utilisation of this thread (less precise sleeps), per interval. */
export class GeneratorMonitor {
  readonly #delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  #elu: EventLoopUtilization = performance.eventLoopUtilization();
  #slept = 0;

  /** Begin the first interval (at the share's second 0). */
  start(): void {
    this.#delay.enable();
    this.#elu = performance.eventLoopUtilization();
    this.#slept = threadLoad.sleptMs;
  }

  /** Figures since the previous sample (or since start); restarts the interval. */
  sample(): GeneratorSample {
    const delay = this.#delay;
    const empty = delay.count === 0;
    const lagMaxMs = empty ? 0 : ms(delay.max);
    const lagMeanMs = empty ? 0 : ms(delay.mean);
    delay.reset();
    const now = performance.eventLoopUtilization();
    const { idle, active } = performance.eventLoopUtilization(now, this.#elu);
    // Precise arrival sleeps (precise-alarm.ts) block the loop but use no CPU: they count as idle.
    const busy = Math.max(0, active - (threadLoad.sleptMs - this.#slept));
    const utilization = idle + active > 0 ? Math.round((busy / (idle + active)) * 1000) / 1000 : 0;
    this.#elu = now;
    this.#slept = threadLoad.sleptMs;
    return { lagMaxMs, lagMeanMs, utilization, intervalMs: Math.round((idle + active) * 1000) / 1000 };
  }

  /** Stop the delay monitor's timer so the thread can exit. */
  close(): void {
    this.#delay.disable();
  }
}
