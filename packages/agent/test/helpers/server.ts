/**
 * A tiny counting HTTP server on loopback for the agent's tests: it records
 * when each request arrived (performance.now(), the clock the agent uses in
 * the same process) and on which connection, and answers as a behaviour
 * function says — a status, a delay, or never.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/** One request as the server saw it. */
export interface Arrival {
  /** performance.now() when its headers arrived. */
  at: number;
  method: string;
  path: string;
  /** Identifies the connection (one per VU with per-VU connections). */
  remotePort: number;
}

/** How to answer: status (default 200) after delayMs (default 0), or 'hang' to never answer. */
export type Answer = { status?: number; delayMs?: number } | 'hang';

/** A running counting server: its base URL, what it saw, and how to shut it (and any held request) down. */
export interface CountingServer {
  url: string;
  arrivals: Arrival[];
  close(): Promise<void>;
}

/** Start the server on 127.0.0.1, port 0. `answer` sees each arrival and its 0-based index. */
export async function countingServer(answer: (a: Arrival, index: number) => Answer = () => ({})): Promise<CountingServer> {
  const arrivals: Arrival[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const arrival: Arrival = { at: performance.now(), method: req.method ?? '', path: req.url ?? '', remotePort: req.socket.remotePort ?? 0 };
    const how = answer(arrival, arrivals.push(arrival) - 1);
    req.resume();
    if (how === 'hang') return;
    const reply = (): void => {
      res.writeHead(how.status ?? 200, { 'content-type': 'text/plain' });
      res.end('hello');
    };
    if (!how.delayMs) return reply();
    const t = setTimeout(() => {
      timers.delete(t);
      reply();
    }, how.delayMs);
    timers.add(t);
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    arrivals,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port that was bound and then closed: connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
