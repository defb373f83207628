/**
 * An in-memory Io for calling `main(argv, io)` in-process: what the command
 * printed is collected in `out` and `err`; no environment, no signals.
 */
import type { Io } from '../../src/io.js';

export function memoryIo(): Io & { out: string; err: string } {
  const o = {
    out: '',
    err: '',
    stdout: { write: (s: string) => void (o.out += s) },
    stderr: { write: (s: string) => void (o.err += s) },
    env: {},
    cwd: process.cwd(),
    onSignal: () => () => {},
  };
  return o;
}
