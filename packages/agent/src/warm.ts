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
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { startShare } from './run-share.js';
import type { ExecutorConfig, ResolvedScenario } from './scenario.js';

/**
 * Each warm-up share stops once the throwaway server has answered this many
 * requests (V8 has then compiled the path; counts, not time, so a slow
 * machine warms as well as a fast one), or at `capMs`. Measured at 2,000
 * req/s on one core: 65 closed + 200 open requests bring second 0's p95
 * from ~55 ms (no warm-up) to ~4 ms, the same as twice as many; 10 + 120
 * do not. Each request costs start-up CPU, so no more than that.
 */
export const WARM_COUNTS = { closed: 100, open: 200, capMs: 500 } as const;

const REQUEST_END = '\r\n\r\n';
const ANSWER = 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok';

/** Warm this thread; resolves with the requests the server answered in each share. */
export async function warmUp(counts: { closed: number; open: number; capMs: number } = WARM_COUNTS): Promise<{ closed: number; open: number }> {
  let answered = 0;
  let goal = Infinity;
  let stop: (() => void) | null = null;
  // A canned answer per request head: the warm-up's own GETs carry no body,
  // so each CRLFCRLF ends one request. (node:http here cost as much CPU as the client being warmed.)
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let tail = '';
    socket.on('data', (chunk: Buffer) => {
      const text = tail + chunk.toString('latin1');
      let heads = 0;
      let end = -1;
      for (let at = text.indexOf(REQUEST_END); at !== -1; at = text.indexOf(REQUEST_END, at + REQUEST_END.length)) {
        heads++;
        end = at + REQUEST_END.length;
      }
      // A head split across reads waits for its end.
      tail = end === -1 ? text : text.slice(end);
      if (heads > 0) socket.write(ANSWER.repeat(heads));
      for (let i = 0; i < heads; i++) if (++answered === goal) stop?.();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const phase = async (count: number, executor: ExecutorConfig, connections: 'per-vu' | number): Promise<number> => {
    answered = 0;
    goal = count;
    const handle = startShare({ runId: 'warm-up', scenario: warmScenario(target, executor, connections), share: 0, shares: 1, startAt: Date.now(), seed: 1 }, () => {});
    stop = handle.stop;
    if (count <= 0) handle.stop();
    await handle.done;
    stop = null;
    return answered;
  };
  try {
    // Closed: 10 VUs on their own connections, as fast as the thread goes.
    const closed = await phase(counts.closed, { type: 'constant-vus', vus: 10, durationMs: counts.capMs }, 'per-vu');
    // Open: 4,000/s on a pool of 10, through the default arrival window. A short
    // queue: arrivals a cold thread cannot take are dropped, not served after the stop.
    const open = await phase(counts.open, { type: 'constant-arrival-rate', rate: 4000, durationMs: counts.capMs, maxVUs: 20, maxQueue: 20, arrivalWindowMs: 2 }, 10);
    return { closed, open };
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function warmScenario(target: string, executor: ExecutorConfig, connections: 'per-vu' | number): ResolvedScenario {
  return {
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
}
