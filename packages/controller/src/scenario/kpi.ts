/**
 * The runbook's KPI levels, the one copy the CLI writes or judges by:
 * `novaload init` puts them all in its starter scenario, and `breakpoint`
 * judges a bare URL by the latency and error-rate ones.
 */
/** Its "Key Performance Indicators" table (api_latency p50/p95/p99 in ms, error_rate in %), in its own units so each figure can be checked against it. */
export const RUNBOOK_KPI_THRESHOLDS = {
  'latency.p50': { warning: '<100ms', critical: '<200ms' },
  'latency.p95': { warning: '<500ms', critical: '<1000ms' },
  'latency.p99': { warning: '<1000ms', critical: '<2000ms' },
  errorRate: { warning: '<0.1%', critical: '<1%' },
} as const;
