/**
 * Shared data shapes of novaload: what crosses threads and the network
 * (interval snapshots) and what users script against (the v1 report).
 * Everything here is plain JSON so it can be posted, serialised and merged.
 */
import type { AbortInfo, BaselineComparison, HistoryLevels } from './types-judgement.js';
import type { Phase, PhasesReport } from './timing.js';

/** HDR histogram configuration shared by every recorder and merger: µs, 1 µs … 1 h, 3 digits. */
export const HISTOGRAM = {
  lowestDiscernibleValue: 1,
  highestTrackableValue: 3_600_000_000,
  numberOfSignificantValueDigits: 3,
} as const;

/** Passes and fails of one response check. */
export interface CheckCount {
  passes: number;
  fails: number;
}

/** Requests answered over each protocol: `h1` HTTP/1.x, `h2` HTTP/2. A request that got no response is in neither. */
export interface ProtocolCounts {
  h1: number;
  h2: number;
}

/** Counters and compressed histograms of one request name over one interval, from one share. */
export interface EndpointSnapshot {
  /** Completed requests (ok + failed). */
  requests: number;
  ok: number;
  failed: number;
  /** Body bytes received. */
  bytes: number;
  /**
   * Of `requests`, those sent a second time because the server closed a
   * kept-alive connection as the request was written (the server saw them
   * twice): 0 ≤ resent ≤ requests. Absent from older agents: 0.
   */
  resent?: number;
  /**
   * Requests not sent in the interval because a value their templates need
   * was missing (a capture found nothing). Not in `requests`. Absent: 0.
   */
  skipped?: number;
  /** CAPTURE_MISSING failures by the capture that found nothing; they sum to errors.CAPTURE_MISSING. Absent: none. */
  captureMisses?: Record<string, number>;
  /** The Node code of a TLS kind's first failure in this share, by kind (a kind of this snapshot's errors), sent once per share. Absent: none new. */
  errorExamples?: Record<string, string>;
  /** Of `requests`, those answered over each protocol: h1 + h2 ≤ requests. Absent: no response in the interval (or an older agent). */
  protocols?: ProtocolCounts;
  /** Failed requests by error kind (HTTP_503, ECONNREFUSED, TIMEOUT, …); values sum to `failed`. */
  errors: Record<string, number>;
  /** Compressed base64 HDR histograms (µs); empty string when no sample. */
  latency: string;
  serviceTime: string;
  ttfb: string;
  /**
   * Connections opened for these requests (each counted with the request
   * written first on it, failed or not). Absent from older agents: 0.
   */
  connectionsOpened?: number;
  /**
   * Request phases of the responses (timing.ts), compressed HDR histograms
   * (µs) like the others: send, wait and receive count every response (as
   * ttfb does); dns, connect and tlsHandshake hold only the responses that
   * opened a connection, the others' zeros implied. Absent from older agents.
   */
  phases?: Record<Phase, string>;
  /**
   * By check name (`json $.token exists`): how many responses of the
   * interval passed and failed each of the request's checks; each check's
   * passes + fails ≤ requests (a transport error runs no check). Absent for
   * a request without checks.
   */
  checks?: Record<string, CheckCount>;
}

/** Health of the generator (one thread) over one interval. */
export interface GeneratorSample {
  /** Max event-loop delay in the interval, ms. */
  lagMaxMs: number;
  /** Mean event-loop delay in the interval, ms. */
  lagMeanMs: number;
  /** Event-loop utilisation 0..1 over the interval. */
  utilization: number;
  /**
   * Length of the interval the sample covers, ms (a run's first and last
   * seconds are partial). Absent from older agents: taken as a full second.
   */
  intervalMs?: number;
}

/**
 * What one share (a thread, later an agent's thread) sends once per second:
 * everything completed during second `second` (counted from the run's start).
 */
export interface IntervalSnapshot {
  /** Index of the share that produced it (0-based). */
  share: number;
  /** Per-share sequence number, from 0, one per snapshot sent. */
  seq: number;
  /** Which second of the run this covers: [second, second+1) s after the start. */
  second: number;
  /** VUs active at the end of the interval in this share. */
  vus: number;
  /** Iterations dropped (open models) in the interval. */
  dropped: number;
  /**
   * Iterations that ended in the interval (the last request of a sequence
   * answered, or the one request of a random pick): the report's
   * totals.iterations. Absent from older agents: none counted.
   */
  iterations?: number;
  /** Keyed by request name; names without completions in the interval are absent. */
  endpoints: Record<string, EndpointSnapshot>;
  generator: GeneratorSample;
}

