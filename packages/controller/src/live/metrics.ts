/**
 * /metrics: the Prometheus text format (prom-client) of every scenario the
 * command has run so far, with the very series remote write pushes
 * (prometheus-rw-series.ts: k6's names and labels), so a scraped and a
 * pushed dashboard read the same. The series are set from the reports of
 * the last tick (or the final ones) when scraped, so a scrape costs one pass
 * over the reports and nothing on the load's path. A run file's workloads
 * are its scenarios here, as in k6; the run itself would count their
 * requests twice.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { Report } from '@novaload/report';
import { HELP, K6_HTTP_REQ_DURATION } from './k6-names.js';
import { seriesOf } from './prometheus-rw-series.js';

/** A scenario's report as /metrics reads it. */
export interface MetricsSource {
  scenario: string;
  report: Report;
}

/** The /metrics registry: one set of series for the whole command, rebuilt from the reports at each scrape. */
export class LiveMetrics {
  readonly registry = new Registry();

  /** `tags`: --tag labels put on every series. */
  constructor(private readonly tags: Readonly<Record<string, string>>) {}

  /** The text of a scrape over `sources`. */
  async text(sources: readonly MetricsSource[]): Promise<string> {
    this.registry.clear();
    const byName = new Map<string, { labels: Record<string, string>; value: number }[]>();
    for (const { scenario, report } of sources) {
      for (const s of seriesOf({ ...report, scenario }, this.tags, 0)) {
        const labels = Object.fromEntries(s.labels.filter((l) => l.name !== '__name__').map((l) => [l.name, l.value]));
        const name = s.labels.find((l) => l.name === '__name__')!.value;
        const list = byName.get(name) ?? [];
        list.push({ labels, value: s.samples[0]!.value });
        byName.set(name, list);
      }
    }
    for (const [name, samples] of byName) {
      const labelNames = [...new Set(samples.flatMap((s) => Object.keys(s.labels)))];
      const help = HELP[name] ?? (name.startsWith(K6_HTTP_REQ_DURATION) ? 'latency since the start of the scenario, seconds (exact HDR merge); without name: the scenario overall' : name);
      if (name.endsWith('_total')) {
        const c = new Counter({ name, help, labelNames, registers: [this.registry] });
        for (const s of samples) c.inc(s.labels, s.value);
      } else {
        const g = new Gauge({ name, help, labelNames, registers: [this.registry] });
        for (const s of samples) g.set(s.labels, s.value);
      }
    }
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
