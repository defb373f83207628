/** Runs the thread warm-up and reports how long it took; the thread must then exit by itself (nothing left open). */
import { parentPort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { warmUp } from '../../src/warm.js';

const t0 = performance.now();
await warmUp();
parentPort?.postMessage({ ms: performance.now() - t0 });
