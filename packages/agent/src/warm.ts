/**
 * Warm a fresh worker thread before any run: undici builds its HTTP parser
 * on the first connection and V8 compiles the request path on first use,
 * which would otherwise land in the first second of the run as latency
 * (and at high rates as dropped arrivals). The engine itself runs two short
 * shares — a closed model on per-VU connections and an open model on a
 * pool — against a throwaway server on this thread's own loopback, so the
 * exact code a run uses (VU handler, executors, recorder, snapshot
 * encoding) is compiled before second 0. Nothing leaves the machine.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startShare } from './run-share.js';
import type { ExecutorConfig, ResolvedScenario } from './scenario.js';

/** How long each of the two warm-up shares runs, ms. */
const WARM_MS = 100;

export async function warmUp(ms = WARM_MS): Promise<void> {
  if (ms <= 0) return;
  const server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    // Closed: 10 VUs as fast as the thread goes (a few hundred requests cold).
    await warmShare(target, { type: 'constant-vus', vus: 10, durationMs: ms }, 'per-vu');
    // Open: 4,000/s on a pool of 10, through the default arrival window.
    await warmShare(target, { type: 'constant-arrival-rate', rate: 4000, durationMs: ms, maxVUs: 20, maxQueue: 1000, arrivalWindowMs: 2 }, 10);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function warmShare(target: string, executor: ExecutorConfig, connections: 'per-vu' | number): Promise<void> {
  const scenario: ResolvedScenario = {
    name: 'warm-up',
    target,
    executor,
    gracefulStopMs: 1000,
    thinkTime: null,
    flow: 'random',
    requests: [{ name: 'warm', method: 'GET', path: '/', headers: {}, body: null, weight: 1, expectStatus: null }],
    http: { timeoutMs: 2000, connectTimeoutMs: 1000, headers: {}, connections, pipelining: 1 },
    thresholds: {},
  };
  await startShare({ runId: 'warm-up', scenario, share: 0, shares: 1, startAt: Date.now(), seed: 1 }, () => {}).done;
}
