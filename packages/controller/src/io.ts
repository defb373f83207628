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

export interface Io {
  stdout: OutStream;
  stderr: OutStream;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Subscribe to termination signals; returns the unsubscribe function. */
  onSignal(handler: (signal: SignalName) => void): () => void;
}
