/**
 * One command's stop switch: a signal or an abortOnFail threshold flips it
 * once, and every running share is told to stop gracefully; a deliberate
 * second signal hurries it: shares skip gracefulStop, and the report of what
 * arrived is still written.
 */
export class RunControl {
  private reason: string | null = null;
  private hurried = false;
  private readonly listeners = new Set<(reason: string) => void>();
  private readonly hurryListeners = new Set<() => void>();

  /** Why the run was stopped early, or null while it runs to plan. */
  get stopReason(): string | null {
    return this.reason;
  }

  /** Ask everything to stop; only the first call counts. */
  stop(reason: string): void {
    if (this.reason !== null) return;
    this.reason = reason;
    for (const l of [...this.listeners]) l(reason);
  }

  /** Stop (if not stopped yet) and skip gracefulStop: in-flight requests are interrupted now. Only the first call counts. */
  hurry(reason: string): void {
    this.stop(reason);
    if (this.hurried) return;
    this.hurried = true;
    for (const l of [...this.hurryListeners]) l();
  }

  /** Call `listener` on stop (at once if already stopped); returns the unsubscribe function. */
  onStop(listener: (reason: string) => void): () => void {
    if (this.reason !== null) {
      listener(this.reason);
      return () => {};
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Call `listener` on hurry (at once if already hurried); returns the unsubscribe function. */
  onHurry(listener: () => void): () => void {
    if (this.hurried) {
      listener();
      return () => {};
    }
    this.hurryListeners.add(listener);
    return () => this.hurryListeners.delete(listener);
  }
}
