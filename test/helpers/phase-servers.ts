/**
 * Loopback targets for request phase tests: a server whose paths each spend
 * their time in one phase (`/wait`: the answer after a delay; `/body`: the
 * headers and a first chunk at once, the rest after a delay), over HTTP or
 * HTTPS with a certificate made at test time by openssl (tls.ts: a throwaway
 * CA and a leaf for 127.0.0.1 and localhost, never a committed key). It counts
 * requests and the connections they came on.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { makePki } from './tls.js';

/** PEM files of a CA and a leaf it signed (for 127.0.0.1 and localhost). */
export interface TestCertificates {
  caFile: string;
  cert: string;
  key: string;
}

/** A CA and a leaf certificate for loopback, from the TLS tests' openssl helper (tls.ts). */
export async function makeCertificates(): Promise<TestCertificates> {
  const pki = await makePki();
  return { caFile: pki.ca, cert: readFileSync(pki.leaf, 'utf8'), key: readFileSync(pki.leafKey, 'utf8') };
}

export interface PhaseServer {
  /** Base URL on 127.0.0.1 (`http://` or `https://`). */
  url: string;
  port: number;
  /** Requests answered, by path. */
  requests: Map<string, number>;
  /** Connections accepted (TCP; TLS handshakes for HTTPS). */
  connections(): number;
  close(): Promise<void>;
}

export interface PhaseServerOptions {
  /** `/wait` answers after this many ms (default 30). */
  waitMs?: number;
  /** `/body` sends the rest of its body this many ms after its headers (default 40). */
  bodyMs?: number;
  /** Answer every request with `connection: close`. */
  close?: boolean;
  /** Serve HTTPS with this leaf. */
  tls?: Pick<TestCertificates, 'cert' | 'key'>;
}

/** Start a phase server on 127.0.0.1, port 0. Any other path answers 200 at once. */
export async function startPhaseServer(opts: PhaseServerOptions = {}): Promise<PhaseServer> {
  const requests = new Map<string, number>();
  const sockets = new Set<Socket>();
  let connections = 0;
  const headers = { 'content-type': 'text/plain', ...(opts.close && { connection: 'close' }) };
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = req.url ?? '';
    requests.set(path, (requests.get(path) ?? 0) + 1);
    req.resume();
    if (path === '/wait') setTimeout(() => res.writeHead(200, headers).end('waited'), opts.waitMs ?? 30);
    else if (path === '/body') {
      res.writeHead(200, headers);
      res.write('first bytes, ');
      setTimeout(() => res.end('then the rest'), opts.bodyMs ?? 40);
    } else res.writeHead(200, headers).end('ok');
  };
  const server: Server = opts.tls ? createHttps({ cert: opts.tls.cert, key: opts.tls.key }, handle) : createHttp(handle);
  server.keepAliveTimeout = 60_000;
  server.on(opts.tls ? 'secureConnection' : 'connection', () => connections++);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    connections: () => connections,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
