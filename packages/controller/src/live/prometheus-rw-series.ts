/**
 * A report (of the run so far, or the final one) as remote-write series,
 * with k6's names and labels (k6-names.ts): per request `name` (k6's label
 * for the request name) and `method`, per `scenario`, and the run's own
 * labels (testid, --tag, the file's labels) on every series. Counters and
 * latency statistics are cumulative since second 0, as k6's are; latency is
 * in seconds. A latency series without `name` is the scenario's overall
 * figure, exact from the merged histogram (it is not a sum of the others).
 */
import type { LatencyStats, Report } from '@novaload/report';
import { K6_DATA_RECEIVED, K6_DROPPED_ITERATIONS, K6_HTTP_REQ_DURATION, K6_HTTP_REQ_DURATION_HISTOGRAM, K6_HTTP_REQ_FAILED, K6_HTTP_REQS, K6_ITERATIONS, K6_VUS, NOVALOAD_RPS, TREND_STATS } from './k6-names.js';
import type { TimeSeries } from './prometheus-rw-proto.js';
import type { NativeHistogram } from './prometheus-rw-native.js';

type Labels = Record<string, string>;

/** Every series of `report` at `timestamp` (ms), each labelled with `labels` and its scenario. */
export function seriesOf(report: Report, labels: Labels, timestamp: number): TimeSeries[] {
  const out: TimeSeries[] = [];
  const add = (name: string, own: Labels, value: number) => out.push(series(name, { ...labels, scenario: report.scenario, ...own }, value, timestamp));
  for (const e of report.endpoints) {
    const request = { name: e.name, method: e.method };
    add(K6_HTTP_REQS, { ...request, expected_response: 'true' }, e.totals.ok);
    for (const [kind, count] of Object.entries(e.errors)) add(K6_HTTP_REQS, { ...request, expected_response: 'false', status: statusOf(kind), kind }, count);
    add(K6_HTTP_REQ_FAILED, request, e.totals.requests === 0 ? 0 : e.totals.failed / e.totals.requests);
    if (e.totals.requests > 0) trend(add, request, e.latency);
  }
  if (report.totals.requests > 0) trend(add, {}, report.latency);
  const last = report.timeline.at(-1);
  add(K6_VUS, {}, last?.vus ?? 0);
  add(NOVALOAD_RPS, {}, last?.requests ?? 0);
  add(K6_ITERATIONS, {}, report.totals.iterations ?? 0);
  add(K6_DROPPED_ITERATIONS, {}, report.totals.dropped);
  add(K6_DATA_RECEIVED, {}, report.totals.bytesReceived);
  return out;
}

/** A scenario's overall latency as one native-histogram series (no `name`: the seconds' merged histograms are overall). */
export function histogramSeries(scenario: string, labels: Labels, histogram: NativeHistogram): TimeSeries {
  return { labels: labelList(K6_HTTP_REQ_DURATION_HISTOGRAM, { ...labels, scenario }), samples: [], histograms: [histogram] };
}

/** k6's `status` label: the HTTP status of an HTTP_<status> kind, 0 for a transport error (no response), as k6 writes it. */
function statusOf(kind: string): string {
  const m = /^HTTP_(\d{3})$/.exec(kind);
  return m ? m[1]! : '0';
}

/** The latency statistics of one request (or the scenario), ms → s. */
function trend(add: (name: string, own: Labels, value: number) => void, own: Labels, latency: LatencyStats): void {
  for (const [stat, field] of TREND_STATS) add(`${K6_HTTP_REQ_DURATION}_${stat}`, own, latency[field] / 1000);
}

/** One sample's series. */
function series(name: string, labels: Labels, value: number, timestamp: number): TimeSeries {
  return { labels: labelList(name, labels), samples: [{ value, timestamp }] };
}

/** A series' labels with its name, sorted by name as the protocol asks, empty values left out (Prometheus reads them as absent). */
function labelList(name: string, labels: Labels): TimeSeries['labels'] {
  const all = Object.entries({ ...labels, __name__: name }).filter(([, v]) => v !== '');
  all.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return all.map(([n, v]) => ({ name: n, value: v }));
}
