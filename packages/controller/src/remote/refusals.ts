/**
 * Log lines for refused connections, rate-limited: the first refusal of an
 * interval is logged as it happens (so a misconfigured agent is diagnosed at
 * once), the rest are counted by reason and summed up in one line at the
 * end of the interval. Strangers flooding the port cannot flood the log.
 */
export class RefusalLog {
  readonly #counts = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #since = 0;

  constructor(
    private readonly log: (line: string) => void,
    private readonly intervalMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** One refused connection: `reason` is what the count is kept by, `detail` is shown for the first of an interval. */
  refused(reason: string, detail: string): void {
    if (this.#timer === undefined) {
      this.log(`refused a connection ${detail}: ${reason}`);
      this.#since = this.now();
      this.#timer = setTimeout(() => this.flush(), this.intervalMs);
      this.#timer.unref();
      return;
    }
    this.#counts.set(reason, (this.#counts.get(reason) ?? 0) + 1);
  }

  /** Log what was counted since the first refusal of the interval (at its end, or early when the server closes), and start a new interval. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#counts.size === 0) return;
    const total = [...this.#counts.values()].reduce((a, b) => a + b, 0);
    const parts = [...this.#counts].map(([reason, n]) => `${n} ${reason}`).join(', ');
    this.log(`refused ${total} more connection(s) in ${Math.max(1, Math.round((this.now() - this.#since) / 1000))} s: ${parts}`);
    this.#counts.clear();
  }
}
