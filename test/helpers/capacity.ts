/**
 * Loopback servers of known capacity, for `breakpoint`: one that queues
 * (a single server with a fixed service time: past 1000/serviceMs req/s its
 * queue, and so its latency, grows without bound) and one that refuses
 * (a token bucket: above its rate it answers 503 at once).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A started capacity server: its base URL, how many requests it answered by status, and close. */
export interface CapacityServer {
  url: string;
  answered: Map<number, number>;
  close(): Promise<void>;
}

async function listen(server: Server, answered: Map<number, number>): Promise<CapacityServer> {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    answered,
    close: () => new Promise<void>((done) => { server.closeAllConnections(); server.close(() => done()); }),
  };
}

/** One queue served in order, `serviceMs` per request: capacity 1000/serviceMs per second. */
export function queueServer(serviceMs: number): Promise<CapacityServer> {
  const answered = new Map<number, number>();
  let freeAt = 0;
  const server = createServer((_req, res) => {
    const now = performance.now();
    freeAt = Math.max(now, freeAt) + serviceMs;
    setTimeout(() => {
      answered.set(200, (answered.get(200) ?? 0) + 1);
      res.end('ok');
    }, freeAt - now);
  });
  return listen(server, answered);
}

/** A token bucket of `rate` per second holding at most `burst`: a request without a token gets 503 at once; the others get `body`. */
export function bucketServer(rate: number, burst: number, body = 'ok'): Promise<CapacityServer> {
  const answered = new Map<number, number>();
  let tokens = burst;
  let last = performance.now();
  const server = createServer((_req, res) => {
    const now = performance.now();
    tokens = Math.min(burst, tokens + ((now - last) * rate) / 1000);
    last = now;
    const status = tokens >= 1 ? 200 : 503;
    if (status === 200) tokens -= 1;
    answered.set(status, (answered.get(status) ?? 0) + 1);
    res.statusCode = status;
    res.end(status === 200 ? body : 'over capacity');
  });
  return listen(server, answered);
}
