/**
 * Which protocol a dispatcher's connections speak, known once per
 * connection, never per request: undici's own connector wrapped so that it
 * sees each socket ALPN settled (`alpnProtocol`). A VU reads the count of
 * open h1 and h2 connections of its dispatcher when a response arrives,
 * two field reads. undici hands the raw handler nothing per request that
 * says the protocol, except that h2 responses have no reason phrase.
 */
import type { TLSSocket } from 'node:tls';
import type { buildConnector as BuildConnector } from 'undici';
import { timedConnector } from './connector.js';
import type { HttpVersion } from './scenario.js';

/** The error kind of an https connection whose server did not agree to h2 under `http.version: "2"`. */
export const H2_NOT_NEGOTIATED = 'H2_NOT_NEGOTIATED';

/** Open connections of one dispatcher by protocol. */
export class Protocols {
  h1 = 0;
  h2 = 0;

  /**
   * Whether the response just received came over h2. Exact while the
   * dispatcher's open connections all speak one protocol (a VU's own
   * connection always does, as does a pool under "1.1" or "2"); a pool
   * mixing both under "auto" tells by the status line: h2 has no reason phrase.
   */
  isH2(statusText: string): boolean {
    return this.h2 > 0 && (this.h1 === 0 || statusText === '');
  }
}

/**
 * undici's connector for `options` (its `connect` options and timeout) that
 * offers h2 by ALPN unless `version` is "1.1", counts each connection in
 * `protocols` while it is open, and under "2" refuses one that settled on
 * HTTP/1.1 (H2_NOT_NEGOTIATED) before any request is written on it;
 * `onSocket` hears each connection's protocol before undici uses it.
 */
export function countingConnector(options: BuildConnector.BuildOptions, version: HttpVersion, protocols: Protocols, onSocket?: (h2: boolean) => void): BuildConnector.connector {
  // Timed (connector.ts): the phases of a connection are offered while its callback, and so this one, runs.
  const connect = timedConnector({ ...options, allowH2: version !== '1.1' });
  return (opts, callback) =>
    connect(opts, (err, socket) => {
      if (err !== null) return callback(err, null);
      // undici's sockets are TLSSockets on https (net sockets have no ALPN: alpnProtocol is absent there).
      const alpn = (socket as TLSSocket).alpnProtocol;
      const h2 = alpn === 'h2';
      if (version === '2' && !h2) {
        socket.destroy();
        return callback(notNegotiated(opts.hostname, alpn), null);
      }
      if (h2) protocols.h2++;
      else protocols.h1++;
      onSocket?.(h2);
      socket.once('close', () => void (h2 ? protocols.h2-- : protocols.h1--));
      callback(null, socket);
    });
}

function notNegotiated(host: string, alpn: string | false | null | undefined): Error {
  const said = typeof alpn === 'string' && alpn !== '' ? `chose ${alpn}` : 'did not take part in ALPN';
  return Object.assign(
    new Error(`${host} ${said}, so HTTP/2 was not negotiated (http.version "2"); hint: the server speaks only HTTP/1.1 over TLS: use "auto" or "1.1", or enable h2 on the server`),
    { code: H2_NOT_NEGOTIATED },
  );
}
