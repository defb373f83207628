/**
 * The machine's floors (floor/machine.ts), measured once per round next to
 * the tools: the CPU one idle timer wake-up costs a Node process on the
 * generators' core, and the round trip of one byte between two idle Node
 * processes on the two cores (the part of a request neither the server's own
 * timing nor any client can see past).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { firstJsonLine, pin } from './targets.js';

const script = fileURLToPath(new URL('../floor/machine.js', import.meta.url));

/** One round's floors. */
export interface Floors {
  /** CPU µs per wake-up of an idle Node process woken 500 times a second on core 1. */
  wakeUs: number;
  /** p50 of a 1-byte round trip between idle Node processes on cores 1 and 0, ms. */
  rttP50Ms: number;
}

function start(core: string, args: string[]): ChildProcess {
  const [cmd, argv] = pin(process.execPath, [script, ...args], core);
  return spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
}

export async function measureFloors(): Promise<Floors> {
  const woke = await firstJsonLine<{ wakes: number; cpuMs: number }>(start('1', ['wake', '500', '3']), 'wake probe', 15_000);
  const server = start('0', ['echo']);
  try {
    const { port } = await firstJsonLine<{ port: number }>(server, 'echo probe', 5000);
    const rtt = await firstJsonLine<{ p50Ms: number }>(start('1', ['ping', String(port), '400', '5']), 'ping probe', 30_000);
    return { wakeUs: (woke.cpuMs * 1000) / woke.wakes, rttP50Ms: rtt.p50Ms };
  } finally {
    server.kill('SIGKILL');
  }
}
