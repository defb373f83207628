/**
 * One command's stop switch: a signal or an abortOnFail threshold flips it
 * once, and every running share is told to stop gracefully.
 */
export class RunControl {
  private reason: string | null = null;
  private readonly listeners = new Set<(reason: string) => void>();

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

  /** Call `listener` on stop (at once if already stopped); returns the unsubscribe function. */
  onStop(listener: (reason: string) => void): () => void {
    if (this.reason !== null) {
      listener(this.reason);
      return () => {};
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
