/**
 * The process entry point: the only place that reads process.argv/env, owns
 * signals and sets the exit code. Copies of one signal relayed by wrappers
 * count once (signals.ts); a deliberate second signal is passed on as
 * urgent (a run skips gracefulStop but still writes its report); a third,
 * or any signal while no command listens, exits at once.
 */
import { main } from './main.js';
import { EXIT } from './exit-codes.js';
import type { Io, SignalHandler, SignalName } from './io.js';
import { SignalGate } from './signals.js';

export async function runFromProcess(): Promise<void> {
  const handlers = new Set<SignalHandler>();
  const gate = new SignalGate();
  const onSignal = (signal: SignalName): void => {
    const meaning = gate.classify(performance.now());
    if (meaning === 'repeat') return;
    if (meaning === 'exit' || handlers.size === 0) process.exit(EXIT.interrupted);
    for (const h of [...handlers]) h(signal, meaning === 'hurry');
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
