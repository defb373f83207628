/**
 * The process entry point: the only place that reads process.argv/env, owns
 * signals and sets the exit code. A second SIGINT/SIGTERM exits at once.
 */
import { main } from './main.js';
import { EXIT } from './exit-codes.js';
import type { Io, SignalName } from './io.js';

export async function runFromProcess(): Promise<void> {
  const handlers = new Set<(s: SignalName) => void>();
  let signals = 0;
  const onSignal = (signal: SignalName): void => {
    signals += 1;
    if (signals > 1 || handlers.size === 0) process.exit(EXIT.interrupted);
    for (const h of [...handlers]) h(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const io: Io = {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    onSignal(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
  };
  const code = await main(process.argv.slice(2), io);
  process.exitCode = code;
  // Flush stdout/stderr, then leave even if a library keeps a handle open.
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}
