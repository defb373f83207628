/**
 * Loopback HTTPS targets for the HTTP/2 tests: a certificate authority and
 * a leaf for 127.0.0.1 and localhost made by `openssl` at test time (never
 * a committed key), and a server that speaks h2 (with or without HTTP/1.1
 * beside it) or HTTP/1.1 only, counting what it sees per protocol, its TLS
 * connections, and the most streams in flight on any one connection.
 */
import { execFile, spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { createSecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Why the certificate tests cannot run here (no `openssl` on PATH), or false when they can: a `skip` option. */
export const NO_OPENSSL = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0 ? false : 'no openssl on PATH (Debian: apt-get install openssl)';

/** PEM files in a test's temp dir: the CA to trust, and the server's key and certificate. */
export interface TestCert {
  caFile: string;
  key: Buffer;
  cert: Buffer;
}

/** A CA and a leaf it signed for 127.0.0.1 and localhost, written under `dir` (P-256 keys: quick to make). */
export async function makeCert(dir: string): Promise<TestCert> {
  const f = (name: string): string => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('openssl', ['req', '-x509', ...ec, '-keyout', f('ca-key.pem'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=novaload test CA']);
  await run('openssl', ['req', '-new', ...ec, '-keyout', f('key.pem'), '-out', f('leaf.csr'), '-subj', '/CN=localhost']);
  const ext = f('leaf.ext');
  await writeFile(ext, 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await run('openssl', ['x509', '-req', '-in', f('leaf.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca-key.pem'), '-CAcreateserial', '-out', f('cert.pem'), '-days', '2', '-extfile', ext]);
  return { caFile: f('ca.pem'), key: await readFile(f('key.pem')), cert: await readFile(f('cert.pem')) };
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
