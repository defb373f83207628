/**
 * One second 0 for the workloads of a run file. Each workload's runner
 * arrives when it is ready to start (its setup done, its plans confirmed by
 * the agents); the last to arrive fixes the instant, with its runner's own
 * lead (remote agents: a clock sync and twice the slowest round trip), and
 * every workload starts its startTime after it. So setups and plans are
 * done before the shared clock starts, and no workload's setup delays
 * another's startTime.
 */
export class StartClock {
  #arrived = 0;
  #startedAt: number | null = null;
  #resolve!: (at: number) => void;
  #reject!: (err: unknown) => void;
  readonly #at: Promise<number>;

  constructor(readonly expected: number) {
    this.#at = new Promise<number>((resolve, reject) => {
      this.#resolve = (at) => {
        this.#startedAt = at;
        resolve(at);
      };
      this.#reject = reject;
    });
    // Arrivals hear a failed prepare; none may be waiting when it fails.
    this.#at.catch(() => {});
  }

  /** The run's second 0 (wall clock, ms), once fixed; null before (or when the start failed). */
  get startedAt(): number | null {
    return this.#startedAt;
  }

  /** Resolves to second 0 once fixed (never, if a workload does not arrive). */
  get started(): Promise<number> {
    return this.#at;
  }

  /** Arrive; resolves to the run's second 0 once all have arrived (`prepare`, called for the last one, gives it). */
  arrive(prepare: () => Promise<number>): Promise<number> {
    this.#arrived++;
    if (this.#arrived === this.expected) prepare().then(this.#resolve, this.#reject);
    return this.#at;
  }
}

/** When a workload of a run starts: the run's clock, and its startTime after the run's second 0. */
export interface SharedStart {
  clock: StartClock;
  offsetMs: number;
}

/** `work`, or a rejection with `interrupted()` as soon as `signal` aborts (the work itself is left to settle on its own). */
export function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined, interrupted: () => Error): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(interrupted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(interrupted());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
