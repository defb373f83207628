/**
 * What the dashboard page receives each second: the summary of one run (a
 * scenario, or a run file's run with a row per workload) from its report as
 * it stands, and the seconds completed since the last message. Plain JSON,
 * built once a tick and sent to every open page.
 */
import { formatThresholdValue, type Report } from '@novaload/report';
import type { LiveFeed, LivePoint, LiveTiles } from './feed.js';

/** A run on the page: the run's feed, and its workloads' for a run file. */
export interface PageView {
  id: number;
  feed: LiveFeed;
  sections: LiveFeed[];
}

/** One message to the page; `points` are the seconds from index `from` on. */
export interface PageData {
  view: number;
  name: string;
  state: 'running' | 'done';
  elapsedMs: number;
  plannedMs: number;
  /** Every second: counts, rates and the cumulative percentiles. */
  tiles: LiveTiles;
  /** The tables' figures, from the report as it stands at `reportMs` into the run (recomputed on feed.ts's budget). */
  summary: ReturnType<typeof summaryOf>;
  reportMs: number;
  sections: ReturnType<typeof sectionRow>[];
  earlier: { name: string; verdict: string; requests: number }[];
  from: number;
  points: LivePoint[];
}

/** The figures of a report the page's tables show. */
export function summaryOf(r: Report) {
  return {
    verdict: r.verdict,
    interrupted: r.interrupted,
    totals: r.totals,
    errors: r.errors,
    thresholds: r.thresholds.map((t) => ({ metric: t.metric, level: t.level, expression: t.expression, value: t.value, shown: formatThresholdValue(t.metric, t.value), ok: t.ok })),
    generator: r.generator,
    endpoints: r.endpoints.map((e) => ({ name: e.name, method: e.method, path: e.path, requests: e.totals.requests, failed: e.totals.failed, rps: e.rps, p50: e.latency.p50, p95: e.latency.p95, p99: e.latency.p99, max: e.latency.max })),
    agents: r.agents.map((a) => ({ name: a.name, status: a.status, requests: a.requests })),
  };
}

function sectionRow(feed: LiveFeed) {
  const r = feed.report();
  return { name: feed.source.name, state: feed.done ? 'done' : 'running', requests: r.totals.requests, rps: r.rps, errorRate: r.errorRate, p50: r.latency.p50, p95: r.latency.p95, p99: r.latency.p99, dropped: r.totals.dropped, verdict: r.verdict };
}

/** The message for `view` (its reports refreshed this tick), with its seconds from `from` on. */
export function pageData(view: PageView, earlier: PageData['earlier'], from: number, now: number): PageData {
  const { feed } = view;
  const report = feed.report();
  return {
    view: view.id,
    name: feed.source.name,
    state: feed.done ? 'done' : 'running',
    elapsedMs: feed.done ? report.durationMs : Math.max(0, now - feed.source.startAt),
    plannedMs: feed.source.plannedMs,
    tiles: feed.tiles(),
    summary: summaryOf(report),
    reportMs: Math.max(0, Math.min(feed.reportAt, now) - feed.source.startAt),
    sections: view.sections.map(sectionRow),
    earlier,
    from,
    points: feed.points.slice(from),
  };
}
