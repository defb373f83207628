/** Runs the thread warm-up and reports how long it took and what it sent; the thread must then exit by itself (nothing left open). */
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { warmUp } from '../../src/warm.js';

const t0 = performance.now();
const answered = await warmUp(workerData ?? undefined);
parentPort?.postMessage({ ms: performance.now() - t0, answered });
