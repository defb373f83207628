/**
 * Following redirects as browsers, fetch and k6 do: the next hop of a
 * 301/302/303/307/308 with a Location, with the method rules of fetch
 * (301/302 turn a POST into a GET and 303 anything but HEAD, dropping the
 * body; 307/308 keep both), Authorization dropped when the origin changes,
 * and a server-side request forgery guard: a hop to a host the scenario's
 * allowHosts does not name, or to a cloud metadata address it does not
 * name, is refused before any connection (EHOSTNOTALLOWED). Hops to the
 * target's origin go on the VU's own connection; others through one
 * per-share undici Agent (kept-alive connections per origin, as many as
 * hops in flight, so VUs never queue behind each other) whose lookup
 * applies the metadata rule to resolved addresses too (lookup.ts) and the
 * scenario's CA and `insecure`, never its client certificate (tls.ts).
 */
import type { Agent as AgentType, Dispatcher } from 'undici';
import { createRequire } from 'node:module';
import type { LookupFunction } from 'node:net';
import { countingConnector, Protocols } from './alpn.js';
import { allowListNames, canonicalHost, isMetadataHost } from './hosts.js';
import { isHeaderName } from './cookies.js';
import { guardedLookup } from './lookup.js';
import type { HttpSettings } from './scenario.js';
import { otherOriginTls } from './tls.js';

const require = createRequire(import.meta.url);

/** Statuses whose Location is followed. */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Whether a response with this status is a redirect to follow (when it has a Location). */
export function isRedirect(status: number): boolean {
  return status >= 301 && status <= 308 && REDIRECTS.has(status);
}

/** Whether a raw header name is Location, in any case. */
export function isLocation(name: Buffer): boolean {
  return isHeaderName(name, 'location');
}

/** Error kinds of a redirect that is not followed. */
export const TOO_MANY_REDIRECTS = 'TOO_MANY_REDIRECTS';
export const EHOSTNOTALLOWED = 'EHOSTNOTALLOWED';
export const REDIRECT_INVALID = 'REDIRECT_INVALID';

/** One hop to send: its absolute URL, its options (without the jar's cookies), and the dispatcher for another origin (null: the VU's own). */
export interface Hop {
  url: string;
  options: Dispatcher.DispatchOptions;
  dispatcher: Dispatcher | null;
}

/** The redirect rules of one share: its target origin, its allowed hosts, and the dispatcher for other origins. */
export class Redirects {
  readonly #allowHosts: readonly string[] | undefined;
  readonly #agentOptions: AgentType.Options;
  #others: AgentType | null = null;
  /** Open connections to other origins by protocol (alpn.ts): the protocol of a hop answered there. */
  readonly protocols = new Protocols();

  constructor(
    private readonly origin: string,
    http: HttpSettings,
  ) {
    this.#allowHosts = http.allowHosts;
    const allowed = guardedLookup(true);
    const guarded = guardedLookup(false);
    // A host named in allowHosts may resolve to a metadata address, as the target may; any other is refused (EMETADATA).
    const lookup: LookupFunction = (hostname, options, callback) =>
      (allowListNames(this.#allowHosts, hostname) ? allowed : guarded)(hostname, options, callback);
    // Other origins are offered the target's http.version too (alpn.ts); one hop at a time per VU, so no stream limit.
    this.#agentOptions = {
      headersTimeout: http.timeoutMs,
      bodyTimeout: http.timeoutMs,
      connect: countingConnector({ timeout: http.connectTimeoutMs, lookup, ...otherOriginTls(http.tls) }, http.version ?? '1.1', this.protocols),
    };
  }

  /** Whether a hop to `host` is refused: not in allowHosts when there is one, or a metadata address allowHosts does not name. */
  refused(host: string): boolean {
    const named = allowListNames(this.#allowHosts, host);
    return this.#allowHosts !== undefined ? !named : !named && isMetadataHost(host);
  }

  /**
   * The hop after a `status` response with `location` to the request
   * `options` sent to `from`, or the error kind when it is not followed.
   */
  next(status: number, location: string, from: string, options: Dispatcher.DispatchOptions): Hop | string {
    let url: URL;
    try {
      url = new URL(location, from);
    } catch {
      return REDIRECT_INVALID;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return REDIRECT_INVALID;
    if (this.refused(canonicalHost(url.hostname))) return EHOSTNOTALLOWED;
    const method = options.method;
    const toGet = (status === 303 && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST');
    const headers: Record<string, string> = { ...(options.headers as Record<string, string>) };
    if (toGet) {
      delete headers['content-type'];
      delete headers['content-length'];
    }
    if (url.origin !== new URL(from).origin) {
      delete headers.authorization;
      delete headers.cookie;
    }
    const same = url.origin === this.origin;
    url.hash = '';
    const path = url.pathname + url.search;
    return {
      url: url.href,
      options: { method: toGet ? 'GET' : method, path, headers, body: toGet ? null : options.body, ...(!same && { origin: url.origin }) },
      dispatcher: same ? null : this.#otherOrigins(),
    };
  }

  /** The share's dispatcher for origins other than the target's, made on the first such hop. */
  #otherOrigins(): Dispatcher {
    if (this.#others === null) {
      const Agent = require('undici/lib/dispatcher/agent.js') as typeof AgentType;
      this.#others = new Agent(this.#agentOptions);
    }
    return this.#others;
  }

  /** Close the other-origin connections, if any were made. */
  async destroy(): Promise<void> {
    await this.#others?.destroy();
  }
}
