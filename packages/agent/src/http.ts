/**
 * The HTTP side of a share on undici: keep-alive connections, either one
 * Client (one connection) per VU like real users, or one Pool per share
 * whose size is this share's part of the scenario's pool size. Over h2 a
 * VU's Client still has one connection with one stream at a time; the
 * Pool's connections each carry up to maxConcurrentStreams streams.
 */
import type { Client as ClientType, Dispatcher, Pool as PoolType } from 'undici';
import { Client, Pool } from './undici-lean.js';
import { countingConnector, Protocols } from './alpn.js';
import { guardedLookup } from './lookup.js';
import { Redirects } from './redirects.js';
import type { HttpSettings } from './scenario.js';
import { shareCount } from './split.js';
import { targetTls } from './tls.js';

/** A VU's way to the target: the dispatcher it sends through and the protocols of that dispatcher's open connections. */
export interface Link {
  dispatcher: Dispatcher;
  protocols: Protocols;
}

/**
 * The connector of one dispatcher: ALPN per `http.version`, counted in
 * `protocols`, `onSocket` told each connection's protocol. `.invalid` names
 * fail locally (RFC 6761), never waiting on a DNS server; names resolving
 * to a metadata address fail (EMETADATA).
 */
export function connector(http: HttpSettings, protocols: Protocols, onSocket?: (h2: boolean) => void): ReturnType<typeof countingConnector> {
  const lookup = guardedLookup(http.allowMetadata === true);
  // http.tls (tls.ts): trusted, named and authenticated the same way on every connection to the target.
  return countingConnector({ timeout: http.connectTimeoutMs, lookup, ...targetTls(http.tls) }, http.version ?? '1.1', protocols, onSocket);
}

/**
 * One connection's Client. undici bounds the requests in flight on a Client
 * by its `pipelining` alone, h2 streams included (its maxConcurrentStreams
 * only tells the server, which may raise it), so over h2 `pipelining` is
 * the stream limit: set at once under "2", per connection under "auto"
 * (an HTTP/1.1 connection keeps http.pipelining).
 */
function newClient(origin: string, base: ClientType.Options, http: HttpSettings, protocols: Protocols): ClientType {
  const streams = http.maxConcurrentStreams ?? DEFAULT_STREAMS;
  const version = http.version ?? '1.1';
  let client: ClientType | null = null;
  const onSocket = version === 'auto' ? (h2: boolean) => void (client!.pipelining = h2 ? streams : http.pipelining) : undefined;
  client = new Client(origin, { ...base, pipelining: version === '2' ? streams : http.pipelining, maxConcurrentStreams: streams, connect: connector(http, protocols, onSocket) });
  return client;
}

/** Streams per h2 connection when http.maxConcurrentStreams is not set: undici's own default. */
const DEFAULT_STREAMS = 100;

/** Every dispatcher a share creates, so all of them are destroyed at its end. */
export class Connections {
  readonly #origin: string;
  readonly #options: ClientType.Options;
  readonly #pool: PoolType | null;
  readonly #perVu: ClientType[] = [];
  readonly #http: HttpSettings;
  /** The Pool's open connections by protocol (unused with per-VU clients, which count their own). */
  readonly #poolProtocols = new Protocols();
  /**
   * Each VU has its own connection and at most one request on it (per-VU
   * clients, no pipelining): whatever passes between dispatch and the write
   * is then undici's own scheduling or a new connection, never a wait
   * behind another request (see Vu: latency of closed models).
   */
  readonly ownConnection: boolean;
  /** How the share's VUs follow redirects, with the dispatcher for other origins. */
  readonly redirects: Redirects;

  constructor(origin: string, http: HttpSettings, share: number, shares: number) {
    this.#origin = origin;
    this.#http = http;
    this.#options = {
      headersTimeout: http.timeoutMs,
      bodyTimeout: http.timeoutMs,
    };
    this.redirects = new Redirects(origin, http);
    this.ownConnection = http.connections === 'per-vu' && http.pipelining === 1;
    this.#pool =
      http.connections === 'per-vu'
        ? null
        : new Pool(origin, {
            ...this.#options,
            connections: Math.max(1, shareCount(http.connections, share, shares)),
            factory: (o) => newClient(String(o), this.#options, http, this.#poolProtocols),
          });
  }

  /**
   * The dispatcher a new VU sends through: its own Client, or the share's
   * Pool. (Tried: letting a VU's own Client write its next request at once,
   * without undici's two loop turns first. It cut ~0.15 ms of latency at low
   * load but halved throughput at 50 VUs: the turns batch many VUs' writes.)
   */
  forVu(): Link {
    if (this.#pool) return { dispatcher: this.#pool, protocols: this.#poolProtocols };
    const protocols = new Protocols();
    const client = newClient(this.#origin, this.#options, this.#http, protocols);
    this.#perVu.push(client);
    return { dispatcher: client, protocols };
  }

  /** Destroy every connection, aborting anything still in flight; resolves when sockets are closed. */
  async destroy(): Promise<void> {
    const all: Dispatcher[] = this.#pool ? [this.#pool] : this.#perVu;
    await Promise.all([...all.map((d) => d.destroy()), this.redirects.destroy()]);
  }
}
