/**
 * Series names as k6's Prometheus remote-write output spells them, so the
 * Grafana dashboards made for k6 (19665, 18030) read novaload's figures
 * unchanged: counters end in `_total`, rates in `_rate`, trend statistics in
 * `_<stat>` with values in seconds. Names k6 has no equivalent for carry the
 * `novaload_` prefix instead of pretending to be k6's.
 */

/** Requests completed (a counter): ok ones with expected_response="true", failures by kind with "false". */
export const K6_HTTP_REQS = 'k6_http_reqs_total';
/** Share of failed requests, 0..1 (k6's Rate metric as a gauge). */
export const K6_HTTP_REQ_FAILED = 'k6_http_req_failed_rate';
/** Prefix of the latency statistics: `k6_http_req_duration_p99` and so on, in seconds. */
export const K6_HTTP_REQ_DURATION = 'k6_http_req_duration';
/** Latency as a native histogram (--prometheus-rw-native), in seconds, as k6's K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM names it. */
export const K6_HTTP_REQ_DURATION_HISTOGRAM = 'k6_http_req_duration_seconds';
/** Active VUs at the last complete second. */
export const K6_VUS = 'k6_vus';
/** Iterations completed (a counter). */
export const K6_ITERATIONS = 'k6_iterations_total';
/** Iterations an open model could not start (a counter). */
export const K6_DROPPED_ITERATIONS = 'k6_dropped_iterations_total';
/** Body bytes received (a counter). */
export const K6_DATA_RECEIVED = 'k6_data_received_total';
/** Requests in the last complete second: k6 has no such series (its dashboards take rate() of the counter). */
export const NOVALOAD_RPS = 'novaload_http_reqs_per_second';

/** The trend statistics pushed for latency, each k6's stat name (med is p50) and the report field it comes from. */
export const TREND_STATS = [
  ['min', 'min'],
  ['avg', 'mean'],
  ['med', 'p50'],
  ['p90', 'p90'],
  ['p95', 'p95'],
  ['p99', 'p99'],
  ['max', 'max'],
] as const;

/** Labels novaload sets on its series (a --tag may not take one of these names). */
export const OWN_LABELS = ['scenario', 'name', 'method', 'status', 'kind', 'expected_response'] as const;

/** One line of help per series name, for the /metrics text format's HELP lines. */
export const HELP: Record<string, string> = {
  [K6_HTTP_REQS]: 'HTTP requests completed: ok ones with expected_response="true", failures by kind with "false"',
  [K6_HTTP_REQ_FAILED]: 'share of completed requests that failed, 0..1',
  [K6_VUS]: 'VUs active in the last complete second',
  [K6_ITERATIONS]: 'iterations completed',
  [K6_DROPPED_ITERATIONS]: 'iterations an open model could not start (every VU busy)',
  [K6_DATA_RECEIVED]: 'response body bytes received',
  [NOVALOAD_RPS]: 'requests completed in the last complete second',
};
