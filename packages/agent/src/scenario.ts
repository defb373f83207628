/**
 * The resolved scenario: what the controller hands to every share after
 * validating the user's file. All durations are milliseconds, bodies are
 * prepared strings, defaults are filled in — the load engine never parses.
 */
import type { ThresholdSpec } from '@novaload/report';
import type { DataSettings } from './data.js';
import type { CaptureSpec } from './journey/capture.js';

export type { CaptureSpec } from './journey/capture.js';

export interface Stage {
  durationMs: number;
  target: number;
}

export type ExecutorConfig =
  | { type: 'constant-vus'; vus: number; durationMs: number }
  | { type: 'ramping-vus'; startVUs: number; stages: Stage[] }
  | { type: 'constant-arrival-rate'; rate: number; durationMs: number; maxVUs: number; maxQueue: number; arrivalWindowMs: number }
  | { type: 'ramping-arrival-rate'; startRate: number; stages: Stage[]; maxVUs: number; maxQueue: number; arrivalWindowMs: number }
  | { type: 'per-vu-iterations'; vus: number; iterations: number; maxDurationMs: number }
  | { type: 'shared-iterations'; vus: number; iterations: number; maxDurationMs: number };

export type ExecutorType = ExecutorConfig['type'];

export interface ResolvedRequest {
  name: string;
  method: string;
  /** Path (with query) appended to the target's origin + base path. */
  path: string;
  headers: Record<string, string>;
  /** Prepared body, or null. JSON bodies are serialised once, here. */
  body: string | null;
  weight: number;
  /** Statuses that count as ok; null means any 2xx. */
  expectStatus: number[] | null;
  /** Think time after this request (closed models), replacing the scenario's; {0, 0} for none. Absent: the scenario's. */
  thinkTime?: ThinkTime;
  /** Response checks of `expect` (json, body, headers), in the file's order; absent: none, and the response is never read. */
  checks?: ResolvedCheck[];
  /**
   * A JSON body with templates, as written (its strings rendered per
   * request, journey/compile.ts); `body` is then null. Absent: no templates in json.
   */
  json?: unknown;
  /** Values taken from the response into the VU's named slots (journey/capture.ts). */
  capture?: CaptureSpec[];
}

/** The operators of a response check: exists/equals/matches on a JSONPath or a header, contains/notContains on the body. */
export type CheckOp = 'exists' | 'equals' | 'matches' | 'contains' | 'notContains';

/**
 * One response check, as validated by the controller: `target` is the
 * JSONPath (on 'json'), the lower-cased header name (on 'header') or ''
 * (on 'body'); `value` is a boolean for exists, a string for matches,
 * contains and notContains (and for a header's equals), any JSON value for
 * a json equals.
 */
export interface ResolvedCheck {
  on: 'json' | 'body' | 'header';
  target: string;
  op: CheckOp;
  value: unknown;
}

/** A pause drawn uniformly from [minMs, maxMs]. */
export interface ThinkTime {
  minMs: number;
  maxMs: number;
}

/**
 * `http.tls` resolved: PEM contents (read by the controller from the files
 * the scenario names, so remote agents need no files), the name to send as
 * SNI and check the certificate against, and whether to skip verification.
 */
export interface TlsSettings {
  /** PEM certificate(s) trusted for the target instead of Node's bundled roots. */
  ca?: string;
  /** PEM client certificate (chain) for mutual TLS; always with `key`. */
  cert?: string;
  /** PEM private key of `cert`. Never written to a report or a log. */
  key?: string;
  servername?: string;
  /** true: the certificate is not verified (curl -k). */
  insecure?: boolean;
}

/** The `http.version` choices: what ALPN offers on an https connection. */
export type HttpVersion = '1.1' | '2' | 'auto';

