/**
 * The machine's floors (floor/machine.ts), measured once per round next to
 * the tools: the CPU one idle timer wake-up costs a Node process on the
 * generators' core, and the round trip of one byte between two idle Node
 * processes on the two cores (the part of a request neither the server's own
 * timing nor any client can see past).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { host } from './proc.js';

const script = fileURLToPath(new URL('../floor/machine.js', import.meta.url));

/** One round's floors. */
export interface Floors {
  /** CPU µs per wake-up of an idle Node process woken 500 times a second on core 1. */
  wakeUs: number;
  /** p50 of a 1-byte round trip between idle Node processes on cores 1 and 0, ms. */
  rttP50Ms: number;
}

function start(core: string, args: string[]): ReturnType<typeof spawn> {
  const argv = [script, ...args];
  return host.taskset ? spawn('taskset', ['-c', core, process.execPath, ...argv], { stdio: ['ignore', 'pipe', 'inherit'] }) : spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
}

/** The first JSON line the child prints; rejects after `ms` (the child is killed). */
function firstLine<T>(child: ReturnType<typeof spawn>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const fail = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`machine floor probe gave nothing in ${ms} ms`))), ms);
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl === -1) return;
      clearTimeout(fail);
      try {
        resolve(JSON.parse(buf.slice(0, nl)) as T);
      } catch (err) {
        reject(err as Error);
      }
    });
    child.on('exit', (code) => (clearTimeout(fail), buf.includes('\n') || reject(new Error(`machine floor probe exited ${code}`))));
  });
}

export async function measureFloors(): Promise<Floors> {
  const woke = await firstLine<{ wakes: number; cpuMs: number }>(start('1', ['wake', '500', '3']), 15_000);
  const server = start('0', ['echo']);
  try {
    const { port } = await firstLine<{ port: number }>(server, 5000);
    const rtt = await firstLine<{ p50Ms: number }>(start('1', ['ping', String(port), '400', '5']), 30_000);
    return { wakeUs: (woke.cpuMs * 1000) / woke.wakes, rttP50Ms: rtt.p50Ms };
  } finally {
    server.kill('SIGKILL');
  }
}
