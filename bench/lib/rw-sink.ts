/**
 * A remote-write receiver for the live row (issue 15, point 5): a loopback
 * HTTP server in the bench process that reads each push and answers 204, as
 * Prometheus does, so `--prometheus-rw` costs novaload what it would cost
 * against a real one, without a Prometheus in the bench.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

let started: Promise<{ url: string; server: Server }> | null = null;

/** The sink's write URL (started on first use, unref'd so it never holds the bench open). */
export async function remoteWriteSink(): Promise<string> {
  started ??= new Promise((resolve) => {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    server.listen(0, '127.0.0.1', () => {
      server.unref();
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/write`, server });
    });
  });
  return (await started).url;
}
