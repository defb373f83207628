/**
 * The resolved scenario: what the controller hands to every share after
 * validating the user's file. All durations are milliseconds, bodies are
 * prepared strings, defaults are filled in — the load engine never parses.
 */
import type { ThresholdSpec } from '@novaload/report';

export interface Stage {
  durationMs: number;
  target: number;
}

export type ExecutorConfig =
  | { type: 'constant-vus'; vus: number; durationMs: number }
  | { type: 'ramping-vus'; startVUs: number; stages: Stage[] }
  | { type: 'constant-arrival-rate'; rate: number; durationMs: number; maxVUs: number; maxQueue: number; arrivalWindowMs: number }
  | { type: 'ramping-arrival-rate'; startRate: number; stages: Stage[]; maxVUs: number; maxQueue: number; arrivalWindowMs: number };

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
}

/** A pause drawn uniformly from [minMs, maxMs]. */
export interface ThinkTime {
  minMs: number;
  maxMs: number;
}

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
}

/** Planned length of the executor's load phase (without gracefulStop), ms. */
export function plannedDurationMs(executor: ExecutorConfig): number {
  switch (executor.type) {
    case 'constant-vus':
    case 'constant-arrival-rate':
      return executor.durationMs;
    case 'ramping-vus':
    case 'ramping-arrival-rate':
      return executor.stages.reduce((sum, s) => sum + s.durationMs, 0);
  }
}
