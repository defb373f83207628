/**
 * Hostile loopback targets in one place (like autocannon's test/helper.js):
 * raw TCP servers that misbehave at the byte level in ways node:http would
 * never let a handler do — silence, headers without an end, a 1 GB body,
 * garbage instead of HTTP, a reset mid-body, closing every keep-alive
 * connection after one response or after reading a request — and an HTTP server that can die and come
 * back on the same port. Each counts what it saw, so tests wait on counts
 * rather than on time.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** What a raw server does with one request on a connection: `req` counts from 0 over the server, `nth` from 0 on this connection. */
export type Act = (socket: Socket, req: { index: number; nth: number }) => void;

/** A running raw server: its URL, what it saw, and a waiter on request counts. */
export interface RawServer {
  url: string;
  port: number;
  /** Connections accepted so far. */
  connections: number;
  /** Requests (header blocks) received so far. */
  requests: number;
  /** Resolves once `requests` ≥ n. */
  waitForRequests(n: number): Promise<void>;
  close(): Promise<void>;
}

const HEAD_END = '\r\n\r\n';

/**
 * A TCP server on 127.0.0.1 that reads requests as header blocks (novaload
 * sends GETs without a body here) and hands each to `act`. Nothing is
 * parsed further, so the server can answer with any bytes at all.
 */
export async function rawServer(act: Act): Promise<RawServer> {
  const sockets = new Set<Socket>();
  const waiters: { n: number; resolve: () => void }[] = [];
  const state = { connections: 0, requests: 0 };
  const server: Server = createServer((socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {}); // resets from the client side are expected
    let pending = '';
    let nth = 0;
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      for (let at = pending.indexOf(HEAD_END); at >= 0; at = pending.indexOf(HEAD_END)) {
        pending = pending.slice(at + HEAD_END.length);
        const index = state.requests++;
        for (const w of waiters.filter((w) => state.requests >= w.n)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
        if (!socket.destroyed) act(socket, { index, nth: nth++ });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get connections() {
      return state.connections;
    },
    get requests() {
      return state.requests;
    },
    waitForRequests: (n) => (state.requests >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Accepts and reads requests, never answers. */
export const silent: Act = () => {};

/** Sends the status line and headers of a 1,000-byte body, 10 bytes of it, then nothing more. */
export const headersThenStall: Act = (socket) => {
  socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n0123456789');
};

/** Malformed responses, one per request in turn: not HTTP, a bad status line, a bad header, a bad chunk size, a bad version. */
export const GARBAGE = [
  'this is not HTTP at all\r\n\r\n',
  'HTTP/1.1 abc OK\r\nContent-Length: 2\r\n\r\nok',
  'HTTP/1.1 200 OK\r\nBad Header Without Colon\r\nContent-Length: 2\r\n\r\nok',
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n',
  'HTTP/9.9 200 OK\r\nContent-Length: 2\r\n\r\nok',
] as const;

/** Answers each request with the next entry of GARBAGE. */
export const garbage: Act = (socket, { index }) => {
  socket.write(GARBAGE[index % GARBAGE.length]);
};

/** Sends headers for a 100,000-byte body and 1,000 bytes of it, then resets the connection (TCP RST). */
export const resetMidBody: Act = (socket) => {
  socket.write(`HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n${'x'.repeat(1000)}`, () => socket.resetAndDestroy());
};

/**
 * Answers 200 with a 2-byte body and a keep-alive-looking response (no
 * `Connection: close`), then closes the connection: every connection serves
 * exactly one response. `answered` counts the responses fully written.
 */
export function closeAfterOne(): { act: Act; answered: () => number } {
  let answered = 0;
  const act: Act = (socket, { nth }) => {
    if (nth > 0) return; // a request sent on a connection this server already closed: never answered
    socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok', () => answered++);
  };
  return { act, answered: () => answered };
}

/**
 * Answers `k` requests on each connection with 200 "ok" and keep-alive,
 * then reads the next request and closes the connection without answering
 * it: the stale keep-alive race a server's per-connection request cap or
 * idle reaper causes, made exact. `dropped` counts the requests so dropped.
 */
export function dropAfter(k: number): { act: Act; dropped: () => number } {
  let dropped = 0;
  const act: Act = (socket, { nth }) => {
    if (nth < k) return void socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok');
    dropped++;
    socket.destroy();
  };
  return { act, dropped: () => dropped };
}

/** A streamed body: how much was written, and a hook at each completed body. */
export interface HugeBody {
  act: Act;
  /** Bytes of body written so far, over all responses. */
  written: () => number;
  /** Resolves when `n` bodies have been written to the end. */
  waitForBodies(n: number): Promise<void>;
}

/**
 * Answers every request with a `bytes`-long body streamed from one reused
 * 64 KiB chunk, writing only when the socket drains: the server holds no
 * more than a chunk or two, whatever the size, and a slow reader is never
 * sent more than it takes.
 */
export function hugeBody(bytes: number): HugeBody {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let written = 0;
  let bodies = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  const act: Act = (socket) => {
    let left = bytes;
    const pump = (): void => {
      while (left > 0 && !socket.destroyed) {
        const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
        left -= part.length;
        written += part.length;
        if (!socket.write(part)) return void socket.once('drain', pump);
      }
      if (left > 0) return;
      bodies++;
      for (const w of waiters.filter((w) => bodies >= w.n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    };
    socket.write(`HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ${bytes}\r\n\r\n`);
    pump();
  };
  return {
    act,
    written: () => written,
    waitForBodies: (n) => (bodies >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
  };
}

/** An HTTP server that can be killed (every connection dropped, port released) and started again on the same port. */
export interface FlakyServer {
  url: string;
  port: number;
  /** Responses fully written, per life (index 0 = the first life). */
  answered: number[];
  /** Resolves once the current life has answered `n` responses. */
  waitForAnswers(n: number): Promise<void>;
  /** Drop every connection (in-flight requests included) and release the port. */
  kill(): Promise<void>;
  /** Listen again on the same port: a new life. */
  revive(): Promise<void>;
  /** Kill it if it is alive (for cleanup). */
  close(): Promise<void>;
}

/** Start a FlakyServer on 127.0.0.1 answering 200 "ok" at once. */
export async function flakyServer(): Promise<FlakyServer> {
  const answered: number[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  let server: HttpServer | null = null;
  let port = 0;
  const listen = async (): Promise<void> => {
    const life = answered.push(0) - 1;
    const s = createHttpServer((_req, res) => {
      res.on('finish', () => {
        answered[life]++;
        for (const w of waiters.filter((w) => life === answered.length - 1 && answered[life] >= w.n)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      });
      res.end('ok');
    });
    s.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => s.listen(port, '127.0.0.1', resolve));
    port = (s.address() as AddressInfo).port;
    server = s;
  };
  const kill = (): Promise<void> =>
    new Promise<void>((resolve) => {
      const s = server!;
      server = null;
      s.closeAllConnections();
      s.close(() => resolve());
    });
  await listen();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    answered,
    waitForAnswers: (n) => (answered[answered.length - 1] >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
    kill,
    revive: listen,
    close: () => (server ? kill() : Promise.resolve()),
  };
}