/** Latency-like statistics in milliseconds (µs precision). */
export interface LatencyStats {
  min: number;
  mean: number;
  stdev: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

export interface Totals {
  requests: number;
  ok: number;
  failed: number;
  bytesReceived: number;
  dropped: number;
  /**
   * Iterations completed, summed exactly over every share: for the
   * iteration-count executors it equals the plan's count unless maxDuration
   * cut the run short. Optional only because older reports lack it.
   */
  iterations?: number;
  /** Requests sent again after the server closed a kept-alive connection: requests + resent is what the server received. */
  resent: number;
  /** Requests not sent because a value their templates need was missing (not in `requests`). */
  skipped: number;
  /** Requests answered over HTTP/1.x and over HTTP/2; absent from reports older than the count. */
  protocols?: ProtocolCounts;
  /** Response checks run, summed over every check of every request; present when the scenario has checks. */
  checks?: CheckCount;
  /**
   * Connections the generator opened: equal to the VUs (or pool size) with
   * keep-alive, to requests when every response closes its connection.
   * Always written; optional only because reports of earlier versions (read
   * back as baselines or history) lack it.
   */
  connectionsOpened?: number;
}

/** One row of the report's checks table. */
export interface CheckResult {
  request: string;
  /** The check's name, e.g. `json $.token exists`, `header content-type matches "json"`. */
  check: string;
  passes: number;
  fails: number;
}

export interface EndpointReport {
  name: string;
  method: string;
  path: string;
  totals: { requests: number; ok: number; failed: number; bytesReceived: number; resent: number; skipped: number; protocols?: ProtocolCounts; connectionsOpened?: number };
  /** CAPTURE_MISSING failures by capture name (`"as"`); present when any capture found nothing. */
  captureMisses?: Record<string, number>;
  rps: number;
  latency: LatencyStats;
  serviceTime: LatencyStats;
  ttfb: LatencyStats;
  /** Where the responses' time went (dns … receive) with each phase's share; absent when no response was timed. */
  phases?: PhasesReport;
  errors: Record<string, number>;
}

export interface TimelinePoint {
  /** Second of the run (0-based). */
  t: number;
  requests: number;
  errors: number;
  vus: number;
  dropped: number;
  latency: { p50: number; p95: number; p99: number };
}

export type ThresholdLevel = 'warning' | 'critical';

export interface ThresholdResult {
  /** Metric key as written in the scenario, e.g. `latency.p95{request=list-tasks}`. */
  metric: string;
  level: ThresholdLevel;
  /** The condition as written, e.g. `<200ms`. */
  expression: string;
  /** Observed value in the metric's unit (ms, %, req/s, count); null when no data. */
  value: number | null;
  ok: boolean;
  /** Relative and history levels: the reference value (the baseline run's, or the history's mean). */
  baseline?: number;
  /** Relative and history levels: the bound the condition came to, in the metric's unit. */
  limit?: number;
  /** Set on levels computed from earlier runs (--history) rather than written in the scenario. */
  source?: 'history';
  /**
   * Windowed levels (`for`): the window in seconds, and the seconds of the
   * first window in which the condition was violated throughout. `value` is
   * then the worst per-second value seen.
   */
  window?: { seconds: number; failed?: { from: number; to: number } };
}

export type Verdict = 'pass' | 'warn' | 'fail';

export interface GeneratorReport {
  /** Worst event-loop delay seen in any thread, ms. */
  lagMaxMs: number;
  /** Highest per-second event-loop utilisation seen in any thread, 0..1. */
  utilizationMax: number;
  /** True when the generator itself was the bottleneck: figures may blame the target unfairly. */
  saturated: boolean;
}

/** A share that crashed: which one, where it ran, and the error it died of. */
export interface ShareFailure {
  share: number;
  /** The agent it ran on (distributed runs). */
  agent?: string;
  message: string;
}

/** One remote agent's part in a distributed run. */
export interface AgentReport {
  name: string;
  /** The agent's index among the run's agents. */
  share: number;
  /** The global share indices it ran (one per thread). */
  shares: number[];
  requests: number;
  /** Agent clock minus controller clock, measured by ping/pong, ms. */
  clockOffsetMs: number;
  status: 'ok' | 'lost' | 'failed';
  /** Seconds after the start at which it was lost (status 'lost'). */
  lostAtSeconds?: number;
}

/** Report JSON v1: the contract CI scripts read. */
export interface Report {
  version: 1;
  scenario: string;
  target: string;
  executor: string;
  startedAt: string;
  durationMs: number;
  interrupted: boolean;
  totals: Totals;
  rps: number;
  /** Percent of completed requests that were ok, 0..100. */
  successRate: number;
  /** Percent of completed requests that failed, 0..100. */
  errorRate: number;
  latency: LatencyStats;
  serviceTime: LatencyStats;
  ttfb: LatencyStats;
  /** Where the responses' time went, over every request: dns, connect, tlsHandshake, send, wait, receive, each with its share. */
  phases?: PhasesReport;
  errors: Record<string, number>;
  endpoints: EndpointReport[];
  /** Each response check's passes and fails, by request in the scenario's order; present when the scenario has checks. */
  checks?: CheckResult[];
  timeline: TimelinePoint[];
  thresholds: ThresholdResult[];
  verdict: Verdict;
  /** Compressed base64 HDR histogram of overall latency (µs). */
  histogram: string;
  generator: GeneratorReport;
  agents: AgentReport[];
  /**
   * Present when some requests failed in the generator itself, not at the
   * target: how many of `errors` are EMFILE, ENFILE or EADDRNOTAVAIL (out of
   * file descriptors or local ports). They are in `errors`, `totals.failed`
   * and the error rate as well; the target never saw them.
   */
  generatorErrors?: number;
  /**
   * Shares whose thread or agent failed during the run. What they sent before
   * is in every figure above; what they would have sent after is missing.
   */
  failures?: ShareFailure[];
  /** With --baseline: the earlier run and how p50/p95/p99, errorRate and rps changed. */
  baseline?: BaselineComparison;
  /** With --history: the levels derived from earlier runs; their verdicts are in `thresholds`. */
  history?: HistoryLevels;
  /** Set when an abortOnFail threshold stopped the run (`interrupted` is true as well). */
  aborted?: AbortInfo;
  /** A run file's report: each workload's own report, by name; the figures above are the whole run's (their exact sum). */
  scenarios?: Record<string, Report>;
  /** A run file's workload (a report under `scenarios`): its startTime, ms after the run's second 0, where its own second 0 sits on the run's timeline. */
  startTimeMs?: number;
  /** Present when the scenario reads a data file: how its rows were used. */
  data?: DataReport;
  /**
   * The Node code behind each TLS error kind, as first seen (`TLS_HANDSHAKE`:
   * `ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE`): a kind is stable for CI, the
   * code says exactly what OpenSSL refused. Present when a TLS kind occurred.
   */
  errorExamples?: Record<string, string>;
  /** Present when the scenario has http.tls: how the target's certificate was trusted (never the certificates or the key). */
  tls?: TlsReport;
  /** The scenario's setup requests, sent once before the load; outside every load figure above. */
  setup?: PhaseEntry[];
  /** The scenario's teardown requests, sent once after the load (also after an interrupt or an abort). */
  teardown?: PhaseEntry[];
  /** Where live figures were sent during the run, and how that went; present when an output was on. */
  outputs?: OutputsReport;
}

/** The live outputs of a run: each says whether its figures arrived, since a monitoring gap is not a load problem. */
export interface OutputsReport {
  prometheusRW?: RemoteWriteReport;
}

/**
 * Prometheus remote write (`--prometheus-rw`): pushes that the receiver
 * accepted, the samples they carried, and the samples given up (the buffer
 * was full, the receiver refused them, or the run ended before they went).
 */
export interface RemoteWriteReport {
  /** The endpoint, without credentials. */
  url: string;
  pushes: number;
  samples: number;
  dropped: number;
  /** The last failure (HTTP status and body, or the network error); absent when every push was accepted. */
  lastError?: string;
}

/** The TLS settings of a run, without their contents: what a reader needs to judge the figures. */
export interface TlsReport {
  /** true: certificates were not verified (http.tls.insecure). */
  insecure: boolean;
  /** The target was trusted by the scenario's own CA (http.tls.ca). */
  ca: boolean;
  /** A client certificate was offered (http.tls.cert and key). */
  clientCertificate: boolean;
  /** The name sent as SNI and checked (http.tls.servername). */
  servername?: string;
}

/**
 * How one setup or teardown request went. A phase stops at its first
 * failure, so only the last entry can be not ok.
 */
export interface PhaseEntry {
  name: string;
  /** The response status; 0 when none arrived (a transport error, or not sent). */
  status: number;
  /** From the send to the last byte of the body. */
  ms: number;
  ok: boolean;
  /** The error kind (HTTP_401, CHECK_JSON, CAPTURE_MISSING, ECONNREFUSED, SKIPPED …) when not ok. */
  error?: string;
}

/**
 * How a run used its data file's rows. With sequential rows and
 * `onExhausted: "stop"`, `exhausted` says the rows ran out and the run
 * stopped starting iterations: not an error, and no iteration was dropped.
 */
export interface DataReport {
  file: string;
  mode: 'per-vu' | 'sequential' | 'random';
  onExhausted: 'recycle' | 'stop';
  /** Rows in the file. */
  rows: number;
  /** Iterations that started with a row (per-vu: every iteration of a VU has its row). */
  taken: number;
  /** Every share ran out of rows (sequential, stop). */
  exhausted: boolean;
  /** When the last share ran out, ms from the start; null unless exhausted. */
  exhaustedAtMs: number | null;
  /** Shares whose figures are missing (a lost agent or crashed thread): `taken` counts the others only. */
  missingShares?: number;
}

/**
 * A threshold as written in a scenario file: a bare string is a critical
 * level. With `for` (a duration) the levels are judged on the per-second
 * timeline during the run and fail when violated in every second of a window
 * that long; `abortOnFail` then stops the run when the critical level fails.
 */
export type ThresholdSpec = string | { warning?: string; critical?: string; for?: string; abortOnFail?: boolean };
