/**
 * Every VU of a share and what they share: clock, request plan, recorder,
 * connections and data rows. It counts busy VUs so the share knows when in-flight
 * work has drained after the plan ends, and interrupts them when
 * gracefulStop runs out.
 */
import type { Clock } from './clock.js';
import type { ShareData } from './data-source.js';
import type { Connections } from './http.js';
import type { Recorder } from './recorder.js';
import type { Redirects } from './redirects.js';
import type { RequestPlan } from './requests.js';
import type { Rng } from './rng.js';
import { Vu, type VuOwner } from './vu.js';

/** The share's VUs, created on demand by the executor. */
export class VuSet {
  /** VUs with an iteration under way. */
  busy = 0;
  readonly #all: Vu[] = [];
  /** The share's redirect rules (connections.redirects). */
  readonly redirects: Redirects;

  constructor(
    readonly clock: Clock,
    readonly plan: RequestPlan,
    readonly recorder: Recorder,
    private readonly connections: Connections,
    /** Called whenever the last busy VU parks. */
    private readonly onIdle: () => void,
    /** The share's data rows; null without a data file. */
    readonly data: ShareData | null = null,
  ) {
    this.redirects = connections.redirects;
  }

  /** A new VU with global index k; with per-VU connections it gets its own Client. */
  create(k: number, owner: VuOwner, rng: Rng): Vu {
    const link = this.connections.forVu();
    const vu = new Vu(k, this, owner, link.dispatcher, link.protocols, rng, this.connections.ownConnection);
    this.#all.push(vu);
    return vu;
  }

  /** A VU finished its last iteration. */
  parked(): void {
    if (--this.busy === 0) this.onIdle();
  }

  /** Stop every VU for good; returns how many requests were in flight (interrupted, not recorded). */
  interrupt(): number {
    let inFlight = 0;
    for (const vu of this.#all) if (vu.stop()) inFlight++;
    return inFlight;
  }
}