export interface HttpSettings {
  /** Per-request timeout for headers and for body progress, ms. */
  timeoutMs: number;
  connectTimeoutMs: number;
  /** Headers sent with every request (request headers override). */
  headers: Record<string, string>;
  /** 'per-vu': one connection per VU (closed models' default); n: a shared pool of n connections. */
  connections: 'per-vu' | number;
  /** Requests in flight per connection (1 = no pipelining). */
  pipelining: number;
  /**
   * HTTP version offered by ALPN on https: '1.1' (absent: the same) only
   * HTTP/1.1; '2' only h2, a server that does not agree fails the request
   * (H2_NOT_NEGOTIATED, alpn.ts); 'auto' h2 when the server picks it.
   */
  version?: HttpVersion;
  /** HTTP/2: streams in flight per connection (absent: undici's 100, or the server's lower limit). */
  maxConcurrentStreams?: number;
  /**
   * The target host is named in allowHosts: it may resolve to a cloud
   * metadata address. Otherwise such a name fails with EMETADATA (absent:
   * refused).
   */
  allowMetadata?: boolean;
  /**
   * false: a request that fails because the server closed a kept-alive
   * connection as it was written is an error (ECONNRESET), not sent again.
   * Absent or true: idempotent requests are sent once more (resend.ts).
   */
  resendOnStaleConnection?: boolean;
  /** false: no cookie jar (Set-Cookie ignored, no Cookie header added). Absent or true: one jar per VU (cookies.ts). */
  cookies?: boolean;
  /** Redirects followed per request (absent: 10); 0: a 3xx is the response (redirects.ts). */
  maxRedirects?: number;
  /** The scenario's allowHosts: a redirect to any other host is not followed (EHOSTNOTALLOWED). Absent: any host but a metadata address. */
  allowHosts?: string[];
  /** TLS trust, client certificate and SNI for https:// targets (tls.ts). Absent: Node's defaults. */
  tls?: TlsSettings;
}

export interface ResolvedScenario {
  name: string;
  /** Absolute http(s) URL: origin plus optional base path, no trailing slash. */
  target: string;
  executor: ExecutorConfig;
  gracefulStopMs: number;
  /** Think time after each response (closed models only), unless a request has its own; null = none. */
  thinkTime: ThinkTime | null;
  flow: 'random' | 'sequence';
  requests: ResolvedRequest[];
  http: HttpSettings;
  thresholds: Record<string, ThresholdSpec>;
  /**
   * The data file (`data`): its settings and `columns`, the names templates
   * may read as `data.COLUMN`. On the controller it also holds every row
   * (LoadedData); plans and share specs carry each share's rows apart
   * (ShareSpec.rows), never the whole table.
   */
  data?: DataSettings;
  /**
   * Values of the env variables the templates read (set ones only), resolved
   * on the controller: agents need not have them. Never written to a report
   * or a log: reports show the templates. Absent: none.
   */
  env?: Record<string, string>;
  /**
   * `setup` and `teardown` requests, sent once on the controller before and
   * after the load (journey/once.ts); never part of a plan. Absent: none.
   */
  setup?: ResolvedRequest[];
  teardown?: ResolvedRequest[];
  /** What the setup captured, by name: `{{ setup.NAME }}` for every VU. Set by the controller after setup ran; plans carry it. */
  setupValues?: Record<string, unknown>;
}

/** The iterations an iteration-count executor plans (vus × iterations, or the shared total); null for the others, bound by time. */
export function plannedIterations(executor: ExecutorConfig): number | null {
  if (executor.type === 'per-vu-iterations') return executor.vus * executor.iterations;
  if (executor.type === 'shared-iterations') return executor.iterations;
  return null;
}

/**
 * Planned length of the executor's load phase (without gracefulStop), ms;
 * for the iteration-count executors the longest it may take (maxDuration):
 * they end sooner, when their iterations are done.
 */
export function plannedDurationMs(executor: ExecutorConfig): number {
  switch (executor.type) {
    case 'constant-vus':
    case 'constant-arrival-rate':
      return executor.durationMs;
    case 'ramping-vus':
    case 'ramping-arrival-rate':
      return executor.stages.reduce((sum, s) => sum + s.durationMs, 0);
    case 'per-vu-iterations':
    case 'shared-iterations':
      return executor.maxDurationMs;
  }
}
