/**
 * The HTTP side of a share on undici: keep-alive connections, either one
 * Client (one connection) per VU like real users, or one Pool per share
 * whose size is this share's part of the scenario's pool size.
 */
import type { Client as ClientType, Dispatcher, Pool as PoolType } from 'undici';
import { Client, Pool } from './undici-lean.js';
import { timedConnector } from './connector.js';
import { guardedLookup } from './lookup.js';
import { Redirects } from './redirects.js';
import type { HttpSettings } from './scenario.js';
import { shareCount } from './split.js';

/** Every dispatcher a share creates, so all of them are destroyed at its end. */
export class Connections {
  readonly #origin: string;
  readonly #options: ClientType.Options;
  readonly #pool: PoolType | null;
  readonly #perVu: ClientType[] = [];
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
    this.#options = {
      connectTimeout: http.connectTimeoutMs,
      headersTimeout: http.timeoutMs,
      bodyTimeout: http.timeoutMs,
      pipelining: http.pipelining,
      // `.invalid` names fail locally (RFC 6761), never waiting on a DNS server; names resolving to a metadata address fail (EMETADATA).
      // Timed (connector.ts): a connect function gets none of the Client's own connect options, so the timeout goes in here.
      connect: timedConnector({ lookup: guardedLookup(http.allowMetadata === true), timeout: http.connectTimeoutMs }),
    };
    this.redirects = new Redirects(origin, http);
    this.ownConnection = http.connections === 'per-vu' && http.pipelining === 1;
    this.#pool =
      http.connections === 'per-vu' ? null : new Pool(origin, { ...this.#options, connections: Math.max(1, shareCount(http.connections, share, shares)) });
  }

  /**
   * The dispatcher a new VU sends through: its own Client, or the share's
   * Pool. (Tried: letting a VU's own Client write its next request at once,
   * without undici's two loop turns first. It cut ~0.15 ms of latency at low
   * load but halved throughput at 50 VUs: the turns batch many VUs' writes.)
   */
  forVu(): Dispatcher {
    if (this.#pool) return this.#pool;
    const client = new Client(this.#origin, this.#options);
    this.#perVu.push(client);
    return client;
  }

  /** Destroy every connection, aborting anything still in flight; resolves when sockets are closed. */
  async destroy(): Promise<void> {
    const all: Dispatcher[] = this.#pool ? [this.#pool] : this.#perVu;
    await Promise.all([...all.map((d) => d.destroy()), this.redirects.destroy()]);
  }
}
