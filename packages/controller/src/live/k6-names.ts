/**
 * The metric names novaload's live outputs (the dashboard's /metrics, and
 * Prometheus remote write) give their series: k6's, as its
 * experimental-prometheus-rw output names them (counters `_total`, rates
 * `_rate`, trend stats `_p99` … in seconds), so Grafana dashboards built for
 * k6 (19665, 18030) work unchanged. One table both outputs read, so a name
 * is spelled once. Where k6 has no such series, novaload's own name says so.
 */

/** Latency statistics exported per request name and scenario, as k6's trend stats `p(50)` … `max` are named. */
export const DURATION_STATS = ['p50', 'p90', 'p95', 'p99', 'max'] as const;

/** One of DURATION_STATS: a field of the report's latency statistics and a suffix of k6's series names. */
export type DurationStat = (typeof DURATION_STATS)[number];

/** The series names by what they count (see each): k6's where k6 has the series. */
export const K6_NAMES = {
  /** Counter: requests completed, ok or not (k6 `http_reqs`). */
  requests: 'k6_http_reqs_total',
  /** Gauge 0..1: share of completed requests that failed (k6 `http_req_failed`, a rate). */
  failedRate: 'k6_http_req_failed_rate',
  /** Gauge: VUs active in the last complete second (k6 `vus`). */
  vus: 'k6_vus',
  /** Counter: arrivals not started because maxVUs were busy (k6 `dropped_iterations`). */
  dropped: 'k6_dropped_iterations_total',
  /** Counter: iterations completed (k6 `iterations`). */
  iterations: 'k6_iterations_total',
  /** Counter: failed requests by error kind (`HTTP_503`, `ECONNRESET`, …); k6 has no such series. */
  failures: 'novaload_http_req_failures_total',
  /** Gauge: requests completed in the last complete second; k6 leaves this to rate(k6_http_reqs_total). */
  rps: 'novaload_http_reqs_per_second',
} as const;

/** The name of a latency statistic's gauge, in seconds (k6: `k6_http_req_duration_p99`). */
export function durationName(stat: DurationStat): string {
  return `k6_http_req_duration_${stat}`;
}

/** Label names of every series: the scenario (a run file's workload), the request name, the error kind. */
export const LABELS = { scenario: 'scenario', request: 'request', kind: 'kind' } as const;
