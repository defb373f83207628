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

export class LiveFeed implements SecondListener, LiveView {
  readonly points: LivePoint[] = [];
  readonly #cumulative: Histogram = createHistogram();
  #final: Report | undefined;
  #cached: Report | undefined;

  constructor(readonly source: LiveSource) {
    source.aggregator.listen(this);
  }

  onSecond(point: TimelinePoint, latency: Histogram): void {
    this.#cumulative.add(latency);
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

  /** Recompute the report as it stands (once a tick); the final one once the view is closed. */
  refresh(): Report {
    this.#cached = this.#final ?? this.source.aggregator.current(this.source.options());
    return this.#cached;
  }

  /** The report of the last refresh (or the final one), without recomputing: what /metrics reads between ticks. */
  report(): Report {
    return this.#final ?? this.#cached ?? this.refresh();
  }
}
