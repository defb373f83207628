/**
 * /metrics: the Prometheus text format (prom-client) of every scenario the
 * command has run so far, with k6's names (k6-names.ts). The series are set
 * from the reports of the last tick (or the final ones) when scraped, so a
 * scrape costs one pass over the reports and nothing on the load's path.
 * A run file's workloads are its scenarios here, as in k6; the run itself
 * would count their requests twice.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { Report } from '@novaload/report';
import { DURATION_STATS, durationName, K6_NAMES, LABELS } from './k6-names.js';

/** A scenario's report as /metrics reads it: its name and the last point's VUs and requests. */
export interface MetricsSource {
  scenario: string;
  report: Report;
  vus: number;
  rps: number;
}

/** The /metrics registry: one set of series for the whole command, refilled from the reports at each scrape. */
export class LiveMetrics {
  readonly registry = new Registry();
  readonly #requests: Counter;
  readonly #failures: Counter;
  readonly #dropped: Counter;
  readonly #iterations: Counter;
  readonly #failedRate: Gauge;
  readonly #vus: Gauge;
  readonly #rps: Gauge;
  readonly #durations: Gauge[];

  /** `tags`: --tag labels put on every series. */
  constructor(private readonly tags: Readonly<Record<string, string>>) {
    const extra = Object.keys(tags);
    const byRequest = [LABELS.scenario, LABELS.request, ...extra];
    const byScenario = [LABELS.scenario, ...extra];
    const registers = [this.registry];
    this.#requests = new Counter({ name: K6_NAMES.requests, help: 'HTTP requests completed (ok or failed)', labelNames: byRequest, registers });
    this.#failures = new Counter({ name: K6_NAMES.failures, help: 'failed HTTP requests by error kind', labelNames: [...byRequest, LABELS.kind], registers });
    this.#failedRate = new Gauge({ name: K6_NAMES.failedRate, help: 'share of completed requests that failed, 0..1', labelNames: byRequest, registers });
    this.#dropped = new Counter({ name: K6_NAMES.dropped, help: 'arrivals not started because every VU was busy', labelNames: byScenario, registers });
    this.#iterations = new Counter({ name: K6_NAMES.iterations, help: 'iterations completed', labelNames: byScenario, registers });
    this.#vus = new Gauge({ name: K6_NAMES.vus, help: 'VUs active in the last complete second', labelNames: byScenario, registers });
    this.#rps = new Gauge({ name: K6_NAMES.rps, help: 'requests completed in the last complete second', labelNames: byScenario, registers });
    this.#durations = DURATION_STATS.map((stat) => new Gauge({ name: durationName(stat), help: `latency ${stat} since the start of the scenario, seconds (exact HDR merge)`, labelNames: byRequest, registers }));
  }

  /** The text of a scrape over `sources`. */
  async text(sources: readonly MetricsSource[]): Promise<string> {
    this.registry.resetMetrics();
    for (const s of sources) this.#set(s);
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  #set({ scenario, report, vus, rps }: MetricsSource): void {
    // Labels in the order a reader looks for them: scenario, request, kind, then the --tag ones.
    const own = { [LABELS.scenario]: scenario, ...this.tags };
    this.#dropped.inc(own, report.totals.dropped);
    this.#iterations.inc(own, report.totals.iterations ?? 0);
    this.#vus.set(own, vus);
    this.#rps.set(own, rps);
    for (const e of report.endpoints) {
      const labels = { [LABELS.scenario]: scenario, [LABELS.request]: e.name, ...this.tags };
      this.#requests.inc(labels, e.totals.requests);
      this.#failedRate.set(labels, e.totals.requests === 0 ? 0 : e.totals.failed / e.totals.requests);
      for (const [kind, n] of Object.entries(e.errors)) this.#failures.inc({ [LABELS.scenario]: scenario, [LABELS.request]: e.name, [LABELS.kind]: kind, ...this.tags }, n);
      DURATION_STATS.forEach((stat, i) => this.#durations[i]!.set(labels, e.latency[stat] / 1000));
    }
  }
}
