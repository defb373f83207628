/**
 * Start the encode-loop worker and terminate it at a random moment, again
 * and again; prints "survived" when the process lived through every one.
 * Run as a child process: a native abort must not take the test runner down.
 */
import { Worker } from 'node:worker_threads';

const rounds = Number(process.argv[2] ?? 150);
const file = new URL('./encode-loop-worker.js', import.meta.url);
for (let i = 0; i < rounds; i++) {
  const w = new Worker(file);
  await new Promise((resolve) => w.once('message', resolve));
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 4));
  await w.terminate();
}
console.log('survived');
