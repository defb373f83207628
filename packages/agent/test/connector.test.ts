/**
 * The timed connector: a new connection's phases go to the request written
 * first on it, and to no other, in a Pool of several connections with
 * pipelining too (the rule in connector.ts: undici writes a new
 * connection's head request inside the connector's callback).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createServer } from 'node:http';
import type { AddressInfo, LookupFunction, Socket } from 'node:net';
import type { Dispatcher } from 'undici';
import { takeConnectionPhases, timedConnector, type ConnectionPhases } from '../src/connector.js';
import { guardedLookup } from '../src/lookup.js';
import { Pool } from '../src/undici-lean.js';

/** A server answering `<connection number>:<request number on it>` after `delayMs`. */
async function numberingServer(delayMs: number): Promise<{ origin: string; port: number; close(): Promise<void> }> {
  const counts = new Map<Socket, { id: number; served: number }>();
  const server = createServer((req, res) => {
    const c = counts.get(req.socket)!;
    const body = `${c.id}:${c.served++}`;
    setTimeout(() => res.end(body), delayMs);
  });
  server.on('connection', (s: Socket) => counts.set(s, { id: counts.size, served: 0 }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { origin: `http://127.0.0.1:${port}`, port, close: () => new Promise((r) => server.close(() => r())) };
}

/** What one request saw: the phases its onConnect took, and the server's numbering. */
interface Seen {
  phases: ConnectionPhases | null;
  body: string;
}

function send(d: Dispatcher): Promise<Seen> {
  return new Promise((resolve, reject) => {
    let phases: ConnectionPhases | null = null;
    let body = '';
    const handler: Dispatcher.DispatchHandler = {
      onConnect: () => void (phases = takeConnectionPhases()),
      onHeaders: () => true,
      onData: (chunk: Buffer) => ((body += chunk), true),
      onComplete: () => resolve({ phases, body }),
      onError: reject,
    };
    d.dispatch({ origin: undefined, path: '/', method: 'GET' }, handler);
  });
}

test('in a pool of 3 connections with pipelining, exactly the first request written on each connection gets its phases', { timeout: 10_000 }, async () => {
  const server = await numberingServer(5);
  const pool = new Pool(server.origin, { connections: 3, pipelining: 2, connect: timedConnector({ timeout: 2000 }) });
  try {
    const seen = await Promise.all(Array.from({ length: 30 }, () => send(pool)));
    const firsts = seen.filter((s) => s.body.endsWith(':0'));
    assert.equal(firsts.length, 3, `connections: ${seen.map((s) => s.body).join(' ')}`);
    assert.deepEqual(seen.filter((s) => s.phases !== null).map((s) => s.body).sort(), firsts.map((s) => s.body).sort());
    for (const { phases } of firsts) {
      assert.ok(phases!.connectMs > 0, `connect ${phases!.connectMs} ms`);
      assert.deepEqual([phases!.dnsMs, phases!.tlsMs], [0, 0], 'an address literal over plain TCP: no lookup, no handshake');
    }
    assert.equal(takeConnectionPhases(), null, 'nothing is left on offer after the callback');
  } finally {
    await pool.destroy();
    await server.close();
  }
});

test('a name is looked up through the guarded lookup, and the lookup is timed apart from the connect', { timeout: 10_000 }, async () => {
  const server = await numberingServer(0);
  // A stub resolver answering loopback after 15 ms: no real DNS is asked.
  const slow = ((_name: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    setTimeout(() => (options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)), 15);
  }) as unknown as LookupFunction;
  const pool = new Pool(`http://localhost:${server.port}`, { connections: 1, connect: timedConnector({ timeout: 2000, lookup: guardedLookup(false, slow) }) });
  try {
    const [first, second] = [await send(pool), await send(pool)];
    assert.equal(first!.body, '0:0');
    assert.ok(first!.phases!.dnsMs >= 14, `dns ${first!.phases!.dnsMs} ms against a 15 ms resolver`);
    assert.ok(first!.phases!.connectMs > 0 && first!.phases!.connectMs < first!.phases!.dnsMs, JSON.stringify(first!.phases));
    assert.deepEqual([second!.body, second!.phases], ['0:1', null], 'the kept-alive connection opened nothing');
  } finally {
    await pool.destroy();
    await server.close();
  }
});
