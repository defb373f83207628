/**
 * The connect function every dispatcher of a share uses: undici's own
 * connector (buildConnector, with the options undici would give it), timed.
 * A new connection's DNS lookup (the socket's 'lookup' event; none for an
 * address literal), TCP connect ('connect') and TLS handshake
 * ('secureConnect') are measured here and handed to the request written
 * first on it.
 *
 * Which request that is: undici (7.x, client.js connect()) calls this
 * connector's callback, then in the same synchronous turn sets up the
 * connection, emits 'connect' and resumes the client, which writes its
 * queued head request (Request.onConnect → the handler's onConnect). So
 * the phases are offered only while the callback runs, and the first
 * onConnect inside it takes them; a Pool shares one connector among its
 * clients and the rule holds for each (test/phases-pool.test.ts and the
 * connector unit test check it). A connection on which no request is
 * written at once (the request failed meanwhile) leaves its phases untaken.
 */
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { buildConnector as BuildConnector } from 'undici';

const require = createRequire(import.meta.url);
const buildConnector = require('undici/lib/core/connect.js') as typeof BuildConnector;

/** The connect options (buildConnector's), plus what undici's Client would have passed it itself. */
export type ConnectorOptions = BuildConnector.BuildOptions;

/** One new connection's phases, ms: 0 for a phase it did not have (no lookup for an IP literal, no TLS over http). */
export interface ConnectionPhases {
  dnsMs: number;
  connectMs: number;
  tlsMs: number;
}

/** The phases of the connection whose callback is running, until a request takes them. */
let offered: ConnectionPhases | null = null;

/**
 * The phases of the connection just opened when called from the onConnect
 * of the first request written on it, else null. Taking them clears them,
 * so a pipelined second request written in the same turn gets none.
 */
export function takeConnectionPhases(): ConnectionPhases | null {
  const phases = offered;
  offered = null;
  return phases;
}

/**
 * undici's connector for `options`, timing each connection it opens.
 * `options.timeout` is the connect timeout: undici's Client passes its
 * connectTimeout only to a connector it builds itself.
 */
export function timedConnector(options: ConnectorOptions): BuildConnector.connector {
  const connect = buildConnector(options);
  return (opts, callback) => {
    const start = performance.now();
    let looked = NaN;
    let connected = NaN;
    const socket = connect(opts, (err, sock) => {
      if (err !== null) return callback(err, null);
      const end = performance.now();
      // Over TLS the TCP connect is its own event (absent only on a socket handed in already connected: all handshake then).
      const tls = opts.protocol === 'https:';
      const tcpEnd = tls && !Number.isNaN(connected) ? connected : tls ? start : end;
      const dnsMs = Number.isNaN(looked) ? 0 : looked - start;
      offered = { dnsMs, connectMs: Math.max(0, tcpEnd - start - dnsMs), tlsMs: tls ? end - tcpEnd : 0 };
      try {
        callback(null, sock);
      } finally {
        offered = null;
      }
    }) as unknown as Socket; // undici's connector returns its socket; its types say void
    // undici's own listeners come first: 'secureConnect' calls back before any of ours, but 'lookup' and
    // 'connect' (which precede it over TLS) are ours to time; over plain TCP the callback is the connect.
    socket.once('lookup', () => void (looked = performance.now()));
    socket.once('connect', () => void (connected = performance.now()));
    return socket;
  };
}
