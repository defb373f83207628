/**
 * Loopback HTTPS targets for the HTTP/2 tests: a certificate authority and
 * a leaf for 127.0.0.1 and localhost made by `openssl` at test time (tls.ts;
 * never a committed key), and a server that speaks h2 (with or without HTTP/1.1
 * beside it) or HTTP/1.1 only, counting what it sees per protocol, its TLS
 * connections, and the most streams in flight on any one connection.
 */
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createSecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { makePki } from './tls.js';

/** Why the certificate tests cannot run here (no `openssl` on PATH), or false when they can: a `skip` option. */
export const NO_OPENSSL = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0 ? false : 'no openssl on PATH (Debian: apt-get install openssl)';

/** PEM files in a test's temp dir: the CA to trust, and the server's key and certificate. */
export interface TestCert {
  caFile: string;
  key: Buffer;
  cert: Buffer;
}

/** A CA and a leaf it signed for 127.0.0.1 and localhost, from the TLS tests' openssl helper (tls.ts). */
export async function makeCert(): Promise<TestCert> {
  const pki = await makePki();
  return { caFile: pki.ca, key: await readFile(pki.leafKey), cert: await readFile(pki.leaf) };
}

/** What the server speaks: h2 only, h2 with HTTP/1.1 beside it (ALPN picks), or HTTP/1.1 only. */
export type Speaks = 'h2' | 'h2+h1' | 'h1';

export interface H2Server {
  url: string;
  /** Requests answered, by the protocol they came over. */
  h1: number;
  h2: number;
  /** TLS connections accepted. */
  connections: number;
  /** The most requests (streams) in flight at once on any one connection. */
  maxStreams: number;
  close(): Promise<void>;
}

/** Start a server on 127.0.0.1, port 0, that answers 200 "ok" after `delayMs`. */
export async function startH2Server(cert: TestCert, speaks: Speaks, delayMs = 0): Promise<H2Server> {
  const inFlight = new Map<object, number>();
  const state = { h1: 0, h2: 0, connections: 0, maxStreams: 0 };
  const handle = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse): void => {
    const h2 = req.httpVersionMajor === 2;
    // One key per connection: the h2 session, or the HTTP/1.1 socket.
    const conn: object = h2 ? (req as Http2ServerRequest).stream.session! : req.socket;
    const open = (inFlight.get(conn) ?? 0) + 1;
    inFlight.set(conn, open);
    state.maxStreams = Math.max(state.maxStreams, open);
    req.resume();
    req.on('end', () => {
      setTimeout(() => {
        if (h2) state.h2++;
        else state.h1++;
        inFlight.set(conn, (inFlight.get(conn) ?? 1) - 1);
        (res as ServerResponse).writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
      }, delayMs);
    });
  };
  const tls = { key: cert.key, cert: cert.cert };
  const server = speaks === 'h1' ? createHttpsServer(tls, handle) : createSecureServer({ ...tls, allowHTTP1: speaks === 'h2+h1' }, handle);
  const sockets = new Set<TLSSocket>();
  server.on('secureConnection', (s: TLSSocket) => {
    state.connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(state, {
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  });
}
