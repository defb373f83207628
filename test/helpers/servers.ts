/**
 * Loopback test targets that count what they see, in one place (like
 * autocannon's test/helper.js): a counting server with a fixed delay or a
 * per-request behaviour, and hostile modes (stall, reset, 5xx).
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/** A request target (`/path?query`) as a URL, to read its path and query; resolved on loopback, never fetched. */
export function requestUrl(target: string | undefined): URL {
  return new URL(target ?? '/', 'http://127.0.0.1');
}

/** One request as the server saw it. */
export interface Seen {
  method: string;
  url: string;
  /** performance.now() when the request's headers arrived. */
  at: number;
  /** Remote port: identifies the connection (one per VU for closed models). */
  remotePort: number;
  body: string;
  /** The request's headers (names lower-cased by node:http). */
  headers: IncomingHttpHeaders;
}

/** How to answer one request: status, delay, body and headers (default text/plain), or a hostile act. */
export type Behaviour = { status?: number; delayMs?: number; body?: string; headers?: Record<string, string | string[]> } | 'stall' | 'reset';

export interface TestServer {
  url: string;
  port: number;
  seen: Seen[];
  /** Resolves when the server has seen at least n requests. */
  waitFor(n: number): Promise<void>;
  close(): Promise<void>;
}

/** Start a counting server on `host` (default 127.0.0.1), port 0; `behave` decides each answer (default 200 at once). */
export async function startServer(behave: (req: Seen, index: number) => Behaviour = () => ({}), host = '127.0.0.1'): Promise<TestServer> {
  const seen: Seen[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const at = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry: Seen = { method: req.method ?? '', url: req.url ?? '', at, remotePort: req.socket.remotePort ?? 0, body: Buffer.concat(chunks).toString(), headers: req.headers };
      const index = seen.push(entry) - 1;
      for (const w of waiters.filter((w) => seen.length >= w.n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      answer(res, behave(entry, index));
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    seen,
    waitFor: (n) => (seen.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

function answer(res: ServerResponse, b: Behaviour): void {
  if (b === 'stall') return;
  if (b === 'reset') {
    res.socket?.destroy();
    return;
  }
  const send = (): void => {
    res.writeHead(b.status ?? 200, { 'content-type': 'text/plain', ...b.headers });
    res.end(b.body ?? 'ok');
  };
  if (b.delayMs) setTimeout(send, b.delayMs);
  else send();
}

/** A loopback port with nothing listening (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
