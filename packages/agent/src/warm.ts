/**
 * Warm a fresh worker thread before any run: undici builds its HTTP parser
 * on the first connection and V8 compiles the request path on first use,
 * which would otherwise land in the first second of the run as latency
 * (and at high rates as dropped arrivals). A few requests to a throwaway
 * server on this thread's own loopback do it; nothing leaves the machine.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'undici';

export async function warmUp(requests = 50): Promise<void> {
  const server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new Client(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  try {
    for (let i = 0; i < requests; i++) {
      const { body } = await client.request({ method: 'GET', path: '/' });
      await body.dump();
    }
  } finally {
    await client.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
