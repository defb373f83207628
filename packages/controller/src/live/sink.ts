/**
 * The seam between a run and a live view: run-scenario.ts and execute.ts
 * open a view per aggregator they make and close it with the final report;
 * what watches (the dashboard) reads the aggregator once a second, off the
 * snapshot path. Nothing here runs per request or per snapshot.
 */
import type { FinishOptions, Report, RunAggregator } from '@novaload/report';

/** One report being built: a scenario, a run file's run, or one of its workloads. */
export interface LiveSource {
  name: string;
  aggregator: RunAggregator;
  /** Second 0 of this report, ms since the epoch. */
  startAt: number;
  /** How long the load is planned to last, ms (the progress bar's end). */
  plannedMs: number;
  /** How the run so far is judged (`aggregator.current()`): its thresholds, windows and references as they stand. */
  options(): FinishOptions;
  /** A run file's workload: the run it belongs to. */
  parent?: string;
}

/** An open view: the final report replaces the live figures. */
export interface LiveView {
  close(report: Report): void;
}

/** Where runs announce the reports they build. */
export interface LiveSink {
  open(source: LiveSource): LiveView;
}

/** The sink a run file's workloads open their views in: each becomes a section of the run `parent`. */
export function sectionsOf(live: LiveSink, parent: string): LiveSink {
  return { open: (source) => live.open({ ...source, parent }) };
}
