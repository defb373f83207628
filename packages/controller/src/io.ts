/**
 * Everything a command may touch of the outside world, passed in so commands
 * run in-process in tests (like k6's GlobalState): no console.log or
 * process.env outside the entry point.
 */
export interface OutStream {
  write(text: string): void;
  /** True when a person is watching: live progress redraws one line. */
  isTTY?: boolean;
}

export type SignalName = 'SIGINT' | 'SIGTERM';

/**
 * Called once per termination request (copies relayed by wrappers are one
 * request); `urgent` for a deliberate second one. A command with nothing to
 * save on a second signal unsubscribes in its handler: the next one then exits at once.
 */
export type SignalHandler = (signal: SignalName, urgent: boolean) => void;

export interface Io {
  stdout: OutStream;
  stderr: OutStream;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Subscribe to termination signals; returns the unsubscribe function. */
  onSignal(handler: SignalHandler): () => void;
}
