/**
 * What one VU carries from request to request of a journey: its number,
 * its iteration, the values it captured (an array: names were resolved to
 * slot numbers when the scenario loaded) and the data row it uses.
 */
import type { Rng } from '../rng.js';

/** Per-VU journey state; only VUs of scenarios with templates or captures have one. */
export class VuState {
  /** The VU's iteration, from 0 (k6's __ITER); the VU sets it as each iteration begins. */
  iteration = 0;
  /** Captured values by slot; undefined: not captured (yet), or the last response that should have set it failed. */
  readonly slots: unknown[];
  /** The data row of this iteration (journey-data fills it); null without a data file. */
  row: Readonly<Record<string, string>> | null = null;
  /** The capture that found nothing in the last response, named in the report; null when none. */
  missed: string | null = null;

  constructor(
    /** 1-based and unique across threads and agents (the global VU index + 1). */
    readonly vu: number,
    slotCount: number,
    /** The VU's own seeded stream, for randomInt() and randomString(). */
    readonly rng: Rng,
  ) {
    this.slots = new Array<unknown>(slotCount).fill(undefined);
  }
}
