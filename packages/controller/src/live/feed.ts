/**
 * One view's live figures: each second as it completes, with its exact
 * percentiles (the merged histogram of that second) and the cumulative ones
 * up to it (every second's histogram added into one, HDR `add()`, so the
 * last cumulative figures are the report's), and the report as it stands.
 * Listens on the aggregator's completed seconds: once a second, never per
 * snapshot.
 */
import { createHistogram, percentileMs, type Histogram, type Report, type SecondListener, type TimelinePoint } from '@novaload/report';
import type { LiveSource, LiveView } from './sink.js';

/** A completed second as the page draws it: its own p50/p95/p99 and the cumulative ones (`c…`), ms. */
export interface LivePoint {
  t: number;
  requests: number;
  errors: number;
  vus: number;
  dropped: number;
  p50: number;
  p95: number;
  p99: number;
  cp50: number;
  cp95: number;
  cp99: number;
}

/** The tiles' figures: every second from the merge's counters and the cumulative histogram, cheap; at the end, the final report's. */
export interface LiveTiles {
  requests: number;
  failed: number;
  rps: number;
  errorRate: number;
  successRate: number;
  vus: number;
  dropped: number;
  p50: number;
  p95: number;
  p99: number;
}

/**
 * The report as it stands costs a pass over every histogram of the run
 * (hundreds of ms for a few request names with phases), on the thread that
 * merges snapshots: it is recomputed once a second only while that stays
 * within 1/BUDGET of the thread, else as often as that allows.
 */
const BUDGET = 50;

/** One report's live view: its seconds as they complete, its tiles, and its report as it stands (on a budget). */
export class LiveFeed implements SecondListener, LiveView {
  readonly points: LivePoint[] = [];
  readonly #cumulative: Histogram = createHistogram();
  #dropped = 0;
  #final: Report | undefined;
  #cached: Report | undefined;
  #cachedAt = -Infinity;
  #costMs = 0;

  constructor(readonly source: LiveSource) {
    source.aggregator.listen(this);
  }

  onSecond(point: TimelinePoint, latency: Histogram): void {
    this.#cumulative.add(latency);
    this.#dropped += point.dropped;
    const h = this.#cumulative;
    this.points.push({
      t: point.t, requests: point.requests, errors: point.errors, vus: point.vus, dropped: point.dropped,
      ...point.latency,
      cp50: percentileMs(h, 50), cp95: percentileMs(h, 95), cp99: percentileMs(h, 99),
    });
  }

  /** A share's late latencies count in the totals, so in the cumulative figures too. */
  onLate(_t: number, latency: Histogram): void {
    this.#cumulative.add(latency);
  }

  close(report: Report): void {
    this.#final = report;
  }

  get done(): boolean {
    return this.#final !== undefined;
  }

  /** The report as it stands, recomputed when the budget allows (the final one once closed). */
  refresh(now = Date.now()): Report {
    if (this.#final) return this.#final;
    // A tick comes about every second: 100 ms of slack so a cheap report is recomputed on every one.
    if (this.#cached && now - this.#cachedAt < Math.max(1000, this.#costMs * BUDGET) - 100) return this.#cached;
    const started = performance.now();
    this.#cached = this.source.aggregator.current(this.source.options());
    // A report of nothing yet costs mostly the first call's compilation: it does not set the pace.
    this.#costMs = this.#cached.totals.requests === 0 ? 0 : performance.now() - started;
    this.#cachedAt = now;
    return this.#cached;
  }

  /** The report of the last refresh (or the final one), without recomputing: what /metrics reads between ticks. */
  report(): Report {
    return this.#final ?? this.#cached ?? this.refresh();
  }

  /** When the report of report() was computed (ms since the epoch); the final one: now. */
  get reportAt(): number {
    return this.#final ? Date.now() : this.#cachedAt;
  }

  tiles(): LiveTiles {
    const last = this.points.at(-1);
    const r = this.#final;
    if (r) {
      return { requests: r.totals.requests, failed: r.totals.failed, rps: r.rps, errorRate: r.errorRate, successRate: r.successRate, vus: last?.vus ?? 0, dropped: r.totals.dropped, p50: r.latency.p50, p95: r.latency.p95, p99: r.latency.p99 };
    }
    const { requests, errors } = this.source.aggregator.live();
    const errorRate = requests === 0 ? 0 : (100 * errors) / requests;
    const h = this.#cumulative;
    return {
      requests, failed: errors, rps: last?.requests ?? 0, errorRate, successRate: requests === 0 ? 0 : 100 - errorRate, vus: last?.vus ?? 0, dropped: this.#dropped,
      p50: percentileMs(h, 50), p95: percentileMs(h, 95), p99: percentileMs(h, 99),
    };
  }
}
